/**
 * Fidelity patches for @oraichain/cw-simulate 2.8.108, each the smallest change that makes
 * the simulator behave like wasmd on a point Rewind depends on. Every patch is described,
 * with the evidence, in scripts/toolkit/FINDINGS.md ("Gaps and workarounds"), and each has
 * a test in scripts/toolkit/test/.
 *
 *  P1 deterministic blocks: `DeterministicApp.pushBlock` (in simulated.ts) advances time by a
 *     fixed block time instead of jumping to the wall clock.
 *  P2 stale contract storage after a failed call: re-load each contract's VM storage from the
 *     committed chain store before every entry-point call.
 *  P3 `WasmMsg::Migrate` from a contract: enforce the wasm admin, and put the old code back in
 *     the contract's VM when the migration fails.
 *  P4 `WasmMsg::UpdateAdmin` / `WasmMsg::ClearAdmin`: not handled upstream; implemented here.
 *  P5 replies: pass `SubMsg::payload`, fill `msg_responses`, and shape `data` per message type
 *     (MsgExecuteContractResponse for executes, not MsgInstantiateContractResponse).
 *  P6 the querier: encode contract query errors as `ContractResult::Err` (`{"error":..}`, not
 *     `{"err":..}`), and turn thrown "no such contract/code" into a `SystemError` the contract
 *     can handle, instead of aborting the whole call.
 *  P7 code-id → checksum: the upstream cache is static (process-wide), so it is re-synced from
 *     this chain's own codes before every operation (see `SimulatedChain.enter`).
 *  P9 `WasmMsg::Instantiate2` from a contract: upstream JSON-parses the salt (`fromBinary`) instead
 *     of base64-decoding it, so any salt that is not JSON text fails. The salt is handed over as
 *     its bytes (a JSON array of numbers, which is what upstream's address derivation spreads).
 *  P8 key order: cosmwasm-vm-js's byte `compare` says a key equals the same key with one more
 *     byte (`k` == `k ++ [x]`), so `db_scan` from an exclusive bound (`k ++ 0x00`, what
 *     cw-storage-plus sends for `Bound::exclusive` and every `start_after`) returns `k` itself.
 *     Replaced, process-wide and before any store is built, by a lexicographic compare.
 */
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toHex } from "@cosmjs/encoding";
import type { CWSimulateApp } from "@oraichain/cw-simulate";
import Contract from "@oraichain/cw-simulate/dist/modules/wasm/contract";
import { Err, Ok, Result } from "@oraichain/cw-simulate";

/**
 * P8: lexicographic byte order, a proper prefix first (what wasmd's IAVL store and Rust's
 * `[u8]` ordering use). Upstream's `compare` checks `length < i` instead of `length <= i`,
 * so for `a` a prefix of `b` with `b.length == a.length + 1` it returns 0.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/* Every user of cosmwasm-vm-js's `compare` reads it through this module's exports at call time
 * (`(0, byte_array_1.compare)(..)`, re-exported by getter), or when it builds a sorted store;
 * replacing the export at import time, before any app exists, covers both. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require("@oraichain/cosmwasm-vm-js/dist/helpers/byte-array") as { compare: typeof compareBytes }).compare = compareBytes;

/* Minimal structural views of cw-simulate internals (its .d.ts marks them private). */
interface VmStorage {
  dict: unknown;
}
interface VmView {
  backend: { storage: VmStorage };
  build(wasm: Uint8Array, checksum?: string): Promise<void>;
}
interface ContractView {
  _vm?: VmView;
  getStorage(): unknown;
}
interface AppResponse {
  events: { type: string; attributes: { key: string; value: string }[] }[];
  data: string | null;
}
type AppResult = Result<AppResponse, string>;
export interface SubMsgView {
  id: number;
  msg: Record<string, Record<string, unknown>>;
  payload?: string;
  reply_on: string;
}
interface ReplyView {
  id: number;
  payload?: string;
  result: { ok: { events: unknown[]; data: string | null; msg_responses?: unknown[] } } | { error: string };
}

const PATCHED = Symbol.for("rewind.cw-simulate.patched");

/** P2: patch `Contract.prototype` once per process (it is strictly more faithful for every app). */
function patchContractPrototype(): void {
  const proto = Contract.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[PATCHED]) return;
  for (const method of ["instantiate", "execute", "migrate", "sudo", "reply"] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: ContractView, ...args: unknown[]) {
      // The VM keeps its own storage object between calls; a rolled-back transaction leaves
      // it holding uncommitted writes. Start every call from the committed store.
      if (this._vm) this._vm.backend.storage.dict = this.getStorage();
      return original.apply(this, args);
    };
  }
  proto[PATCHED] = true;
}

/* --- minimal protobuf for the Msg*Response messages wasmd puts in replies --- */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function bytesField(field: number, bytes: Uint8Array): number[] {
  if (bytes.length === 0) return [];
  return [(field << 3) | 2, ...varint(bytes.length), ...bytes];
}

/** Reads the length-delimited field `field` from a flat protobuf message. */
function readBytesField(buf: Uint8Array, field: number): Uint8Array | undefined {
  let i = 0;
  while (i < buf.length) {
    let key = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      key |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    const wire = key & 7;
    if (wire !== 2) return undefined; // only length-delimited fields occur here
    let len = 0;
    shift = 0;
    for (;;) {
      const b = buf[i++];
      len |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    const value = buf.slice(i, i + len);
    i += len;
    if (key >>> 3 === field) return value;
  }
  return undefined;
}

const TYPE_URLS: Record<string, string> = {
  instantiate: "/cosmwasm.wasm.v1.MsgInstantiateContractResponse",
  instantiate2: "/cosmwasm.wasm.v1.MsgInstantiateContract2Response",
  execute: "/cosmwasm.wasm.v1.MsgExecuteContractResponse",
  migrate: "/cosmwasm.wasm.v1.MsgMigrateContractResponse",
  update_admin: "/cosmwasm.wasm.v1.MsgUpdateAdminResponse",
  clear_admin: "/cosmwasm.wasm.v1.MsgClearAdminResponse",
  send: "/cosmos.bank.v1beta1.MsgSendResponse",
  burn: "/cosmos.bank.v1beta1.MsgBurnResponse",
};

/**
 * What wasmd (0.50+) reports for a successful sub-message: `data` is the Msg response bytes
 * (deprecated field, still filled) and `msg_responses` holds the same bytes with the type URL.
 * cw-simulate always wraps the data as MsgInstantiateContractResponse{address, data}.
 */
export function shapeReplyData(
  submsg: SubMsgView,
  wrapped: string | null,
): { data: string | null; msgResponses: { type_url: string; value: string }[] } {
  const family = Object.keys(submsg.msg)[0];
  const kind = Object.keys(submsg.msg[family] ?? {})[0] ?? "";
  const typeUrl = TYPE_URLS[kind];
  if (!typeUrl || (family !== "wasm" && family !== "bank")) {
    return { data: wrapped, msgResponses: [] };
  }
  let value: Uint8Array;
  if (kind === "instantiate" || kind === "instantiate2") {
    value = wrapped ? fromBase64(wrapped) : new Uint8Array();
  } else if (kind === "execute" || kind === "migrate") {
    const inner = wrapped ? readBytesField(fromBase64(wrapped), 2) : undefined;
    value = Uint8Array.from(bytesField(1, inner ?? new Uint8Array()));
  } else {
    value = new Uint8Array();
  }
  const b64 = toBase64(value);
  return { data: value.length ? b64 : null, msgResponses: [{ type_url: typeUrl, value: b64 }] };
}

/** wasmd's `SystemError` JSON for a JS error thrown by a cw-simulate query handler. */
function systemError(request: Record<string, Record<string, Record<string, unknown>>>, message: string): unknown {
  const wasm = request.wasm;
  if (wasm?.contract_info || wasm?.smart || wasm?.raw) {
    const addr = String((wasm.contract_info ?? wasm.smart ?? wasm.raw).contract_addr ?? "");
    if (/not found|no such contract/i.test(message)) return { no_such_contract: { addr } };
  }
  if (wasm?.code_info && /no such code|not found/i.test(message)) {
    return { no_such_code: { code_id: Number(wasm.code_info.code_id) } };
  }
  if (/unknown|not yet implemented|unimplemented/i.test(message)) {
    return { unsupported_request: { kind: Object.keys(request)[0] ?? "unknown" } };
  }
  return { invalid_request: { error: message, request: toBase64(new TextEncoder().encode(JSON.stringify(request))) } };
}

/** Applies P2–P6 to one app (P1 is the app subclass, P7 lives in SimulatedChain). */
export function installFidelityPatches(app: CWSimulateApp): void {
  patchContractPrototype();
  // The module methods below are instance properties from here on (shadowing the prototype).
  const wasm = app.wasm as unknown as Record<string, unknown> & {
    getContractInfo(addr: string): { codeId: number; admin: string | null; [k: string]: unknown } | undefined;
    setContractInfo(addr: string, info: unknown): void;
    getCodeInfo(codeId: number): { wasmCode: Uint8Array } | undefined;
    getContract(addr: string): ContractView;
  };

  /* P3: WasmMsg::Migrate — admin check, and restore the VM code on failure. */
  const migrateContract = (wasm.migrateContract as (...a: unknown[]) => Promise<AppResult>).bind(wasm);
  wasm.migrateContract = async (
    sender: string,
    newCodeId: number,
    contractAddress: string,
    migrateMsg: unknown,
    traces?: unknown[],
    sameBlock?: boolean,
  ): Promise<AppResult> => {
    const info = wasm.getContractInfo(contractAddress);
    if (!info) return Err(`no such contract: ${contractAddress}`);
    if (info.admin === null || info.admin === undefined || info.admin !== sender) {
      return Err(`unauthorized: ${sender} is not the admin of ${contractAddress} (admin: ${info.admin ?? "none"})`);
    }
    if (!wasm.getCodeInfo(newCodeId)) return Err(`no such code: ${newCodeId}`);
    const oldCodeId = info.codeId;
    const restore = async () => {
      const old = wasm.getCodeInfo(oldCodeId);
      const vm = wasm.getContract(contractAddress)._vm;
      if (old && vm) await vm.build(old.wasmCode);
    };
    try {
      const result = await migrateContract(sender, newCodeId, contractAddress, migrateMsg, traces, sameBlock);
      if (result.err) await restore();
      return result;
    } catch (e) {
      await restore();
      throw e;
    }
  };

  /* P4 (+ routing for P3): UpdateAdmin / ClearAdmin. */
  const handleMsg = (wasm.handleMsg as (...a: unknown[]) => Promise<AppResult>).bind(wasm);
  wasm.handleMsg = async (sender: string, msg: Record<string, Record<string, unknown>>, traces?: unknown[]) => {
    const update = msg.update_admin as { contract_addr: string; admin: string } | undefined;
    const clear = msg.clear_admin as { contract_addr: string } | undefined;
    if (update || clear) {
      const addr = (update ?? clear)!.contract_addr;
      const info = wasm.getContractInfo(addr);
      if (!info) return Err(`no such contract: ${addr}`);
      if (info.admin !== sender) return Err(`unauthorized: ${sender} is not the admin of ${addr}`);
      wasm.setContractInfo(addr, { ...info, admin: update ? update.admin : null });
      const response: AppResponse = {
        events: [
          {
            type: update ? "update_contract_admin" : "clear_contract_admin",
            attributes: [
              { key: "_contract_address", value: addr },
              ...(update ? [{ key: "new_admin_address", value: update.admin }] : []),
            ],
          },
        ],
        data: null,
      };
      return Ok(response);
    }
    const inst2 = msg.instantiate2 as { salt: string } | undefined;
    if (inst2) {
      /* P9: pass the salt's bytes through upstream's JSON decoding unchanged. */
      const bytes = Array.from(fromBase64(inst2.salt));
      msg = { ...msg, instantiate2: { ...inst2, salt: toBase64(new TextEncoder().encode(JSON.stringify(bytes))) } };
    }
    return handleMsg(sender, msg, traces);
  };

  /* P5: replies — payload, msg_responses, data shape. */
  const stack: SubMsgView[] = [];
  const handleSubmsg = (wasm.handleSubmsg as (...a: unknown[]) => Promise<AppResult>).bind(wasm);
  wasm.handleSubmsg = async (contractAddress: string, message: SubMsgView, traces?: unknown[]) => {
    stack.push(message);
    try {
      return await handleSubmsg(contractAddress, message, traces);
    } finally {
      stack.pop();
    }
  };
  const reply = (wasm.reply as (...a: unknown[]) => Promise<AppResult>).bind(wasm);
  wasm.reply = async (contractAddress: string, replyMsg: ReplyView, traces?: unknown[]) => {
    const submsg = stack[stack.length - 1];
    if (submsg) {
      replyMsg.payload = submsg.payload ?? "";
      if ("ok" in replyMsg.result) {
        const shaped = shapeReplyData(submsg, replyMsg.result.ok.data);
        replyMsg.result.ok.data = shaped.data;
        replyMsg.result.ok.msg_responses = shaped.msgResponses;
      }
    }
    return reply(contractAddress, replyMsg, traces);
  };

  /* P6: the querier's wire format. */
  const checksums = new Map<number, string>();
  const codeInfoAnswer = (codeId: number) => {
    const code = wasm.getCodeInfo(codeId) as { wasmCode?: Uint8Array; creator?: string } | undefined;
    if (!code?.wasmCode) throw new Error("no such code");
    let checksum = checksums.get(codeId);
    if (!checksum) {
      checksum = toHex(sha256(code.wasmCode));
      checksums.set(codeId, checksum);
    }
    return { code_id: codeId, creator: code.creator, checksum };
  };
  const querier = app.querier as unknown as {
    handleQuery(q: unknown): unknown;
    query_raw(request: Uint8Array, gasLimit: number): Uint8Array;
  };
  querier.query_raw = (request: Uint8Array): Uint8Array => {
    const parsed = JSON.parse(new TextDecoder().decode(request)) as Record<string, Record<string, Record<string, unknown>>>;
    let system: unknown;
    const codeInfo = parsed.wasm?.code_info as { code_id?: unknown } | undefined;
    try {
      // Upstream answers a missing code with {code_id} only, and takes the checksum from a
      // process-wide cache; answer from this app's own code store instead.
      const result = codeInfo ? codeInfoAnswer(Number(codeInfo.code_id)) : querier.handleQuery(parsed);
      if (result instanceof Error) {
        system = { ok: { error: result.message } };
      } else if (isTsResult(result)) {
        system = result.ok
          ? { ok: { ok: encodeQueryValue(parsed, result.val) } }
          : { ok: { error: String(result.val) } };
      } else {
        system = { ok: { ok: encodeQueryValue(parsed, result) } };
      }
    } catch (e) {
      system = { error: systemError(parsed, e instanceof Error ? e.message : String(e)) };
    }
    return new TextEncoder().encode(JSON.stringify(system));
  };
}

function isTsResult(v: unknown): v is { ok: boolean; err: boolean; val: unknown } {
  return typeof v === "object" && v !== null && "ok" in v && "err" in v && "val" in v;
}

/** Raw queries already return base64 of the stored bytes; every other answer is JSON. */
function encodeQueryValue(request: Record<string, Record<string, unknown>>, value: unknown): string {
  if (request.wasm && "raw" in request.wasm) return typeof value === "string" ? value : "";
  return toBase64(new TextEncoder().encode(JSON.stringify(value)));
}
