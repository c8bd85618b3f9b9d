import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";

import {
  checkCompatibility,
  findWasmvm,
  highestCapabilityOf,
  loadNetwork,
  NETWORKS_DIR,
  parseCapability,
  settingsFor,
  type NetworkConfig,
} from "../src/networks";

const osmo = (): NetworkConfig => loadNetwork("osmo-test-5");

test("every network file loads and names a cosmwasm_x_y capability >= cosmwasm_1_2", () => {
  const names = readdirSync(NETWORKS_DIR).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
  assert.deepEqual(names.sort(), ["elgafar-1", "local", "osmo-test-5", "pion-1", "uni-7", "xion-testnet-2"]);
  for (const name of names) {
    const net = loadNetwork(name);
    const [maj, min] = parseCapability(net.capability.highest);
    assert.ok(maj > 1 || (maj === 1 && min >= 2), `${name}: ${net.capability.highest}`);
    if (net.kind === "chain") assert.match(net.rpc ?? "", /^https:\/\//);
    assert.match(net.gasPrice, /^\d+(\.\d+)?[a-z]/);
  }
});

test("local overrides only what it names", () => {
  const s = settingsFor(loadNetwork("local"));
  assert.equal(s.stakeDenom, "ustake");
  assert.equal(s.unbondingSeconds, 60);
  assert.equal(s.timelock.min_delay_seconds, 12 * 3600);
});

test("wasmvm is read from build deps, with or without a /vN suffix", () => {
  assert.deepEqual(findWasmvm([{ path: "github.com/CosmWasm/wasmvm/v2", version: "v2.1.4" }])?.version, [2, 1, 4]);
  assert.deepEqual(findWasmvm([{ path: "github.com/CosmWasm/wasmvm", version: "v1.5.2" }])?.version, [1, 5, 2]);
  assert.equal(findWasmvm([{ path: "github.com/CosmWasm/wasmd", version: "v0.53.0" }]), undefined);
});

test("capability per wasmvm series", () => {
  assert.equal(highestCapabilityOf([1, 1, 0]), "cosmwasm_1_1");
  assert.equal(highestCapabilityOf([1, 5, 2]), "cosmwasm_1_4");
  assert.equal(highestCapabilityOf([2, 1, 3]), "cosmwasm_2_1");
  assert.equal(highestCapabilityOf([2, 2, 0]), "cosmwasm_2_2");
  assert.equal(highestCapabilityOf([3, 0, 2]), "cosmwasm_3_0");
});

test("a node with wasmvm 2.1 is accepted (and a config mismatch is only a warning)", () => {
  const v = checkCompatibility({ net: osmo(), nodeChainId: "osmo-test-5", deps: [{ path: "github.com/CosmWasm/wasmvm/v2", version: "v2.2.1" }] });
  assert.equal(v.ok, true, v.reasons.join("; "));
  assert.equal(v.nodeHighest, "cosmwasm_2_2");
  assert.equal(v.warnings.length, 1);
});

test("wasmvm below 1.2 is refused", () => {
  const v = checkCompatibility({ net: osmo(), nodeChainId: "osmo-test-5", deps: [{ path: "github.com/CosmWasm/wasmvm", version: "v1.1.2" }] });
  assert.equal(v.ok, false);
  assert.match(v.reasons.join(";"), /1\.1\.2 < 1\.2\.0/);
});

test("an unknown wasmvm is refused unless assumed", () => {
  const refused = checkCompatibility({ net: osmo(), nodeChainId: "osmo-test-5", deps: [] });
  assert.equal(refused.ok, false);
  assert.match(refused.reasons[0], /assume-wasmvm/);
  const assumed = checkCompatibility({ net: osmo(), nodeChainId: "osmo-test-5", deps: [], assumeWasmvm: "2.1.0" });
  assert.equal(assumed.ok, true);
  const tooOld = checkCompatibility({ net: osmo(), nodeChainId: "osmo-test-5", deps: [], assumeWasmvm: "1.1.0" });
  assert.equal(tooOld.ok, false);
});

test("a chain id mismatch is refused", () => {
  const v = checkCompatibility({ net: osmo(), nodeChainId: "osmosis-1", deps: [{ path: "github.com/CosmWasm/wasmvm/v2", version: "v2.1.4" }] });
  assert.equal(v.ok, false);
  assert.match(v.reasons[0], /osmosis-1/);
});
