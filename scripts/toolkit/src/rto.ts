/**
 * RTO and RPO figures of a story run, measured from the exploit (block E): blocks and time to
 * containment (the trade/withdraw pause in force), to the restoration executing, to its
 * completion, and to reopening (trading and withdrawals open again), and the honest
 * executions and value lost (the RPO). The demo prints them side by side (formatRtoTable).
 */
import type { ContainedResult } from "./contained-story";
import type { FastTrackResult } from "./fast-track-story";
import type { ScenarioResult, TimelineRow } from "./scenario";
import { fmtDuration } from "./scenario";

/** blocks and seconds after the exploit; null: does not happen in the story. */
export interface Span {
  blocks: number;
  seconds: number;
}

export interface RtoFigures {
  story: string;
  containment: Span | null;
  restorationExecuting: Span | null;
  restorationComplete: Span | null;
  reopening: Span | null;
  honestExecutionsLost: number;
  honestValueLost: bigint;
}

const secs = (iso: string) => Date.parse(iso) / 1000;

function span(from: TimelineRow, to: TimelineRow | undefined): Span | null {
  return to ? { blocks: to.height - from.height, seconds: secs(to.time) - secs(from.time) } : null;
}

/** The undetected story's figures, from its timeline and its restoration report. */
export function undetectedFigures(r: ScenarioResult): RtoFigures {
  const rows = r.timeline.filter((t) => t.ok);
  const exploit = rows.find((t) => t.height === r.attackHeight)!;
  const find = (pred: (t: TimelineRow) => boolean) => rows.filter((t) => t.height >= r.attackHeight).find(pred);
  const pauses = rows.filter((t) => t.actor === "guardian" && /^pause (trade|withdraw) of the vault/.test(t.action));
  const ends = rows.filter((t) => t.actor === "guardian" && /^end the (trade|withdraw) pause/.test(t.action));
  return {
    story: "undetected",
    containment: span(exploit, pauses[pauses.length - 1]),
    restorationExecuting: span(exploit, find((t) => t.actor === "keeper" && t.action.startsWith("execute operation") && !t.action.includes("[probe]"))),
    restorationComplete: span(exploit, find((t) => t.actor === "keeper" && t.result.startsWith("complete"))),
    reopening: span(exploit, ends[ends.length - 1]),
    honestExecutionsLost: r.replay.lost,
    honestValueLost: r.accounts.filter((a) => !a.frozen).reduce((s, a) => s + a.haircut, 0n),
  };
}

/** The contained story's figures: contained in the exploit's block, no restoration. */
export function containedFigures(r: ContainedResult): RtoFigures {
  const e = secs(r.timeline.find((t) => t.height === r.attackHeight)!.time);
  return {
    story: "contained",
    containment: r.containedHeight === r.attackHeight ? { blocks: 0, seconds: 0 } : null,
    restorationExecuting: null,
    restorationComplete: null,
    reopening: { blocks: r.reopenHeight - r.attackHeight, seconds: Number(r.reopenTime / 1_000_000_000n) - e },
    honestExecutionsLost: 0,
    honestValueLost: r.honestValueLost,
  };
}

/** The fast-track story's figures: contained by the watcher's report, restored on the fast track. */
export function fastTrackFigures(r: FastTrackResult): RtoFigures {
  const at = (height: number, time: bigint): Span => ({ blocks: height - r.attackHeight, seconds: Number((time - r.attackTime) / 1_000_000_000n) });
  return {
    story: "fast track",
    containment: at(r.reportHeight, r.reportTime),
    restorationExecuting: at(r.executedHeight, r.executedTime),
    restorationComplete: at(r.completeHeight, r.completeTime),
    reopening: at(r.reopenHeight, r.reopenTime),
    honestExecutionsLost: 0,
    honestValueLost: r.honestValueLost,
  };
}

function cell(s: Span | null, none: string): string {
  return s ? `${s.blocks} block${s.blocks === 1 ? "" : "s"}, ${s.seconds < 3600 ? `${s.seconds} s` : fmtDuration(s.seconds)}` : none;
}

/** The table: one column per story, then whether the goals (containment 0 blocks, RPO 0) are met by the first. */
export function formatRtoTable(figs: RtoFigures[]): string {
  const rows: string[][] = [
    ["containment (pause in force)", ...figs.map((f) => cell(f.containment, "never"))],
    ["restoration executing", ...figs.map((f) => cell(f.restorationExecuting, "none needed"))],
    ["restoration complete", ...figs.map((f) => cell(f.restorationComplete, "none needed"))],
    ["reopening (trade, withdraw)", ...figs.map((f) => cell(f.reopening, "not reopened"))],
    ["RPO: honest executions lost", ...figs.map((f) => String(f.honestExecutionsLost))],
    ["honest value lost (uusdc)", ...figs.map((f) => String(f.honestValueLost))],
  ];
  const headers = ["from the exploit (block E) to", ...figs.map((f) => f.story)];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const f = figs[0];
  const goal = (ok: boolean) => (ok ? "met" : "NOT met");
  return [
    line(headers),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
    f.story === "fast track"
      ? `goals (${f.story}): reopening within 12 h of the exploit ${goal(f.reopening !== null && f.reopening.seconds <= 12 * 3600)}; RPO 0 (honest executions lost) ${goal(f.honestExecutionsLost === 0)}; honest value lost ${f.honestValueLost}`
      : `goals (${f.story}): containment 0 blocks ${goal(f.containment?.blocks === 0)}; RPO 0 (honest executions lost) ${goal(f.honestExecutionsLost === 0)}; honest value lost ${f.honestValueLost}`,
  ].join("\n");
}
