/**
 * End to end on the simulated chain, over the built artifacts: the demo scenario, its
 * invariants, and the adversarial variants, each refused with its expected error text.
 * Run by scripts/e2e.sh (with the toolkit tests) as `npm run test:e2e`.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";

import { ARTIFACTS_DIR } from "../src/deploy";
import { main as demo } from "../src/demo";
import { expectedSettlement, replay } from "../src/invariants";
import { CONTRACTS } from "../src/plan";
import { runScenario, type ScenarioResult } from "../src/scenario";

const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
const skip = missing.length ? `artifacts missing (${missing.join(", ")}): run scripts/build.sh` : false;

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

describe("the demo scenario (pro-rata, batch size 5: several crank batches)", { skip }, () => {
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
  test("claims = collateral at E-1 + replayed flows - share, for every account", () => invariant(r, "claim = collateral at E-1 + replayed flows - share (every account)"));
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

describe("insurance-first, with 60 extra accounts and batch size 7", { skip }, () => {
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
    assert.equal(r.accounts.length, 67);
    assert.ok(r.cranks > 10, `only ${r.cranks} cranks`);
  });
});

test("the settlement rule, computed independently", () => {
  assert.equal(replay(100n, [-150n, 30n]), 30n);
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
  for (const opt of ["--batch-size N", "--accounts N", "--policy P", "pro-rata", "insurance-first", "--no-build"]) assert.ok(out.join("\n").includes(opt), opt);
  assert.equal(await demo(["--policy", "fifo"], () => {}), 2);
  assert.equal(await demo(["--batch-size", "0"], () => {}), 2);
});

test("the demo prints the timeline, the table, the report and exits 0", { skip }, async () => {
  const out: string[] = [];
  assert.equal(await demo(["--batch-size", "10"], (s) => out.push(s)), 0);
  const text = out.join("\n");
  for (const part of ["== timeline", "== accounts: before / after", "== restoration report", "all invariants hold", "mallory (excluded)"]) assert.ok(text.includes(part), part);
});
