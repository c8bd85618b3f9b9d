/**
 * `rewind watch` over a fake chain (a Reader answering the few queries, a Signer recording
 * what is sent): the option checks (exit 2, nothing sent), the JSON lines, the webhook (and a
 * failing one), --dry-run, a scanning report, a refuted one, and the evaluation's arithmetic
 * against the vault's (math::moved_beyond, the linear PnL rounded up).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { toBech32 } from "@cosmjs/encoding";

import type { InvariantsResponse } from "../../ts-client/RewindVault.types";
import { ChainError, type Contracts, type Reader, type Signer } from "../src/cli/api";
import { EXIT, run } from "../src/cli/rewind";
import { atomics, evaluateVault, movedBeyond, newWatchState, watchOnce, type WatchEvent } from "../src/watch";

const addr = (n: number, prefix = "wasm", len = 20) => toBech32(prefix, new Uint8Array(len).fill(n));
const C: Contracts = { governance: addr(1), timelock: addr(2), guardian: addr(3), executor: addr(4), vault: addr(5, "wasm", 32) };
const VAULT = C.vault!;
const FEEDER = addr(8);
const GUARDIAN = addr(7);

function invariants(price: string, reference = "102"): InvariantsResponse {
  return {
    solvency: true,
    reference_feeder: addr(6),
    oracle_bound_bps: 500,
    in_line: false,
    markets: [{ id: "BTC-PERP", d: "uusdc", l: "1000", s: "50", lc: "102000", sc: "5000", p: price, r: reference }],
    denoms: [{ denom: "uusdc", liabilities: "112200", bank: "112000", insurance: "20000" }],
  };
}

function fake(opts: { price?: string; report?: "incident" | "scan2" | "refuted"; guardian?: boolean; playbook?: boolean } = {}) {
  const sent: { contract: string; msg: any }[] = [];
  let height = 40;
  let price = opts.price ?? "122";
  let scans = 0;
  const reader: Reader = {
    endpoint: "fake",
    async smart<T>(contract: string, msg: any): Promise<T> {
      const k = Object.keys(msg)[0];
      const a = (v: unknown) => v as T;
      if (contract === C.governance && k === "targets") return a({ targets: [{ contract: VAULT, active_proposal: null, playbook: opts.playbook ? { veto_window_seconds: 21600, veto_threshold: "0.1", shortfall_policy: "pro_rata_haircut" } : null }] });
      if (contract === C.governance && k === "config") return a({ config: { deposit: { denom: "ustake", amount: "1000000" } }, modules: C });
      if (contract === C.guardian && k === "config") return a({ policy: { max_pause_seconds: 72 * 3600 } });
      if (contract === C.guardian && k === "is_guardian") return a(msg.is_guardian.address === GUARDIAN && opts.guardian !== false);
      if (contract === C.guardian && k === "pause_status") return a({ scopes: [{ scope: "trade", paused: false, seconds_left: 0 }, { scope: "withdraw", paused: false, seconds_left: 0 }] });
      if (contract === VAULT && k === "invariants") return a(invariants(price));
      if (contract === VAULT && k === "incident") return a({ id: 1, invariant: "oracle_agreement", reason: "r", detected_height: 41, last_held_height: 39, accounts: [FEEDER], reporter: GUARDIAN, bounty: null, paused_until: "1" });
      if (contract === VAULT && k === "pause_status") return a({ restoring: false, scopes: [{ scope: "trade", blocked: true, seconds_left: 21600 }, { scope: "withdraw", blocked: true, seconds_left: 21600 }] });
      if (contract === VAULT && k === "digest_at") return a({ digest: "ab".repeat(32), height: msg.digest_at.height, recorded_at: 39 });
      throw new ChainError(`fake: unexpected query ${k} to ${contract}`);
    },
    async contractInfo(address: string) {
      return { address, codeId: 1, admin: null, label: "x" };
    },
    async latest() {
      return { height, timeNanos: 1_000_000_000_000n, chainId: "rewind-local" };
    },
  };
  const signer: Signer = {
    address: GUARDIAN,
    async execute(contract: string, msg: any) {
      sent.push({ contract, msg });
      height++;
      if ("report" in msg) {
        if (opts.report === "refuted") throw new ChainError("report refuted: invariant oracle_agreement holds");
        const scanning = opts.report === "scan2" && scans++ < 2;
        const attrs = [{ key: "_contract_address", value: VAULT }, { key: "outcome", value: scanning ? "scanning" : "incident" }, ...(scanning ? [] : [{ key: "incident", value: "1" }])];
        return { events: [{ type: "wasm", attributes: attrs }], height, txHash: "AB" };
      }
      return { events: [], height, txHash: "CD" };
    },
  };
  return {
    env: { reader, contracts: C, signer: async () => signer },
    sent,
    reader,
    signer,
    setPrice: (p: string) => (price = p),
    nextBlock: () => height++,
  };
}

async function cli(argv: string[], f = fake()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, f.env);
  return { code, out: out.join("\n"), err: err.join("\n"), sent: f.sent, lines: out.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as WatchEvent) };
}

test("watch --help, and every bad option is refused with exit 2 and the option named, before sending", async () => {
  const help = await cli(["watch", "--help"]);
  assert.equal(help.code, EXIT.ok);
  assert.match(help.out, /usage: rewind watch/);
  assert.match(help.out, /Example: rewind watch/);
  const dir = mkdtempSync(join(tmpdir(), "rewind-watch-unit-"));
  const cases: [string[], RegExp, ReturnType<typeof fake>?][] = [
    [["--interval", "0"], /--interval: expected seconds > 0/],
    [["--interval", "soon"], /--interval: expected seconds > 0/],
    [["--once", "--blocks", "3"], /--once: give --once or --blocks N, not both/],
    [["--blocks", "0"], /--blocks: expected an integer >= 1/],
    [["--webhook", "ftp://example.org/x"], /--webhook: .*expected an http/],
    [["--webhook", "not a url"], /--webhook: not a url is not a URL/],
    [["--pause-for", "1h"], /--pause-for: only with --pause/],
    [["--pause", "--pause-for", "4d"], /--pause-for: 345600 s is longer than the guardian policy's maximum pause of 259200 s/],
    [["--pause", "--pause-for", "soon"], /--pause-for: expected a duration/],
    [["--pause", "--dry-run"], /--pause: --dry-run sends nothing/],
    [["--draft", join(dir, "no", "such", "draft.json")], /--draft: no such directory/],
    [["--target", VAULT.toUpperCase()], /--target: .*upper-case/],
    [["--target", addr(9, "wasm", 32)], /--target: .* is not a registered target/],
    [["--pause"], /--pause: the signer .* is not a guardian/, fake({ guardian: false })],
  ];
  for (const [args, want, f] of cases) {
    const r = await cli(args.includes("--once") || args.includes("--blocks") ? ["watch", ...args] : ["watch", "--once", ...args], f);
    assert.equal(r.code, EXIT.usage, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, want, args.join(" "));
    assert.equal(r.sent.length, 0, `${args.join(" ")}: nothing sent`);
  }
  const unknown = await cli(["watch", "--frequency", "3"]);
  assert.equal(unknown.code, EXIT.usage);
});

test("JSON lines: a violation, the report, the guardian's pauses, the draft (also in --draft), ok; one object per line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rewind-watch-unit-"));
  const file = join(dir, "draft.json");
  const r = await cli(["watch", "--once", "--pause", "--draft", file]);
  assert.equal(r.code, EXIT.ok, r.err);
  for (const l of r.out.split("\n")) {
    const o = JSON.parse(l);
    assert.ok(["violation", "report", "pause", "draft", "ok", "error"].includes(o.event), l);
    assert.equal(typeof o.height, "number");
    assert.equal(o.target, VAULT);
    assert.ok("invariant" in o);
  }
  assert.deepEqual(r.lines.map((e) => [e.event, e.invariant]), [["violation", "oracle_agreement"], ["report", "oracle_agreement"], ["pause", "oracle_agreement"], ["pause", "oracle_agreement"], ["draft", "oracle_agreement"], ["ok", "solvency"]]);
  const [violation, report, , , draft, ok] = r.lines;
  assert.equal(violation.height, 40);
  assert.equal(violation.deviation_bps, 1960);
  assert.equal(report.height, 41);
  assert.equal(report.latency_blocks, 1);
  assert.equal(draft.candidate_height, 39);
  assert.deepEqual(draft.exclusions, [FEEDER]);
  assert.equal(draft.file, file);
  // 112,200 of claims + 18,900 of PnL (950 net long * 122 - 102,000 + 5,000) within 132,000.
  assert.equal((ok.denoms as { margin: string }[])[0].margin, "900");
  // What was sent: the report, two guardian pauses for the policy's maximum. No proposal.
  assert.deepEqual(r.sent.map((s) => [s.contract, Object.keys(s.msg)[0]]), [[VAULT, "report"], [C.guardian, "pause"], [C.guardian, "pause"]]);
  assert.deepEqual(r.sent[1].msg.pause, { target: VAULT, scope: "trade", duration_seconds: 259200, reason: "rewind watch: invariant oracle_agreement broken (incident 1)" });
  const written = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(written.drafts[0].msg.propose_restoration.candidates[0].height, 39);
  assert.deepEqual(written.drafts[0].msg.propose_restoration.exclusions, [FEEDER]);
  assert.equal(written.drafts[0].msg.propose_restoration.expedited, true);
});

test("a target with a fast-track playbook: the draft also carries the guardian's propose fast-track (never sent)", async () => {
  const r = await cli(["watch", "--once", "--pause"], fake({ playbook: true }));
  assert.equal(r.code, EXIT.ok, r.err);
  const draft = r.lines.find((e) => e.event === "draft")!;
  assert.deepEqual(draft.fast_track, {
    command: `rewind propose fast-track --network local --target ${VAULT} --incident 1`,
    preview: `rewind propose fast-track --network local --target ${VAULT} --incident 1 --dry-run`,
    msg: { propose_fast_track: { target: VAULT, incident_id: 1, exclusions: null } },
    veto_window_seconds: 21600,
    veto_threshold: "0.1",
  });
  assert.ok(r.sent.every((s) => s.contract !== C.governance), "nothing sent to governance");
  const without = await cli(["watch", "--once", "--pause"]);
  assert.equal(without.lines.find((e) => e.event === "draft")!.fast_track, undefined);
});

test("--dry-run and a holding chain send nothing", async () => {
  const dry = await cli(["watch", "--once", "--dry-run"]);
  assert.equal(dry.code, EXIT.ok, dry.err);
  assert.deepEqual(dry.lines.map((e) => e.event), ["violation", "ok"]);
  assert.equal(dry.sent.length, 0);
  const held = await cli(["watch", "--once"], fake({ price: "104" }));
  assert.deepEqual(held.lines.map((e) => [e.event, e.deviation_bps ?? null]), [["ok", 196], ["ok", null]]);
  assert.equal(held.sent.length, 0);
});

test("--webhook: every line is POSTed; a failing webhook goes to stderr and the watcher goes on", async () => {
  const got: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push(body);
      res.writeHead(got.length === 2 ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  try {
    const r = await cli(["watch", "--once", "--webhook", url]);
    assert.equal(r.code, EXIT.ok, r.err);
    assert.deepEqual(got.map((b) => JSON.parse(b)), r.lines);
    assert.match(r.err, /webhook .*: HTTP 500 for the report event at 41/);
  } finally {
    server.close();
  }
  const down = await cli(["watch", "--once", "--dry-run", "--webhook", "http://127.0.0.1:9/alerts"]);
  assert.equal(down.code, EXIT.ok);
  assert.equal(down.lines.length, 2, "every event still printed");
  assert.equal(down.err.split("\n").filter((l) => /webhook http:\/\/127\.0\.0\.1:9\/alerts: /.test(l)).length, 2);
});

test("watchOnce: a scanning report is repeated until proven; a refuted one is not retried until the invariant holds again", async () => {
  const f = fake({ report: "scan2" });
  const state = newWatchState();
  const ev = await watchOnce(f.reader, [VAULT], { reporter: f.signer }, state);
  const report = ev.find((e) => e.event === "report")!;
  assert.equal(report.calls, 3);
  assert.equal(f.sent.length, 3);

  const g = fake({ report: "refuted" });
  const s2 = newWatchState();
  const first = await watchOnce(g.reader, [VAULT], { reporter: g.signer }, s2);
  assert.match(String(first.find((e) => e.event === "error")?.message), /the target refuted the report/);
  g.nextBlock();
  const second = await watchOnce(g.reader, [VAULT], { reporter: g.signer }, s2);
  assert.deepEqual(second.map((e) => e.event), ["violation", "ok"]);
  assert.equal(g.sent.length, 1, "not retried");
  g.setPrice("102");
  g.nextBlock();
  assert.deepEqual((await watchOnce(g.reader, [VAULT], { reporter: g.signer }, s2)).map((e) => e.event), ["ok", "ok"]);
  g.setPrice("122");
  g.nextBlock();
  await watchOnce(g.reader, [VAULT], { reporter: g.signer }, s2);
  assert.equal(g.sent.length, 2, "broken again: reported again");
  assert.equal(s2.lastHeld.get(VAULT), 43, "the last height every invariant held");
});

test("the evaluation is the vault's arithmetic: the bound is exclusive, decimals are 18-digit atomics, PnL rounds up", () => {
  assert.equal(atomics("1.5"), 1_500_000_000_000_000_000n);
  assert.throws(() => atomics("1e5"), /not a decimal/);
  assert.equal(movedBeyond(atomics("100"), atomics("105"), 500), false, "exactly 5 % is within");
  assert.equal(movedBeyond(atomics("100"), atomics("105.000000000000000001"), 500), true);
  assert.equal(movedBeyond(atomics("100"), atomics("95"), 500), false);
  // A long of 1 at 0.5 valued at 0.6: +0.1 of PnL rounds up to 1 (the check errs for the depositors).
  const inv: InvariantsResponse = { solvency: true, reference_feeder: null, oracle_bound_bps: 500, in_line: true, markets: [{ id: "M", d: "u", l: "1", s: "0", lc: "0.5", sc: "0", p: "0.6" }], denoms: [{ denom: "u", liabilities: "10", bank: "10", insurance: "0" }] };
  const [solvency] = evaluateVault(inv);
  assert.equal(solvency.invariant, "solvency");
  assert.equal(solvency.held, false);
  assert.equal(solvency.reason, "u: claims with unrealised PnL 11 exceed bank plus insurance 10");
  assert.equal(evaluateVault({ ...inv, solvency: false }).length, 0, "nothing declared, nothing evaluated");
});
