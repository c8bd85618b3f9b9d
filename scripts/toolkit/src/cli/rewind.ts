/**
 * The `rewind` CLI (scripts/rewind, installed by scripts/setup.sh): status, propose, vote,
 * close, execute, pause, end-pause, crank, digest verify and watch (cli/watch.ts), against the local backend
 * (`demo.sh --serve`) or a live network. See docs/TOOLS.md.
 *
 * Every check of the input runs BEFORE anything is sent: an address must be lower-case
 * bech32 with the network's prefix; a target must be registered with governance; a height
 * must lie in the target's retained history. The error names the option.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

import { ChainClient } from "../chain";
import { wasmAttributes } from "../client";
import { REPO_ROOT } from "../deploy";
import { loadNetwork, type NetworkConfig } from "../networks";
import { ChainError, ClientSigner, LcdReader, LocalDevSigner, NetworkError, UsageError, type Contracts, type Reader, type Signer } from "./api";
import { DumpError, parseStateDump, recomputeDigest } from "./digest";
import {
  formatStatus,
  governanceTargets,
  human,
  nanosToIso,
  readProgress,
  readStatus,
  resolveContracts,
  SCOPES,
  STEPS,
  type ProgressView,
  type ProposalView,
  type RestorationView,
} from "./views";
import { checkAddress, checkInt, checkTarget, EXIT, parseDuration } from "./checks";
import { watch } from "./watch";

export { checkAddress, checkInt, checkTarget, EXIT, parseDuration } from "./checks";


export const DEFAULT_LOCAL_URL = "http://127.0.0.1:8645";

const GLOBAL_HELP = `Global options (every command):
  --network NAME   local (the backend of 'scripts/demo.sh --serve', default) or a network of
                   scripts/networks/ (e.g. osmo-test-5)
  --node URL       the LCD/REST endpoint (default: $REWIND_LOCAL_URL or ${DEFAULT_LOCAL_URL}
                   for local, the network file's "rest" otherwise)
  --governance A   the governance contract (default: the local backend's deployment, or
                   deployments/<network>.json); the other modules are read from it
  --from NAME      signer: a development account of the local backend (holder-1, guardian,
                   keeper, ...); on a live network the first account of $REWIND_MNEMONIC
  --json           machine-readable output
  -h, --help       help`;

export const USAGE = `usage: rewind <command> [options]

Commands:
  status                       targets, pauses, open proposals, queued operations, restorations
  propose restore              propose a restoration (fetches the digests, previews, submits)
  propose fast-track           propose a playbook's restoration for a proven incident (guardian)
  vote                         vote on a proposal
  close                        close a proposal whose voting period ended (queues it if passed)
  execute                      execute a queued timelock operation once due
  pause                        pause a scope of a target (guardian)
  end-pause                    end your pause of a scope early (guardian)
  crank                        advance a running restoration, optionally until it is done
  digest verify                recompute a target's state digest from an archive dump
  watch                        follow blocks, check the invariants, report, pause, draft

Run 'rewind <command> --help' for the options of each.

${GLOBAL_HELP}

Exit status: 0 ok, 1 refused by the chain (or a restoration failed), 2 bad usage or input
(nothing sent), 3 digest mismatch, 4 endpoint or deployment unreachable.`;

type Opts = NonNullable<ParseArgsConfig["options"]>;
const GLOBAL_OPTS: Opts = {
  network: { type: "string", default: "local" },
  node: { type: "string" },
  governance: { type: "string" },
  from: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
};

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Opts;
  run(ctx: Context, v: Record<string, string | boolean | string[] | undefined>): Promise<number>;
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether `out` is a terminal (progress bars redraw in place). */
  tty?: boolean;
}

/** What a command needs; tests inject their own. */
export interface Env {
  reader?: Reader;
  contracts?: Contracts;
  signer?: (from: string | undefined) => Promise<Signer>;
  /** Development account names by address (local), to print names. */
  names?: Map<string, string>;
  bech32Prefix?: string;
}

export class Context {
  private contractsP?: Promise<Contracts>;
  constructor(
    readonly net: NetworkConfig,
    readonly reader: Reader,
    readonly io: Io,
    readonly json: boolean,
    private readonly from: string | undefined,
    private readonly env: Env,
    private readonly governance: string | undefined,
    readonly names: Map<string, string>,
  ) {}

  get prefix(): string {
    return this.env.bech32Prefix ?? this.net.bech32Prefix;
  }

  name = (a: string): string => {
    const n = this.names.get(a);
    return n ? `${n} (${a.slice(0, 12)}...${a.slice(-4)})` : a;
  };

  contracts(): Promise<Contracts> {
    this.contractsP ??= (async () => {
      if (this.env.contracts) return this.env.contracts;
      if (this.governance) return resolveContracts(this.reader, checkAddress("--governance", this.governance, this.prefix));
      if (this.net.kind === "simulated") {
        const d = await localDeployment(this.reader.endpoint);
        for (const [n, a] of Object.entries(d.names)) this.names.set(a, n);
        for (const [role, a] of Object.entries(d.contracts)) if (a) this.names.set(a, role);
        return resolveContracts(this.reader, d.contracts.governance, d.contracts);
      }
      const file = join(REPO_ROOT, "deployments", `${this.net.name}.json`);
      if (!existsSync(file)) throw new NetworkError(`no ${file}: deploy first (scripts/deploy.sh --network ${this.net.name}) or pass --governance`);
      const dep = JSON.parse(readFileSync(file, "utf8")) as { contracts: Record<string, { address: string } | undefined> };
      const gov = dep.contracts.rewind_governance?.address;
      if (!gov) throw new NetworkError(`${file} has no rewind_governance`);
      return resolveContracts(this.reader, gov, { vault: dep.contracts.rewind_vault?.address, stake: dep.contracts.rewind_stake?.address });
    })();
    return this.contractsP;
  }

  async signer(defaultFrom: string): Promise<Signer> {
    if (this.env.signer) return this.env.signer(this.from ?? defaultFrom);
    if (this.net.kind === "simulated") return LocalDevSigner.connect(this.reader.endpoint, this.from ?? defaultFrom);
    const mnemonic = process.env.REWIND_MNEMONIC;
    if (!mnemonic) throw new UsageError("REWIND_MNEMONIC", `set it to the signer's mnemonic to send transactions on ${this.net.name}`);
    return new ClientSigner(await ChainClient.connect(this.net, mnemonic));
  }

  print(human: string, data: unknown): void {
    this.io.out(this.json ? JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2) : human);
  }
}

async function localDeployment(endpoint: string): Promise<{ contracts: Contracts; names: Record<string, string> }> {
  const url = `${endpoint.replace(/\/$/, "")}/rewind/deployment`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new NetworkError(`${url}: ${(e as Error).message}: is 'scripts/demo.sh --serve' running?`);
  }
  if (!res.ok) throw new NetworkError(`${url}: HTTP ${res.status}`);
  return (await res.json()) as { contracts: Contracts; names: Record<string, string> };
}

// ---------------------------------------------------------------- input checks

function checkScope(value: string | undefined): string {
  if (!value || !(SCOPES as readonly string[]).includes(value)) throw new UsageError("--scope", `expected one of ${SCOPES.join(", ")}, got ${value ?? "nothing"}`);
  return value;
}


interface Journal {
  retained_from: number;
  latest_height: number;
  restoring: boolean;
}

/** The height must be restorable on every target: retained and already past. */
async function checkHeight(ctx: Context, height: number, targets: string[]): Promise<void> {
  const latest = await ctx.reader.latest();
  if (height >= latest.height) throw new UsageError("--height", `${height} is not in the past (the chain is at ${latest.height})`);
  for (const t of targets) {
    const j = await ctx.reader.smart<Journal>(t, { journal_info: {} });
    if (height < j.retained_from || height > Math.max(j.latest_height, latest.height - 1)) {
      throw new UsageError("--height", `${height} is outside the retained history of ${t} (${j.retained_from}..${j.latest_height})`);
    }
  }
}

async function proposal(ctx: Context, id: number): Promise<ProposalView> {
  const c = await ctx.contracts();
  try {
    return await ctx.reader.smart<ProposalView>(c.governance, { proposal: { proposal_id: id } });
  } catch (e) {
    if (e instanceof ChainError) throw new UsageError("--proposal", `no proposal ${id} (${e.message})`);
    throw e;
  }
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : [];
}

function txLine(r: { height: number; txHash: string }): string {
  return `included at height ${r.height}${r.txHash ? `, tx ${r.txHash}` : ""}`;
}

// ---------------------------------------------------------------- commands

const status: Command = {
  name: "status",
  summary: "targets, pauses, open proposals, queued operations, running restorations",
  usage: `usage: rewind status [--json]

Prints every target with its scopes (pause end, who paused and why), the guardian budget
used, its retained history; the open proposals with their tallies against quorum and
threshold; the queued timelock operations with their ETA; the running restorations with the
progress of each target.

Example: rewind status --network local`,
  options: {},
  async run(ctx) {
    const s = await readStatus(ctx.reader, await ctx.contracts());
    ctx.print(formatStatus(s, ctx.name), s);
    return EXIT.ok;
  },
};

const POLICIES: Record<string, string> = { "pro-rata": "pro_rata_haircut", "insurance-first": "insurance_first", pro_rata_haircut: "pro_rata_haircut", insurance_first: "insurance_first" };

type ReplayPreview = {
  undone_entries: number;
  replayed_executions: number;
  skipped_executions: number;
  entries: { sender: string; outcome: Record<string, unknown> }[];
  settlement?: { denoms: { denom: string; held: string; bank_balance: string; kept: string; shortfall: string }[] } | null;
  answers?: { query: string; before: { ok: string } | { error: string }; after: { ok: string } | { error: string } }[];
};
type TargetReplayPreview = { target: string; height: number; preview?: ReplayPreview; error?: string };

/** Each target's dry run of the restoration at each candidate height (ReplayPreview). */
async function replayPreviews(ctx: Context, targets: string[], heights: number[], exclusions: string[], queries: string[]): Promise<TargetReplayPreview[]> {
  const out: TargetReplayPreview[] = [];
  for (const height of heights) {
    for (const target of targets) {
      try {
        const preview = await ctx.reader.smart<ReplayPreview>(target, { replay_preview: { height, exclusions, limit: 100, queries } });
        out.push({ target, height, preview });
      } catch (e) {
        out.push({ target, height, error: (e as Error).message });
      }
    }
  }
  return out;
}

function formatReplayPreview(ctx: Context, r: TargetReplayPreview): string[] {
  const head = `  replay preview at ${r.height} on ${ctx.name(r.target)}`;
  if (!r.preview) return [`${head}: not available (${r.error})`];
  const p = r.preview;
  const reasons = new Map<string, number>();
  for (const e of p.entries) {
    const kind = Object.keys(e.outcome)[0] ?? "?";
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
  }
  const why = [...reasons].map(([k, n]) => `${k} ${n}`).join(", ");
  const lines = [`${head}: ${p.replayed_executions} executions replayed, ${p.skipped_executions} skipped${why ? ` (listed: ${why})` : ""}; ${p.undone_entries} journal entries undone`];
  for (const d of p.settlement?.denoms ?? []) {
    lines.push(`    ${d.denom}: held ${d.held}, bank ${d.bank_balance}, kept ${d.kept}, shortfall ${d.shortfall}`);
  }
  const text = (a: { ok: string } | { error: string }) => ("ok" in a ? Buffer.from(a.ok, "base64").toString() : `error: ${a.error}`);
  for (const a of p.answers ?? []) {
    lines.push(`    ${Buffer.from(a.query, "base64").toString()}: ${text(a.before)} -> ${text(a.after)}`);
  }
  return lines;
}

const propose: Command = {
  name: "propose restore",
  summary: "propose a restoration",
  usage: `usage: rewind propose restore --target ADDR [--target ADDR...] --height H [--height H2...]
         [--exclude ADDR...] [--policy pro-rata|insurance-first] [--expedited]
         [--title T] [--description D] [--query JSON...] [--dry-run]

Fetches each target's expected digest at each candidate height (DigestAt, through one
RestorationCheck per target), prints a preview (candidates, digests, the exclusions and when
each last acted on each target) and each target's dry run of the restoration (ReplayPreview:
executions replayed and skipped and why, the settlement of the funds it holds, and the answer
before and after to each --query, a query of the target's own, e.g. '{"balance":{"address":
"wasm1..."}}' for a cw20 claim), then submits ProposeRestoration with governance's deposit.
--dry-run prints the preview and the message, and sends nothing.

Example: rewind propose restore --target wasm1... --height 41 --exclude wasm1... \\
           --policy pro-rata --expedited --from holder-1`,
  options: {
    target: { type: "string", multiple: true },
    height: { type: "string", multiple: true },
    exclude: { type: "string", multiple: true },
    policy: { type: "string", default: "pro-rata" },
    expedited: { type: "boolean", default: false },
    title: { type: "string" },
    description: { type: "string" },
    query: { type: "string", multiple: true },
    "dry-run": { type: "boolean", default: false },
  },
  async run(ctx, v) {
    const targetsIn = list(v.target);
    const queries = list(v.query).map((q) => {
      try {
        return Buffer.from(JSON.stringify(JSON.parse(q))).toString("base64");
      } catch (e) {
        throw new UsageError("--query", `not JSON: ${q} (${(e as Error).message})`);
      }
    });
    if (!targetsIn.length) throw new UsageError("--target", "required (one or more)");
    const heights = list(v.height).map((h) => checkInt("--height", h, 1));
    if (!heights.length) throw new UsageError("--height", "required (one or more)");
    const exclusions = list(v.exclude).map((a) => checkAddress("--exclude", a, ctx.prefix));
    const policy = POLICIES[v.policy as string];
    if (!policy) throw new UsageError("--policy", `expected pro-rata or insurance-first, got ${v.policy}`);
    const targets: string[] = [];
    for (const t of targetsIn) targets.push(await checkTarget(ctx, "--target", t));
    for (const h of heights) await checkHeight(ctx, h, targets);
    const c = await ctx.contracts();

    type Check = { digests: ({ digest: { digest: string; recorded_at: number } } | { refused: { error: string; height: number } })[]; activity?: { account: string; last_acted_height?: number | null }[] };
    const checks = new Map<string, Check>();
    for (const t of targets) {
      const msg: Record<string, unknown> = { heights };
      if (exclusions.length) msg.accounts = exclusions;
      const check = await ctx.reader.smart<Check>(t, { restoration_check: msg });
      check.digests.forEach((d, i) => {
        if ("refused" in d) throw new UsageError("--height", `${heights[i]} on ${t}: ${d.refused.error}`);
      });
      checks.set(t, check);
    }
    const candidates = heights.map((h, i) => ({
      height: h,
      expected_digests: targets.map((t) => (checks.get(t)!.digests[i] as { digest: { digest: string } }).digest.digest),
    }));
    const cfg = await ctx.reader.smart<{ config: { deposit: { denom: string; amount: string } } }>(c.governance, { config: {} });
    const title = (v.title as string | undefined) ?? `Restore ${targets.length === 1 ? "the target" : `${targets.length} targets`} to height ${heights.join(" or ")}`;
    const msg = {
      propose_restoration: {
        title,
        description: (v.description as string | undefined) ?? `Proposed with the rewind CLI: exclusions ${exclusions.length}, policy ${policy}.`,
        targets: targets.map((t) => ({ contract: t, new_code: null })),
        candidates,
        exclusions,
        shortfall_policy: policy,
        expedited: Boolean(v.expedited),
      },
    };
    const preview = {
      targets,
      candidates: candidates.map((cand, i) => ({ ...cand, recorded_at: targets.map((t) => (checks.get(t)!.digests[i] as { digest: { recorded_at: number } }).digest.recorded_at) })),
      exclusions: exclusions.map((a) => ({
        account: a,
        last_acted: Object.fromEntries(targets.map((t) => [t, checks.get(t)!.activity?.find((x) => x.account === a)?.last_acted_height ?? null])),
      })),
      shortfall_policy: policy,
      expedited: Boolean(v.expedited),
      deposit: cfg.config.deposit,
    };
    const lines = [`preview: ${title}`, `  policy ${policy}${v.expedited ? ", expedited" : ""}; deposit ${cfg.config.deposit.amount}${cfg.config.deposit.denom}`];
    for (const cand of preview.candidates) {
      lines.push(`  candidate height ${cand.height}:`);
      targets.forEach((t, i) => lines.push(`    ${ctx.name(t)}: digest ${cand.expected_digests[i]} (recorded at ${cand.recorded_at[i]})`));
    }
    lines.push(`  exclusions (${exclusions.length}):`);
    for (const e of preview.exclusions) {
      for (const t of targets) {
        const h = e.last_acted[t];
        const rel = h == null ? "never acted" : heights.every((x) => h <= x) ? `last acted at ${h}, at or before every candidate` : `last acted at ${h}`;
        lines.push(`    ${ctx.name(e.account)} on ${ctx.name(t)}: ${rel}`);
      }
    }
    const replays = await replayPreviews(ctx, targets, heights, exclusions, queries);
    for (const r of replays) lines.push(...formatReplayPreview(ctx, r));
    (preview as Record<string, unknown>).replay_previews = replays;
    if (v["dry-run"]) {
      ctx.print(`${lines.join("\n")}\n\ndry run: nothing sent`, { preview, msg, sent: false });
      return EXIT.ok;
    }
    const signer = await ctx.signer("holder-1");
    const r = await signer.execute(c.governance, msg, [cfg.config.deposit]);
    const id = wasmAttributes(r.events, c.governance, "proposal_id")[0];
    ctx.print(`${lines.join("\n")}\n\nproposal ${id ?? "?"} submitted by ${ctx.name(signer.address)}: ${txLine(r)}`, { preview, msg, sent: true, proposal_id: id ? Number(id) : null, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

const fastTrack: Command = {
  name: "propose fast-track",
  summary: "propose the playbook's restoration for a proven incident (guardian)",
  usage: `usage: rewind propose fast-track --target ADDR --incident N [--exclude ADDR...] [--dry-run]

For an incident a Report proved on the target (Incident { id }), proposes the restoration
the target's peacetime playbook pre-approves: the incident's last invariant-holding height,
the target's digest there, the playbook's shortfall rule and post-restore configuration, and
as exclusions the incident's accounts (--exclude: a subset of them). Governance queues it in
the timelock at once; it executes when the playbook's veto window ends unless holders veto
it ('rewind vote --proposal N --option veto'). Guardians only; no deposit. --dry-run prints
the incident, the playbook and the message, and sends nothing.

Example: rewind propose fast-track --target wasm1... --incident 1 --from guardian`,
  options: {
    target: { type: "string" },
    incident: { type: "string" },
    exclude: { type: "string", multiple: true },
    "dry-run": { type: "boolean", default: false },
  },
  async run(ctx, v) {
    const target = await checkTarget(ctx, "--target", v.target as string | undefined);
    const id = checkInt("--incident", v.incident as string | undefined, 1);
    const exclude = list(v.exclude).map((a) => checkAddress("--exclude", a, ctx.prefix));
    const c = await ctx.contracts();
    const playbook = (await governanceTargets(ctx.reader, c)).find((t) => t.contract === target)?.playbook;
    if (!playbook) throw new UsageError("--target", `${target} has no fast-track playbook (a normal-track SetPlaybook sets one)`);
    let incident: { invariant: string; reason: string; detected_height: number; last_held_height?: number | null; accounts: string[] };
    try {
      incident = await ctx.reader.smart(target, { incident: { id } });
    } catch (e) {
      throw new UsageError("--incident", `${id} on ${target}: ${(e as Error).message}`);
    }
    if (incident.last_held_height == null) throw new UsageError("--incident", `${id} names no last invariant-holding height: it cannot be fast-tracked`);
    const outside = exclude.filter((a) => !incident.accounts.includes(a));
    if (outside.length) throw new UsageError("--exclude", `not named by incident ${id}: ${outside.join(", ")} (it names ${incident.accounts.join(", ") || "nobody"})`);
    const msg = { propose_fast_track: { target, incident_id: id, exclusions: exclude.length ? exclude : null } };
    const lines = [
      `incident ${id} on ${ctx.name(target)}: ${incident.invariant} broken at ${incident.detected_height} (${incident.reason})`,
      `  restores to ${incident.last_held_height}, excluding ${(exclude.length ? exclude : incident.accounts).map((a) => ctx.name(a)).join(", ") || "nobody"}`,
      `  playbook: veto window ${human(playbook.veto_window_seconds)}, veto ${playbook.veto_threshold} of total power, ${playbook.shortfall_policy}${playbook.post_restore_config ? ", with a post-restore configuration" : ""}`,
    ];
    if (v["dry-run"]) {
      ctx.print(`${lines.join("\n")}\n\ndry run: nothing sent`, { incident, playbook, msg, sent: false });
      return EXIT.ok;
    }
    const signer = await ctx.signer("guardian");
    const r = await signer.execute(c.governance, msg, []);
    const pid = wasmAttributes(r.events, c.governance, "proposal_id")[0];
    const op = wasmAttributes(r.events, c.timelock, "operation_id")[0];
    ctx.print(`${lines.join("\n")}\n\nfast track ${pid ?? "?"} proposed by ${ctx.name(signer.address)}, queued as operation ${op ?? "?"}: ${txLine(r)}`, { incident, playbook, msg, sent: true, proposal_id: pid ? Number(pid) : null, operation_id: op ? Number(op) : null, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

const vote: Command = {
  name: "vote",
  summary: "vote on a proposal",
  usage: `usage: rewind vote --proposal N (--candidate H | --option yes|reject|abstain|veto)

A restoration proposal takes --candidate (one of its candidate heights) or reject, abstain,
veto; a parameter proposal takes yes, reject, abstain or veto; a fast track takes veto only.

Example: rewind vote --proposal 1 --candidate 41 --from holder-2`,
  options: { proposal: { type: "string" }, candidate: { type: "string" }, option: { type: "string" } },
  async run(ctx, v) {
    const id = checkInt("--proposal", v.proposal as string | undefined, 1);
    if ((v.candidate === undefined) === (v.option === undefined)) throw new UsageError("--candidate", "give exactly one of --candidate H or --option");
    const p = await proposal(ctx, id);
    let option: unknown;
    if (v.candidate !== undefined) {
      const h = checkInt("--candidate", v.candidate as string, 1);
      const cands = p.kind.restoration?.candidates.map((c) => c.height) ?? [];
      if (!cands.includes(h)) throw new UsageError("--candidate", `${h} is not a candidate of proposal ${id} (candidates: ${cands.join(", ") || "none"})`);
      option = { candidate: { height: h } };
    } else {
      const o = v.option as string;
      if (!["yes", "reject", "abstain", "veto"].includes(o)) throw new UsageError("--option", `expected yes, reject, abstain or veto, got ${o}`);
      option = o;
    }
    if (p.status !== "open") throw new UsageError("--proposal", `proposal ${id} is ${p.status}, not open`);
    const c = await ctx.contracts();
    const signer = await ctx.signer("holder-1");
    const r = await signer.execute(c.governance, { vote: { proposal_id: id, vote: option } });
    const after = await proposal(ctx, id);
    ctx.print(`voted ${JSON.stringify(option)} on proposal ${id} as ${ctx.name(signer.address)}: ${txLine(r)}\ntally: for ${after.tally.for_options.join("/")}, reject ${after.tally.reject}, abstain ${after.tally.abstain}, veto ${after.tally.veto} of ${after.total_power}`, {
      proposal_id: id,
      vote: option,
      height: r.height,
      txhash: r.txHash,
      tally: after.tally,
      total_power: after.total_power,
    });
    return EXIT.ok;
  },
};

const close: Command = {
  name: "close",
  summary: "close a proposal",
  usage: `usage: rewind close --proposal N

Closes a proposal whose voting period ended: a passed restoration is queued in the timelock.

Example: rewind close --proposal 1 --from keeper`,
  options: { proposal: { type: "string" } },
  async run(ctx, v) {
    const id = checkInt("--proposal", v.proposal as string | undefined, 1);
    await proposal(ctx, id);
    const c = await ctx.contracts();
    const signer = await ctx.signer("keeper");
    const r = await signer.execute(c.governance, { close: { proposal_id: id } });
    const after = await proposal(ctx, id);
    const op = wasmAttributes(r.events, c.timelock, "operation_id")[0] ?? after.operation_id;
    ctx.print(`closed proposal ${id}: ${after.status}${op != null ? `, queued as operation ${op}` : ""}; ${txLine(r)}`, { proposal_id: id, status: after.status, operation_id: op != null ? Number(op) : null, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

const execute: Command = {
  name: "execute",
  summary: "execute a queued operation",
  usage: `usage: rewind execute --operation N

Executes a queued timelock operation once its ETA (time and height) has passed: the executor
migrates each target with Restore and the restoration starts (then: rewind crank).

Example: rewind execute --operation 1 --from keeper`,
  options: { operation: { type: "string" } },
  async run(ctx, v) {
    const id = checkInt("--operation", v.operation as string | undefined, 1);
    const c = await ctx.contracts();
    let op: { status: string; eta: string; eta_height: number };
    try {
      op = await ctx.reader.smart(c.timelock, { operation: { operation_id: id } });
    } catch (e) {
      if (e instanceof ChainError) throw new UsageError("--operation", `no operation ${id} (${e.message})`);
      throw e;
    }
    const signer = await ctx.signer("keeper");
    const r = await signer.execute(c.timelock, { execute: { operation_id: id } });
    ctx.print(`executed operation ${id} (ETA was ${nanosToIso(op.eta)}): restoration ${id} started; ${txLine(r)}`, { operation_id: id, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

const pause: Command = {
  name: "pause",
  summary: "pause a scope (guardian)",
  usage: `usage: rewind pause --target ADDR --scope all|deposit|withdraw|trade|liquidate --for DURATION --reason TEXT

Pauses one scope of a target for DURATION (6h, 30m, 1h30m, 2d or seconds), within the
guardian policy's maximum; the reason is stored with the pause record.

Example: rewind pause --target wasm1... --scope trade --for 6h --reason "oracle attack" --from guardian`,
  options: { target: { type: "string" }, scope: { type: "string" }, for: { type: "string" }, reason: { type: "string" } },
  async run(ctx, v) {
    const scope = checkScope(v.scope as string | undefined);
    const seconds = parseDuration("--for", v.for as string | undefined);
    const reason = v.reason as string | undefined;
    if (!reason || !reason.trim()) throw new UsageError("--reason", "required (stored with the pause)");
    const target = await checkTarget(ctx, "--target", v.target as string | undefined);
    const c = await ctx.contracts();
    const cfg = await ctx.reader.smart<{ policy: { max_pause_seconds: number } }>(c.guardian, { config: {} });
    if (seconds > cfg.policy.max_pause_seconds) throw new UsageError("--for", `${human(seconds)} is longer than the policy's maximum pause of ${human(cfg.policy.max_pause_seconds)}`);
    const signer = await ctx.signer("guardian");
    const r = await signer.execute(c.guardian, { pause: { target, scope, duration_seconds: seconds, reason } });
    ctx.print(`paused ${scope} of ${ctx.name(target)} for ${human(seconds)}: ${txLine(r)}`, { target, scope, duration_seconds: seconds, reason, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

const endPause: Command = {
  name: "end-pause",
  summary: "end a pause early (guardian)",
  usage: `usage: rewind end-pause --target ADDR --scope SCOPE

Ends the signer's own pause of a scope early (the guardian budget keeps only the time used).

Example: rewind end-pause --target wasm1... --scope trade --from guardian`,
  options: { target: { type: "string" }, scope: { type: "string" } },
  async run(ctx, v) {
    const scope = checkScope(v.scope as string | undefined);
    const target = await checkTarget(ctx, "--target", v.target as string | undefined);
    const c = await ctx.contracts();
    const signer = await ctx.signer("guardian");
    const r = await signer.execute(c.guardian, { end_pause: { target, scope } });
    ctx.print(`ended the ${scope} pause of ${ctx.name(target)}: ${txLine(r)}`, { target, scope, height: r.height, txhash: r.txHash });
    return EXIT.ok;
  },
};

/** `[#######.......]` */
export function bar(fraction: number, width = 28): string {
  const f = Math.max(0, Math.min(1, fraction));
  const n = Math.round(f * width);
  return `[${"#".repeat(n)}${".".repeat(width - n)}]`;
}

export function progressLine(batch: number, p: ProgressView | undefined, phase: string): { text: string; stepsLeft: number } {
  const step = p?.step ?? phase;
  const idx = Math.max(0, STEPS.indexOf(step as (typeof STEPS)[number]));
  const stepsLeft = step === "complete" ? 0 : STEPS.length - 1 - idx;
  const text = `${bar(step === "complete" ? 1 : idx / (STEPS.length - 1))} batch ${batch}: ${step} (step ${idx + 1}/${STEPS.length}); undone ${p?.undone_entries ?? 0}, replayed ${p?.replayed_flows ?? 0}, settled ${p?.settled_balances ?? 0}; ${stepsLeft === 0 ? "no batches left" : `at least ${stepsLeft} batch${stepsLeft === 1 ? "" : "es"} left`}`;
  return { text, stepsLeft };
}

const crank: Command = {
  name: "crank",
  summary: "advance a running restoration",
  usage: `usage: rewind crank [--restoration N] [--limit N] [--until-done] [--max-batches N]

Sends one executor Crank (limit entries per batch; default: the executor's), or with
--until-done keeps cranking until the restoration is complete (or failed), showing a
progress bar: the vault's step, entries undone, executions replayed, balances settled, and a
lower bound of the batches left (one per remaining step).

Example: rewind crank --until-done --limit 25 --from keeper`,
  options: { restoration: { type: "string" }, limit: { type: "string" }, "until-done": { type: "boolean", default: false }, "max-batches": { type: "string", default: "10000" } },
  async run(ctx, v) {
    const c = await ctx.contracts();
    const limit = v.limit === undefined ? null : checkInt("--limit", v.limit as string, 1);
    const maxBatches = checkInt("--max-batches", v["max-batches"] as string, 1);
    let id: number;
    if (v.restoration !== undefined) id = checkInt("--restoration", v.restoration as string, 1);
    else {
      const all = (await ctx.reader.smart<{ restorations: RestorationView[] }>(c.executor, { restorations: { limit: 30 } })).restorations;
      const running = all.filter((r) => r.state === "running");
      if (!running.length) throw new UsageError("--restoration", "no restoration is running");
      id = running[0].id;
    }
    const read = () => ctx.reader.smart<RestorationView>(c.executor, { restoration: { restoration_id: id } });
    let r: RestorationView;
    try {
      r = await read();
    } catch (e) {
      if (e instanceof ChainError) throw new UsageError("--restoration", `no restoration ${id} (${e.message})`);
      throw e;
    }
    if (r.state !== "running") throw new UsageError("--restoration", `restoration ${id} is ${JSON.stringify(r.state)}, not running`);
    const signer = await ctx.signer("keeper");
    const batches: { batch: number; height: number; progress: Record<string, ProgressView | undefined> }[] = [];
    let batch = 0;
    for (;;) {
      const tx = await signer.execute(c.executor, { crank: { restoration_id: id, limit } });
      batch++;
      r = await read();
      const progress = await readProgress(ctx.reader, r);
      batches.push({ batch, height: tx.height, progress });
      if (!ctx.json) {
        for (const t of r.targets) {
          const line = progressLine(batch, progress[t.contract], t.status.phase).text;
          const text = `${r.targets.length > 1 ? `${ctx.name(t.contract)} ` : ""}${line}`;
          if (ctx.io.tty) process.stdout.write(`\r\x1b[2K${text}`);
          else ctx.io.out(text);
        }
      }
      if (r.state !== "running" || !v["until-done"] || batch >= maxBatches) break;
    }
    if (ctx.io.tty && !ctx.json) process.stdout.write("\n");
    const failed = typeof r.state === "object" && "failed" in r.state;
    const verified = r.targets.every((t) => t.status.digest_verified);
    const summary = r.state === "complete" ? `restoration ${id} complete after ${batch} batch(es); digest ${verified ? "verified" : "NOT verified"} on every target` : failed ? `restoration ${id} FAILED: ${(r.state as { failed: { error: string } }).failed.error}` : `restoration ${id} still ${JSON.stringify(r.state)} after ${batch} batch(es)`;
    ctx.print(summary, { restoration_id: id, state: r.state, batches, targets: r.targets });
    return failed ? EXIT.refused : EXIT.ok;
  },
};

const digestVerify: Command = {
  name: "digest verify",
  summary: "recompute a state digest from an archive dump",
  usage: `usage: rewind digest verify --state dump.json --height H [--target ADDR]

Recomputes the state digest (docs/JOURNAL.md, "Recomputing it off-chain") from an archive
node's export of the target's raw state at height H:
  wasmd query wasm contract-state all <target> --height H -o json > dump.json
and compares it with the target's DigestAt { height: H }. --target defaults to the only
registered target. Exit 0 when they match, 3 when they differ, 2 on a malformed dump.

Example: rewind digest verify --state dump.json --height 41 --target wasm1...`,
  options: { state: { type: "string" }, height: { type: "string" }, target: { type: "string" } },
  async run(ctx, v) {
    const file = v.state as string | undefined;
    if (!file) throw new UsageError("--state", "required: the JSON of `wasmd query wasm contract-state all <addr> --height H -o json`");
    if (!existsSync(file)) throw new UsageError("--state", `no such file: ${file}`);
    const height = checkInt("--height", v.height as string | undefined, 1);
    let entries;
    try {
      entries = parseStateDump(readFileSync(file, "utf8"));
    } catch (e) {
      if (e instanceof DumpError) throw new UsageError("--state", `malformed dump ${file}: ${e.message}`);
      throw e;
    }
    let re;
    try {
      re = recomputeDigest(entries);
    } catch (e) {
      if (e instanceof DumpError) throw new UsageError("--state", `malformed dump ${file}: ${e.message}`);
      throw e;
    }
    let target: string;
    if (v.target) target = await checkTarget(ctx, "--target", v.target as string);
    else {
      const ts = await governanceTargets(ctx.reader, await ctx.contracts());
      if (ts.length !== 1) throw new UsageError("--target", `required: ${ts.length} targets are registered`);
      target = ts[0].contract;
    }
    let onChain: { digest: string; recorded_at: number };
    try {
      onChain = await ctx.reader.smart(target, { digest_at: { height } });
    } catch (e) {
      if (e instanceof ChainError) throw new UsageError("--height", `DigestAt ${height} refused by ${target}: ${e.message}`);
      throw e;
    }
    const match = onChain.digest.toLowerCase() === re.digest;
    const lines = [
      `recomputed from ${entries.length} entries (${re.present} live, ${re.tombstones} tombstones, ${re.other} outside the journal): ${re.digest}`,
      `DigestAt ${height} of ${ctx.name(target)} (recorded at ${onChain.recorded_at}): ${onChain.digest}`,
    ];
    if (re.newestRecord) lines.push(`newest digest record in the dump (height ${re.newestRecord.height}): ${re.newestRecord.digest}${re.newestRecord.digest === re.digest ? " (agrees)" : " (differs: a dump taken mid-rollback, or tampered)"}`);
    lines.push(match ? "MATCH: the dump is the state the chain certified at that height" : "MISMATCH: the dump is not the state the chain certified at that height");
    ctx.print(lines.join("\n"), { target, height, recomputed: re.digest, on_chain: onChain.digest, recorded_at: onChain.recorded_at, match, entries: entries.length, present: re.present, tombstones: re.tombstones, other: re.other, newest_record: re.newestRecord ?? null });
    return match ? EXIT.ok : EXIT.mismatch;
  },
};

export const COMMANDS: Command[] = [status, propose, fastTrack, vote, close, execute, pause, endPause, crank, digestVerify, watch];

/** Runs `rewind <argv>`; returns the exit code. */
export async function run(argv: string[], io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`), tty: process.stdout.isTTY }, env: Env = {}): Promise<number> {
  const words = argv.filter((a) => !a.startsWith("-"));
  const cmd = COMMANDS.find((c) => {
    const parts = c.name.split(" ");
    return parts.every((p, i) => argv[i] === p);
  });
  if (!cmd) {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      io.out(USAGE);
      return argv.length === 0 ? EXIT.usage : EXIT.ok;
    }
    const hint = words[0] === "propose" ? "did you mean 'rewind propose restore' or 'rewind propose fast-track'?" : words[0] === "digest" ? "did you mean 'rewind digest verify'?" : "run 'rewind --help'";
    io.err(`unknown command: ${argv.join(" ")}; ${hint}`);
    return EXIT.usage;
  }
  const rest = argv.slice(cmd.name.split(" ").length);
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: rest, options: { ...GLOBAL_OPTS, ...cmd.options }, strict: true, allowPositionals: false }).values as typeof values;
  } catch (e) {
    io.err(`rewind ${cmd.name}: ${(e as Error).message}\n\n${cmd.usage}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out(`${cmd.usage}\n\n${GLOBAL_HELP}`);
    return EXIT.ok;
  }
  try {
    let net: NetworkConfig;
    try {
      net = loadNetwork(values.network as string);
    } catch (e) {
      throw new UsageError("--network", `${values.network}: ${(e as Error).message}`);
    }
    const node = (values.node as string | undefined) ?? (net.kind === "simulated" ? process.env.REWIND_LOCAL_URL ?? DEFAULT_LOCAL_URL : net.rest);
    if (!env.reader && !node) throw new UsageError("--node", `network ${net.name} has no "rest" endpoint: pass --node`);
    const reader = env.reader ?? new LcdReader(node!);
    const ctx = new Context(net, reader, io, Boolean(values.json), values.from as string | undefined, env, values.governance as string | undefined, new Map(env.names ?? []));
    return await cmd.run(ctx, values);
  } catch (e) {
    const json = Boolean(values.json);
    const report = (kind: string, code: number, message: string, field?: string) => {
      io.err(json ? JSON.stringify({ error: kind, field, message }) : `rewind ${cmd.name}: ${message}`);
      return code;
    };
    if (e instanceof UsageError) return report("usage", EXIT.usage, e.message, e.field);
    if (e instanceof ChainError) return report("refused", EXIT.refused, `refused by the chain: ${e.message}`);
    if (e instanceof NetworkError) return report("network", EXIT.network, e.message);
    return report("error", EXIT.refused, (e as Error).message);
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`rewind: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
