/**
 * The off-chain state digest: a port of `rewind_journal::recompute_digest`
 * (packages/rewind-journal/src/digest.rs, keys.rs; recipe in docs/JOURNAL.md).
 *
 *   digest = Σ SHA-256(u32be(len raw_key) ‖ raw_key ‖ json) mod 2^256
 *
 * over every raw entry whose key starts with `00 04 "rj/s"` and whose 9-byte header
 * (`u64be(height) ‖ flag`) has flag `01`; tombstones (flag `00`) count nothing, any other
 * flag or a value shorter than the header is a corrupt entry (an error, as in Rust).
 *
 * Input: an archive node's export, `wasmd query wasm contract-state all <addr> --height H
 * -o json`: `{"models":[{"key":"<hex>","value":"<base64>"}],"pagination":{...}}`.
 */
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, fromHex, toHex } from "@cosmjs/encoding";

/** `u16be(4) ‖ "rj/s"`: the raw prefix of every journaled value. */
export const STATE_ROOT = Uint8Array.from([0x00, 0x04, 0x72, 0x6a, 0x2f, 0x73]);
/** `u16be(4) ‖ "rj/d"`: the raw prefix of the digest records. */
export const RECORDS_ROOT = Uint8Array.from([0x00, 0x04, 0x72, 0x6a, 0x2f, 0x64]);
export const HEADER_LEN = 9;
export const FLAG_PRESENT = 1;
export const FLAG_TOMBSTONE = 0;
const MOD = 1n << 256n;

export interface RawEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/** A malformed dump or a corrupt entry; `where` names the offending place. */
export class DumpError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "DumpError";
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function bigFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

function bytes32(n: bigint): Uint8Array {
  return fromHex(n.toString(16).padStart(64, "0"));
}

/** The digest term of one live entry (`entry_hash` in digest.rs). */
export function entryHash(rawKey: Uint8Array, json: Uint8Array): bigint {
  const input = new Uint8Array(4 + rawKey.length + json.length);
  new DataView(input.buffer).setUint32(0, rawKey.length, false);
  input.set(rawKey, 4);
  input.set(json, 4 + rawKey.length);
  return bigFromBytes(sha256(input));
}

export interface Recomputed {
  /** Lower-case hex of the 32-byte digest. */
  digest: string;
  /** Live journaled entries that were summed. */
  present: number;
  /** Tombstones skipped. */
  tombstones: number;
  /** Entries outside `rj/s` skipped (undo log, records, flows, gate, plain state). */
  other: number;
  /**
   * The newest digest record of the same dump (its first 32 bytes, hex) and its height:
   * equal to `digest` except in the middle of a rollback. Undefined without records.
   */
  newestRecord?: { height: number; digest: string };
}

/** `recompute_digest`: the digest of raw `(key, value)` pairs. */
export function recomputeDigest(entries: Iterable<RawEntry>): Recomputed {
  let sum = 0n;
  let present = 0;
  let tombstones = 0;
  let other = 0;
  let newest: RawEntry | undefined;
  for (const { key, value } of entries) {
    if (startsWith(key, RECORDS_ROOT) && key.length === RECORDS_ROOT.length + 8) {
      if (!newest || compare(key, newest.key) > 0) newest = { key, value };
    }
    if (!startsWith(key, STATE_ROOT)) {
      other++;
      continue;
    }
    const where = `entry ${toHex(key)}`;
    if (value.length < HEADER_LEN) throw new DumpError(where, `corrupt journaled value: ${value.length} bytes, header needs ${HEADER_LEN}`);
    const flag = value[8];
    if (flag === FLAG_TOMBSTONE) {
      tombstones++;
      continue;
    }
    if (flag !== FLAG_PRESENT) throw new DumpError(where, `corrupt journaled value: unknown flag ${flag}`);
    sum = (sum + entryHash(key, value.subarray(HEADER_LEN))) % MOD;
    present++;
  }
  let newestRecord: Recomputed["newestRecord"];
  if (newest) {
    if (newest.value.length !== 32 && newest.value.length !== 40) {
      throw new DumpError(`digest record ${toHex(newest.key)}`, `corrupt digest record: ${newest.value.length} bytes`);
    }
    const height = Number(new DataView(newest.key.buffer, newest.key.byteOffset + RECORDS_ROOT.length, 8).getBigUint64(0, false));
    newestRecord = { height, digest: toHex(newest.value.subarray(0, 32)) };
  }
  return { digest: toHex(bytes32(sum)), present, tombstones, other, newestRecord };
}

/**
 * Parses `wasmd query wasm contract-state all -o json` output. Refuses anything else with a
 * DumpError naming the field: not JSON, no `models` array, a model without a hex `key` or a
 * base64 `value`, a duplicated key, or a dump cut by pagination (`pagination.next_key` set).
 */
export function parseStateDump(text: string): RawEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DumpError("dump", `not JSON (${(e as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new DumpError("dump", "expected an object with a \"models\" array");
  const { models, pagination } = doc as { models?: unknown; pagination?: { next_key?: unknown } | null };
  if (!Array.isArray(models)) throw new DumpError("models", "missing or not an array (expected `wasmd query wasm contract-state all <addr> -o json` output)");
  if (pagination && pagination.next_key != null && pagination.next_key !== "") {
    throw new DumpError("pagination.next_key", "the dump is one page of several; export every page (no --limit) or merge them");
  }
  const seen = new Set<string>();
  return models.map((m, i) => {
    if (typeof m !== "object" || m === null) throw new DumpError(`models[${i}]`, "not an object");
    const { key, value } = m as { key?: unknown; value?: unknown };
    if (typeof key !== "string" || !/^([0-9a-fA-F]{2})+$/.test(key)) throw new DumpError(`models[${i}].key`, `not hex: ${JSON.stringify(key)}`);
    if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
      throw new DumpError(`models[${i}].value`, `not base64: ${JSON.stringify(value)?.slice(0, 40)}`);
    }
    const k = key.toLowerCase();
    if (seen.has(k)) throw new DumpError(`models[${i}].key`, `duplicated key ${k}`);
    seen.add(k);
    return { key: fromHex(k), value: fromBase64(value) };
  });
}

/** The dump format, from raw entries (what the local backend serves, and fixtures). */
export function toStateDump(entries: Iterable<RawEntry>): { models: { key: string; value: string }[]; pagination: { next_key: null; total: string } } {
  const models = [...entries]
    .sort((a, b) => compare(a.key, b.key))
    .map((e) => ({ key: toHex(e.key).toUpperCase(), value: Buffer.from(e.value).toString("base64") }));
  return { models, pagination: { next_key: null, total: "0" } };
}
