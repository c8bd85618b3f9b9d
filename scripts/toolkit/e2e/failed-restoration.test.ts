/**
 * End to end on the simulated chain, over the built artifacts: the failed-restoration story
 * (`scripts/demo.sh --story failed-restoration`, failed-story.ts). The successor and
 * max_offline are voted in peacetime; a buggy migration writes dave's collateral and the
 * denom's running total behind the journal's back; the restoration fails its verify pass
 * before undoing anything; the vault freezes the exclusions, settles the live ledger by the
 * voted rule and is exit-only at once; users leave. Its invariants (each shown to fail on
 * altered input), its key numbers, and the R11 variant (a write that leaves the totals
 * inconsistent: the settlement refuses and the vault stays locked until its lock ends).
 * Run by scripts/e2e.sh (with the toolkit tests) as `npm run test:e2e`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";

import { ARTIFACTS_DIR } from "../src/deploy";
import { main as demo } from "../src/demo";
import { checkFailedInvariants } from "../src/failed-invariants";
import { runFailedStory, STORY_MAX_OFFLINE, type FailedStoryResult } from "../src/failed-story";
import { CONTRACTS } from "../src/plan";

const needed = [...CONTRACTS, "claims_vault"];
const missing = needed.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
// Missing artifacts fail here, never skip: scripts/test.sh builds them before this runs.
test("the artifacts are built", () => assert.deepEqual(missing, [], "run scripts/build.sh"));

const FAILED = "the restoration failed its digest check before undoing anything";
const EXIT_ONLY = "exit-only began when the restoration failed (not before)";
const BANK = "claims moved never exceed the bank balance";
const TWICE = "nothing moved twice";
const ATTACKER = "the attacker got nothing out (frozen by the failed restoration)";
const HONEST = "each honest user got out exactly the voted rule on the live ledger";
const NAMES = ["mallory", "alice", "bob", "carol", "dave", "erin", "insurance"];
/** Pro rata on the live ledger: claims 138200 against a bank of 115000, each keeps floor(claim * 115000 / 138200). */
const PRO_RATA: bigint[] = [0n, 41_772n, 24_131n, 12_481n, 14_978n, 4_992n, 16_642n];

function holds(r: FailedStoryResult, name: string) {
  const found = r.invariants.find((i) => i.name === name);
  assert.ok(found, `no invariant named ${name}`);
  assert.ok(found.ok, `${name}: ${found.detail}`);
}

const failing = (input: FailedStoryResult["invariantInput"]) => checkFailedInvariants(input).filter((i) => !i.ok).map((i) => i.name);
const row = (r: FailedStoryResult, name: string) => r.exits.find((e) => e.name === name)!;
const got = (r: FailedStoryResult, name: string) => row(r, name).fromVault + row(r, name).fromSuccessor;

describe("the failed-restoration story (batch size 25)", () => {
  let r: FailedStoryResult;
  before(async () => {
    r = await runFailedStory({ batchSize: 25, probes: true });
  });

  test("every invariant holds", () => assert.deepEqual(r.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`), []));
  test("the restoration fails its verify pass before undoing anything; the executor records it Failed", () => {
    holds(r, FAILED);
    assert.match(r.failure, new RegExp(`digest mismatch at height ${r.restoreHeight}: expected [0-9a-f]{64}, found [0-9a-f]{64}`));
    assert.equal(r.restoreHeight, r.attackHeight - 1);
    assert.equal(r.vaultStatus.phase, "failed");
    assert.equal(r.vaultStatus.undone_entries, 0);
    assert.equal(r.vaultStatus.exit_only, true);
    assert.equal(r.settlementRefused, "");
  });
  test("the successor and max_offline were registered by the peacetime vote", () => holds(r, "the successor was registered by the peacetime vote (checksum pinned)"));
  test("exit-only at once when the restoration failed, well short of max_offline, never before", () => {
    holds(r, EXIT_ONLY);
    const failedAt = r.invariantInput.failedAt;
    assert.deepEqual(r.offline.map((o) => [o.at < failedAt, o.exit_only]), [[true, false], [true, false], [false, true]]);
    assert.ok(r.offline[2].stopped_seconds < STORY_MAX_OFFLINE, `${r.offline[2].stopped_seconds}`);
  });
  test("the live ledger settled by the voted rule: each honest user got exactly its claim; the attacker nothing", () => {
    holds(r, HONEST);
    holds(r, ATTACKER);
    assert.deepEqual(NAMES.map((n) => got(r, n)), PRO_RATA);
    assert.deepEqual(NAMES.map((n) => row(r, n).voted), PRO_RATA);
    assert.deepEqual(NAMES.map((n) => row(r, n).ledgerBefore), [0n, 50_200n, 29_000n, 15_000n, 18_000n, 6_000n, 20_000n]);
    assert.equal(r.bankAtExecute, 115_000n);
    const d = r.report!.denoms[0];
    assert.deepEqual([d.claims_before, d.bank_balance, d.shortfall, d.haircut_shortfall, d.claims_after], ["138200", "115000", "23200", "23200", "114996"]);
    assert.equal(r.invariantInput.attackerFrozen, true);
    assert.ok(row(r, "mallory").refusals.every((x) => /frozen/.test(x)) && row(r, "mallory").refusals.length === 1);
  });
  test("claims moved never exceed the bank; nothing moves twice", () => {
    holds(r, BANK);
    holds(r, TWICE);
    assert.equal(r.successorCredited, 12_481n + 14_978n + 16_642n);
    assert.deepEqual(r.remaining.moved, [{ denom: "uusdc", amount: "44101" }]);
    assert.equal(r.remaining.moves, 3);
    assert.equal(r.bankAtExitOnly, 115_000n);
    assert.equal(r.bankAfter, 4n);
  });
  test("risk-adding actions are refused with the failure's reason; the excluded attacker and the feeder are frozen", () => {
    for (const p of ["a risk-adding trade in exit-only mode", "a deposit in exit-only mode", "a price push in exit-only mode", "the excluded attacker's withdrawal (frozen)", "the feeder's withdrawal (frozen)", "a crank of the failed restoration", "a second move of the same claim"]) holds(r, `refused: ${p}`);
    assert.ok(r.probes.find((p) => p.name === "a risk-adding trade in exit-only mode")!.error!.includes("exit-only mode since a restoration failed its digest check"));
  });
  test("each invariant fails when what it guards breaks", () => {
    const x = r.invariantInput;
    const exits = (f: (e: (typeof x.exits)[number]) => Partial<(typeof x.exits)[number]>) => x.exits.map((e) => ({ ...e, ...f(e) }));
    assert.ok(failing({ ...x, failure: "" }).includes(FAILED));
    assert.ok(failing({ ...x, vaultStatus: { ...x.vaultStatus, undone_entries: 3 } }).includes(FAILED));
    assert.ok(failing({ ...x, executorFailed: false }).includes(FAILED));
    assert.ok(failing({ ...x, offline: x.offline.map((o, i) => (i === 1 ? { ...o, exit_only: true } : o)) }).includes(EXIT_ONLY), "exit-only before the failure");
    assert.ok(failing({ ...x, offline: x.offline.map((o, i) => (i === 2 ? { ...o, stopped_seconds: STORY_MAX_OFFLINE + 1 } : o)) }).includes(EXIT_ONLY), "exit-only only by the clock");
    assert.ok(failing({ ...x, exits: exits((e) => (e.name === "alice" ? { outAt: x.failedAt - 1n } : {})) }).includes(EXIT_ONLY), "funds out before");
    assert.ok(failing({ ...x, moves: x.moves.map((m, i) => (i === 0 ? { ...m, bankBefore: m.amount - 1n } : m)) }).includes(BANK));
    assert.ok(failing({ ...x, bankAfter: x.bankAfter + 1n }).includes(BANK));
    assert.ok(failing({ ...x, moves: [...x.moves, x.moves[1]] }).includes(TWICE));
    assert.ok(failing({ ...x, exits: exits((e) => (e.name === "mallory" ? { fromVault: 1n } : {})) }).includes(ATTACKER));
    assert.ok(failing({ ...x, attackerFrozen: false }).includes(ATTACKER));
    assert.ok(failing({ ...x, exits: exits((e) => (e.name === "erin" ? { fromVault: e.fromVault + 1n } : {})) }).includes(HONEST), "a user got more");
    assert.ok(failing({ ...x, exits: exits((e) => (e.name === "dave" ? { reported: (e.reported ?? 0n) - 1n } : {})) }).includes(HONEST), "the vault's record differs");
    assert.ok(failing({ ...x, exits: exits((e) => (e.name === "dave" ? { reportedBefore: 14_000n } : {})) }).includes(HONEST), "settled a ledger other than the live one");
    assert.ok(failing({ ...x, bankAtExecute: x.bankAtExecute + 1n }).includes(HONEST));
    assert.ok(failing({ ...x, report: null }).includes(HONEST));
    assert.ok(failing({ ...x, probes: x.probes.map((p, i) => (i === 0 ? { ...p, ok: false } : p)) }).includes(`refused: ${x.probes[0].name}`));
  });
});

describe("the failed-restoration story, other runs", () => {
  test("insurance-first: the insurance claim covers the shortfall first, then pro rata over the honest claims", async () => {
    const r = await runFailedStory({ batchSize: 200, policy: "insurance-first", probes: false });
    assert.deepEqual(r.invariants.filter((i) => !i.ok).map((i) => i.name), []);
    assert.deepEqual(NAMES.map((n) => got(r, n)), [0n, 48_840n, 28_214n, 14_593n, 17_512n, 5_837n, 0n]);
    assert.equal(r.report!.denoms[0].insurance_used, "20000");
  });
  test("row R11: a write that leaves the totals inconsistent is refused by the settlement; the vault stays locked until its lock ends", async () => {
    const r = await runFailedStory({ batchSize: 25, probes: false, consistentTotals: false });
    assert.match(r.settlementRefused, /claims in uusdc exceed the bank balance: claims \d+, bank 115000/);
    assert.match(r.failure, /digest mismatch/);
    assert.notEqual(r.vaultStatus.phase, "failed");
    assert.deepEqual(r.offline.slice(-2).map((o) => o.exit_only), [false, true], "locked after the failure, exit-only only after the lock");
    assert.ok(r.offline[r.offline.length - 1].stopped_seconds > STORY_MAX_OFFLINE);
    assert.equal(r.report, null);
    const failed = r.invariants.filter((i) => !i.ok).map((i) => i.name);
    for (const name of [FAILED, EXIT_ONLY, HONEST]) assert.ok(failed.includes(name), name);
    assert.ok(!failed.includes(ATTACKER), "the exclusions are frozen all the same");
  });
});

test("demo.sh --story: failed-restoration prints its report and exits 0; an unknown story is a usage error", async () => {
  const out: string[] = [];
  assert.equal(await demo(["--story", "failed-restoration"], (s) => out.push(s)), 0);
  const text = out.join("\n");
  for (const part of ["== timeline", "== exits", "== failed restoration and moves", "== invariants", "remaining_claims: remaining 0; moved 44101 uusdc; moves 3", `PASS  ${HONEST}`, "offline_status exit_only true"]) assert.ok(text.includes(part), part);
  assert.ok(!/GAP|FAIL /.test(text), "no gap and no failure");
  assert.match(text, /account +way out +waited +live ledger +voted-rule claim +vault settled +from vault +from successor +got out +difference/);
  assert.match(text, /^alice +withdraw +36 h [\d a-z]+ +50200 +41772 +41772 +41772 +0 +41772 +0$/m);
  assert.match(text, /^all invariants hold \(14 checked/m);
  const help: string[] = [];
  assert.equal(await demo(["--help"], (s) => help.push(s)), 0);
  assert.ok(help.join("\n").includes("--story S") && help.join("\n").includes("failed-restoration"));
  assert.equal(await demo(["--story", "nope"], () => {}), 2);
  assert.equal(await demo(["--story", "failed-restoration", "--accounts", "5"], () => {}), 2);
});
