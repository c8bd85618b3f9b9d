/**
 * The demo: `scripts/demo.sh [options]` (this file after setup and build).
 *
 * Runs the restoration scenario (scenario.ts) on the simulated chain over the built
 * artifacts and prints the timeline, the before/after table of every account (with its
 * executions after E-1 replayed and skipped, from the vault's ReplayReport) and the
 * restoration report with its RPO in honest executions lost, then the invariants. Exits 1
 * when any invariant fails.
 */
import { parseArgs } from "node:util";

import { verdict } from "./failed-invariants";
import { runFailedStory, STORY_MAX_OFFLINE, type FailedStoryResult } from "./failed-story";
import type { AccountRow, Policy, ScenarioResult, TimelineRow } from "./scenario";
import { COLLATERAL, fmtDuration, runScenario } from "./scenario";
import { ORACLE_BOUND_BPS, REFERENCE_FEEDER, runContainedStory, type ContainedResult } from "./contained-story";
import { runFastTrackStory, VETO_WINDOW_SECONDS } from "./fast-track-story";
import { containedFigures, fastTrackFigures, formatRtoTable, undetectedFigures } from "./rto";
import { DEFAULT_PORT, serveStory } from "./serve";

/** The stories `--story` runs. */
export const STORIES = ["default", "undetected", "fast-track", "failed-restoration"] as const;

export const USAGE = `usage: scripts/demo.sh [--story default|undetected|fast-track|failed-restoration] [--batch-size N] [--accounts N] [--policy pro-rata|insurance-first] [--no-build] [--no-probes]
       scripts/demo.sh --serve [--port N] [--no-build]

Runs the Rewind restoration scenario on the simulated chain (cw-simulate) over the built
artifacts, deployed through the same code as 'deploy.sh --network local'.

  --story S        default: the vault runs with its in-line invariants on (a reference
                   feeder alongside the feeder); the compromised feeder's push is refused
                   in its own block, the capped pause trips by itself, the attacker gains
                   nothing, no restoration is needed; the undetected story runs too, for
                   the RTO/RPO table (--batch-size, --accounts, --policy apply to that run);
                   undetected: the invariants off, the exploit lands, a guardian pauses
                   5 blocks later and the voted restoration succeeds (RPO 0);
                   fast-track: the invariants detect-only (nothing refused in-line), the
                   exploit push lands, a watcher's report contains it in the next block,
                   the guardian proposes the playbook's restoration, nobody vetoes in the
                   6 h window, it executes and the vault reopens within 12 h of the exploit;
                   prints the RTO/RPO table against the undetected story;
                   failed-restoration: a successor and a 48 h max_offline voted in peacetime,
                   the same exploit and pause, the restoration fails its digest check before
                   undoing anything, the vault settles the live ledger by the voted rule and is
                   exit-only at once; users leave (withdraw, or move to the successor), the
                   excluded attacker is frozen; prints each user's wait, what they got out and
                   their claim under the voted rule (not with --accounts or --serve; see
                   docs/DEMO.md)

  --batch-size N   crank limit per batch, 1..200 (default 25)
  --accounts N     add N honest accounts that deposit before the attack, every fourth
                   withdrawing after it (e.g. 1000 to show batching; the table then prints
                   a summary of them instead of one row each)
  --policy P       shortfall policy voted: pro-rata (default) or insurance-first
  --no-build       skip scripts/setup.sh and scripts/build.sh (artifacts/ must exist)
  --no-probes      skip the adversarial attempts (each must be refused)
  --serve          instead: run the story up to the open proposal, then serve the dashboard
                   and the LCD endpoints over the simulated chain on 127.0.0.1 (prints the
                   URL) and keep running; vote, close, execute and crank from the page or
                   with scripts/rewind (see docs/TOOLS.md)
  --port N         the --serve port (default 8645; 0 picks a free one)
  -h, --help       this text

Exit status: 0 when every invariant holds, 1 when one fails, 2 on bad options.`;

/** The named accounts get a row each; extra accounts beyond this are summarised. */
const MAX_ROWS = 20;

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function table(headers: string[], rows: string[][], rightCols: number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], rightCols.includes(i))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatTimeline(rows: TimelineRow[]): string {
  return table(
    ["block", "time (UTC)", "actor", "action", "result"],
    rows.map((r) => [String(r.height), r.time.replace("T", " ").replace("Z", ""), r.actor, r.action, r.result]),
    [0],
  );
}

function signed(n: bigint): string {
  return n > 0n ? `+${n}` : String(n);
}

/**
 * The before/after table. `replayed` / `skipped`: the account's executions after E-1 that
 * the restoration replayed / skipped (the vault's ReplayReport); `replay net`: what they did
 * to its claim (before settle - collateral at E-1).
 */
export function formatAccounts(accounts: AccountRow[]): string {
  const named = accounts.filter((a) => !a.name.startsWith("user-"));
  const extras = accounts.filter((a) => a.name.startsWith("user-"));
  const cells = (name: string, atH: bigint, replayed: number, skipped: number, before: bigint, haircut: bigint, claim: bigint, note: string): string[] => [
    name,
    String(atH),
    String(replayed),
    String(skipped),
    signed(before - atH),
    String(before),
    haircut === 0n ? "0" : `-${haircut}`,
    String(claim),
    note,
  ];
  const row = (a: AccountRow) => cells(a.name + (a.frozen ? " (excluded)" : ""), a.atH, a.replayed, a.skipped, a.before, a.haircut, a.claim, a.frozen ? "frozen" : "");
  const sum = (list: AccountRow[], name: string, note: string) =>
    cells(
      name,
      list.reduce((s, a) => s + a.atH, 0n),
      list.reduce((s, a) => s + a.replayed, 0),
      list.reduce((s, a) => s + a.skipped, 0),
      list.reduce((s, a) => s + a.before, 0n),
      list.reduce((s, a) => s + a.haircut, 0n),
      list.reduce((s, a) => s + a.claim, 0n),
      note,
    );
  const rows = (extras.length <= MAX_ROWS ? accounts : named).map(row);
  if (extras.length > MAX_ROWS) rows.push(sum(extras, `${extras[0].name}..${extras[extras.length - 1].name} (${extras.length})`, "sum"));
  rows.push(sum(accounts, "TOTAL", ""));
  return table(["account", "collateral at E-1", "replayed", "skipped", "replay net", "before settle", "haircut", "claim", ""], rows, [1, 2, 3, 4, 5, 6, 7]);
}

/** The RPO line: honest executions after E-1 lost, against the flows-only restoration's figure. */
export function formatRpo(r: ScenarioResult): string {
  const s = r.replay;
  const other = s.otherSkipped ? `, skipped otherwise ${s.otherSkipped}` : "";
  return `RPO: honest executions lost ${s.lost} (replayed ${s.replayed}, skipped excluded ${s.skippedExcluded}, failed ${s.failed}${other}); before honest replay (flows only): ${s.lostFlowsOnly} honest executions lost`;
}

export function formatReport(r: ScenarioResult): string {
  const rep = r.report;
  const lines = [
    `restoration ${rep.restoration_id}: vault restored to height ${rep.height} (attack at ${r.attackHeight}), started at ${rep.started_at_height}, complete at ${rep.completed_at_height}`,
    `policy ${rep.shortfall_policy}; excluded ${rep.exclusions.map((a) => r.accounts.find((x) => x.address === a)?.name ?? a).join(", ")}`,
    // The report's `replayed_flows` / `skipped_flows` fields count executions since the vault replays them all.
    `undone journal entries ${rep.undone_entries}, positions unwound ${rep.unwound_positions}, executions replayed ${rep.replayed_flows}, skipped ${rep.skipped_flows}`,
    formatRpo(r),
    `cranks ${r.cranks} (batch size ${r.batchSize})`,
  ];
  for (const d of rep.denoms) {
    lines.push(
      `${d.denom}: bank ${d.bank_balance}, claims before ${d.claims_before}, shortfall ${d.shortfall}`,
      `  frozen claims ${d.frozen_before} -> ${d.frozen_after}; insurance ${d.insurance_before}, used ${d.insurance_used}`,
      `  haircut ${d.haircut_shortfall} (ratio ${d.haircut_ratio}); claims after ${d.claims_after}; surplus ${d.surplus}, overdraft ${d.overdraft}`,
    );
  }
  return lines.join("\n");
}

/** The contained story's accounts: claim at E-1, at the end, and what moved it. */
export function formatContainedAccounts(c: ContainedResult): string {
  const notes: Record<string, string> = { bob: "his own short closed at 102 after the pause", carol: "withdrew 5000 after the pause", dave: "deposited 4000 in the pause", mallory: "close and withdraw refused; closed at 102 after (0)" };
  const rows = [...c.claims].map(([n, [a, b]]) => [n, String(a), String(b), signed(b - a), notes[n] ?? ""]);
  rows.push(["vault bank", String(c.bankAtH), String(c.bankAfter), signed(c.bankAfter - c.bankAtH), ""]);
  return table(["account", "claim at E-1", "at the end", "difference", ""], rows, [1, 2, 3]);
}

export function formatInvariants(r: Pick<ScenarioResult, "invariants">): string {
  return r.invariants.map((i) => `${i.ok ? "PASS" : "FAIL"}  ${i.name}: ${i.detail}`).join("\n");
}

function isoTime(nanos: bigint): string {
  return new Date(Number(nanos / 1_000_000n)).toISOString().replace(/\.\d{3}Z$/, "").replace("T", " ");
}

/**
 * The failed-restoration story's table: per account, its claim in the live ledger just before
 * the restoration, its claim under the voted rule on that ledger (recomputed in TS), what the
 * vault settled, how it left, how long it waited ("waited": from the guardian's pause to the
 * block that took its last funds out), what it got out of the vault and of the successor, and
 * the difference with the voted rule.
 */
export function formatExits(r: FailedStoryResult): string {
  const waited = (e: (typeof r.exits)[number]) =>
    e.outAt !== null ? fmtDuration(Number((e.outAt - r.pausedAt) / 1_000_000_000n)) : e.voted === 0n && e.fromVault + e.fromSuccessor === 0n ? "nothing owed" : "still waiting";
  const signed = (d: bigint) => (d > 0n ? `+${d}` : String(d));
  const rows = r.exits.map((e) => {
    const got = e.fromVault + e.fromSuccessor;
    return [
      e.name + (e.name === "mallory" ? " (excluded)" : ""),
      e.how === "move" ? (e.moved > 0n ? "move" : "move refused") : "withdraw",
      waited(e),
      String(e.ledgerBefore),
      String(e.voted),
      e.reported === null ? "-" : String(e.reported),
      String(e.fromVault),
      String(e.fromSuccessor),
      String(got),
      signed(got - e.voted),
    ];
  });
  const sum = (f: (e: (typeof r.exits)[number]) => bigint) => String(r.exits.reduce((s, e) => s + f(e), 0n));
  rows.push([
    "TOTAL",
    "",
    "",
    sum((e) => e.ledgerBefore),
    sum((e) => e.voted),
    sum((e) => e.reported ?? 0n),
    sum((e) => e.fromVault),
    sum((e) => e.fromSuccessor),
    sum((e) => e.fromVault + e.fromSuccessor),
    signed(r.exits.reduce((s, e) => s + e.fromVault + e.fromSuccessor - e.voted, 0n)),
  ]);
  return table(["account", "way out", "waited", "live ledger", "voted-rule claim", "vault settled", "from vault", "from successor", "got out", "difference"], rows, [3, 4, 5, 6, 7, 8, 9]);
}

export function formatFailedReport(r: FailedStoryResult): string {
  const coins = (cs: ReadonlyArray<{ denom: string; amount: string }>) => (cs.length ? cs.map((c) => `${c.amount} ${c.denom}`).join(", ") : "0");
  const moved = r.invariantInput.moves;
  const s = r.vaultStatus;
  const d = r.report?.denoms.find((x) => x.denom === COLLATERAL);
  const offline = r.offline.find((o) => o.at >= r.invariantInput.failedAt);
  return [
    `restoration to E-1 = ${r.restoreHeight}: failed: ${r.failure.replace(/^.*?(digest mismatch at height \d+).*$/, "$1")} (found by the verify pass before anything was undone: undone ${s.undone_entries})`,
    r.settlementRefused
      ? `settlement refused (row R11): ${r.settlementRefused.slice(-160)}; the vault stays locked until its lock ends`
      : `vault after the failure: phase ${s.phase}, digest_verified ${s.digest_verified}, exit_only ${s.exit_only}; offline_status exit_only ${offline?.exit_only}, stopped ${offline ? fmtDuration(offline.stopped_seconds) : "?"} of max_offline ${fmtDuration(STORY_MAX_OFFLINE)}`,
    d
      ? `settled the live ledger (${r.policy}): claims ${d.claims_before} against bank ${d.bank_balance}, shortfall ${d.shortfall} (frozen absorbed ${BigInt(d.frozen_before) - BigInt(d.frozen_after)}, insurance ${d.insurance_used}, haircut ${d.haircut_shortfall}); claims after ${d.claims_after}; frozen ${r.report!.exclusions.length} (${r.report!.exclusions.map((a) => (a === r.exits.find((e) => e.name === "mallory")?.address ? "mallory" : "feeder")).join(", ")})`
      : "no settlement report",
    `bank when exit-only began ${r.bankAtExitOnly}; moved to the successor: ${r.successorCredited} ${COLLATERAL} in ${moved.length} moves (${moved.map((m) => `${m.name} ${m.amount}`).join(", ") || "none"}); bank left ${r.bankAfter}`,
    `remaining_claims: remaining ${coins(r.remaining.remaining)}; moved ${coins(r.remaining.moved)}; moves ${r.remaining.moves}`,
  ].join("\n");
}

export function formatFailedInvariants(r: FailedStoryResult): string {
  return r.invariants.map((i) => `${verdict(i).padEnd(4)}  ${i.name}: ${i.detail}`).join("\n");
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        story: { type: "string", default: "default" },
        "batch-size": { type: "string", default: "25" },
        accounts: { type: "string", default: "0" },
        policy: { type: "string", default: "pro-rata" },
        "no-build": { type: "boolean", default: false },
        "no-probes": { type: "boolean", default: false },
        serve: { type: "boolean", default: false },
        port: { type: "string", default: String(DEFAULT_PORT) },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const story = values.story as (typeof STORIES)[number];
  if (!STORIES.includes(story)) {
    process.stderr.write(`--story must be ${STORIES.join(" or ")}, got ${values.story}\n${USAGE}\n`);
    return 2;
  }
  if (story === "failed-restoration" && (values.serve || values.accounts !== "0")) {
    process.stderr.write(`--story failed-restoration takes neither --serve nor --accounts\n${USAGE}\n`);
    return 2;
  }
  if (values.serve) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`--port must be 0..65535, got ${values.port}\n`);
      return 2;
    }
    await serveStory(port, out);
    return new Promise<number>((resolve) => {
      process.once("SIGINT", () => resolve(0));
      process.once("SIGTERM", () => resolve(0));
    });
  }
  const policy = values.policy as Policy;
  const batchSize = Number(values["batch-size"]);
  const accounts = Number(values.accounts);
  if (policy !== "pro-rata" && policy !== "insurance-first") {
    process.stderr.write(`--policy must be pro-rata or insurance-first, got ${values.policy}\n`);
    return 2;
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 200 || !Number.isInteger(accounts) || accounts < 0) {
    process.stderr.write("--batch-size must be 1..200 and --accounts a non-negative integer\n");
    return 2;
  }

  if (story === "failed-restoration") {
    out(`Rewind demo, story failed-restoration: simulated chain, policy ${policy}, batch size ${batchSize}, max_offline ${fmtDuration(STORY_MAX_OFFLINE)} (amounts in ${COLLATERAL})\n`);
    out("== timeline");
    const r = await runFailedStory({ batchSize, policy, probes: !values["no-probes"] });
    out(formatTimeline(r.timeline));
    out(`\n== exits (waited: from the guardian's pause, block ${r.pauseHeight} at ${isoTime(r.pausedAt)}, ${Number((r.pausedAt - r.attackTime) / 1_000_000_000n)} s after E = ${r.attackHeight}, to the block that took the account's last funds out)`);
    out(formatExits(r));
    out("\n== failed restoration and moves");
    out(formatFailedReport(r));
    out("\n== invariants");
    out(formatFailedInvariants(r));
    const failed = r.invariants.filter((i) => verdict(i) === "FAIL");
    out(`\n${failed.length === 0 ? "all invariants hold" : `${failed.length} invariant(s) FAILED`} (${r.invariants.length} checked, ${(r.elapsedMs / 1000).toFixed(1)} s)`);
    return failed.length === 0 ? 0 : 1;
  }

  if (story === "fast-track") {
    out(`Rewind demo, story fast-track: simulated chain, vault invariants detect-only, playbook veto window ${fmtDuration(VETO_WINDOW_SECONDS)} (amounts in ${COLLATERAL})\n`);
    out("== timeline");
    const f = await runFastTrackStory();
    out(formatTimeline(f.timeline));
    const u = await runScenario({ batchSize, accounts, policy, probes: !values["no-probes"] });
    const uFailed = u.invariants.filter((i) => !i.ok);
    out(`\n== RTO / RPO (fast track: this run, detection latency ${f.reportHeight - f.attackHeight} block; undetected: --story undetected, run in the same process: ${uFailed.length === 0 ? `all ${u.invariants.length} of its invariants hold` : `${uFailed.length} of its invariants FAILED`})`);
    out(formatRtoTable([fastTrackFigures(f), undetectedFigures(u)]));
    out("\n== invariants");
    out(formatInvariants(f));
    const failed = f.invariants.filter((i) => !i.ok);
    out(`\n${failed.length === 0 ? "all invariants hold" : `${failed.length} invariant(s) FAILED`} (${f.invariants.length} checked, ${((f.elapsedMs + u.elapsedMs) / 1000).toFixed(1)} s)`);
    return failed.length === 0 && uFailed.length === 0 ? 0 : 1;
  }

  if (story === "default") {
    out(`Rewind demo, story contained (default): simulated chain, vault invariants on (reference feeder "${REFERENCE_FEEDER}", oracle bound ${ORACLE_BOUND_BPS / 100} %, solvency) (amounts in ${COLLATERAL})\n`);
    out("== timeline");
    const c = await runContainedStory();
    out(formatTimeline(c.timeline));
    out(`\n== accounts: claim at E-1 / at the end (E = ${c.attackHeight})`);
    out(formatContainedAccounts(c));
    out(`\n== restoration: none needed (the push was refused in its own block ${c.attackHeight}; nothing to undo; the pause of ${fmtDuration(c.pauseSeconds)} ended by itself)`);
    const u = await runScenario({ batchSize, accounts, policy, probes: !values["no-probes"] });
    const uFailed = u.invariants.filter((i) => !i.ok);
    out(`\n== RTO / RPO (contained: this run; undetected: --story undetected, run in the same process: ${uFailed.length === 0 ? `all ${u.invariants.length} of its invariants hold` : `${uFailed.length} of its invariants FAILED`})`);
    out(formatRtoTable([containedFigures(c), undetectedFigures(u)]));
    out("\n== invariants");
    out(formatInvariants(c));
    const failed = c.invariants.filter((i) => !i.ok);
    out(`\n${failed.length === 0 ? "all invariants hold" : `${failed.length} invariant(s) FAILED`} (${c.invariants.length} checked, ${((c.elapsedMs + u.elapsedMs) / 1000).toFixed(1)} s)`);
    return failed.length === 0 && uFailed.length === 0 ? 0 : 1;
  }

  out(`Rewind demo: simulated chain, policy ${policy}, batch size ${batchSize}, ${accounts} extra accounts (amounts in ${COLLATERAL})\n`);
  out("== timeline");
  const result = await runScenario({ batchSize, accounts, policy, probes: !values["no-probes"] });
  out(formatTimeline(result.timeline));
  out(`\n== accounts: before / after (E = ${result.attackHeight}, restored to E-1 = ${result.restoreHeight})`);
  out(formatAccounts(result.accounts));
  out("\n== restoration report");
  out(formatReport(result));
  out("\n== RTO / RPO");
  out(formatRtoTable([undetectedFigures(result)]));
  out("\n== invariants");
  out(formatInvariants(result));
  const failed = result.invariants.filter((i) => !i.ok);
  out(`\n${failed.length === 0 ? "all invariants hold" : `${failed.length} invariant(s) FAILED`} (${result.invariants.length} checked, ${(result.elapsedMs / 1000).toFixed(1)} s)`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
