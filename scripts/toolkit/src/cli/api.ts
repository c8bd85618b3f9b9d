/**
 * How the `rewind` CLI reads and signs.
 *
 * Reads go through the standard CosmWasm LCD/REST endpoints (the same ones the dashboard
 * uses), so one code path serves the local backend (`demo.sh --serve`) and a live node:
 *   GET /cosmwasm/wasm/v1/contract/{addr}/smart/{base64 query}  -> {"data": ...}
 *   GET /cosmwasm/wasm/v1/contract/{addr}                       -> {"contract_info": ...}
 *   GET /cosmos/base/tendermint/v1beta1/blocks/latest            -> {"block": {"header": ...}}
 * Signing: on the local backend, its development accounts (POST /rewind/local/execute, local
 * only); on a live chain, the first account of REWIND_MNEMONIC through CosmJS (chain.ts).
 */
import { toBase64, toUtf8 } from "@cosmjs/encoding";

import type { Coin, ExecResult, RewindClient, TxEvent } from "../client";
import { isoToNanos } from "../chain";

/** The addresses the CLI and the dashboard need; the rest is read from governance. */
export interface Contracts {
  governance: string;
  timelock: string;
  guardian: string;
  executor: string;
  stake?: string;
  vault?: string;
}

export interface Reader {
  /** Where the reads go (shown in errors). */
  readonly endpoint: string;
  smart<T>(contract: string, msg: unknown): Promise<T>;
  contractInfo(address: string): Promise<{ address: string; codeId: number; admin: string | null; label: string }>;
  latest(): Promise<{ height: number; timeNanos: bigint; chainId: string }>;
}

export interface Signer {
  readonly address: string;
  execute(contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult>;
}

/** A refusal by the chain (the tx or query failed there); `message` is the chain's text. */
export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainError";
  }
}

/** The endpoint could not be reached or answered something that is not an LCD answer. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

async function getJson(base: string, path: string, timeoutMs: number): Promise<unknown> {
  const url = `${base.replace(/\/$/, "")}${path}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new NetworkError(`${url}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ""}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new NetworkError(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const msg = (body as { message?: string }).message ?? text;
    if (res.status >= 400 && res.status < 600 && typeof (body as { code?: unknown }).code === "number") throw new ChainError(msg);
    throw new NetworkError(`${url}: HTTP ${res.status}: ${msg}`);
  }
  return body;
}

/** Reads over LCD/REST with `fetch`. */
export class LcdReader implements Reader {
  constructor(
    readonly endpoint: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async smart<T>(contract: string, msg: unknown): Promise<T> {
    const q = encodeURIComponent(toBase64(toUtf8(JSON.stringify(msg))));
    const body = (await getJson(this.endpoint, `/cosmwasm/wasm/v1/contract/${contract}/smart/${q}`, this.timeoutMs)) as { data: T };
    return body.data;
  }

  async contractInfo(address: string) {
    const body = (await getJson(this.endpoint, `/cosmwasm/wasm/v1/contract/${address}`, this.timeoutMs)) as {
      address: string;
      contract_info: { code_id: string; admin?: string; label: string };
    };
    const c = body.contract_info;
    return { address: body.address, codeId: Number(c.code_id), admin: c.admin ? c.admin : null, label: c.label };
  }

  async latest() {
    const body = (await getJson(this.endpoint, "/cosmos/base/tendermint/v1beta1/blocks/latest", this.timeoutMs)) as {
      block: { header: { height: string; time: string; chain_id: string } };
    };
    const h = body.block.header;
    return { height: Number(h.height), timeNanos: isoToNanos(h.time), chainId: h.chain_id };
  }
}

/** Reads through a RewindClient directly (tests, in-process). */
export class ClientReader implements Reader {
  readonly endpoint: string;
  constructor(private readonly client: RewindClient) {
    this.endpoint = `${client.kind}:${client.chainId}`;
  }

  async smart<T>(contract: string, msg: unknown): Promise<T> {
    try {
      return await this.client.query<T>(contract, msg);
    } catch (e) {
      throw new ChainError((e as Error).message);
    }
  }

  async contractInfo(address: string) {
    try {
      const c = await this.client.contractInfo(address);
      return { address, codeId: c.codeId, admin: c.admin, label: c.label };
    } catch (e) {
      throw new ChainError((e as Error).message);
    }
  }

  async latest() {
    return { height: await this.client.height(), timeNanos: await this.client.time(), chainId: this.client.chainId };
  }
}

/** Signs with a RewindClient (a simulated signer, or ChainClient on a live chain). */
export class ClientSigner implements Signer {
  constructor(private readonly client: RewindClient) {}
  get address() {
    return this.client.address;
  }
  async execute(contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult> {
    try {
      return await this.client.execute(contract, msg, funds);
    } catch (e) {
      throw new ChainError((e as Error).message);
    }
  }
}

/** The local backend's development-account signing (POST /rewind/local/execute). */
export class LocalDevSigner implements Signer {
  constructor(
    private readonly endpoint: string,
    /** The development account's name (e.g. `holder-1`) */
    readonly name: string,
    readonly address: string,
  ) {}

  static async connect(endpoint: string, name: string): Promise<LocalDevSigner> {
    const accounts = (await getJson(endpoint, "/rewind/local/accounts", 10_000)) as { accounts: { name: string; address: string }[] };
    const found = accounts.accounts.find((a) => a.name === name || a.address === name);
    if (!found) throw new UsageError("--from", `no development account ${name} on ${endpoint} (have: ${accounts.accounts.map((a) => a.name).join(", ")})`);
    return new LocalDevSigner(endpoint, found.name, found.address);
  }

  async execute(contract: string, msg: unknown, funds?: Coin[]): Promise<ExecResult> {
    const url = `${this.endpoint.replace(/\/$/, "")}/rewind/local/execute`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: this.name, contract, msg, funds: funds ?? [] }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (e) {
      throw new NetworkError(`${url}: ${(e as Error).message}`);
    }
    const body = (await res.json()) as { txhash?: string; height?: number; events?: TxEvent[]; code?: number; raw_log?: string; message?: string };
    if (!res.ok || body.code) throw new ChainError(body.raw_log ?? body.message ?? `HTTP ${res.status}`);
    return { events: body.events ?? [], height: body.height ?? 0, txHash: body.txhash ?? "" };
  }
}

/** Bad input, refused before anything was sent; `field` names the option. */
export class UsageError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "UsageError";
  }
}
