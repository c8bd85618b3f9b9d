/**
 * End to end on the simulated chain, over the built artifacts: the contained story (the
 * demo's default, contained-story.ts): the vault's in-line invariants refuse the compromised
 * feeder's push in its own block, the capped pause trips by itself, the attacker gains
 * nothing, no honest account loses anything, no restoration is needed; and the RTO/RPO
 * table printed beside the undetected story's figures.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";

import { checkContained, runContainedStory, type ContainedInput, type ContainedResult } from "../src/contained-story";
import { ARTIFACTS_DIR } from "../src/deploy";
import { main as demo } from "../src/demo";
import { CONTRACTS } from "../src/plan";
import { containedFigures, formatRtoTable, type RtoFigures } from "../src/rto";

const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
// Missing artifacts fail here, never skip: scripts/test.sh builds them before this runs.
test("the artifacts are built", () => assert.deepEqual(missing, [], "run scripts/build.sh"));

describe("the contained story (invariants on)", () => {
  let r: ContainedResult;
  before(async () => {
    r = await runContainedStory();
  });
  test("every invariant holds", () => assert.deepEqual(r.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`), []));
  test("the four invariants are the brief's", () =>
    assert.deepEqual(r.invariants.map((i) => i.name), ["the manipulated push is refused in its own block", "no honest account lost anything", "mallory gained nothing", "the pause is capped and ends by itself"]));
  test("the push is refused in its own block and pauses trade and withdraw there", () => {
    assert.equal(r.containedHeight, r.attackHeight);
    const row = r.timeline.find((t) => t.height === r.attackHeight && t.actor === "feeder")!;
    assert.match(row.result, /^REFUSED by invariant oracle_agreement: pause of trade,withdraw tripped$/);
    for (const a of ["close long", "withdraw 32000"]) {
      const m = r.timeline.find((t) => t.actor === "mallory" && t.action.startsWith(a))!;
      assert.equal(m.ok, false, a);
      assert.match(m.result, /scope (trade|withdraw) is paused until/);
    }
  });
  test("mallory gains nothing; no honest claim moves but by the users' own actions; the bank keeps every unit", () => {
    assert.deepEqual(r.claims.get("mallory"), [12_000n, 12_000n]);
    for (const n of ["insurance", "alice", "erin"]) assert.equal(r.claims.get(n)![0], r.claims.get(n)![1], n);
    assert.deepEqual(r.claims.get("bob"), [30_000n, 29_900n]);
    assert.equal(r.bankAtH, 147_000n);
    assert.equal(r.bankAfter, 147_000n + 4_000n - 5_000n);
    assert.equal(r.honestValueLost, 0n);
  });
  test("the pause is capped at breaker_pause_seconds and ends by itself; honest trades and withdrawals then succeed", () => {
    assert.equal(r.pauseSeconds, 6 * 3600);
    const after = r.timeline.filter((t) => t.height > r.attackHeight + 1 && ["bob", "carol"].includes(t.actor));
    assert.ok(after.length === 2 && after.every((t) => t.ok), JSON.stringify(after));
  });
  test("each invariant fails when what it guards breaks", () => {
    const failing = (alter: Partial<ContainedInput>) => checkContained({ ...r.invariantInput, ...alter }).invariants.filter((i) => !i.ok).map((i) => i.name);
    assert.deepEqual(failing({}), []);
    assert.deepEqual(failing({ refused: false, price: "122" }), ["the manipulated push is refused in its own block"]);
    assert.deepEqual(failing({ containedHeight: r.attackHeight + 5 }), ["the manipulated push is refused in its own block"]);
    const claims = new Map(r.invariantInput.claims);
    claims.set("alice", [50_200n, 40_000n]);
    assert.deepEqual(failing({ claims }), ["no honest account lost anything"]);
    const gained = new Map(r.invariantInput.claims);
    gained.set("mallory", [12_000n, 32_000n]);
    assert.deepEqual(failing({ claims: gained }), ["mallory gained nothing"]);
    assert.deepEqual(failing({ malloryWithdraw: null }), ["mallory gained nothing"]);
    assert.deepEqual(failing({ pauseSeconds: 72 * 3600 }), ["the pause is capped and ends by itself"]);
    assert.deepEqual(failing({ blockedAtEnd: true }), ["the pause is capped and ends by itself"]);
    assert.equal(checkContained({ ...r.invariantInput, claims }).honestValueLost, 10_200n);
    assert.equal(containedFigures({ ...r, containedHeight: r.attackHeight + 5 }).containment, null);
  });
});

test("the RTO/RPO table: columns side by side, the goals judged on the first", () => {
  const u: RtoFigures = { story: "undetected", containment: { blocks: 9, seconds: 54 }, restorationExecuting: { blocks: 100, seconds: 7200 }, restorationComplete: { blocks: 110, seconds: 7260 }, reopening: { blocks: 112, seconds: 7272 }, honestExecutionsLost: 0, honestValueLost: 5n };
  const c: RtoFigures = { story: "contained", containment: { blocks: 0, seconds: 0 }, restorationExecuting: null, restorationComplete: null, reopening: { blocks: 3605, seconds: 21625 }, honestExecutionsLost: 0, honestValueLost: 0n };
  const t = formatRtoTable([c, u]);
  assert.match(t, /^from the exploit \(block E\) to +contained +undetected$/m);
  assert.match(t, /^containment \(pause in force\) +0 blocks, 0 s +9 blocks, 54 s$/m);
  assert.match(t, /^restoration executing +none needed +100 blocks, 2 h$/m);
  assert.match(t, /^reopening \(trade, withdraw\) +3605 blocks, 6 h 25 s +112 blocks, 2 h 1 min 12 s$/m);
  assert.match(t, /^goals \(contained\): containment 0 blocks met; RPO 0 \(honest executions lost\) met; honest value lost 0$/m);
  assert.match(formatRtoTable([u]), /containment 0 blocks NOT met/);
});

test("demo.sh (default story): contained, no restoration, the RTO/RPO table beside the undetected run, exits 0", async () => {
  const out: string[] = [];
  assert.equal(await demo([], (s) => out.push(s)), 0);
  const text = out.join("\n");
  for (const part of ["story contained (default)", "== timeline", "== restoration: none needed", "== RTO / RPO", "all 17 of its invariants hold", "all invariants hold (4 checked"]) assert.ok(text.includes(part), part);
  assert.match(text, /REFUSED by invariant oracle_agreement: pause of trade,withdraw tripped/);
  assert.match(text, /^from the exploit \(block E\) to +contained +undetected$/m);
  assert.match(text, /^containment \(pause in force\) +0 blocks, 0 s +9 blocks, 54 s$/m);
  assert.match(text, /^restoration executing +none needed +\d+ blocks, 36 h/m);
  assert.match(text, /^RPO: honest executions lost +0 +0$/m);
  assert.match(text, /^honest value lost \(uusdc\) +0 +20102$/m);
  assert.match(text, /^goals \(contained\): containment 0 blocks met; RPO 0 \(honest executions lost\) met; honest value lost 0$/m);
  assert.match(text, /^mallory +12000 +12000 +0 /m);
  assert.ok(!/FAIL /.test(text), "no failure");
});
