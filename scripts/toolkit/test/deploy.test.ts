import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";

import { instantiate2Address } from "@cosmjs/cosmwasm-stargate";
import { fromHex } from "@cosmjs/encoding";

import { ARTIFACTS_DIR, describePlan, loadArtifacts, main, runDeployment } from "../src/deploy";
import { loadNetwork, settingsFor } from "../src/networks";
import { buildSteps, checkRetention, defaultSettings, GOVERNANCE_SALT } from "../src/plan";
import { shapeReplyData } from "../src/sim-patches";
import { SimulatedChain } from "../src/simulated";

const STAKE = join(ARTIFACTS_DIR, "rewind_stake.wasm");
// A missing artifact fails here, never skips: scripts/test.sh builds them before this runs.
test("the stake artifact is built", () => assert.ok(existsSync(STAKE), `no ${STAKE}: run scripts/build.sh`));

test("the dry run needs no artifacts and no network, and marks missing steps", () => {
  const net = loadNetwork("pion-1");
  const text = describePlan(net, settingsFor(net), new Map());
  assert.match(text, /instantiate rewind_stake {2}-- SKIPPED, artifact missing: rewind_stake/);
  assert.match(text, /"voting_module": "<address:rewind_stake>"/);
  assert.match(text, /wasmvm >= 1\.2\.0/);
});

test("a checksum that differs from checksums.txt is refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "rewind-art-"));
  writeFileSync(join(dir, "rewind_stake.wasm"), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(dir, "checksums.txt"), `${"0".repeat(64)}  rewind_stake.wasm\n`);
  assert.throws(() => loadArtifacts(dir), /differs from checksums\.txt/);
});

test("reply data is shaped per message type, as wasmd 0.50+ reports it", () => {
  // MsgInstantiateContractResponse{address:"a", data:0x01} as cw-simulate wraps every reply
  const wrapped = Buffer.from([10, 1, 97, 18, 1, 1]).toString("base64");
  const exec = shapeReplyData({ id: 1, reply_on: "success", msg: { wasm: { execute: {} } } }, wrapped);
  assert.deepEqual(exec.msgResponses, [{ type_url: "/cosmwasm.wasm.v1.MsgExecuteContractResponse", value: Buffer.from([10, 1, 1]).toString("base64") }]);
  const inst = shapeReplyData({ id: 1, reply_on: "success", msg: { wasm: { instantiate: {} } } }, wrapped);
  assert.equal(inst.data, wrapped);
  assert.equal(inst.msgResponses[0].type_url, "/cosmwasm.wasm.v1.MsgInstantiateContractResponse");
  const send = shapeReplyData({ id: 1, reply_on: "success", msg: { bank: { send: {} } } }, null);
  assert.deepEqual(send, { data: null, msgResponses: [{ type_url: "/cosmos.bank.v1beta1.MsgSendResponse", value: "" }] });
});

test("deploy on the simulated chain: uploads, instantiates stake, skips what is not built", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rewind-art-"));
  // rewind-stake's admin and DAO is governance's predicted address: its artifact is needed.
  copyFileSync(STAKE, join(dir, "rewind_stake.wasm"));
  copyFileSync(join(dirname(STAKE), "rewind_governance.wasm"), join(dir, "rewind_governance.wasm"));
  const net = loadNetwork("local");
  const chain = new SimulatedChain({ chainId: net.chainId, bech32Prefix: net.bech32Prefix });
  const deployer = chain.client("deployer");
  const lines: string[] = [];
  const d = await runDeployment(deployer, net, settingsFor(net), loadArtifacts(dir), (l) => lines.push(l));
  assert.equal(d.codes.rewind_stake?.codeId, 1);
  const stake = d.contracts.rewind_stake!.address;
  assert.deepEqual(await deployer.query(stake, { get_config: {} }), { unstaking_duration: { time: 60 } });
  assert.deepEqual(await deployer.query(stake, { denom: {} }), { denom: "ustake" });
  assert.deepEqual(d.skipped.map((s) => s.step), ["instantiate2 rewind_governance", "read governance modules", "instantiate2 rewind_vault"]);
  const governance = instantiate2Address(fromHex(d.codes.rewind_governance!.checksum), deployer.address, new TextEncoder().encode(GOVERNANCE_SALT), net.bech32Prefix);
  assert.equal((await deployer.contractInfo(stake)).admin, governance);
  assert.deepEqual(await deployer.query(stake, { dao: {} }), governance);
});

test("deploy --network local writes <out>/local.json", async () => {
  const out = mkdtempSync(join(tmpdir(), "rewind-dep-"));
  const lines: string[] = [];
  const code = await main(["--network", "local", "--out", out], (l) => lines.push(l));
  assert.equal(code, 0);
  const d = JSON.parse(readFileSync(join(out, "local.json"), "utf8"));
  assert.equal(d.chainId, "rewind-local");
  assert.match(d.contracts.rewind_stake.address, /^wasm1/);
  assert.ok(lines.some((l) => l.startsWith("uploaded rewind_stake")));
});

const ALL = ["rewind_stake", "rewind_governance", "rewind_timelock", "rewind_guardian", "rewind_executor", "rewind_vault"];
test("every artifact is built", () => assert.deepEqual(ALL.filter((n) => !existsSync(join(ARTIFACTS_DIR, `${n}.wasm`))), [], "run scripts/build.sh"));

test("full deploy on the simulated chain: governance wires its modules, the vault is its target", async () => {
  const net = loadNetwork("local");
  const chain = new SimulatedChain({ chainId: net.chainId, bech32Prefix: net.bech32Prefix });
  const deployer = chain.client("deployer");
  const d = await runDeployment(deployer, net, settingsFor(net), loadArtifacts(ARTIFACTS_DIR), () => {});
  assert.deepEqual(d.skipped, []);
  const c = d.contracts;
  assert.equal(c.rewind_vault!.admin, c.rewind_executor!.address);
  const cfg = await deployer.query<{ modules: Record<string, string> }>(c.rewind_governance!.address, { config: {} });
  assert.equal(cfg.modules.executor, c.rewind_executor!.address);
  const targets = await deployer.query<{ targets: { contract: string }[] }>(c.rewind_governance!.address, { targets: {} });
  assert.deepEqual(targets.targets.map((t) => t.contract), [c.rewind_vault!.address]);
});

test("g12 the plan refuses a vault whose retention does not outlive voting + delay + grace", () => {
  const s = defaultSettings("uatom");
  const required = s.normal.voting_period_seconds + s.timelock.delay_seconds + s.timelock.grace_period_seconds;
  checkRetention({ ...s, vault: { ...s.vault, retention_seconds: required } });
  const short = { ...s, vault: { ...s.vault, retention_seconds: required - 1 } };
  assert.throws(() => checkRetention(short), /retention_seconds is \d+: it must be at least .* = \d+ s/);
  assert.throws(() => buildSteps(short, true, (name) => name), /retention_seconds/);
  // Without a vault in the plan there is nothing to check.
  assert.ok(buildSteps(short, false, (name) => name).length > 0);
});
