/**
 * End to end on the simulated chain, over the built artifacts: the demo scenario, its
 * invariants (honest replay: every honest execution after E-1 replayed, RPO 0), and the
 * adversarial variants, each refused with its expected error text.
 * Run by scripts/e2e.sh (with the toolkit tests) as `npm run test:e2e`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";

import { ARTIFACTS_DIR } from "../src/deploy";
import { main as demo } from "../src/demo";
import { checkInvariants, decimalAtomics, expectedSettlement, honestReplay, matchReport, pnl, summarizeReplay } from "../src/invariants";
import { CONTRACTS } from "../src/plan";
import { runScenario, type ScenarioResult, type VaultExecution } from "../src/scenario";

const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
// Missing artifacts fail here, never skip: scripts/test.sh builds them before this runs.
test("the artifacts are built", () => assert.deepEqual(missing, [], "run scripts/build.sh"));

function invariant(r: ScenarioResult, name: string) {
  const found = r.invariants.find((i) => i.name === name);
  assert.ok(found, `no invariant named ${name}`);
  assert.ok(found.ok, `${name}: ${found.detail}`);
}

function refusal(r: ScenarioResult, name: string, expected: RegExp) {
  const p = r.probes.find((x) => x.name === name);
  assert.ok(p, `probe "${name}" did not run`);
  assert.ok(p.error, `"${name}" was accepted`);
  assert.match(p.error, expected);
}

describe("the demo scenario (pro-rata, batch size 5: several crank batches)", () => {
  let r: ScenarioResult;
  before(async () => {
    r = await runScenario({ batchSize: 5, policy: "pro-rata", probes: true });
  });

  test("restores to E-1 through proposal, vote, timelock, execute and cranks", () => {
    assert.equal(r.restoreHeight, r.attackHeight - 1);
    assert.equal(r.report.height, r.restoreHeight);
    assert.ok(r.cranks > 2, `only ${r.cranks} cranks`);
    assert.equal(r.report.shortfall_policy, "pro_rata_haircut");
    assert.deepEqual(r.deployment.skipped, []);
    assert.equal(r.deployment.contracts.rewind_vault!.admin, r.deployment.contracts.rewind_executor!.address);
  });
  test("claims = collateral at E-1 + its replayed executions - share, for every account", () => invariant(r, "claim = collateral at E-1 + its replayed executions - share (every account)"));
  test("no honest execution is lost: RPO 0, against 3 for the flows-only restoration", () => {
    invariant(r, "no honest execution lost (RPO 0)");
    assert.deepEqual(
      { lost: r.replay.lost, replayed: r.replay.replayed, excluded: r.replay.skippedExcluded, failed: r.replay.failed, flowsOnly: r.replay.lostFlowsOnly },
      { lost: 0, replayed: 6, excluded: 3, failed: 0, flowsOnly: 3 },
    );
    // bob's close, carol's open and close (trades a flows-only restoration loses), carol's
    // withdrawal, dave's and erin's deposits: all replayed.
    const honest = r.executions.filter((e) => !["mallory", "feeder"].includes(e.name));
    assert.deepEqual(
      honest.map((e) => `${e.name} ${Object.keys(e.msg)[0]} ${e.outcome}`),
      ["bob close_position replayed", "carol open_position replayed", "carol close_position replayed", "carol withdraw replayed", "dave deposit replayed", "erin deposit replayed"],
    );
  });
  test("the excluded feeder's manipulated push and the attacker's close and withdrawal are skipped, as Excluded", () => {
    invariant(r, "excluded senders' executions skipped (the manipulated push too)");
    assert.deepEqual(
      r.replayReport.map((e) => [r.accounts.find((a) => a.address === e.sender)?.name, Object.keys(JSON.parse(Buffer.from(e.msg, "base64").toString()))[0], Object.keys(e.outcome)[0]]),
      [["feeder", "push_price", "excluded"], ["mallory", "close_position", "excluded"], ["mallory", "withdraw", "excluded"]],
    );
  });
  test("the table's replayed / skipped columns come from the vault's report", () => {
    const row = (n: string) => r.accounts.find((a) => a.name === n)!;
    assert.deepEqual([row("bob").replayed, row("carol").replayed, row("mallory").skipped, row("feeder").skipped, row("alice").replayed], [1, 3, 2, 1, 0]);
    assert.equal(r.accounts.reduce((s, a) => s + a.replayed, 0), r.invariantInput.vaultStatus.replayed_executions);
    assert.equal(r.accounts.reduce((s, a) => s + a.skipped, 0), r.invariantInput.vaultStatus.skipped_executions);
  });
  test("an honest trade after E replays at the price in state at replay time (the excluded push skipped)", () => {
    // bob's short of 50 from 100 closed live at the manipulated 122 (-1100: his whole margin);
    // replayed at 102, the last price before E: -100, so 900 of his 1000 margin comes back.
    const bob = r.accounts.find((a) => a.name === "bob")!;
    assert.equal(bob.atH, 30_000n);
    assert.equal(bob.before, 29_900n);
  });
  test("the feeder is rotated by the restoration's post-restore configuration", () => {
    invariant(r, "feeder rotated at completion (the voted post-restore configuration)");
    refusal(r, "the compromised feeder after the restoration", new RegExp(`${r.invariantInput.accounts.find((a) => a.name === "feeder")!.address} is frozen by a restoration`));
  });
  test("the invariants fail when the replay breaks", () => {
    const failing = (input: typeof r.invariantInput) => checkInvariants(input).filter((i) => !i.ok).map((i) => i.name);
    // One honest execution reported failed instead of replayed: lost 1.
    const executions = r.executions.map((e) => (e.name === "carol" && "open_position" in e.msg ? { ...e, outcome: "failed" as const, error: "no price" } : { ...e }));
    assert.ok(failing({ ...r.invariantInput, executions }).includes("no honest execution lost (RPO 0)"));
    // The vault's counter disagreeing with its report: the accounting does not add up.
    assert.ok(failing({ ...r.invariantInput, vaultStatus: { ...r.invariantInput.vaultStatus, replayed_executions: 5 } }).includes("no honest execution lost (RPO 0)"));
    // The feeder's push replayed: bob's close would have run at 122.
    const pushed = r.executions.map((e) => (e.name === "feeder" ? { ...e, outcome: "replayed" as const } : { ...e }));
    assert.ok(failing({ ...r.invariantInput, executions: pushed }).includes("excluded senders' executions skipped (the manipulated push too)"));
    // bob's claim as if his close had not replayed (his margin still open at 1000).
    const accounts = r.accounts.map((a) => (a.name === "bob" ? { ...a, before: a.atH } : a));
    assert.ok(failing({ ...r.invariantInput, accounts }).includes("claim = collateral at E-1 + its replayed executions - share (every account)"));
  });
  test("sum of claims <= bank balance + insurance used", () => invariant(r, "sum of claims <= bank balance + insurance used"));
  test("the report's totals are the claims' totals", () => invariant(r, "the report's totals are the claims' totals"));
  test("the attacker is frozen and loses its claim first", () => {
    invariant(r, "attacker frozen");
    const m = r.accounts.find((a) => a.name === "mallory")!;
    assert.equal(m.frozen, true);
    assert.equal(m.claim, 0n);
  });
  test("the digest is verified", () => invariant(r, "digest verified"));
  test("the vault is unlocked and honest claims can be withdrawn", () => invariant(r, "vault unlocked"));
  test("the restoration lock is cleared", () => invariant(r, "lock cleared"));
  test("every invariant holds", () => assert.deepEqual(r.invariants.filter((i) => !i.ok), []));

  test("adversarial: a vote with power staked after the power height is refused", () =>
    refusal(r, "vote with power staked after the power height", new RegExp(`has no voting power at height ${r.restoreHeight + 1}`)));
  test("adversarial: executing before the operation is due is refused", () =>
    refusal(r, "execute before due", /operation 1 is not due: needs time \d+\.\d+ and height \d+/));
  test("adversarial: a guardian re-pausing inside the cooldown is refused", () => refusal(r, "a guardian re-pausing inside the cooldown", /is in cooldown until \d+/));
  test("adversarial: a user action between crank batches is refused", () =>
    refusal(r, "a user action between crank batches", /a restoration is running; the contract is locked/));
  test("adversarial: a second execute is refused", () => refusal(r, "a second execute", /operation 1 is Executed, not Queued/));
  test("a trade while the guardian pause holds is refused", () => refusal(r, "a trade while paused", /scope trade is paused until/));
});

describe("insurance-first, with 60 extra accounts and batch size 7", () => {
  let r: ScenarioResult;
  before(async () => {
    r = await runScenario({ batchSize: 7, accounts: 60, policy: "insurance-first", probes: false });
  });
  test("every invariant holds", () => assert.deepEqual(r.invariants.filter((i) => !i.ok), []));
  test("the insurance claim covers the shortfall left after the frozen claims", () => {
    const d = r.report.denoms[0];
    assert.equal(r.report.shortfall_policy, "insurance_first");
    assert.equal(d.frozen_after, "0");
    assert.equal(BigInt(d.insurance_used), BigInt(d.shortfall) - BigInt(d.frozen_before) < BigInt(d.insurance_before) ? BigInt(d.shortfall) - BigInt(d.frozen_before) : BigInt(d.insurance_before));
    assert.equal(r.accounts.length, 68, "insurance, 5 users, mallory, the feeder, 60 extra accounts");
    assert.ok(r.cranks > 10, `only ${r.cranks} cranks`);
  });
  test("every honest execution replays, the extra accounts' withdrawals too", () => {
    assert.deepEqual([r.replay.lost, r.replay.replayed, r.replay.skippedExcluded], [0, 6 + 15, 3]);
    assert.equal(r.accounts.filter((a) => a.name.startsWith("user-") && a.replayed === 1).length, 15);
  });
});

test("the honest replay model: PnL rounds down, excluded senders' pushes do not move the price", () => {
  const p = (s: string) => decimalAtomics(s);
  assert.equal(p("102.5"), 102_500_000_000_000_000_000n);
  assert.equal(pnl(-50n, p("100"), p("122")), -1100n);
  assert.equal(pnl(3n, p("100"), p("100.4")), 1n);
  assert.equal(pnl(-3n, p("100"), p("100.4")), -2n);
  const ledgers = new Map([
    ["bob", { free: 29_000n, positions: new Map([["M", { size: -50n, entry: p("100"), margin: 1_000n }]]) }],
    ["carol", { free: 500n, positions: new Map() }],
  ]);
  const msgs = [
    { name: "feeder", msg: { push_price: { market: "M", price: "122" } }, funds: [] },
    { name: "bob", msg: { close_position: { market: "M" } }, funds: [] },
    { name: "carol", msg: { deposit: {} }, funds: [{ denom: "u", amount: "700" }] },
    { name: "carol", msg: { open_position: { market: "M", size: "10", margin: "1000" } }, funds: [] },
    { name: "carol", msg: { withdraw: { denom: "u", amount: "300" } }, funds: [] },
  ];
  const honest = honestReplay(ledgers, new Map([["M", p("102")]]), msgs, new Set(["feeder"]), "u");
  assert.deepEqual([honest.claims.get("bob"), honest.claims.get("carol"), honest.refused], [29_900n, 1_200n, ["carol: withdraw 300 above free collateral 200"]]);
  const all = honestReplay(ledgers, new Map([["M", p("102")]]), msgs, new Set(), "u");
  assert.equal(all.claims.get("bob"), 29_000n, "at 122 the short loses its whole margin");
});

test("the replay report's entries give each execution its outcome; the RPO counts honest ones not replayed", () => {
  const ex = (height: number, name: string, msg: object): VaultExecution => ({ height, name, address: `addr-${name}`, msg: msg as VaultExecution["msg"], funds: [] });
  const executions = [ex(27, "feeder", { push_price: {} }), ex(28, "bob", { close_position: {} }), ex(29, "carol", { deposit: {} }), ex(30, "carol", { open_position: {} })];
  const entry = (height: number, sender: string, outcome: object) => ({ id: { height, index: 0 }, sender, funds: [], msg: "", outcome: outcome as never });
  const unmatched = matchReport(executions, [entry(27, "addr-feeder", { excluded: {} }), entry(30, "addr-carol", { failed: { error: "boom" } }), entry(31, "addr-eve", { excluded: {} })]);
  assert.deepEqual(executions.map((e) => e.outcome), ["excluded", "replayed", "replayed", "failed"]);
  assert.equal(executions[3].error, "boom");
  assert.equal(unmatched.length, 1);
  assert.deepEqual(summarizeReplay(executions, new Set(["addr-feeder"])), { executions: 4, honest: 3, replayed: 2, skippedExcluded: 1, failed: 1, otherSkipped: 0, lost: 1, lostFlowsOnly: 2 });
});

test("the settlement rule, computed independently", () => {
  const s = expectedSettlement(
    [
      { name: "a", frozen: false, before: 600n },
      { name: "insurance", frozen: false, before: 200n },
      { name: "m", frozen: true, before: 100n },
    ],
    700n,
    "insurance-first",
    "insurance",
  );
  assert.deepEqual([s.shortfall, s.insuranceUsed, s.haircut], [200n, 100n, 0n]);
  assert.deepEqual([...s.claims.entries()], [["a", 600n], ["insurance", 100n], ["m", 0n]]);
  const p = expectedSettlement([{ name: "a", frozen: false, before: 300n }, { name: "b", frozen: false, before: 100n }], 300n, "pro-rata", "insurance");
  assert.deepEqual([...p.claims.values()], [225n, 75n]);
});

test("demo.sh options: --help documents them, a bad policy exits 2", async () => {
  const out: string[] = [];
  assert.equal(await demo(["--help"], (s) => out.push(s)), 0);
  for (const opt of ["--batch-size N", "--accounts N", "--policy P", "pro-rata", "insurance-first", "--no-build", "undetected"]) assert.ok(out.join("\n").includes(opt), opt);
  assert.equal(await demo(["--policy", "fifo"], () => {}), 2);
  assert.equal(await demo(["--batch-size", "0"], () => {}), 2);
});

test("demo.sh --story undetected prints the timeline, the table, the report, its RTO/RPO and exits 0", async () => {
  const out: string[] = [];
  assert.equal(await demo(["--story", "undetected", "--batch-size", "10"], (s) => out.push(s)), 0);
  const text = out.join("\n");
  for (const part of ["== timeline", "== accounts: before / after", "== restoration report", "all invariants hold", "mallory (excluded)", "feeder (excluded)"]) assert.ok(text.includes(part), part);
  assert.match(text, /account +collateral at E-1 +replayed +skipped +replay net +before settle +haircut +claim/);
  assert.match(text, /^bob +30000 +1 +0 +-100 +29900 /m);
  assert.match(text, /^RPO: honest executions lost 0 \(replayed 6, skipped excluded 3, failed 0\); before honest replay \(flows only\): 3 honest executions lost$/m);
  assert.ok(text.includes("== RTO / RPO"), "the RTO/RPO section");
  assert.match(text, /^containment \(pause in force\) +9 blocks, 54 s$/m);
  assert.match(text, /^RPO: honest executions lost +0$/m);
  assert.match(text, /^goals \(undetected\): containment 0 blocks NOT met; RPO 0 \(honest executions lost\) met; honest value lost 20102$/m);
  assert.ok(!text.includes("story contained"), "not the contained story");
});
