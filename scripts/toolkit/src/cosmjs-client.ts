/**
 * The shared code path: `RewindClient` over a CosmJS `SigningCosmWasmClient`.
 *
 * cw-simulate's `SimulateCosmWasmClient` extends `SigningCosmWasmClient`, so the simulated and
 * the live client differ only in how they are constructed and in `advanceTime`.
 */
import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { StdFee } from "@cosmjs/stargate";

import type {
  ClientKind,
  CodeInfo,
  Coin,
  ContractInfo,
  ExecResult,
  InstantiateOptions,
  InstantiateResult,
  RewindClient,
  TxEvent,
  UploadResult,
} from "./client";

export type Fee = StdFee | "auto" | number;

export abstract class CosmJsRewindClient implements RewindClient {
  abstract readonly kind: ClientKind;

  protected constructor(
    protected readonly cw: SigningCosmWasmClient,
    readonly chainId: string,
    readonly address: string,
    protected readonly fee: Fee,
  ) {}

  /** Hook run before every call (the simulated chain re-syncs its code cache here). */
  protected async enter(): Promise<void> {}

  async upload(wasm: Uint8Array): Promise<UploadResult> {
    await this.enter();
    const r = await this.cw.upload(this.address, wasm, this.fee);
    return { codeId: r.codeId, checksum: r.checksum.toLowerCase(), height: r.height, txHash: r.transactionHash };
  }

  async instantiate(
    codeId: number,
    msg: unknown,
    label: string,
    options: InstantiateOptions = {},
  ): Promise<InstantiateResult> {
    await this.enter();
    const r = await this.cw.instantiate(this.address, codeId, msg as Record<string, unknown>, label, this.fee, {
      admin: options.admin,
      funds: options.funds,
    });
    return { address: r.contractAddress, events: toEvents(r.events), height: r.height, txHash: r.transactionHash };
  }

  async instantiate2(
    codeId: number,
    salt: Uint8Array,
    msg: unknown,
    label: string,
    options: InstantiateOptions = {},
  ): Promise<InstantiateResult> {
    await this.enter();
    const r = await this.cw.instantiate2(this.address, codeId, salt, msg as Record<string, unknown>, label, this.fee, {
      admin: options.admin,
      funds: options.funds,
    });
    return { address: r.contractAddress, events: toEvents(r.events), height: r.height, txHash: r.transactionHash };
  }

  async execute(contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult> {
    await this.enter();
    const r = await this.cw.execute(this.address, contract, msg as Record<string, unknown>, this.fee, undefined, funds);
    return { events: toEvents(r.events), height: r.height, txHash: r.transactionHash };
  }

  async query<T = unknown>(contract: string, msg: unknown): Promise<T> {
    await this.enter();
    return (await this.cw.queryContractSmart(contract, msg as Record<string, unknown>)) as T;
  }

  async migrate(contract: string, codeId: number, msg: unknown): Promise<ExecResult> {
    await this.enter();
    const r = await this.cw.migrate(this.address, contract, codeId, msg as Record<string, unknown>, this.fee);
    return { events: toEvents(r.events), height: r.height, txHash: r.transactionHash };
  }

  async balance(address: string, denom: string): Promise<Coin> {
    await this.enter();
    const c = await this.cw.getBalance(address, denom);
    return { denom: c.denom, amount: c.amount };
  }

  async contractInfo(address: string): Promise<ContractInfo> {
    await this.enter();
    const c = await this.cw.getContract(address);
    return { address, codeId: c.codeId, creator: c.creator, admin: c.admin ?? null, label: c.label };
  }

  async codeInfo(codeId: number): Promise<CodeInfo> {
    await this.enter();
    const c = await this.cw.getCodeDetails(codeId);
    return { codeId, creator: c.creator, checksum: c.checksum.toLowerCase() };
  }

  async height(): Promise<number> {
    await this.enter();
    return this.cw.getHeight();
  }

  abstract time(): Promise<bigint>;
}

function toEvents(events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>): TxEvent[] {
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) }));
}
