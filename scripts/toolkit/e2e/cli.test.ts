/**
 * The `rewind` CLI end to end against the local backend (lcd-server.ts) over the demo story
 * on the simulated chain (the built artifacts): every read goes through the LCD endpoints,
 * every transaction through the development-account broadcast endpoint. Walks the story:
 * status, a refused vote, the votes, close, execute, crank --until-done, digest verify.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { EXIT, run } from "../src/cli/rewind";
import { ARTIFACTS_DIR } from "../src/deploy";
import { startLcdServer, type LcdServer } from "../src/lcd-server";
import { CONTRACTS } from "../src/plan";
import { setupStory, type Story } from "../src/story";

describe("rewind CLI against the local backend", () => {
  let story: Story;
  let server: LcdServer;
  let vault: string;
  const dir = mkdtempSync(join(tmpdir(), "rewind-e2e-"));

  before(async () => {
    const missing = CONTRACTS.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`)));
    assert.deepEqual(missing, [], `artifacts missing in ${ARTIFACTS_DIR}: run scripts/build.sh`);
    story = await setupStory();
    server = await startLcdServer({ chain: story.chain, contracts: story.contracts, names: story.names, port: 0 });
    vault = story.contracts.vault!;
  });
  after(async () => server?.close());

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run([...argv, "--node", server.url], { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const advance = async (seconds: number) => {
    const res = await fetch(`${server.url}/rewind/local/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ seconds }) });
    assert.equal(res.status, 200);
  };

  test("the backend speaks the LCD shapes: smart query, contract info, latest block, errors", async () => {
    const q = Buffer.from(JSON.stringify({ journal_info: {} })).toString("base64");
    const smart = (await (await fetch(`${server.url}/cosmwasm/wasm/v1/contract/${vault}/smart/${q}`)).json()) as { data: { retained_from: number } };
    assert.equal(typeof smart.data.retained_from, "number");
    const info = (await (await fetch(`${server.url}/cosmwasm/wasm/v1/contract/${vault}`)).json()) as { address: string; contract_info: { code_id: string; label: string } };
    assert.equal(info.address, vault);
    assert.match(info.contract_info.code_id, /^\d+$/);
    const bad = await fetch(`${server.url}/cosmwasm/wasm/v1/contract/${vault}/smart/${Buffer.from('{"nope":{}}').toString("base64")}`);
    assert.equal(bad.status, 500);
    const body = (await bad.json()) as { code: number; message: string };
    assert.equal(body.code, 2);
    assert.match(body.message, /unknown variant `nope`/);
    const latest = (await (await fetch(`${server.url}/cosmos/base/tendermint/v1beta1/blocks/latest`)).json()) as { block: { header: { height: string; chain_id: string } } };
    assert.equal(latest.block.header.chain_id, "rewind-local");
    assert.equal(Number(latest.block.header.height), story.chain.app.height);
    const stranger = await fetch(`${server.url}/rewind/local/execute`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "eve", contract: vault, msg: { deposit: {} } }) });
    assert.equal(stranger.status, 400);
    assert.match(((await stranger.json()) as { message: string }).message, /not a development account: eve/);
  });

  test("status shows the pauses with who and why, and the open proposal with its candidate", async () => {
    const r = await cli("status");
    assert.equal(r.code, EXIT.ok, r.err);
    assert.match(r.out, /trade {5}PAUSED, ends in 2 d 23 h 59 min .* by guardian .*: oracle manipulation at block E/);
    assert.match(r.out, /withdraw {2}PAUSED/);
    assert.match(r.out, new RegExp(`#${story.proposalId} Restore the vault .*\\[expedited\\]`));
    assert.match(r.out, new RegExp(`candidate height ${story.restoreHeight}: 0 \\(0\\.0% of power\\)`));
    assert.match(r.out, /exclusions: (mallory .*, feeder|feeder .*, mallory) /);
    const j = JSON.parse((await cli("status", "--json")).out);
    assert.equal(j.targets[0].contract, vault);
    assert.equal(j.proposals[0].id, story.proposalId);
  });

  test("propose restore --dry-run fetches the digest and the attacker's last activity", async () => {
    const bobAccount = JSON.stringify({ account: { address: story.names.bob } });
    const r = await cli("propose", "restore", "--target", vault, "--height", String(story.restoreHeight), "--exclude", story.names.mallory, "--exclude", story.names.feeder, "--query", bobAccount, "--dry-run", "--json");
    assert.equal(r.code, EXIT.ok, r.err);
    const j = JSON.parse(r.out);
    // The vault's dry run of this very restoration: bob's account today and after it.
    const [replay] = j.preview.replay_previews;
    assert.ok(replay.preview, replay.error);
    assert.ok(replay.preview.replayed_executions > 0, JSON.stringify(replay.preview));
    assert.ok(replay.preview.entries.every((e: { sender: string; outcome: Record<string, unknown> }) => "excluded" in e.outcome && [story.names.mallory, story.names.feeder].includes(e.sender)), JSON.stringify(replay.preview.entries));
    const today = await story.chain.client("deployer").query(vault, JSON.parse(bobAccount));
    assert.deepEqual(JSON.parse(Buffer.from(replay.preview.answers[0].before.ok, "base64").toString()), today);
    assert.ok("ok" in replay.preview.answers[0].after);
    const digest = await story.chain.client("deployer").query<{ digest: string }>(vault, { digest_at: { height: story.restoreHeight } });
    assert.deepEqual(j.msg.propose_restoration.candidates, [{ height: story.restoreHeight, expected_digests: [digest.digest] }]);
    // mallory withdrew the profit after E: her last activity is above the candidate.
    assert.ok(j.preview.exclusions[0].last_acted[vault] > story.restoreHeight);
    assert.equal(j.sent, false);
    const bad = await cli("propose", "restore", "--target", vault, "--height", "3");
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.err, /--height: 3 is outside the retained history/);
  });

  test("votes: an account with no power at the power height is refused with the chain's text; holders pass it", async () => {
    const refused = await cli("vote", "--proposal", String(story.proposalId), "--candidate", String(story.restoreHeight), "--from", "mallory");
    assert.equal(refused.code, EXIT.refused);
    assert.match(refused.err, /refused by the chain: .*has no voting power at height/);
    for (const h of ["holder-1", "holder-2", "holder-3"]) {
      const r = await cli("vote", "--proposal", String(story.proposalId), "--candidate", String(story.restoreHeight), "--from", h);
      assert.equal(r.code, EXIT.ok, r.err);
    }
    const s = JSON.parse((await cli("status", "--json")).out);
    assert.deepEqual(s.proposals[0].tally.for_options, ["1000000"]);
    const early = await cli("close", "--proposal", String(story.proposalId));
    assert.equal(early.code, EXIT.refused);
  });

  test("digest verify: a dump of the backend's raw state matches DigestAt; a tampered one does not", async () => {
    const height = story.chain.app.height;
    const dump = (await (await fetch(`${server.url}/cosmwasm/wasm/v1/contract/${vault}/state`)).json()) as { models: { key: string; value: string }[] };
    await advance(6);
    const file = join(dir, "dump.json");
    writeFileSync(file, JSON.stringify(dump));
    const ok = await cli("digest", "verify", "--state", file, "--height", String(height), "--target", vault);
    assert.equal(ok.code, EXIT.ok, ok.err);
    assert.match(ok.out, /MATCH/);
    const i = dump.models.findIndex((m) => m.key.startsWith("0004726A2F73") && Buffer.from(m.value, "base64")[8] === 1);
    const v = Buffer.from(dump.models[i].value, "base64");
    v[v.length - 1] ^= 1;
    dump.models[i].value = v.toString("base64");
    writeFileSync(file, JSON.stringify(dump));
    const bad = await cli("digest", "verify", "--state", file, "--height", String(height));
    assert.equal(bad.code, EXIT.mismatch);
    assert.match(bad.out, /MISMATCH/);
  });

  test("close queues it; execute waits for the ETA; crank --until-done completes with the digest verified", async () => {
    const p = JSON.parse((await cli("status", "--json")).out).proposals[0];
    await advance(p.seconds_left + 1);
    const closed = await cli("close", "--proposal", String(story.proposalId), "--json");
    assert.equal(closed.code, EXIT.ok, closed.err);
    const c = JSON.parse(closed.out);
    assert.equal(c.status, "executed");
    const op = c.operation_id as number;
    const s = JSON.parse((await cli("status", "--json")).out);
    assert.equal(s.operations[0].id, op);
    assert.ok(s.operations[0].seconds_to_eta > 0);
    const early = await cli("execute", "--operation", String(op));
    assert.equal(early.code, EXIT.refused);
    assert.match(early.err, /is not due/);
    await advance(s.operations[0].seconds_to_eta + 1);
    const ex = await cli("execute", "--operation", String(op));
    assert.equal(ex.code, EXIT.ok, ex.err);
    const running = await cli("status");
    assert.match(running.out, /restoration \d+: to height \d+/);
    const cr = await cli("crank", "--until-done", "--limit", "5");
    assert.equal(cr.code, EXIT.ok, cr.err);
    assert.match(cr.out, /batch 1: rolling_back/);
    assert.match(cr.out, /\[#{28}\] batch \d+: complete .*no batches left/);
    assert.match(cr.out, /complete after \d+ batch\(es\); digest verified on every target/);
    const none = await cli("crank");
    assert.equal(none.code, EXIT.usage);
    assert.match(none.err, /--restoration: no restoration is running/);
    // The story's honest executions after E replayed; the feeder's push and mallory's close
    // and withdrawal skipped; the feeder rotated with the release.
    const q = <T>(msg: object) => story.chain.client("deployer").query<T>(vault, msg);
    const status = await q<{ replayed_executions: number; skipped_executions: number }>({ restoration_status: {} });
    assert.deepEqual([status.replayed_executions, status.skipped_executions], [5, 3]);
    const report = await q<{ entries: { sender: string; outcome: object }[] }>({ replay_report: { limit: 100 } });
    assert.deepEqual(report.entries.map((e) => [e.sender, Object.keys(e.outcome)[0]]), [[story.names.feeder, "excluded"], [story.names.mallory, "excluded"], [story.names.mallory, "excluded"]]);
    assert.equal((await q<{ feeder: string }>({ config: {} })).feeder, story.names["feeder-2"]);
  });
});
