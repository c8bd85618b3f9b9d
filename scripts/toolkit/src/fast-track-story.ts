/**
 * The fast-track story (`--story fast-track`, issue 16 item 4): the vault watches its
 * invariants without enforcing them in-line (detect-only, `in_line: false`), so the
 * compromised feeder's +19.6 % push at block E is accepted. A watcher reports the broken
 * oracle agreement in the next block: the vault records incident 1 (the height before the
 * push, the feeder named), pauses trade and withdraw and pays the reporter's bounty, so
 * mallory's close and withdrawal meet the pause. The guardian proposes the restoration the
 * vault's peacetime playbook pre-approves (voted on the normal track before the story):
 * restore to E-1, exclude the feeder, rotate to the backup feeder. Nobody vetoes in the
 * 6 h window; the keeper executes the timelock operation and cranks it to completion; the
 * backup feeder pushes the honest price and honest users trade and withdraw again.
 * No bounty budget is funded here (only the vault's wasm admin, the executor, sets one after
 * a vote); the reward path is covered by the vault's I6-I8 tests.
 */
import type { ExecuteMsg as GovExecuteMsg, ProposalResponse } from "../../ts-client/RewindGovernance.types";
import type { RestorationResponse } from "../../ts-client/RewindExecutor.types";
import type { AccountResponse, Incident, PriceResponse, ReplayReportResponse, RestorationReport, ExecuteMsg as VaultExecuteMsg } from "../../ts-client/RewindVault.types";
import type { Coin, ExecResult } from "./client";
import { wasmAttributes } from "./client";
import { ClientReader, ClientSigner } from "./cli/api";
import type { Invariant } from "./invariants";
import { mergeSettings } from "./plan";
import { COLLATERAL, deployStory, fmtDuration, HOLDERS, NEW_FEEDER, rotateFeeder, storySenders, tradeUntilAttack, USERS, type TimelineRow } from "./scenario";
import { newWatchState, watchOnce, type WatchEvent } from "./watch";

const MARKET = "BTC-PERP";
const REFERENCE = "reference";
/** The playbook's veto window and threshold (bounded in code: 4-12 h, (0, 1/2]). */
export const VETO_WINDOW_SECONDS = 6 * 3600;
const VETO_THRESHOLD = "0.334";
const BLOCK_SECONDS = 6;
/** The goal: reopening within 12 h of the exploit. */
export const FAST_TRACK_GOAL_SECONDS = 12 * 3600;

export interface FastTrackResult {
  attackHeight: number;
  attackTime: bigint;
  /** The block the watcher's report landed in (the pause took effect). */
  reportHeight: number;
  reportTime: bigint;
  incident: Incident;
  proposalId: number;
  operationId: number;
  executedHeight: number;
  executedTime: bigint;
  completeHeight: number;
  completeTime: bigint;
  reopenHeight: number;
  reopenTime: bigint;
  cranks: number;
  timeline: TimelineRow[];
  /** name -> [claim at E-1, claim at the end]. */
  claims: Map<string, [bigint, bigint]>;
  /** The honest accounts' loss: the settlement's pro-rata haircut (below). */
  honestValueLost: bigint;
  /** The vault's restoration report: the positions unwound, the shortfall and its haircut. */
  report: RestorationReport;
  invariants: Invariant[];
  elapsedMs: number;
}

const coin = (amount: bigint): Coin[] => [{ denom: COLLATERAL, amount: amount.toString() }];

export async function runFastTrackStory(opts: { artifactsDir?: string; onRow?: (row: TimelineRow) => void } = {}): Promise<FastTrackResult> {
  const started = Date.now();
  const { chain, deployer, settings, addr, timeline, names, record } = await deployStory({
    ...opts,
    // Detect-only: the invariants are declared and reports prove them, but no execution is refused in-line.
    configure: (chain, base) =>
      mergeSettings(base, {
        vault: { ...base.vault, invariants: { oracle_bound_bps: 500, reference_feeder: chain.addr(REFERENCE), solvency: true, in_line: false } },
      }),
  });
  const who = (n: string) => chain.addr(n);
  for (const [key, a] of Object.entries(addr)) names.set(a, key);
  for (const n of ["guardian", "feeder", NEW_FEEDER, REFERENCE, "keeper", "watcher", "insurance", "mallory", ...USERS.map(([n]) => n), ...HOLDERS.map(([n]) => n)]) names.set(who(n), n);
  await record("deployer", "deploy 6 contracts; vault invariants detect-only (in_line: false: reports prove them, nothing is refused in-line)", `vault ${addr.vault.slice(0, 14)}...`, true);

  const senders = storySenders(chain, record);
  const act = senders.act;
  /** A vault execution that may be refused (recorded, not thrown); the watcher then looks. */
  const attempt = async (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[]) => {
    const refused = await senders.attempt(actor, action, addr.vault, msg, funds);
    if (refused === null) await tick();
    return refused;
  };
  // The watcher (rewind watch's in-process core) follows every block from the first trade
  // on: it reports as "watcher" and pauses with the guardian key, for the veto window and
  // the crank.
  const guardianPause = Math.min(VETO_WINDOW_SECONDS + 3600, settings.pausePolicy.max_pause_seconds);
  const watchReader = new ClientReader(chain.client("deployer"));
  const watchOpts = {
    reporter: new ClientSigner(chain.client("watcher")),
    guardian: new ClientSigner(chain.client("guardian")),
    contracts: { governance: addr.gov, timelock: addr.timelock, guardian: addr.guardian, executor: addr.executor, vault: addr.vault },
    pauseSeconds: guardianPause,
  };
  const watchState = newWatchState();
  let watching = false;
  const watched: WatchEvent[] = [];
  const tick = async () => {
    if (!watching) return;
    for (const e of await watchOnce(watchReader, [addr.vault], watchOpts, watchState)) {
      watched.push(e);
      if (e.event === "violation") await record("watcher", `sees ${e.invariant} broken at ${e.height}`, String(e.reason), true, e.height);
      if (e.event === "report" && !e.duplicate) await record("watcher", `report ${e.invariant}`, `incident ${e.incident} recorded (last held ${e.last_held_height}); trade and withdraw paused by the report; ${e.latency_blocks} block after the exploit`, true, e.height);
      if (e.event === "pause" && !e.skipped) await record("watcher", `pause ${e.scope} with the guardian key for ${fmtDuration(Number(e.duration_seconds))} (veto window + crank)`, "ok", true, e.height);
      if (e.event === "draft") await record("watcher", "draft the restoration (never sent)", `height ${e.candidate_height}, exclude ${(e.exclusions as string[]).join(", ")}`, true, e.height);
    }
  };
  const vault = async (actor: string, action: string, msg: VaultExecuteMsg, funds?: Coin[], d?: (r: ExecResult) => string) => {
    const r = await act(actor, action, addr.vault, msg, funds, d);
    await tick();
    return r;
  };
  const gov = (actor: string, action: string, msg: GovExecuteMsg, funds?: Coin[], d?: (r: ExecResult) => string) => act(actor, action, addr.gov, msg, funds, d);
  const push = async (price: string, feeder = "feeder") => {
    await vault(REFERENCE, `push reference ${MARKET} = ${price}`, { push_reference_price: { market: MARKET, price } });
    return vault(feeder, `push ${MARKET} = ${price}`, { push_price: { market: MARKET, price } });
  };
  const claimOf = async (name: string) => {
    const a = await deployer.query<AccountResponse>(addr.vault, { account: { address: who(name) } });
    const free = BigInt(a.collateral.find((c) => c.denom === COLLATERAL)?.amount ?? "0");
    return free + a.positions.filter((p) => p.denom === COLLATERAL).reduce((s, p) => s + BigInt(p.margin), 0n);
  };
  const advance = async (seconds: number, why: string) => {
    chain.advanceTime(seconds, Math.ceil(seconds / BLOCK_SECONDS));
    await record("chain", `${fmtDuration(seconds)} pass (${why})`, "", true);
  };

  for (const [name, amount] of USERS) chain.fund(who(name), coin(amount * 2n));
  chain.fund(who("insurance"), coin(20_000n));
  chain.fund(who("mallory"), coin(12_000n));
  for (const [name, amount] of HOLDERS) chain.fund(who(name), [{ denom: settings.stakeDenom, amount: (amount + 2_000_000n).toString() }]);

  // ---- peacetime: holders stake and vote the vault's fast-track playbook (normal track) ----
  for (const [name, amount] of HOLDERS) await act(name, `stake ${amount} ${settings.stakeDenom}`, addr.stake, { stake: {} }, [{ denom: settings.stakeDenom, amount: amount.toString() }]);
  const deposit = settings.deposit;
  const proposed = await gov(
    "holder-1",
    `propose the vault's fast-track playbook (veto window ${fmtDuration(VETO_WINDOW_SECONDS)}, veto ${VETO_THRESHOLD} of total power, pro rata, backup feeder ${NEW_FEEDER})`,
    {
      propose_parameters: {
        title: "Fast-track playbook for the vault",
        description: "An incident a report proves may be restored by a guardian's fast track, unless vetoed.",
        changes: [{ set_playbook: { target: addr.vault, playbook: { veto_window_seconds: VETO_WINDOW_SECONDS, veto_threshold: VETO_THRESHOLD, shortfall_policy: "pro_rata_haircut", post_restore_config: rotateFeeder(who(NEW_FEEDER)) } } }],
      },
    },
    [{ denom: deposit.denom, amount: deposit.amount }],
  );
  const playbookProposal = Number(wasmAttributes(proposed.events, addr.gov, "proposal_id")[0]);
  for (const [name] of HOLDERS) await gov(name, "vote yes", { vote: { proposal_id: playbookProposal, vote: "yes" } });
  const pb = await deployer.query<ProposalResponse>(addr.gov, { proposal: { proposal_id: playbookProposal } });
  await advance(pb.seconds_left + 1, "normal voting period");
  await gov("keeper", `close proposal ${playbookProposal}`, { close: { proposal_id: playbookProposal } }, undefined, () => "passed: playbook set");

  // ---- up to E-1: the same deposits and trades as the other stories, watched ----
  watching = true;
  await tradeUntilAttack(vault, push);
  const restoreHeight = await deployer.height();
  const accounts = ["insurance", ...USERS.map(([n]) => n), "mallory"];
  const atH = new Map<string, bigint>();
  for (const n of accounts) atH.set(n, await claimOf(n));

  // ---- block E: the compromised push, accepted (detect-only) ----
  const attack = await vault("feeder", `push ${MARKET} = 122 (compromised feeder: +19.6%, under the 20% breaker)`, { push_price: { market: MARKET, price: "122" } }, undefined, () => "accepted (detect-only: no in-line refusal)");
  const attackHeight = attack.height;
  const attackTime = await deployer.time();

  // ---- E+1: the watcher saw it at E and its report proves the oracle disagreement ----
  const reportEvent = watched.find((e) => e.event === "report" && !e.duplicate);
  if (!reportEvent) throw new Error(`the watcher did not report: ${JSON.stringify(watched.filter((e) => e.event !== "ok"))}`);
  const reportHeight = reportEvent.height;
  // No time jump between E and the report: each block adds BLOCK_SECONDS.
  const reportTime = attackTime + BigInt((reportHeight - attackHeight) * BLOCK_SECONDS) * 1_000_000_000n;
  const incident = await deployer.query<Incident>(addr.vault, { incident: { id: Number(reportEvent.incident) } });
  watching = false;
  const malloryClose = await attempt("mallory", `close long ${MARKET} (would be +20000 at 122)`, { close_position: { market: MARKET } });
  const malloryWithdraw = await attempt("mallory", `withdraw 32000 ${COLLATERAL}`, { withdraw: { denom: COLLATERAL, amount: "32000" } });

  // ---- the guardian's fast track, within what the incident supports ----
  const ft = await gov("guardian", `propose fast track for incident 1 (height ${incident.last_held_height}, exclude ${incident.accounts.map((a) => names.get(a) ?? a).join(", ")})`, { propose_fast_track: { target: addr.vault, incident_id: 1, exclusions: null } }, undefined, (r) =>
    `proposal ${wasmAttributes(r.events, addr.gov, "proposal_id")[0]}, queued as operation ${wasmAttributes(r.events, addr.timelock, "operation_id")[0] ?? "?"}; veto window ${fmtDuration(VETO_WINDOW_SECONDS)}`,
  );
  const proposalId = Number(wasmAttributes(ft.events, addr.gov, "proposal_id")[0]);
  const p0 = await deployer.query<ProposalResponse>(addr.gov, { proposal: { proposal_id: proposalId } });
  const operationId = p0.operation_id!;
  await advance(p0.seconds_left, "veto window: no holder vetoes");
  const executed = await act("keeper", `execute operation ${operationId}`, addr.timelock, { execute: { operation_id: operationId } }, undefined, () => "executor migrates the vault with Restore");
  const executedTime = await deployer.time();
  let cranks = 0;
  let state: RestorationResponse;
  let completeHeight = 0;
  for (;;) {
    const r = await chain.client("keeper").execute(addr.executor, { crank: { restoration_id: operationId, limit: 25 } });
    cranks++;
    state = await deployer.query<RestorationResponse>(addr.executor, { restoration: { restoration_id: operationId } });
    if (state.state === "complete") {
      completeHeight = r.height;
      await record("keeper", `crank batch ${cranks}`, "complete: lock released, feeder rotated", true, r.height);
      break;
    }
    if (typeof state.state === "object" || cranks > 1_000) throw new Error(`restoration did not complete: ${JSON.stringify(state.state)}`);
  }
  const completeTime = await deployer.time();
  const report = (await deployer.query<RestorationReport | null>(addr.vault, { restoration_report: { restoration_id: null } }))!;
  const replay = await deployer.query<ReplayReportResponse>(addr.vault, { replay_report: { start_after: null, limit: 100 } });
  await gov("keeper", `close proposal ${proposalId}`, { close: { proposal_id: proposalId } }, undefined, () => "executed");

  // ---- reopening: the guardian lifts its pauses, the backup feeder pushes the honest price; honest users trade and withdraw ----
  for (const scope of ["trade", "withdraw"] as const) {
    await act("guardian", `end the ${scope} pause early`, addr.guardian, { end_pause: { target: addr.vault, scope } });
  }
  await vault(REFERENCE, `push reference ${MARKET} = 102`, { push_reference_price: { market: MARKET, price: "102" } });
  await vault(NEW_FEEDER, `push ${MARKET} = 102 (backup feeder)`, { push_price: { market: MARKET, price: "102" } });
  // The restoration unwound every open position at E-1 (as in the undetected story): trading
  // reopens with a new position, withdrawals with carol's.
  const aliceOpen = await attempt("alice", `open long 10 ${MARKET} @ 102, margin 200`, { open_position: { market: MARKET, size: "10", margin: "200" } });
  const carolWithdraw = await attempt("carol", `withdraw 5000 ${COLLATERAL}`, { withdraw: { denom: COLLATERAL, amount: "5000" } });
  const reopenHeight = await deployer.height();
  const reopenTime = await deployer.time();
  const price = (await deployer.query<PriceResponse>(addr.vault, { price: { market: MARKET } })).price?.price;

  const claims = new Map<string, [bigint, bigint]>();
  for (const n of accounts) claims.set(n, [atH.get(n)!, await claimOf(n)]);
  // What each honest account holds, counting what it moved out of the ledger itself after E-1
  // (carol's 5000) and alice's 200 margin in her new position.
  const flows = new Map<string, bigint>([["carol", 5_000n]]);
  const shortOf = (n: string) => claims.get(n)![0] - claims.get(n)![1] - (flows.get(n) ?? 0n);
  const honest = accounts.filter((n) => n !== "mallory");
  const honestValueLost = honest.reduce((s, n) => s + (shortOf(n) > 0n ? shortOf(n) : 0n), 0n);
  const settled = report.denoms.find((d) => d.denom === COLLATERAL);
  const haircut = BigInt(settled?.haircut_shortfall ?? "0");
  const skippedOthers = replay.entries.filter((e) => e.sender !== who("feeder"));
  const reopenSeconds = Number((reopenTime - attackTime) / 1_000_000_000n);
  const invariants: Invariant[] = [
    {
      name: "the watcher's report contains the exploit in the next block",
      ok: reportHeight - attackHeight === 1 && incident.invariant === "oracle_agreement" && malloryClose !== null && malloryWithdraw !== null,
      detail: `push at ${attackHeight}, report at ${reportHeight} (${reportHeight - attackHeight} block); mallory's close ${malloryClose !== null ? "refused" : "ACCEPTED"}, withdrawal ${malloryWithdraw !== null ? "refused" : "ACCEPTED"}`,
    },
    {
      name: "the fast track restores exactly what the incident supports",
      ok: incident.last_held_height === restoreHeight && incident.accounts.length === 1 && incident.accounts[0] === who("feeder") && p0.fast_track === true && p0.winning_height === restoreHeight,
      detail: `incident: height ${incident.last_held_height} (E-1 = ${restoreHeight}), accounts ${incident.accounts.map((a) => names.get(a) ?? a).join(", ")}; proposal ${proposalId} fast track ${p0.fast_track}, height ${p0.winning_height}`,
    },
    {
      name: "it executes when the veto window ends, not before",
      ok: Number((executedTime - reportTime) / 1_000_000_000n) >= VETO_WINDOW_SECONDS && executed.height > reportHeight,
      detail: `executed ${fmtDuration(Number((executedTime - attackTime) / 1_000_000_000n))} after the exploit (window ${fmtDuration(VETO_WINDOW_SECONDS)})`,
    },
    {
      name: "reopened within 12 h of the exploit",
      ok: aliceOpen === null && carolWithdraw === null && reopenSeconds <= FAST_TRACK_GOAL_SECONDS && price === "102",
      detail: `alice's new position ${aliceOpen === null ? "ok" : "REFUSED"}, carol's withdrawal ${carolWithdraw === null ? "ok" : "REFUSED"} ${fmtDuration(reopenSeconds)} after the exploit; price in state ${price}`,
    },
    {
      name: "nothing honest is lost but the voted rule's haircut; mallory gains nothing",
      ok: skippedOthers.length === 0 && honestValueLost <= haircut && claims.get("mallory")![1] <= claims.get("mallory")![0],
      detail: `skipped by the replay: the feeder's push only${skippedOthers.length ? ` and ${skippedOthers.length} MORE` : ""}; ${report.unwound_positions} positions unwound at E-1, shortfall ${settled?.shortfall ?? 0} settled pro rata (haircut ${haircut}); honest ${honest.map((n) => `${n} ${claims.get(n)![0]} -> ${claims.get(n)![1]}`).join(", ")} (lost ${honestValueLost}); mallory ${claims.get("mallory")![0]} -> ${claims.get("mallory")![1]}`,
    },
  ];
  return {
    attackHeight,
    attackTime,
    reportHeight,
    reportTime,
    incident,
    proposalId,
    operationId,
    executedHeight: executed.height,
    executedTime,
    completeHeight,
    completeTime,
    reopenHeight,
    reopenTime,
    cranks,
    timeline,
    claims,
    honestValueLost,
    invariants,
    report,
    elapsedMs: Date.now() - started,
  };
}
