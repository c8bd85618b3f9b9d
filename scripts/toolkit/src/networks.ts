/**
 * Network configs (scripts/networks/<name>.json) and the rule that decides whether a chain's
 * VM can run the Rewind artifacts.
 *
 * THE RULE. The artifacts are cosmwasm-std 3 contracts built with only `cosmwasm_1_2`: they
 * export `requires_iterator`, `requires_cosmwasm_1_1` and `requires_cosmwasm_1_2`, import only
 * host functions that exist since wasmvm 1.0, and contain no post-MVP opcodes (lowered by
 * wasm-opt). So a chain can run them iff its wasmvm is >= 1.2.0 (which added the
 * `cosmwasm_1_2` capability). The deploy script reads the wasmvm version from the node's
 * `GetNodeInfo` (`application_version.build_deps`, module `github.com/CosmWasm/wasmvm[/vN]`)
 * and refuses the chain when:
 *   - that version is < 1.2.0, or
 *   - it cannot be found (a fork that renames the module, or a node that hides build deps)
 *     and `--assume-wasmvm <x.y.z>` was not given, or
 *   - the network file's own `capability.highest` is below `cosmwasm_1_2`, or
 *   - the node's chain id differs from the network file's `chainId`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { defaultSettings, mergeSettings, type DeploySettings } from "./plan";

export interface NetworkConfig {
  /** File name without .json. */
  name: string;
  kind: "chain" | "simulated";
  chainId: string;
  description: string;
  bech32Prefix: string;
  /** Tendermint/CometBFT RPC (live chains). */
  rpc?: string;
  /** Cosmos REST (LCD) endpoint, used for node_info when present. */
  rest?: string;
  /** The fee denom. */
  denom: string;
  /** CosmJS gas price string, e.g. `0.025uosmo`. */
  gasPrice: string;
  /** Gas multiplier for simulated gas estimates. */
  gasAdjustment?: number;
  capability: {
    /** The highest `cosmwasm_x_y` the chain's VM supports, as we know it. */
    highest: string;
    /** The wasmvm version, as we know it (the node's own report wins at deploy time). */
    wasmvm: string;
    /** Where the value came from and how sure it is. */
    source: string;
  };
  /** Whether storing code needs a governance proposal on this network. */
  permissionedUpload?: boolean;
  /** Overrides of the deploy settings (see plan.ts `DeploySettings`). */
  deploy?: Partial<DeploySettings>;
}

export const NETWORKS_DIR = join(__dirname, "..", "..", "networks");

export function loadNetwork(name: string, dir = NETWORKS_DIR): NetworkConfig {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid network name: ${name}`);
  const raw = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as NetworkConfig;
  if (raw.name !== name) throw new Error(`networks/${name}.json: "name" is ${raw.name}`);
  if (raw.kind === "chain" && !raw.rpc) throw new Error(`networks/${name}.json: a live chain needs "rpc"`);
  parseCapability(raw.capability.highest);
  return raw;
}

export function settingsFor(net: NetworkConfig): DeploySettings {
  return mergeSettings(defaultSettings(net.deploy?.stakeDenom ?? net.denom), net.deploy);
}

/** `cosmwasm_2_1` → [2, 1]. */
export function parseCapability(cap: string): [number, number] {
  const m = /^cosmwasm_(\d+)_(\d+)$/.exec(cap);
  if (!m) throw new Error(`not a cosmwasm_x_y capability: ${cap}`);
  return [Number(m[1]), Number(m[2])];
}

export type SemVer = [number, number, number];

export function parseSemver(v: string): SemVer | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function cmpSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The highest capability each wasmvm minor series ships (wasmvm/cosmwasm-vm release notes). */
export function highestCapabilityOf(wasmvm: SemVer): string {
  const [major, minor] = wasmvm;
  if (major >= 3) return "cosmwasm_3_0";
  if (major === 2) return `cosmwasm_2_${Math.min(minor, 2)}`;
  if (major === 1) return minor >= 4 ? "cosmwasm_1_4" : `cosmwasm_1_${minor}`;
  return "none";
}

export const REQUIRED_WASMVM: SemVer = [1, 2, 0];
export const REQUIRED_CAPABILITY = "cosmwasm_1_2";

/** A `build_deps` entry, as GetNodeInfo reports it (`path@version[ => replacement@version]`). */
export interface BuildDep {
  path: string;
  version: string;
  /** `"path@version"` of a `replace` directive, if any. */
  replace?: string;
}

/** Finds wasmvm in the build deps. A `replace` with a wasmvm fork keeps the upstream version. */
export function findWasmvm(deps: BuildDep[]): { version: SemVer; raw: string } | undefined {
  for (const d of deps) {
    if (!/^github\.com\/CosmWasm\/wasmvm(\/v\d+)?$/.test(d.path)) continue;
    const v = parseSemver(d.version);
    if (v) return { version: v, raw: `${d.path}@${d.version}${d.replace ? ` => ${d.replace}` : ""}` };
  }
  return undefined;
}

export interface CompatibilityInput {
  net: NetworkConfig;
  nodeChainId: string;
  deps: BuildDep[];
  /** `--assume-wasmvm`: used only when the node does not report wasmvm. */
  assumeWasmvm?: string;
}

export interface CompatibilityVerdict {
  ok: boolean;
  wasmvm?: string;
  nodeHighest?: string;
  reasons: string[];
  warnings: string[];
}

export function checkCompatibility(input: CompatibilityInput): CompatibilityVerdict {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const { net } = input;
  if (input.nodeChainId !== net.chainId) {
    reasons.push(`node reports chain id ${input.nodeChainId}, networks/${net.name}.json says ${net.chainId}`);
  }
  const [cMaj, cMin] = parseCapability(net.capability.highest);
  const [rMaj, rMin] = parseCapability(REQUIRED_CAPABILITY);
  if (cMaj < rMaj || (cMaj === rMaj && cMin < rMin)) {
    reasons.push(`networks/${net.name}.json capability ${net.capability.highest} < required ${REQUIRED_CAPABILITY}`);
  }
  let found = findWasmvm(input.deps);
  if (!found && input.assumeWasmvm) {
    const v = parseSemver(input.assumeWasmvm);
    if (!v) reasons.push(`--assume-wasmvm ${input.assumeWasmvm} is not a version`);
    else {
      found = { version: v, raw: `assumed ${input.assumeWasmvm}` };
      warnings.push(`the node does not report wasmvm; assuming ${input.assumeWasmvm} as told`);
    }
  }
  if (!found) {
    if (!input.assumeWasmvm) {
      reasons.push("the node's build_deps name no github.com/CosmWasm/wasmvm; pass --assume-wasmvm x.y.z if you know it");
    }
    return { ok: false, reasons, warnings };
  }
  const nodeHighest = highestCapabilityOf(found.version);
  if (cmpSemver(found.version, REQUIRED_WASMVM) < 0) {
    reasons.push(`wasmvm ${found.version.join(".")} < ${REQUIRED_WASMVM.join(".")}: no ${REQUIRED_CAPABILITY}`);
  }
  if (nodeHighest !== net.capability.highest) {
    warnings.push(`node wasmvm ${found.raw} implies ${nodeHighest}; networks/${net.name}.json says ${net.capability.highest} (update the file)`);
  }
  return { ok: reasons.length === 0, wasmvm: found.raw, nodeHighest, reasons, warnings };
}
