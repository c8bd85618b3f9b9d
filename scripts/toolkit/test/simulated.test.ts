/**
 * The de-risk checks of issue 8 on the BUILT artifact, plus one test per fidelity patch.
 * Needs artifacts/rewind_stake.wasm (scripts/build.sh); skipped, with a message, without it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { sha256 } from "@cosmjs/crypto";
import { instantiate2Address } from "@cosmjs/cosmwasm-stargate";
import { fromHex, toBase64, toHex } from "@cosmjs/encoding";
import { CWSimulateApp, SimulateCosmWasmClient } from "@oraichain/cw-simulate";

import { eventAttribute, wasmAttributes } from "../src/client";
import { ARTIFACTS_DIR } from "../src/deploy";
import { compareBytes } from "../src/sim-patches";
import { SimulatedChain } from "../src/simulated";

const STAKE = join(ARTIFACTS_DIR, "rewind_stake.wasm");
// A missing artifact fails here, never skips: scripts/test.sh builds it before this runs.
test("the stake artifact is built", () => assert.ok(existsSync(STAKE), `no ${STAKE}: run scripts/build.sh`));
const wasm = () => new Uint8Array(readFileSync(STAKE));
const DENOM = "ustake";

async function setup() {
  const chain = new SimulatedChain();
  const deployer = chain.client("deployer");
  const alice = chain.client("alice");
  chain.fund(alice.address, [{ denom: DENOM, amount: "1000" }]);
  const { codeId, checksum } = await deployer.upload(wasm());
  const { address: stake } = await deployer.instantiate(
    codeId,
    { denom: DENOM, unstaking_duration: { time: 60 } },
    "rewind-stake",
    { admin: deployer.address },
  );
  return { chain, deployer, alice, codeId, checksum, stake };
}

/** What a contract's `deps.querier` gets back for `request` (the raw SystemResult JSON). */
function rawQuery(chain: SimulatedChain, request: unknown): any {
  const q = chain.app.querier as unknown as { query_raw(r: Uint8Array, gas: number): Uint8Array };
  return JSON.parse(new TextDecoder().decode(q.query_raw(new TextEncoder().encode(JSON.stringify(request)), 1e12)));
}
/** LEB128 reader over a wasm module. */
function leb(buf: Uint8Array, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [v, at];
  }
}

/** A copy of `module` whose export `from` is called `to` (same length). */
function renameExport(module: Uint8Array, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  const out = new Uint8Array(module);
  let at = 8;
  while (at < out.length) {
    const id = out[at];
    const [size, body] = leb(out, at + 1);
    if (id === 7) {
      let [count, p] = leb(out, body);
      for (; count > 0; count--) {
        const [len, nameAt] = leb(out, p);
        const name = Buffer.from(out.subarray(nameAt, nameAt + len)).toString("utf8");
        if (name === from) {
          out.set(Buffer.from(to, "utf8"), nameAt);
          return out;
        }
        p = leb(out, nameAt + len + 1)[1];
      }
    }
    at = body + size;
  }
  throw new Error(`no export ${from}`);
}
const decode = (b64: string) => JSON.parse(Buffer.from(b64, "base64").toString("utf8"));

test("(1)-(4) store, instantiate, stake with funds, query power, advance time and blocks", async () => {
  const { alice, codeId, checksum, stake } = await setup();
  assert.equal(checksum, toHex(sha256(wasm())));
  assert.equal((await alice.contractInfo(stake)).codeId, codeId);

  const before = await alice.height();
  const r = await alice.execute(stake, { stake: {} }, [{ denom: DENOM, amount: "400" }]);
  assert.equal(r.height, before + 1);
  assert.deepEqual(wasmAttributes(r.events, stake, "action"), ["stake"]);
  assert.equal((await alice.balance(alice.address, DENOM)).amount, "600");
  assert.equal((await alice.balance(stake, DENOM)).amount, "400");

  // Power counts from the block after the stake (`power_from_height`).
  assert.deepEqual(wasmAttributes(r.events, stake, "power_from_height"), [String(r.height + 1)]);
  const inBlock = await alice.query<{ power: string; height: number }>(stake, { voting_power_at_height: { address: alice.address, height: null } });
  assert.deepEqual(inBlock, { power: "0", height: r.height });
  await alice.advanceTime(0, 1);
  const next = await alice.query<{ power: string; height: number }>(stake, { voting_power_at_height: { address: alice.address, height: null } });
  assert.deepEqual(next, { power: "400", height: r.height + 1 });
  const total = await alice.query<{ power: string }>(stake, { total_power_at_height: { height: r.height + 1 } });
  assert.equal(total.power, "400");

  // Unbonding: not claimable before 60 s, claimable after advanceTime.
  await alice.execute(stake, { unstake: { amount: "100" } });
  await assert.rejects(alice.execute(stake, { claim: {} }), /unstaking not finished/i);
  const t0 = await alice.time();
  const h0 = await alice.height();
  await alice.advanceTime(60, 10);
  assert.equal(await alice.time(), t0 + 60_000_000_000n);
  assert.equal(await alice.height(), h0 + 10);
  await alice.execute(stake, { claim: {} });
  assert.equal((await alice.balance(alice.address, DENOM)).amount, "700");
});

test("P1 block time is deterministic: genesis + 6 s per block, never the wall clock", async () => {
  const a = await setup();
  const b = await setup();
  assert.equal(await a.alice.time(), await b.alice.time());
  const h = await a.alice.height();
  const t = await a.alice.time();
  await a.alice.execute(a.stake, { stake: {} }, [{ denom: DENOM, amount: "1" }]);
  assert.equal(await a.alice.height(), h + 1);
  assert.equal(await a.alice.time(), t + 6_000_000_000n);
});

test("code-info and contract-info queries, as a contract sees them", async () => {
  const { chain, deployer, codeId, checksum, stake } = await setup();
  const code = rawQuery(chain, { wasm: { code_info: { code_id: codeId } } });
  assert.deepEqual(decode(code.ok.ok), { code_id: codeId, creator: deployer.address, checksum });
  const info = decode(rawQuery(chain, { wasm: { contract_info: { contract_addr: stake } } }).ok.ok);
  assert.equal(info.code_id, codeId);
  assert.equal(info.admin, deployer.address);
  assert.equal(info.creator, deployer.address);
  // P6: a missing contract is a SystemError the contract can handle, not a thrown JS error.
  const missing = chain.addr("nobody");
  assert.deepEqual(rawQuery(chain, { wasm: { contract_info: { contract_addr: missing } } }), {
    error: { no_such_contract: { addr: missing } },
  });
  assert.deepEqual(rawQuery(chain, { wasm: { code_info: { code_id: 999 } } }), { error: { no_such_code: { code_id: 999 } } });
});

test("P6 a failing smart query is ContractResult::Err ({\"error\":..}), as wasmd sends it", async () => {
  const { chain, stake } = await setup();
  const r = rawQuery(chain, { wasm: { smart: { contract_addr: stake, msg: toBase64(Buffer.from('{"claims":{"address":"not-bech32"}}')) } } });
  assert.ok(r.ok && typeof r.ok.error === "string", JSON.stringify(r));
  // Upstream sends the ts-results Err object as a successful answer: the contract then fails
  // to parse it instead of seeing the callee's error.
  const app = new CWSimulateApp({ chainId: "upstream", bech32Prefix: "wasm", debug: () => {} });
  const client = new SimulateCosmWasmClient(app);
  const who = chain.addr("deployer");
  const up = await client.upload(who, wasm(), "auto");
  const { contractAddress } = await client.instantiate(who, up.codeId, { denom: DENOM, unstaking_duration: { time: 1 } }, "s", "auto");
  const req = { wasm: { smart: { contract_addr: contractAddress, msg: toBase64(Buffer.from('{"claims":{"address":"not-bech32"}}')) } } };
  const raw = JSON.parse(new TextDecoder().decode(app.querier.query_raw(new TextEncoder().encode(JSON.stringify(req)), 1e12)));
  assert.equal(decode(raw.ok.ok).err, true, JSON.stringify(raw));
});

test("bank: balance query and BankMsg::Burn", async () => {
  const { chain, alice } = await setup();
  const bal = rawQuery(chain, { bank: { balance: { address: alice.address, denom: DENOM } } });
  assert.deepEqual(decode(bal.ok.ok), { amount: { denom: DENOM, amount: "1000" } });
  const r = await chain.app.handleMsg(alice.address, { bank: { burn: { amount: [{ denom: DENOM, amount: "10" }] } } });
  assert.ok(r.ok, String(r.val));
  assert.equal((await alice.balance(alice.address, DENOM)).amount, "990");
  assert.deepEqual(decode(rawQuery(chain, { bank: { supply: { denom: DENOM } } }).ok.ok), { amount: { denom: DENOM, amount: "990" } });
});

test("WasmMsg::Instantiate from a sender (the path a contract's SubMsg takes)", async () => {
  const { chain, deployer, codeId } = await setup();
  const msg = toBase64(Buffer.from(JSON.stringify({ denom: DENOM, unstaking_duration: { time: 5 } })));
  const r = await chain.app.handleMsg(deployer.address, {
    wasm: { instantiate: { code_id: codeId, msg, funds: [], label: "child", admin: deployer.address } },
  });
  assert.ok(r.ok, String(r.val));
  const child = eventAttribute(r.val.events, "instantiate", "_contract_address");
  assert.ok(child);
  assert.deepEqual(await deployer.query(child, { get_config: {} }), { unstaking_duration: { time: 5 } });
  assert.deepEqual(await deployer.query(child, { denom: {} }), { denom: DENOM });
});

test("P9 WasmMsg::Instantiate2 from a sender: any salt bytes, the address instantiate2 predicts", async () => {
  const { chain, deployer, codeId, checksum } = await setup();
  const msg = toBase64(Buffer.from(JSON.stringify({ denom: DENOM, unstaking_duration: { time: 5 } })));
  const salt = new TextEncoder().encode("rewind-timelock"); // not JSON text
  const r = await chain.app.handleMsg(deployer.address, {
    wasm: { instantiate2: { code_id: codeId, msg, funds: [], label: "child2", admin: deployer.address, salt: toBase64(salt) } },
  });
  assert.ok(r.ok, String(r.val));
  const child = eventAttribute(r.val.events, "instantiate", "_contract_address");
  assert.equal(child, instantiate2Address(fromHex(checksum), deployer.address, salt, "wasm"));
  assert.deepEqual(await deployer.query(child!, { denom: {} }), { denom: DENOM });
});

test("upstream cw-simulate shows each gap the patches close (own process, unpatched)", () => {
  const tsx = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
  const out = JSON.parse(execFileSync(tsx, [join(__dirname, "fixtures", "upstream-gaps.ts"), STAKE], { encoding: "utf8" }));
  assert.equal(out.timeFollowsWallClock, true); // P1
  assert.equal(out.claimWithEmptyContractFails, true);
  assert.equal(out.queryStillSeesClaim, true);
  assert.equal(out.retryClaimError, "nothing to claim"); // P2: the reverted removal is still in the VM
  assert.doesNotMatch(out.nonAdminMigrateError, /unauthorized/); // P3: no admin check
  assert.equal(out.updateAdmin, "thrown: Unknown wasm message"); // P4
  assert.deepEqual(out.missingContractInfo.thrown !== undefined, true); // P6: thrown, aborts the caller
  assert.equal(out.failingSmartQuery.err, true); // P6: an Err object sent as a successful answer
  assert.deepEqual(decode(out.missingCodeInfo.ok.ok), { code_id: 999 }); // P6: missing code answered
  assert.equal(out.startAfterRepeatsKey, true); // P8: `start_after: k` returns k again
  assert.match(String(out.instantiate2NonJsonSalt), /not valid JSON/); // P9: the salt is JSON-parsed
});

test("P8 keys are ordered lexicographically: an exclusive bound skips its key", async () => {
  assert.equal(compareBytes(Uint8Array.from([1, 2]), Uint8Array.from([1, 2, 0])), -1);
  assert.equal(compareBytes(Uint8Array.from([1, 2, 0]), Uint8Array.from([1, 2])), 1);
  assert.equal(compareBytes(Uint8Array.from([1, 3]), Uint8Array.from([1, 2, 9])), 1);
  assert.equal(compareBytes(Uint8Array.from([1, 2]), Uint8Array.from([1, 2])), 0);
  // Through a contract: rewind-stake's `list_stakers { start_after }` pages with Bound::exclusive.
  const { chain, stake } = await setup();
  const names = ["p8-a", "p8-b", "p8-c"];
  for (const name of names) {
    const c = chain.client(name);
    chain.fund(c.address, [{ denom: DENOM, amount: "10" }]);
    await c.execute(stake, { stake: {} }, [{ denom: DENOM, amount: "10" }]);
  }
  const reader = chain.client("reader");
  const all = (await reader.query<{ stakers: { address: string }[] }>(stake, { list_stakers: {} })).stakers.map((s) => s.address);
  assert.deepEqual(all, names.map((n) => chain.addr(n)).sort());
  const rest = (await reader.query<{ stakers: { address: string }[] }>(stake, { list_stakers: { start_after: all[0] } })).stakers.map((s) => s.address);
  assert.deepEqual(rest, all.slice(1));
});

test("P2 a failed transaction leaves no writes behind in the contract's VM", async () => {
  const chain = new SimulatedChain();
  const app = chain.app;
  const client = chain.sim;
  const who = chain.addr("deployer");
  chain.fund(who, [{ denom: DENOM, amount: "100" }]);
  const up = await chain.upload(who, wasm());
  const { contractAddress: stake } = await client.instantiate(who, up.codeId, { denom: DENOM, unstaking_duration: { time: 1 } }, "s", "auto");
  await client.execute(who, stake, { stake: {} }, "auto", undefined, [{ denom: DENOM, amount: "50" }]);
  await client.execute(who, stake, { unstake: { amount: "50" } }, "auto");
  chain.advanceTime(5);
  // Claim removes the unbonding entry, then its BankMsg::Send fails: the tx must revert.
  app.bank.setBalance(stake, []);
  await assert.rejects(client.execute(who, stake, { claim: {} }, "auto"), /has 0 ustake/);
  const claims = (await client.queryContractSmart(stake, { claims: { address: who } })) as { claims: unknown[] };
  assert.equal(claims.claims.length, 1);
  app.bank.setBalance(stake, [{ denom: DENOM, amount: "50" }]);
  // The next execution sees the committed entry (upstream: "nothing to claim").
  await client.execute(who, stake, { claim: {} }, "auto");
  assert.equal((await client.getBalance(who, DENOM)).amount, "100");
});

test("P3 WasmMsg::Migrate checks the admin, and a failed migrate keeps the old code", async () => {
  const { chain, deployer, alice, stake } = await setup();
  // A variant of the same code without the `query` export, to see which code the VM runs.
  const { codeId: variant } = await deployer.upload(renameExport(wasm(), "query", "querx"));
  const migrate = (sender: string) =>
    chain.app.handleMsg(sender, { wasm: { migrate: { contract_addr: stake, new_code_id: variant, msg: toBase64(Buffer.from("{}")) } } });
  const byAlice = await migrate(alice.address);
  assert.ok(byAlice.err);
  assert.match(String(byAlice.val), /unauthorized/);
  // The admin's migrate fails (`{}` is not rewind-stake's `MigrateMsg`)...
  const byAdmin = await migrate(deployer.address);
  assert.ok(byAdmin.err);
  // ...and the contract still runs its own code (upstream leaves the variant loaded).
  assert.deepEqual(await alice.query(stake, { get_config: {} }), { unstaking_duration: { time: 60 } });
  assert.equal((await alice.contractInfo(stake)).codeId, 1);
});

test("P4 WasmMsg::UpdateAdmin / ClearAdmin, admin only", async () => {
  const { chain, deployer, alice, stake } = await setup();
  const refused = await chain.app.handleMsg(alice.address, { wasm: { update_admin: { contract_addr: stake, admin: alice.address } } } as never);
  assert.ok(refused.err);
  const ok = await chain.app.handleMsg(deployer.address, { wasm: { update_admin: { contract_addr: stake, admin: alice.address } } } as never);
  assert.ok(ok.ok, String(ok.val));
  assert.equal((await alice.contractInfo(stake)).admin, alice.address);
  const cleared = await chain.app.handleMsg(alice.address, { wasm: { clear_admin: { contract_addr: stake } } } as never);
  assert.ok(cleared.ok);
  assert.equal((await alice.contractInfo(stake)).admin, null);
});

test("P7 two simulated chains in one process keep their own code checksums", async () => {
  const a = await setup();
  const b = new SimulatedChain();
  // same code id 1 on chain b, different bytes (an extra custom section)
  const bytes = new Uint8Array([...wasm(), 0, 2, 1, 0x78]);
  const up = await b.client("deployer").upload(bytes);
  assert.equal(up.codeId, a.codeId);
  assert.notEqual(up.checksum, a.checksum);
  assert.equal((await a.alice.codeInfo(a.codeId)).checksum, a.checksum);
  assert.equal((await b.client("x").codeInfo(up.codeId)).checksum, up.checksum);
});
