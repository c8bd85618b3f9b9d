/**
 * One client interface for every way Rewind talks to a chain.
 *
 * - `SimulatedClient` (simulated.ts): @oraichain/cw-simulate running the built artifacts
 *   in-process, with no network. Several signers share one simulated chain.
 * - `ChainClient` (chain.ts): @cosmjs/cosmwasm-stargate's SigningCosmWasmClient against an RPC.
 *
 * Deploy, demo and scenario code is written against `RewindClient` only, so the same code
 * path drives the embedded chain and a live testnet.
 */

/** A native coin; `amount` is a decimal string (Uint128 JSON). */
export interface Coin {
  denom: string;
  amount: string;
}

/** One ABCI event, as CosmJS and cw-simulate both report it. */
export interface TxEvent {
  type: string;
  attributes: ReadonlyArray<{ key: string; value: string }>;
}

export interface UploadResult {
  codeId: number;
  /** sha256 of the stored wasm, lower-case hex (what `WasmQuery::CodeInfo` reports). */
  checksum: string;
  height: number;
  txHash: string;
}

export interface InstantiateOptions {
  /** The wasm admin (may migrate the contract). Omit for an immutable contract. */
  admin?: string;
  /** Funds sent with the instantiate message. */
  funds?: Coin[];
}

export interface InstantiateResult {
  address: string;
  events: TxEvent[];
  height: number;
  txHash: string;
}

export interface ExecResult {
  events: TxEvent[];
  height: number;
  txHash: string;
}

export interface ContractInfo {
  address: string;
  codeId: number;
  creator: string;
  admin: string | null;
  label: string;
}

export interface CodeInfo {
  codeId: number;
  creator: string;
  /** lower-case hex sha256 */
  checksum: string;
}

export type ClientKind = "simulated" | "chain";

export interface RewindClient {
  readonly kind: ClientKind;
  readonly chainId: string;
  /** The signer's bech32 address. */
  readonly address: string;

  upload(wasm: Uint8Array): Promise<UploadResult>;
  instantiate(
    codeId: number,
    msg: unknown,
    label: string,
    options?: InstantiateOptions,
  ): Promise<InstantiateResult>;
  /** Instantiate at the address `instantiate2Address(checksum, signer, salt)` (cosmwasm_1_2). */
  instantiate2(
    codeId: number,
    salt: Uint8Array,
    msg: unknown,
    label: string,
    options?: InstantiateOptions,
  ): Promise<InstantiateResult>;
  execute(contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult>;
  query<T = unknown>(contract: string, msg: unknown): Promise<T>;
  /** Migrate as the wasm admin (the signer must be the contract's admin). */
  migrate(contract: string, codeId: number, msg: unknown): Promise<ExecResult>;
  balance(address: string, denom: string): Promise<Coin>;
  contractInfo(address: string): Promise<ContractInfo>;
  codeInfo(codeId: number): Promise<CodeInfo>;
  /** The latest block height. */
  height(): Promise<number>;
  /** The latest block time, in nanoseconds since the epoch (the JSON `Timestamp` unit). */
  time(): Promise<bigint>;
  /**
   * Simulated chains only: move the chain forward by `seconds` and `blocks` without a
   * transaction. Undefined on live chains (time there only moves by itself).
   */
  advanceTime?(seconds: number, blocks?: number): Promise<void>;
}

/** First value of `key` in events of `type` (e.g. `instantiate`/`_contract_address`). */
export function eventAttribute(
  events: ReadonlyArray<TxEvent>,
  type: string,
  key: string,
): string | undefined {
  for (const event of events) {
    if (event.type !== type) continue;
    const attr = event.attributes.find((a) => a.key === key);
    if (attr) return attr.value;
  }
  return undefined;
}

/** Every value of `key` in `wasm` / `wasm-*` events emitted by `contract`. */
export function wasmAttributes(
  events: ReadonlyArray<TxEvent>,
  contract: string,
  key: string,
): string[] {
  const out: string[] = [];
  for (const event of events) {
    if (event.type !== "wasm" && !event.type.startsWith("wasm-")) continue;
    const from = event.attributes.find((a) => a.key === "_contract_address")?.value;
    if (from !== contract) continue;
    for (const attr of event.attributes) if (attr.key === key) out.push(attr.value);
  }
  return out;
}
