/**
 * The TypeScript port of the state digest (toolkit/src/cli/digest.ts) against a vector the
 * Rust code computed (fixtures/digest-vector.json: the vault's raw storage and its own
 * DigestAt answer), plus the recipe's edge cases and the dump parser's refusals.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { sha256 } from "@cosmjs/crypto";
import { fromHex, toHex } from "@cosmjs/encoding";

import { DumpError, entryHash, parseStateDump, recomputeDigest, STATE_ROOT, toStateDump, type RawEntry } from "../src/cli/digest";

const vector = JSON.parse(readFileSync(join(__dirname, "fixtures", "digest-vector.json"), "utf8")) as {
  height: number;
  digest_at: { digest: string; recorded_at: number; height: number };
  dump: { models: { key: string; value: string }[] };
};

const enc = (s: string) => new TextEncoder().encode(s);
function stateKey(ns: string, key: string): Uint8Array {
  return Uint8Array.from([...STATE_ROOT, 0, ns.length, ...enc(ns), ...enc(key)]);
}
function present(height: number, json: string): Uint8Array {
  const v = new Uint8Array(9 + enc(json).length);
  new DataView(v.buffer).setBigUint64(0, BigInt(height), false);
  v[8] = 1;
  v.set(enc(json), 9);
  return v;
}
function tombstone(height: number): Uint8Array {
  const v = new Uint8Array(9);
  new DataView(v.buffer).setBigUint64(0, BigInt(height), false);
  return v;
}

test("the port matches the digest the vault (Rust) certified for the fixture dump", () => {
  const entries = parseStateDump(JSON.stringify(vector.dump));
  assert.equal(entries.length, vector.dump.models.length);
  const r = recomputeDigest(entries);
  assert.equal(r.digest, vector.digest_at.digest);
  assert.ok(r.present > 0, "the fixture has live journaled entries");
  assert.ok(r.other > 0, "the fixture has entries outside rj/s (undo log, records, flows)");
  // The newest digest record in the same dump is the live digest, written by the contract.
  assert.equal(r.newestRecord?.digest, vector.digest_at.digest);
  assert.equal(r.newestRecord?.height, vector.digest_at.recorded_at);
});

test("changing one byte of one journaled value changes the digest", () => {
  const entries = parseStateDump(JSON.stringify(vector.dump));
  const i = entries.findIndex((e) => toHex(e.key).startsWith(toHex(STATE_ROOT)) && e.value[8] === 1 && e.value.length > 10);
  assert.ok(i >= 0);
  const tampered = entries.map((e, j) => (j === i ? { key: e.key, value: Uint8Array.from(e.value, (b, k) => (k === e.value.length - 2 ? b ^ 1 : b)) } : e));
  assert.notEqual(recomputeDigest(tampered).digest, vector.digest_at.digest);
});

test("the header's height is not hashed; tombstones and entries outside rj/s count nothing", () => {
  const k = stateKey("balances", "alice");
  const a = recomputeDigest([{ key: k, value: present(5, "15") }]);
  const b = recomputeDigest([{ key: k, value: present(99, "15") }]);
  assert.equal(a.digest, b.digest);
  const withNoise = recomputeDigest([
    { key: k, value: present(5, "15") },
    { key: stateKey("balances", "bob"), value: tombstone(7) },
    { key: Uint8Array.from([0, 4, ...enc("rj/u"), 1, 2]), value: present(1, "1") },
    { key: enc("plain"), value: enc("x") },
  ]);
  assert.equal(withNoise.digest, a.digest);
  assert.equal(withNoise.tombstones, 1);
  assert.equal(withNoise.other, 2);
});

test("one term is SHA-256(u32be(len key) ‖ key ‖ json) read big-endian; the sum wraps mod 2^256", () => {
  const k = stateKey("n", "a");
  const expected = sha256(Uint8Array.from([0, 0, 0, k.length, ...k, ...enc("15")]));
  assert.equal(entryHash(k, enc("15")), BigInt(`0x${toHex(expected)}`));
  assert.equal(recomputeDigest([{ key: k, value: present(1, "15") }]).digest, toHex(expected));
  // The length prefix keeps ("a1", 5) and ("a", 15) apart.
  assert.notEqual(entryHash(stateKey("n", "a1"), enc("5")), entryHash(stateKey("n", "a"), enc("15")));
  // Addition modulo 2^256: the same entry under two keys sums as two terms.
  const k2 = stateKey("n", "b");
  const sum = (entryHash(k, enc("15")) + entryHash(k2, enc("15"))) % (1n << 256n);
  assert.equal(recomputeDigest([{ key: k, value: present(1, "15") }, { key: k2, value: present(1, "15") }]).digest, sum.toString(16).padStart(64, "0"));
});

test("corrupt journaled values are errors, not skipped", () => {
  const k = stateKey("n", "a");
  assert.throws(() => recomputeDigest([{ key: k, value: Uint8Array.from([1, 2, 3]) }]), (e: unknown) => e instanceof DumpError && /header needs 9/.test(e.message));
  const bad = present(1, "1");
  bad[8] = 9;
  assert.throws(() => recomputeDigest([{ key: k, value: bad }]), (e: unknown) => e instanceof DumpError && /unknown flag 9/.test(e.message));
});

test("the dump parser names the malformed field", () => {
  const cases: [string, RegExp][] = [
    ["not json", /^dump: not JSON/],
    ["[]", /^dump: expected an object/],
    ['{"pagination":{}}', /^models: missing or not an array/],
    ['{"models":[{"key":"zz","value":"AA=="}]}', /^models\[0\]\.key: not hex/],
    ['{"models":[{"key":"0a","value":"!!"}]}', /^models\[0\]\.value: not base64/],
    ['{"models":[{"key":"0a","value":"AA=="},{"key":"0A","value":"AA=="}]}', /^models\[1\]\.key: duplicated key 0a/],
    ['{"models":[],"pagination":{"next_key":"AAE="}}', /^pagination\.next_key: the dump is one page/],
    ['{"models":[7]}', /^models\[0\]: not an object/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseStateDump(text), (e: unknown) => e instanceof DumpError && re.test(e.message), text);
});

test("toStateDump writes wasmd's shape (upper-case hex keys, base64 values) and parses back", () => {
  const entries: RawEntry[] = [
    { key: fromHex("0a0b"), value: enc("v1") },
    { key: fromHex("01"), value: enc("v0") },
  ];
  const dump = toStateDump(entries);
  assert.deepEqual(dump.models, [
    { key: "01", value: Buffer.from("v0").toString("base64") },
    { key: "0A0B", value: Buffer.from("v1").toString("base64") },
  ]);
  const back = parseStateDump(JSON.stringify(dump));
  assert.deepEqual(back.map((e) => toHex(e.key)), ["01", "0a0b"]);
});
