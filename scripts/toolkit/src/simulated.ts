/**
 * The embedded chain: @oraichain/cw-simulate running the built artifacts in-process.
 *
 * One `SimulatedChain` holds one `CWSimulateApp`; `chain.client(address)` hands out a
 * `SimulatedClient` per signer, all sharing that app (one block per transaction).
 */
import { sha256 } from "@cosmjs/crypto";
import { toBech32, toHex } from "@cosmjs/encoding";
import { CWSimulateApp, SimulateCosmWasmClient } from "@oraichain/cw-simulate";
import { WasmModule } from "@oraichain/cw-simulate/dist/modules/wasm";
import type { CWSimulateAppOptions, Result } from "@oraichain/cw-simulate";

import type { Coin, RewindClient } from "./client";
import { CosmJsRewindClient } from "./cosmjs-client";
import { installFidelityPatches } from "./sim-patches";

export interface SimulatedChainOptions {
  chainId?: string;
  bech32Prefix?: string;
  /** Block time of the genesis block, in whole seconds since the epoch. */
  genesisTimeSeconds?: number;
  /** Seconds each new block adds to the block time. */
  blockSeconds?: number;
}

export const SIM_DEFAULTS = {
  chainId: "rewind-local",
  bech32Prefix: "wasm",
  // 2025-06-15T00:00:00Z: fixed, so every run of a scenario sees the same block times.
  genesisTimeSeconds: 1_749_945_600,
  blockSeconds: 6,
} as const;

const NANOS = 1_000_000_000;

/**
 * P1: cw-simulate moves the block time to the wall clock on every new block
 * (`pushBlock`: `if (time < Date.now()) time = Date.now()`), so runs are not reproducible
 * and time cannot be reasoned about. Here every new block adds `blockSeconds`, like a chain.
 */
export class DeterministicApp extends CWSimulateApp {
  blockNanos: number;

  constructor(options: CWSimulateAppOptions, genesisTimeSeconds: number, blockSeconds: number) {
    super(options);
    this.blockNanos = blockSeconds * NANOS;
    this.time = genesisTimeSeconds * NANOS;
  }

  override pushBlock<T>(callback: () => Result<T, string>, sameBlock: boolean): Result<T, string>;
  override pushBlock<T>(callback: () => Promise<Result<T, string>>, sameBlock: boolean): Promise<Result<T, string>>;
  override pushBlock<T>(
    callback: () => Result<T, string> | Promise<Result<T, string>>,
    sameBlock: boolean,
  ): Result<T, string> | Promise<Result<T, string>> {
    // Transactional.tx handles both a Result and a Promise<Result> (rolls back on Err);
    // its typings only take one at a time.
    return this.store.tx((setter) => {
      if (!sameBlock) {
        setter("height")(this.height + 1);
        setter("time")(this.time + this.blockNanos);
      }
      return callback() as Result<T, string>;
    });
  }
}

export class SimulatedChain {
  readonly app: DeterministicApp;
  readonly sim: SimulateCosmWasmClient;
  readonly chainId: string;
  readonly bech32Prefix: string;
  /** This chain's own code id → checksum (P7: the upstream cache is process-wide). */
  private readonly checksums = new Map<number, string>();

  constructor(options: SimulatedChainOptions = {}) {
    this.chainId = options.chainId ?? SIM_DEFAULTS.chainId;
    this.bech32Prefix = options.bech32Prefix ?? SIM_DEFAULTS.bech32Prefix;
    this.app = new DeterministicApp(
      { chainId: this.chainId, bech32Prefix: this.bech32Prefix, debug: () => {} },
      options.genesisTimeSeconds ?? SIM_DEFAULTS.genesisTimeSeconds,
      options.blockSeconds ?? SIM_DEFAULTS.blockSeconds,
    );
    installFidelityPatches(this.app);
    this.sim = new SimulateCosmWasmClient(this.app);
  }

  /** A deterministic account address for a name (`alice` → same address every run). */
  addr(name: string): string {
    return toBech32(this.bech32Prefix, sha256(new TextEncoder().encode(`rewind:${name}`)).slice(0, 20));
  }

  /** A signer on this chain. Pass a name (see `addr`) or a bech32 address. */
  client(nameOrAddress: string): SimulatedClient {
    const address = nameOrAddress.startsWith(`${this.bech32Prefix}1`) ? nameOrAddress : this.addr(nameOrAddress);
    return new SimulatedClient(this, address);
  }

  /** Mint coins to an account (genesis balances / faucet). */
  fund(address: string, coins: Coin[]): void {
    this.app.bank.mint(address, coins).unwrap();
  }

  /** Move the chain forward with no transaction. */
  advanceTime(seconds: number, blocks = 0): void {
    if (!Number.isInteger(seconds) || seconds < 0 || !Number.isInteger(blocks) || blocks < 0) {
      throw new Error(`advanceTime: seconds and blocks must be non-negative integers (${seconds}, ${blocks})`);
    }
    this.app.time = this.app.time + seconds * NANOS;
    this.app.height = this.app.height + blocks;
  }

  /** P7: point the process-wide code-id → checksum cache at this chain's codes. */
  enter(): void {
    const cache = WasmModule.checksumCache as Record<number, string>;
    for (const [codeId, checksum] of this.checksums) cache[codeId] = checksum;
  }

  /** Upload through the chain so the checksum is recorded per chain. */
  async upload(sender: string, wasm: Uint8Array) {
    this.enter();
    const result = await this.sim.upload(sender, wasm, "auto");
    const checksum = toHex(sha256(wasm));
    this.checksums.set(result.codeId, checksum);
    this.enter();
    return { ...result, checksum };
  }

  timeNanos(): bigint {
    return BigInt(Math.round(this.app.time));
  }
}

export class SimulatedClient extends CosmJsRewindClient implements RewindClient {
  readonly kind = "simulated" as const;

  constructor(readonly chain: SimulatedChain, address: string) {
    super(chain.sim, chain.chainId, address, "auto");
  }

  protected override async enter(): Promise<void> {
    this.chain.enter();
  }

  override async upload(wasm: Uint8Array) {
    const r = await this.chain.upload(this.address, wasm);
    return { codeId: r.codeId, checksum: r.checksum, height: r.height, txHash: r.transactionHash };
  }

  async time(): Promise<bigint> {
    return this.chain.timeNanos();
  }

  async advanceTime(seconds: number, blocks = 0): Promise<void> {
    this.chain.advanceTime(seconds, blocks);
  }

  /** Another signer on the same chain. */
  as(nameOrAddress: string): SimulatedClient {
    return this.chain.client(nameOrAddress);
  }
}
