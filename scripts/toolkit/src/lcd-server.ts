/**
 * The local backend: the LCD/REST endpoints the dashboard and the `rewind` CLI read, served
 * over the embedded simulated chain, on 127.0.0.1 only.
 *
 * Standard endpoints (the same paths and JSON shapes as a wasmd node's REST API):
 *   GET  /cosmwasm/wasm/v1/contract/{addr}/smart/{base64 query}  -> {"data": ...}
 *   GET  /cosmwasm/wasm/v1/contract/{addr}                       -> {"address", "contract_info"}
 *   GET  /cosmwasm/wasm/v1/contract/{addr}/state                 -> {"models": [{key hex, value base64}], "pagination"}
 *   GET  /cosmos/base/tendermint/v1beta1/blocks/latest            -> {"block": {"header": {height, time, chain_id}}}
 *   GET  /cosmos/base/tendermint/v1beta1/node_info                -> {"default_node_info": {"network"}}
 * Errors answer `{"code": 2, "message": <the chain's error text>, "details": []}` like
 * gRPC-gateway. Local extensions (development only):
 *   GET  /rewind/deployment      contracts, development account names, chain id, prefix
 *   GET  /rewind/local/accounts  the development accounts the backend signs for
 *   POST /rewind/local/execute   {from, contract, msg, funds}: signs as a development account
 *                                and broadcasts; {txhash, height, events} or {code, raw_log}
 *   POST /rewind/local/advance   {seconds}: moves the simulated chain's clock (and blocks)
 * and the dashboard's static files (web/) at `/`.
 */
import { fromBase64, fromUtf8 } from "@cosmjs/encoding";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";

import type { Contracts } from "./cli/api";
import { toStateDump } from "./cli/digest";
import { REPO_ROOT } from "./deploy";
import type { SimulatedChain } from "./simulated";

export const WEB_DIR = join(REPO_ROOT, "web");
const BLOCK_SECONDS = 6;

export interface LcdServerOptions {
  chain: SimulatedChain;
  contracts: Contracts;
  /** Development account name → address. */
  names: Record<string, string>;
  /** 0 picks a free port. */
  port?: number;
  webDir?: string;
  /** Called after every transaction the backend broadcast (e.g. to log it). */
  onTx?: (line: string) => void;
}

export interface LcdServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(text);
}

function grpcError(res: ServerResponse, status: number, message: string, code = 2): void {
  send(res, status, { code, message, details: [] });
}

async function readBody(req: IncomingMessage, max = 1 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > max) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function isLoopback(addr: string | undefined): boolean {
  return addr === "127.0.0.1" || addr === "::1" || addr === "::ffff:127.0.0.1";
}

export async function startLcdServer(opts: LcdServerOptions): Promise<LcdServer> {
  const { chain, contracts, names } = opts;
  const webDir = resolve(opts.webDir ?? WEB_DIR);
  const reader = chain.client("deployer");
  const byName = new Map(Object.entries(names));
  /** One transaction at a time: the simulated chain is one block per transaction. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopback(req.socket.remoteAddress)) return grpcError(res, 403, "the local backend answers 127.0.0.1 only", 7);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    let m: RegExpExecArray | null;

    if (req.method === "GET" && (m = /^\/cosmwasm\/wasm\/v1\/contract\/([a-z0-9]+)\/smart\/([^/]+)$/.exec(path))) {
      let query: unknown;
      try {
        query = JSON.parse(fromUtf8(fromBase64(decodeURIComponent(m[2]))));
      } catch {
        return grpcError(res, 400, "invalid query data: not base64 JSON", 3);
      }
      try {
        const data = await serial(() => reader.query(m![1], query));
        return send(res, 200, { data });
      } catch (e) {
        return grpcError(res, 500, `${(e as Error).message}: query wasm contract failed`);
      }
    }
    if (req.method === "GET" && (m = /^\/cosmwasm\/wasm\/v1\/contract\/([a-z0-9]+)\/state$/.exec(path))) {
      const storage = chain.app.wasm.getContractStorage(m[1]) as unknown as Iterable<[Uint8Array, Uint8Array]> | undefined;
      if (!storage) return grpcError(res, 404, `no such contract: ${m[1]}`, 5);
      const entries = [...storage].map(([key, value]) => ({ key: new Uint8Array(key), value: new Uint8Array(value) }));
      return send(res, 200, toStateDump(entries));
    }
    if (req.method === "GET" && (m = /^\/cosmwasm\/wasm\/v1\/contract\/([a-z0-9]+)$/.exec(path))) {
      try {
        const info = await serial(() => reader.contractInfo(m![1]));
        return send(res, 200, {
          address: info.address,
          contract_info: { code_id: String(info.codeId), creator: info.creator, admin: info.admin ?? "", label: info.label, created: null, ibc_port_id: "", extension: null },
        });
      } catch (e) {
        return grpcError(res, 404, (e as Error).message, 5);
      }
    }
    if (req.method === "GET" && path === "/cosmos/base/tendermint/v1beta1/blocks/latest") {
      const time = new Date(Number(chain.timeNanos() / 1_000_000n)).toISOString();
      return send(res, 200, { block_id: { hash: "" }, block: { header: { chain_id: chain.chainId, height: String(chain.app.height), time } } });
    }
    if (req.method === "GET" && path === "/cosmos/base/tendermint/v1beta1/node_info") {
      return send(res, 200, { default_node_info: { network: chain.chainId }, application_version: { app_name: "rewind-local (cw-simulate)", version: "", cosmos_sdk_version: "" } });
    }
    if (req.method === "GET" && path === "/rewind/deployment") {
      return send(res, 200, { chainId: chain.chainId, bech32Prefix: chain.bech32Prefix, local: true, contracts, names });
    }
    if (req.method === "GET" && path === "/rewind/local/accounts") {
      return send(res, 200, { accounts: [...byName].map(([name, address]) => ({ name, address })) });
    }
    if (req.method === "POST" && path === "/rewind/local/execute") {
      if (req.headers["content-type"] !== "application/json") return grpcError(res, 415, "content-type must be application/json", 3);
      let body: { from?: string; contract?: string; msg?: unknown; funds?: { denom: string; amount: string }[] };
      try {
        body = (await readBody(req)) as typeof body;
      } catch (e) {
        return grpcError(res, 400, `bad request: ${(e as Error).message}`, 3);
      }
      const address = body.from ? byName.get(body.from) : undefined;
      if (!address) return grpcError(res, 400, `from: not a development account: ${body.from} (have ${[...byName.keys()].join(", ")})`, 3);
      if (!body.contract || typeof body.msg !== "object" || body.msg === null) return grpcError(res, 400, "contract and msg are required", 3);
      try {
        const r = await serial(() => chain.client(address).execute(body.contract!, body.msg, body.funds?.length ? body.funds : undefined));
        opts.onTx?.(`height ${r.height}: ${body.from} -> ${Object.keys(body.msg as object)[0]} ok`);
        return send(res, 200, { txhash: r.txHash, height: r.height, code: 0, events: r.events });
      } catch (e) {
        const text = (e as Error).message;
        opts.onTx?.(`${body.from} -> ${Object.keys(body.msg as object)[0]} refused: ${text.slice(0, 160)}`);
        return send(res, 400, { code: 5, raw_log: text, message: text });
      }
    }
    if (req.method === "POST" && path === "/rewind/local/advance") {
      let body: { seconds?: unknown };
      try {
        body = (await readBody(req)) as typeof body;
      } catch (e) {
        return grpcError(res, 400, `bad request: ${(e as Error).message}`, 3);
      }
      const seconds = Number(body.seconds);
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 400 * 86400) return grpcError(res, 400, "seconds: an integer 1..34560000", 3);
      await serial(async () => chain.advanceTime(seconds, Math.ceil(seconds / BLOCK_SECONDS)));
      opts.onTx?.(`advanced ${seconds} s; height ${chain.app.height}`);
      return send(res, 200, { height: chain.app.height, time: new Date(Number(chain.timeNanos() / 1_000_000n)).toISOString() });
    }
    if (req.method === "GET") {
      const rel = normalize(decodeURIComponent(path === "/" ? "/index.html" : path)).replace(/^(\.\.[/\\])+/, "");
      const file = join(webDir, rel);
      if (file.startsWith(webDir) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
        return res.end(readFileSync(file));
      }
    }
    return grpcError(res, 404, `Not Found: ${req.method} ${path}`, 5);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) grpcError(res, 500, `internal: ${(e as Error).message}`, 13);
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, "127.0.0.1", () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The raw storage of a contract on the simulated chain, as a state dump (fixtures, tests). */
export function dumpContractState(chain: SimulatedChain, address: string) {
  const storage = chain.app.wasm.getContractStorage(address) as unknown as Iterable<[Uint8Array, Uint8Array]>;
  return toStateDump([...storage].map(([key, value]) => ({ key: new Uint8Array(key), value: new Uint8Array(value) })));
}

