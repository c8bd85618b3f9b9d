/**
 * `rewind watch` end to end on the simulated chain (the built artifacts), against the demo's
 * exploit with the vault in detect-only mode (`in_line: false`: the +19.6 % push is NOT
 * refused in-line). The watcher runs block by block:
 *   - over the local backend, as the CLI (`rewind watch --once --pause --draft F`), after every
 *     block of the story;
 *   - in-process (watchOnce with one WatchState, as a demo story calls it), on a second
 *     deployment.
 * It must detect the violation at the push's block, report it (incident on chain, bounty paid),
 * pause through the guardian, and draft the restoration to the block before the push excluding
 * the feeder; the attacker's close after it is refused. The detection latency (exploit block ->
 * report block) is printed.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import type { Incident, IncidentsResponse, PauseStatusResponse, PriceResponse } from "../../ts-client/RewindVault.types";
import { ClientReader, ClientSigner, type Contracts } from "../src/cli/api";
import { EXIT, run } from "../src/cli/rewind";
import type { Coin } from "../src/client";
import { ARTIFACTS_DIR, loadArtifacts, localChain, runDeployment } from "../src/deploy";
import { startLcdServer, type LcdServer } from "../src/lcd-server";
import { loadNetwork } from "../src/networks";
import { CONTRACTS, mergeSettings, type DeploySettings } from "../src/plan";
import { COLLATERAL, demoSettings } from "../src/scenario";
import type { SimulatedChain } from "../src/simulated";
import { newWatchState, watchOnce, type WatchEvent } from "../src/watch";

const MARKET = "BTC-PERP";
const BOUNTY = 500n;
const coin = (amount: bigint): Coin[] => [{ denom: COLLATERAL, amount: amount.toString() }];

interface Deployed {
  chain: SimulatedChain;
  settings: DeploySettings;
  contracts: Contracts;
  vault: string;
  names: Record<string, string>;
}

/** The demo's deployment with the vault's invariants declared detect-only, the bounty funded. */
async function deployDetectOnly(): Promise<Deployed> {
  const net = loadNetwork("local");
  const { chain, deployer } = localChain(net);
  const base = demoSettings(chain);
  const settings = mergeSettings(base, {
    vault: { ...base.vault, invariants: { oracle_bound_bps: 500, reference_feeder: chain.addr("reference"), solvency: true, in_line: false } },
  });
  const d = await runDeployment(deployer, net, settings, loadArtifacts(ARTIFACTS_DIR), () => {});
  assert.deepEqual(d.skipped, [], "deploy skipped steps: run scripts/build.sh");
  const c = d.contracts;
  const contracts: Contracts = { governance: c.rewind_governance!.address, timelock: c.rewind_timelock!.address, guardian: c.rewind_guardian!.address, executor: c.rewind_executor!.address, stake: c.rewind_stake!.address, vault: c.rewind_vault!.address };
  const vault = contracts.vault!;
  // The bounty: per_incident is the wasm admin's (the executor: a vote) to set; the
  // simulated chain lets the test send it as the executor.
  chain.fund(contracts.executor, coin(2n * BOUNTY));
  await chain.client(contracts.executor).execute(vault, { fund_bounty: { per_incident: BOUNTY.toString() } }, coin(2n * BOUNTY));
  const names: Record<string, string> = {};
  for (const n of ["guardian", "keeper", "feeder", "reference", "insurance", "mallory", "alice", "bob", "carol", "holder-1"]) names[n] = chain.addr(n);
  return { chain, settings, contracts, vault, names };
}

/** The demo's honest blocks up to E-1 (as the contained story), calling `each` after every block. */
async function honestPart(x: Deployed, each: () => Promise<void>): Promise<void> {
  const { chain, vault } = x;
  for (const [n, a] of [["alice", 50_000n], ["bob", 30_000n], ["insurance", 20_000n], ["mallory", 12_000n]] as const) chain.fund(chain.addr(n), coin(a));
  const tx = async (who: string, msg: unknown, funds?: Coin[]) => {
    await chain.client(who).execute(vault, msg, funds);
    await each();
  };
  const push = async (price: string) => {
    await tx("reference", { push_reference_price: { market: MARKET, price } });
    await tx("feeder", { push_price: { market: MARKET, price } });
  };
  await push("100");
  await tx("insurance", { deposit: {} }, coin(20_000n));
  await tx("alice", { deposit: {} }, coin(50_000n));
  await tx("bob", { deposit: {} }, coin(30_000n));
  await tx("alice", { open_position: { market: MARKET, size: "100", margin: "2000" } });
  await tx("bob", { open_position: { market: MARKET, size: "-50", margin: "1000" } });
  await push("102");
  await tx("alice", { close_position: { market: MARKET } });
  await tx("mallory", { deposit: {} }, coin(12_000n));
  await tx("mallory", { open_position: { market: MARKET, size: "1000", margin: "11000" } });
}

const lines = (out: string): WatchEvent[] => out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as WatchEvent);

describe("rewind watch (CLI, local backend) against the demo exploit, detect-only vault", () => {
  let x: Deployed;
  let server: LcdServer;
  const dir = mkdtempSync(join(tmpdir(), "rewind-watch-"));
  const draft = join(dir, "draft.json");

  before(async () => {
    const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
    assert.deepEqual(missing, [], `artifacts missing in ${ARTIFACTS_DIR}: run scripts/build.sh`);
    x = await deployDetectOnly();
    server = await startLcdServer({ chain: x.chain, contracts: x.contracts, names: x.names, port: 0 });
  });
  after(async () => server?.close());

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run([...argv, "--node", server.url], { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const watch = () => cli("watch", "--once", "--pause", "--draft", draft);

  test("block by block: ok until the push; the push's block is a violation; report, guardian pause, draft; the close is refused", async (t) => {
    const { chain, vault } = x;
    const q = <T>(msg: unknown) => chain.client("deployer").query<T>(vault, msg);
    // Before the exploit: every block holds, and the watcher sends nothing.
    let okBlocks = 0;
    await honestPart(x, async () => {
      const h = chain.app.height;
      const r = await watch();
      assert.equal(r.code, EXIT.ok, r.err);
      const ev = lines(r.out);
      assert.deepEqual(new Set(ev.map((e) => e.event)), new Set(["ok"]), r.out);
      assert.deepEqual(ev.map((e) => e.invariant).sort(), ["oracle_agreement", "solvency"]);
      assert.ok(ev.every((e) => e.height === h && e.target === vault));
      assert.equal(chain.app.height, h, "nothing sent while every invariant holds");
      okBlocks++;
    });
    const beforePush = chain.app.height; // E-1
    const guardianBank = BigInt((await chain.client("deployer").balance(x.names.guardian, COLLATERAL)).amount);

    // Block E: the compromised feeder's +19.6 %, under the 20 % breaker, NOT refused in-line.
    const push = await chain.client("feeder").execute(vault, { push_price: { market: MARKET, price: "122" } });
    assert.ok(!push.events.some((e) => e.type === "wasm-invariant_refused"), "detect-only: the push is taken");
    assert.equal((await q<PriceResponse>({ price: { market: MARKET } })).price?.price, "122");
    const exploit = push.height;
    assert.equal(exploit, beforePush + 1);

    const r = await watch();
    assert.equal(r.code, EXIT.ok, r.err);
    const ev = lines(r.out);
    const violation = ev.find((e) => e.event === "violation" && e.invariant === "oracle_agreement");
    assert.ok(violation, r.out);
    assert.equal(violation.height, exploit, "detected at the push's block");
    assert.equal(violation.deviation_bps, 1960);
    assert.equal(violation.bound_bps, 500);
    // Solvency holds: the insurance fund covers mallory's unrealised 20,000.
    assert.ok(ev.some((e) => e.event === "ok" && e.invariant === "solvency"), r.out);

    const report = ev.find((e) => e.event === "report")!;
    assert.ok(report, r.out);
    assert.equal(report.incident, 1);
    assert.equal(report.last_held_height, beforePush);
    assert.deepEqual(report.accounts, [x.names.feeder]);
    assert.deepEqual(report.bounty, { denom: COLLATERAL, amount: BOUNTY.toString() });
    const latency = (report.height as number) - exploit;
    assert.equal(report.latency_blocks, latency);
    assert.equal(latency, 1, "reported in the block after the exploit");
    t.diagnostic(`detection latency: exploit block ${exploit} -> report block ${report.height} = ${latency} block(s) (watcher polling every block; ${okBlocks} honest blocks held before)`);
    console.log(`# rewind watch detection latency: exploit at block ${exploit}, Report at block ${report.height}: ${latency} block(s)`);

    // On chain: the incident, the report's own pause, the bounty.
    const incident = await q<Incident>({ incident: { id: 1 } });
    assert.equal(incident.invariant, "oracle_agreement");
    assert.equal(incident.last_held_height, beforePush);
    assert.equal(incident.reporter, x.names.guardian);
    assert.ok(incident.paused_until);
    const after = BigInt((await chain.client("deployer").balance(x.names.guardian, COLLATERAL)).amount);
    assert.equal(after - guardianBank, BOUNTY, "the bounty is paid to the reporter");

    // The guardian's pauses: trade and withdraw, for the policy's maximum (the report's breaker
    // pause lasts 6 h only).
    const pauses = ev.filter((e) => e.event === "pause" && !e.skipped);
    assert.deepEqual(pauses.map((e) => e.scope), ["trade", "withdraw"], r.out);
    assert.ok(pauses.every((e) => e.duration_seconds === x.settings.pausePolicy.max_pause_seconds));
    const g = await chain.client("deployer").query<{ scopes: { scope: string; paused: boolean; paused_by?: string }[] }>(x.contracts.guardian, { pause_status: { target: vault } });
    for (const s of ["trade", "withdraw"]) assert.equal(g.scopes.find((p) => p.scope === s)?.paused_by, x.names.guardian, s);

    // The draft: restore to E-1, excluding the feeder; written to the file; nothing proposed.
    const d = ev.find((e) => e.event === "draft")!;
    assert.ok(d, r.out);
    assert.equal(d.candidate_height, beforePush);
    assert.equal(d.source, "incident");
    assert.deepEqual(d.exclusions, [x.names.feeder]);
    assert.match(d.command as string, new RegExp(`^rewind propose restore --network local --target ${vault} --height ${beforePush} --exclude ${x.names.feeder} --policy pro-rata --expedited`));
    const digest = await q<{ digest: string }>({ digest_at: { height: beforePush } });
    const file = JSON.parse(readFileSync(draft, "utf8")) as { drafts: { msg: { propose_restoration: { candidates: unknown; exclusions: string[] } } }[] };
    assert.deepEqual(file.drafts[0].msg.propose_restoration.candidates, [{ height: beforePush, expected_digests: [digest.digest] }]);
    const proposals = await chain.client("deployer").query<{ proposals: unknown[] }>(x.contracts.governance, { proposals: { limit: 10 } });
    assert.deepEqual(proposals.proposals, [], "the watcher submits no proposal");
    // The draft is one the CLI accepts: its dry run builds the same message.
    const dry = await cli("propose", "restore", "--target", vault, "--height", String(beforePush), "--exclude", x.names.feeder, "--expedited", "--dry-run", "--json");
    assert.equal(dry.code, EXIT.ok, dry.err);
    assert.deepEqual(JSON.parse(dry.out).msg.propose_restoration.candidates, file.drafts[0].msg.propose_restoration.candidates);

    // The attacker's close and withdrawal: refused by the pause, now and after the report's own
    // 6 h pause ended (the guardian's holds).
    const refused = async (who: string, msg: unknown) => assert.rejects(chain.client(who).execute(vault, msg), /paused/);
    await refused("mallory", { close_position: { market: MARKET } });
    await refused("mallory", { withdraw: { denom: COLLATERAL, amount: "32000" } });
    chain.advanceTime(x.settings.vault.breaker_pause_seconds + 60, 1);
    const status = await q<PauseStatusResponse>({ pause_status: {} });
    assert.ok(status.scopes.find((s) => s.scope === "trade")?.blocked);
    await refused("mallory", { close_position: { market: MARKET } });

    // The next block: still broken, already handled: a duplicate, no second incident, no new pause.
    const again = await watch();
    assert.equal(again.code, EXIT.ok, again.err);
    const ev2 = lines(again.out);
    assert.ok(ev2.some((e) => e.event === "violation"));
    assert.equal(ev2.find((e) => e.event === "report")?.duplicate, true, again.out);
    assert.ok(ev2.filter((e) => e.event === "pause").every((e) => e.skipped), again.out);
    assert.equal((await q<IncidentsResponse>({ incidents: {} })).incidents.length, 1);
  });
});

describe("watchOnce in-process (as a demo story calls it), block by block", () => {
  test("one state across blocks: ok, then the violation at the push, the report in the next block, the draft", async (t) => {
    const x = await deployDetectOnly();
    const reader = new ClientReader(x.chain.client("deployer"));
    const opts = { reporter: new ClientSigner(x.chain.client("keeper")), guardian: new ClientSigner(x.chain.client("guardian")), contracts: x.contracts };
    const state = newWatchState();
    const all: WatchEvent[] = [];
    await honestPart(x, async () => {
      all.push(...(await watchOnce(reader, [x.vault], opts, state)));
    });
    assert.ok(all.every((e) => e.event === "ok"));
    const beforePush = x.chain.app.height;
    assert.equal(state.lastHeld.get(x.vault), beforePush);
    assert.deepEqual(await watchOnce(reader, [x.vault], opts, state), [], "no new height: nothing evaluated");
    const push = await x.chain.client("feeder").execute(x.vault, { push_price: { market: MARKET, price: "122" } });
    const ev = await watchOnce(reader, [x.vault], opts, state);
    assert.deepEqual(ev.map((e) => e.event), ["violation", "report", "pause", "pause", "draft", "ok"]);
    const report = ev[1];
    assert.equal(report.reporter, x.names.keeper);
    assert.equal(report.latency_blocks, 1);
    t.diagnostic(`in-process detection latency: exploit block ${push.height} -> report block ${report.height} = ${report.latency_blocks} block(s)`);
    assert.equal(ev[4].candidate_height, beforePush);
    assert.deepEqual(ev[4].exclusions, [x.names.feeder]);
    // Handled: the next block alerts again but sends nothing more.
    x.chain.advanceTime(6, 1);
    const h = x.chain.app.height;
    assert.deepEqual((await watchOnce(reader, [x.vault], opts, state)).map((e) => e.event), ["violation", "ok"]);
    assert.equal(x.chain.app.height, h);
  });
});
