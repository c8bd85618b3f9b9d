/**
 * The `rewind` CLI's input checks, help, exit codes, preview and messages, over a fake
 * chain (a Reader answering the few queries, a Signer recording what would be sent). The
 * checks must refuse bad input BEFORE anything is sent: every refusal asserts that the
 * signer saw nothing.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { toBech32 } from "@cosmjs/encoding";

import { ChainError, type Contracts, type Reader, type Signer } from "../src/cli/api";
import { checkAddress, COMMANDS, EXIT, parseDuration, progressLine, run } from "../src/cli/rewind";

const addr = (n: number, prefix = "wasm", len = 20) => toBech32(prefix, new Uint8Array(len).fill(n));
const C: Contracts = { governance: addr(1), timelock: addr(2), guardian: addr(3), executor: addr(4), vault: addr(5, "wasm", 32) };
const VAULT = C.vault!;
const MALLORY = addr(9);
const vector = JSON.parse(readFileSync(join(__dirname, "fixtures", "digest-vector.json"), "utf8"));

function fake(overrides: { digest?: string } = {}) {
  const sent: { contract: string; msg: any; funds?: unknown }[] = [];
  const queries: any[] = [];
  const proposal = {
    id: 1, title: "t", status: "open", expedited: true, proposer: addr(7), seconds_left: 100, start_time: "1", end_time: "2", power_height: 5, total_power: "100",
    rules: { quorum: "0.334", threshold: "0.667", veto_threshold: "0.334" },
    tally: { for_options: ["0"], reject: "0", abstain: "0", veto: "0" },
    kind: { restoration: { candidates: [{ height: 25, expected_digests: ["ab"] }], exclusions: [MALLORY], shortfall_policy: "pro_rata_haircut", targets: [{ contract: VAULT }] } },
  };
  const reader: Reader = {
    endpoint: "fake",
    async smart<T>(contract: string, msg: any): Promise<T> {
      queries.push({ contract, msg });
      const k = Object.keys(msg)[0];
      const a = (v: unknown) => v as T;
      if (contract === C.governance && k === "targets") return a({ targets: [{ contract: VAULT, exits_pausable: true, active_proposal: null }] });
      if (contract === C.governance && k === "config") return a({ config: { deposit: { denom: "ustake", amount: "1000000" } }, modules: C });
      if (contract === C.governance && k === "proposal") {
        if (msg.proposal.proposal_id !== 1) throw new ChainError("proposal 2 not found");
        return a(proposal);
      }
      if (contract === C.guardian && k === "config") return a({ policy: { max_pause_seconds: 72 * 3600 } });
      if (contract === VAULT && k === "journal_info") return a({ retained_from: 10, latest_height: 30, restoring: false });
      if (contract === VAULT && k === "restoration_check") {
        return a({
          digests: msg.restoration_check.heights.map((h: number) => ({ digest: { digest: `d${h}`, height: h, recorded_at: h - 1 } })),
          activity: (msg.restoration_check.accounts ?? []).map((x: string) => ({ account: x, last_acted_height: 28 })),
        });
      }
      if (contract === VAULT && k === "replay_preview") {
        const { height, queries: asked } = msg.replay_preview;
        return a({
          undone_entries: 7,
          replayed_executions: height === 25 ? 4 : 5,
          skipped_executions: 2,
          entries: [{ sender: MALLORY, outcome: { excluded: {} } }, { sender: MALLORY, outcome: { failed: { error: "x" } } }],
          settlement: { denoms: [{ denom: "uusdc", held: "100", bank_balance: "90", kept: "90", shortfall: "10" }] },
          answers: asked.map((q: string) => ({ query: q, before: { ok: Buffer.from('"12"').toString("base64") }, after: { error: "no account" } })),
        });
      }
      if (contract === VAULT && k === "digest_at") return a({ digest: overrides.digest ?? vector.digest_at.digest, height: msg.digest_at.height, recorded_at: 30 });
      throw new ChainError(`fake: unexpected query ${k} to ${contract}`);
    },
    async contractInfo(address: string) {
      return { address, codeId: 1, admin: null, label: "x" };
    },
    async latest() {
      return { height: 40, timeNanos: 1_000_000_000_000n, chainId: "rewind-local" };
    },
  };
  const signer: Signer = {
    address: addr(7),
    async execute(contract: string, msg: any, funds?: unknown) {
      sent.push({ contract, msg, funds });
      return { events: [{ type: "wasm", attributes: [{ key: "_contract_address", value: C.governance }, { key: "proposal_id", value: "1" }] }], height: 41, txHash: "AB" };
    },
  };
  return { env: { reader, contracts: C, signer: async () => signer }, sent, queries };
}

async function cli(argv: string[], f = fake()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, f.env);
  return { code, out: out.join("\n"), err: err.join("\n"), sent: f.sent };
}

test("every command answers --help with its usage and an example, exit 0", async () => {
  for (const c of COMMANDS) {
    const r = await cli([...c.name.split(" "), "--help"]);
    assert.equal(r.code, EXIT.ok, c.name);
    assert.match(r.out, new RegExp(`usage: rewind ${c.name}`), c.name);
    assert.match(r.out, /Example: rewind /, c.name);
    assert.match(r.out, /--network NAME/, c.name);
  }
  const top = await cli(["--help"]);
  assert.equal(top.code, EXIT.ok);
  for (const c of COMMANDS) assert.ok(top.out.includes(c.name), c.name);
  assert.equal((await cli([])).code, EXIT.usage);
  const unknown = await cli(["frobnicate"]);
  assert.equal(unknown.code, EXIT.usage);
  assert.match(unknown.err, /unknown command: frobnicate/);
  const bad = await cli(["status", "--bogus"]);
  assert.equal(bad.code, EXIT.usage);
  assert.match(bad.err, /Unknown option '--bogus'/);
});

test("addresses: upper-case, unprefixed, wrong prefix and garbage are refused with the field named, before sending", async () => {
  const cases: [string[], RegExp][] = [
    [["propose", "restore", "--target", VAULT.toUpperCase(), "--height", "25"], /--target: .*upper-case/],
    [["propose", "restore", "--target", addr(5, "cosmos", 32), "--height", "25"], /--target: .*prefix cosmos, this network's is wasm/],
    [["propose", "restore", "--target", "5555", "--height", "25"], /--target: 5555 is not a bech32 address/],
    [["propose", "restore", "--target", VAULT, "--height", "25", "--exclude", MALLORY.toUpperCase()], /--exclude: .*upper-case/],
    [["propose", "restore", "--target", VAULT, "--height", "25", "--exclude", addr(9, "osmo")], /--exclude: .*prefix osmo/],
    [["pause", "--target", VAULT.toUpperCase(), "--scope", "trade", "--for", "6h", "--reason", "x"], /--target: .*upper-case/],
    [["digest", "verify", "--state", "/nonexistent", "--height", "5"], /--state: no such file/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, EXIT.usage, argv.join(" "));
    assert.match(r.err, re, argv.join(" "));
    assert.equal(r.sent.length, 0, `sent something for ${argv.join(" ")}`);
  }
  assert.throws(() => checkAddress("--x", addr(1, "wasm", 19), "wasm"), /19 bytes/);
});

test("an unknown target and a height outside the retained history are refused before sending", async () => {
  const unknown = await cli(["propose", "restore", "--target", addr(6, "wasm", 32), "--height", "25"]);
  assert.equal(unknown.code, EXIT.usage);
  assert.match(unknown.err, /--target: .* is not a registered target/);
  for (const [h, re] of [["9", /--height: 9 is outside the retained history .*\(10\.\.30\)/], ["40", /--height: 40 is not in the past/], ["0", /--height: expected an integer >= 1/], ["x", /--height: expected an integer/]] as const) {
    const r = await cli(["propose", "restore", "--target", VAULT, "--height", h]);
    assert.equal(r.code, EXIT.usage, h);
    assert.match(r.err, re, h);
    assert.equal(r.sent.length, 0);
  }
  const pause = await cli(["pause", "--target", addr(6, "wasm", 32), "--scope", "trade", "--for", "6h", "--reason", "x"]);
  assert.equal(pause.code, EXIT.usage);
  assert.match(pause.err, /--target: .* is not a registered target/);
  assert.equal(pause.sent.length, 0);
});

test("propose restore: the dry run previews digests and the exclusions' last activity and sends nothing; the real run sends it with the deposit", async () => {
  const f = fake();
  const dry = await cli(["propose", "restore", "--target", VAULT, "--height", "25", "--height", "24", "--exclude", MALLORY, "--expedited", "--query", '{"account": {"address": "x"}}', "--dry-run"], f);
  assert.equal(dry.code, EXIT.ok, dry.err);
  // Each candidate's dry run, from the target's ReplayPreview, with the --query answered before and after.
  assert.match(dry.out, /replay preview at 25 on .*: 4 executions replayed, 2 skipped \(listed: excluded 1, failed 1\); 7 journal entries undone/);
  assert.match(dry.out, /replay preview at 24 on .*: 5 executions replayed/);
  assert.match(dry.out, /uusdc: held 100, bank 90, kept 90, shortfall 10/);
  assert.match(dry.out, /\{"account":\{"address":"x"\}\}: "12" -> error: no account/);
  const asked = f.queries.find((q) => q.msg.replay_preview);
  assert.deepEqual(asked.msg.replay_preview.exclusions, [MALLORY]);
  assert.deepEqual(asked.msg.replay_preview.queries, [Buffer.from('{"account":{"address":"x"}}').toString("base64")]);
  const notJson = await cli(["propose", "restore", "--target", VAULT, "--height", "25", "--query", "{nope", "--dry-run"], f);
  assert.equal(notJson.code, EXIT.usage);
  assert.match(notJson.err, /--query: not JSON/);
  assert.match(dry.out, /candidate height 25:\n.*digest d25 \(recorded at 24\)/);
  assert.match(dry.out, /candidate height 24:\n.*digest d24/);
  assert.match(dry.out, new RegExp(`${MALLORY} on .*: last acted at 28`));
  assert.match(dry.out, /dry run: nothing sent/);
  assert.equal(f.sent.length, 0);
  const check = f.queries.find((q) => q.msg.restoration_check);
  assert.deepEqual(check.msg, { restoration_check: { heights: [25, 24], accounts: [MALLORY] } });

  const real = await cli(["propose", "restore", "--target", VAULT, "--height", "25", "--exclude", MALLORY, "--policy", "insurance-first", "--json"], f);
  assert.equal(real.code, EXIT.ok, real.err);
  assert.equal(f.sent.length, 1);
  const { contract, msg, funds } = f.sent[0];
  assert.equal(contract, C.governance);
  assert.deepEqual(msg.propose_restoration.candidates, [{ height: 25, expected_digests: ["d25"] }]);
  assert.deepEqual(msg.propose_restoration.exclusions, [MALLORY]);
  assert.equal(msg.propose_restoration.shortfall_policy, "insurance_first");
  assert.equal(msg.propose_restoration.expedited, false);
  assert.deepEqual(funds, [{ denom: "ustake", amount: "1000000" }]);
  const out = JSON.parse(real.out);
  assert.equal(out.proposal_id, 1);
  assert.equal(out.sent, true);
});

test("vote, pause and crank inputs: candidate, option, scope, duration, proposal", async () => {
  const cases: [string[], RegExp][] = [
    [["vote", "--proposal", "1", "--candidate", "24"], /--candidate: 24 is not a candidate of proposal 1 \(candidates: 25\)/],
    [["vote", "--proposal", "1"], /--candidate: give exactly one of/],
    [["vote", "--proposal", "1", "--option", "maybe"], /--option: expected yes, reject, abstain or veto/],
    [["vote", "--proposal", "2", "--option", "yes"], /--proposal: no proposal 2/],
    [["pause", "--target", VAULT, "--scope", "everything", "--for", "6h", "--reason", "x"], /--scope: expected one of all, deposit, withdraw, trade, liquidate/],
    [["pause", "--target", VAULT, "--scope", "trade", "--for", "73h", "--reason", "x"], /--for: 3 d 1 h is longer than the policy's maximum pause of 3 d/],
    [["pause", "--target", VAULT, "--scope", "trade", "--for", "soon", "--reason", "x"], /--for: expected a duration/],
    [["pause", "--target", VAULT, "--scope", "trade", "--for", "6h"], /--reason: required/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, EXIT.usage, argv.join(" "));
    assert.match(r.err, re, argv.join(" "));
    assert.equal(r.sent.length, 0);
  }
  const f = fake();
  const ok = await cli(["pause", "--target", VAULT, "--scope", "trade", "--for", "6h", "--reason", "oracle attack"], f);
  assert.equal(ok.code, EXIT.ok, ok.err);
  assert.deepEqual(f.sent[0].msg, { pause: { target: VAULT, scope: "trade", duration_seconds: 21600, reason: "oracle attack" } });
  const v = await cli(["vote", "--proposal", "1", "--candidate", "25"], f);
  assert.equal(v.code, EXIT.ok, v.err);
  assert.deepEqual(f.sent[1].msg, { vote: { proposal_id: 1, vote: { candidate: { height: 25 } } } });
});

test("durations: 6h, 30m, 1h30m, 2d, seconds; zero and junk refused", () => {
  assert.equal(parseDuration("--for", "6h"), 21600);
  assert.equal(parseDuration("--for", "30m"), 1800);
  assert.equal(parseDuration("--for", "1h30m"), 5400);
  assert.equal(parseDuration("--for", "2d"), 172800);
  assert.equal(parseDuration("--for", "90"), 90);
  assert.equal(parseDuration("--for", "1d2h3m4s"), 93784);
  for (const bad of ["0", "0h", "h", "6x", "-1h", ""]) assert.throws(() => parseDuration("--for", bad), /--for/, bad);
});

test("the crank progress line shows the step, counters and a lower bound of the batches left", () => {
  const p = { step: "replaying", undone_entries: 10, unwound_positions: 1, replayed_flows: 2, skipped_flows: 1, frozen_accounts: 0, settled_balances: 0 };
  const l = progressLine(4, p, "replaying");
  assert.equal(l.stepsLeft, 4);
  assert.match(l.text, /^\[#########\.+\] batch 4: replaying \(step 3\/7\); undone 10, replayed 2, settled 0; at least 4 batches left$/);
  const done = progressLine(6, { ...p, step: "complete", settled_balances: 7 }, "complete");
  assert.equal(done.stepsLeft, 0);
  assert.match(done.text, /^\[#{28}\] .*settled 7; no batches left$/);
});

test("digest verify: match exits 0, mismatch 3, a malformed dump 2 with the field named", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rewind-cli-"));
  const good = join(dir, "dump.json");
  writeFileSync(good, JSON.stringify(vector.dump));
  const ok = await cli(["digest", "verify", "--state", good, "--height", String(vector.height), "--target", VAULT]);
  assert.equal(ok.code, EXIT.ok, ok.err);
  assert.match(ok.out, /MATCH: the dump is the state the chain certified/);
  assert.ok(ok.out.includes(vector.digest_at.digest));
  const mismatch = await cli(["digest", "verify", "--state", good, "--height", String(vector.height), "--json"], fake({ digest: "00".repeat(32) }));
  assert.equal(mismatch.code, EXIT.mismatch);
  const j = JSON.parse(mismatch.out);
  assert.equal(j.match, false);
  assert.equal(j.recomputed, vector.digest_at.digest);
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ models: [{ key: "0004726a2f73", value: "AQ==" }] }));
  const malformed = await cli(["digest", "verify", "--state", bad, "--height", "5", "--json"]);
  assert.equal(malformed.code, EXIT.usage);
  const e = JSON.parse(malformed.err);
  assert.equal(e.field, "--state");
  assert.match(e.message, /header needs 9/);
});

test("a refusal by the chain exits 1 with the chain's text; --json errors are JSON", async () => {
  const f = fake();
  f.env.signer = async () => ({
    address: addr(7),
    async execute() {
      throw new ChainError("wasm1x has no voting power at height 26");
    },
  });
  const r = await cli(["vote", "--proposal", "1", "--candidate", "25", "--json"], f);
  assert.equal(r.code, EXIT.refused);
  assert.deepEqual(JSON.parse(r.err), { error: "refused", message: "refused by the chain: wasm1x has no voting power at height 26" });
});

test("propose fast-track: a playbook, an incident with a height and exclusions it names are required before sending; the message is the incident's", async () => {
  const FEEDER = addr(8);
  const playbook = { veto_window_seconds: 6 * 3600, veto_threshold: "0.334", shortfall_policy: "pro_rata_haircut", post_restore_config: null };
  const withIncident = (hasPlaybook: boolean, height: number | null = 24) => {
    const f = fake();
    const base = f.env.reader!;
    f.env.reader = {
      ...base,
      async smart<T>(contract: string, msg: any): Promise<T> {
        const k = Object.keys(msg)[0];
        if (contract === C.governance && k === "targets") return { targets: [{ contract: VAULT, active_proposal: null, playbook: hasPlaybook ? playbook : null }] } as T;
        if (contract === VAULT && k === "incident") {
          if (msg.incident.id !== 1) throw new ChainError(`incident ${msg.incident.id} not found`);
          return { id: 1, invariant: "oracle_agreement", reason: "price 122 is 19.6 % from reference 102", detected_height: 26, last_held_height: height, accounts: [FEEDER] } as T;
        }
        return base.smart<T>(contract, msg);
      },
    };
    return f;
  };
  const refused: [ReturnType<typeof fake>, string[], RegExp][] = [
    [withIncident(false), [], /--target: .* has no fast-track playbook/],
    [withIncident(true), ["--incident", "0"], /--incident/],
    [withIncident(true), ["--incident", "2"], /--incident: 2 on .*not found/],
    [withIncident(true, null), ["--incident", "1"], /--incident: 1 names no last invariant-holding height/],
    [withIncident(true), ["--incident", "1", "--exclude", MALLORY], /--exclude: not named by incident 1/],
  ];
  for (const [f, extra, re] of refused) {
    const r = await cli(["propose", "fast-track", "--target", VAULT, ...(extra.length ? extra : ["--incident", "1"]), "--from", "guardian"], f);
    assert.equal(r.code, EXIT.usage, `${extra.join(" ")}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.sent.length, 0);
  }
  const dry = await cli(["propose", "fast-track", "--target", VAULT, "--incident", "1", "--dry-run", "--json"], withIncident(true));
  assert.equal(dry.code, EXIT.ok, dry.err);
  assert.equal(dry.sent.length, 0);
  assert.deepEqual(JSON.parse(dry.out).msg, { propose_fast_track: { target: VAULT, incident_id: 1, exclusions: null } });
  const f = withIncident(true);
  const sent = await cli(["propose", "fast-track", "--target", VAULT, "--incident", "1", "--exclude", FEEDER, "--from", "guardian"], f);
  assert.equal(sent.code, EXIT.ok, sent.err);
  assert.deepEqual(sent.sent.map((s) => s.msg), [{ propose_fast_track: { target: VAULT, incident_id: 1, exclusions: [FEEDER] } }]);
  assert.match(sent.out, /restores to 24, excluding/);
});
