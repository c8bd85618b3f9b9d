/**
 * `rewind watch`: follows blocks and, at each new height, evaluates every target's declared
 * invariants and the oracle deviation through queries; on a violation it reports it
 * (`Report`), pauses through the guardian with --pause, and drafts the restoration proposal
 * (never submitted). Alerts are JSON lines on stdout, each POSTed to --webhook when given.
 * The core is ../watch/index.ts (in-process: watchOnce). See docs/TOOLS.md, "rewind watch".
 *
 * ./rewind registers it; the input checks it shares with the other commands are in
 * ./checks, so this file imports nothing from ./rewind but types.
 */
import { existsSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

import { NetworkError, UsageError } from "./api";
import { checkAddress, checkInt, checkTarget, EXIT, parseDuration } from "./checks";
import type { Command, Context } from "./rewind";
import { governanceTargets } from "./views";
import { newWatchState, watchOnce, type Draft, type WatchEvent, type WatchOptions } from "../watch";

/** A positive number of seconds (decimals allowed: 0.5). */
export function checkSeconds(field: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0) || Number(value) > 86_400) throw new UsageError(field, `expected seconds > 0 (at most 86400), got ${value}`);
  return Number(value);
}

export function checkUrl(field: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(field, `${value} is not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(field, `${value}: expected an http:// or https:// URL`);
  return value;
}

async function postWebhook(url: string, event: WatchEvent, err: (s: string) => void): Promise<void> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event), signal: AbortSignal.timeout(5_000) });
    if (!res.ok) err(`rewind watch: webhook ${url}: HTTP ${res.status} for the ${event.event} event at ${event.height}`);
  } catch (e) {
    err(`rewind watch: webhook ${url}: ${(e as Error).message} (the ${event.event} event at ${event.height})`);
  }
}

export const watch: Command = {
  name: "watch",
  summary: "follow blocks, check the invariants, report, pause, draft",
  usage: `usage: rewind watch [--target ADDR ...] [--interval SECONDS] [--blocks N | --once]
         [--webhook URL] [--pause [--pause-for DURATION]] [--draft FILE] [--dry-run]

Follows blocks (polls the latest height every --interval seconds, default 6) and, at each new
height, for each target (default: every target governance lists) evaluates each declared
invariant and the oracle deviation through queries (the vault's Invariants {}: read-only).
On a violation it sends Report { invariant } (signing as --from, default keeper; the target
proves it on-chain: incident, its own capped pause, the bounty). With --pause (--from must be
a guardian, default guardian) it also pauses, through the guardian, each scope of the
invariant's policy that the report's pause did not cover (not blocked for at least
--pause-for, default the guardian policy's maximum). Then it drafts the restoration
proposal: the candidate height is the incident's last_held_height (or the watcher's own last
height where every invariant held), the exclusions are the incident's accounts. The draft
(the 'rewind propose restore' command line and the ProposeRestoration JSON) is printed in
the "draft" event and written to --draft FILE; the watcher never submits a proposal.
--dry-run evaluates and alerts, and sends nothing.

Output: one JSON object per line and per event, on stdout:
  {"event":"ok"|"violation"|"report"|"pause"|"draft"|"error","height":H,"target":ADDR,
   "invariant":NAME|null, ...}
each POSTed to --webhook (a failed POST is reported on stderr; the watcher goes on).
--once evaluates the current height and exits; --blocks N stops after N heights; without
either it runs until interrupted.

Example: rewind watch --network local --pause --draft draft.json --webhook http://127.0.0.1:9000/alerts`,
  options: {
    target: { type: "string", multiple: true },
    interval: { type: "string", default: "6" },
    blocks: { type: "string" },
    once: { type: "boolean", default: false },
    webhook: { type: "string" },
    pause: { type: "boolean", default: false },
    "pause-for": { type: "string" },
    draft: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  },
  async run(ctx: Context, v) {
    const interval = checkSeconds("--interval", v.interval as string);
    if (v.once && v.blocks !== undefined) throw new UsageError("--once", "give --once or --blocks N, not both");
    const limit = v.once ? 1 : v.blocks !== undefined ? checkInt("--blocks", v.blocks as string, 1) : undefined;
    const webhook = v.webhook !== undefined ? checkUrl("--webhook", v.webhook as string) : undefined;
    if (v["pause-for"] !== undefined && !v.pause) throw new UsageError("--pause-for", "only with --pause");
    let pauseSeconds = v["pause-for"] !== undefined ? parseDuration("--pause-for", v["pause-for"] as string) : undefined;
    if (v.pause && v["dry-run"]) throw new UsageError("--pause", "--dry-run sends nothing: drop one of them");
    const draftFile = v.draft as string | undefined;
    if (draftFile !== undefined && (!draftFile || !existsSync(dirname(resolve(draftFile))))) throw new UsageError("--draft", `no such directory for ${draftFile || "''"}`);
    const targetsIn = Array.isArray(v.target) ? (v.target as string[]) : [];
    for (const t of targetsIn) checkAddress("--target", t, ctx.prefix);

    const c = await ctx.contracts();
    const targets: string[] = [];
    for (const t of targetsIn) targets.push(await checkTarget(ctx, "--target", t));
    if (!targets.length) targets.push(...(await governanceTargets(ctx.reader, c)).map((t) => t.contract));
    if (!targets.length) throw new UsageError("--target", "governance lists no target to watch");
    if (v.pause) {
      const cfg = await ctx.reader.smart<{ policy: { max_pause_seconds: number } }>(c.guardian, { config: {} });
      if (pauseSeconds !== undefined && pauseSeconds > cfg.policy.max_pause_seconds) throw new UsageError("--pause-for", `${pauseSeconds} s is longer than the guardian policy's maximum pause of ${cfg.policy.max_pause_seconds} s`);
      pauseSeconds ??= cfg.policy.max_pause_seconds;
    }
    const signer = v["dry-run"] ? undefined : await ctx.signer(v.pause ? "guardian" : "keeper");
    if (v.pause && signer && !(await ctx.reader.smart<boolean>(c.guardian, { is_guardian: { address: signer.address } }))) {
      throw new UsageError("--pause", `the signer ${ctx.name(signer.address)} is not a guardian of ${c.guardian} (pass --from a guardian)`);
    }
    const opts: WatchOptions = { reporter: signer, guardian: v.pause ? signer : undefined, contracts: c, pauseSeconds, network: ctx.net.name };

    const state = newWatchState();
    const drafts: Draft[] = [];
    const emit = async (e: WatchEvent) => {
      if (e.event === "draft" && draftFile) {
        drafts.push(e as unknown as Draft);
        writeFileSync(draftFile, `${JSON.stringify({ drafts }, null, 2)}\n`);
        e = { ...e, file: draftFile };
      }
      ctx.io.out(JSON.stringify(e));
      if (webhook) await postWebhook(webhook, e, ctx.io.err);
    };
    let heights = 0;
    for (;;) {
      const before = state.lastHeight;
      try {
        for (const e of await watchOnce(ctx.reader, targets, opts, state)) await emit(e);
      } catch (e) {
        // A poll that failed (endpoint down): say so and go on, unless this was the only one.
        await emit({ event: "error", height: state.lastHeight ?? 0, target: "", invariant: null, stage: "poll", message: (e as Error).message });
        if (limit === 1) return e instanceof NetworkError ? EXIT.network : EXIT.refused;
      }
      if (state.lastHeight !== before) heights++;
      if (limit !== undefined && heights >= limit) return EXIT.ok;
      await new Promise((r) => setTimeout(r, interval * 1000));
    }
  },
};
