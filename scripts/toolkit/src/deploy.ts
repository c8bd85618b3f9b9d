/**
 * Deploys the Rewind contracts: `scripts/deploy.sh --network <name> [--dry-run]`.
 *
 * - `--dry-run`: prints the plan (artifacts, checksums, steps, messages with placeholders);
 *   no network, no mnemonic.
 * - `--network local`: runs the same steps on the embedded simulated chain (cw-simulate).
 * - a live network: reads the node's GetNodeInfo, refuses chains whose wasmvm cannot run the
 *   artifacts (rule in networks.ts), signs with the first account of `REWIND_MNEMONIC`,
 *   uploads every artifact, instantiates in plan order, writes deployments/<network>.json.
 */
import { instantiate2Address } from "@cosmjs/cosmwasm-stargate";
import { sha256 } from "@cosmjs/crypto";
import { fromHex, toHex } from "@cosmjs/encoding";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import type { RewindClient } from "./client";
import { ChainClient, fetchNodeInfo, type NodeInfo } from "./chain";
import { checkCompatibility, loadNetwork, settingsFor, type CompatibilityVerdict, type NetworkConfig } from "./networks";
import { buildSteps, CONTRACTS, GOVERNANCE_SALT, VAULT_SALT, type ContractName, type DeploySettings, type Predicted, type Refs, type Step } from "./plan";
import { SimulatedChain, type SimulatedClient } from "./simulated";

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");
/** `REWIND_ARTIFACTS` overrides where artifacts are read from (default: <repo>/artifacts). */
export const ARTIFACTS_DIR = process.env.REWIND_ARTIFACTS ?? join(REPO_ROOT, "artifacts");

export interface Artifact {
  name: ContractName;
  path: string;
  bytes: Uint8Array;
  checksum: string;
  size: number;
}

/** Reads artifacts/<name>.wasm for every contract present; checks checksums.txt when present. */
export function loadArtifacts(dir: string): Map<ContractName, Artifact> {
  const listed = new Map<string, string>();
  const sumsFile = join(dir, "checksums.txt");
  if (existsSync(sumsFile)) {
    for (const line of readFileSync(sumsFile, "utf8").split("\n")) {
      const m = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
      if (m) listed.set(m[2].replace(/^.*\//, ""), m[1]);
    }
  }
  const out = new Map<ContractName, Artifact>();
  for (const name of CONTRACTS) {
    const path = join(dir, `${name}.wasm`);
    if (!existsSync(path)) continue;
    const bytes = new Uint8Array(readFileSync(path));
    const checksum = toHex(sha256(bytes));
    const expected = listed.get(`${name}.wasm`);
    if (expected && expected !== checksum) {
      throw new Error(`${path}: sha256 ${checksum} differs from checksums.txt (${expected}); rebuild`);
    }
    out.set(name, { name, path, bytes, checksum, size: bytes.length });
  }
  return out;
}

export interface Deployment {
  network: string;
  chainId: string;
  kind: "simulated" | "chain";
  deployer: string;
  height: number;
  time: string;
  node?: { appName: string; appVersion: string; cosmosSdkVersion: string; wasmvm?: string; via: string };
  codes: Partial<Record<ContractName, { codeId: number; checksum: string; size: number }>>;
  contracts: Partial<Record<ContractName, { address: string; codeId: number; admin: string | null; label: string }>>;
  skipped: { step: string; reason: string }[];
}

export type Log = (line: string) => void;

function stepName(step: Step): string {
  return step.kind === "modules" ? "read governance modules" : `${step.kind} ${step.contract}`;
}

function missing(step: Step, artifacts: Map<ContractName, unknown>): ContractName[] {
  return step.needs.filter((n) => !artifacts.has(n));
}

/** The same steps, driven through any RewindClient. */
export async function runDeployment(
  client: RewindClient,
  net: NetworkConfig,
  settings: DeploySettings,
  artifacts: Map<ContractName, Artifact>,
  log: Log,
): Promise<Deployment> {
  const codes: Deployment["codes"] = {};
  const contracts: Deployment["contracts"] = {};
  const skipped: Deployment["skipped"] = [];

  for (const a of artifacts.values()) {
    const r = await client.upload(a.bytes);
    if (r.checksum !== a.checksum) throw new Error(`${a.name}: chain reports checksum ${r.checksum}, artifact is ${a.checksum}`);
    codes[a.name] = { codeId: r.codeId, checksum: r.checksum, size: a.size };
    log(`uploaded ${a.name}: code ${r.codeId} (${a.size} bytes, sha256 ${a.checksum})`);
  }

  const refs: Refs = {
    deployer: client.address,
    codeId: (n) => {
      const c = codes[n];
      if (!c) throw new Error(`no code for ${n}`);
      return c.codeId;
    },
    address: (n) => {
      const c = contracts[n];
      if (!c) throw new Error(`no address for ${n}`);
      return c.address;
    },
  };
  const vault = artifacts.get("rewind_vault");
  const salts: Record<Predicted, string> = { rewind_vault: VAULT_SALT, rewind_governance: GOVERNANCE_SALT };
  const predict = (name: Predicted) =>
    instantiate2Address(fromHex(artifacts.get(name)!.checksum), client.address, new TextEncoder().encode(salts[name]), net.bech32Prefix);
  const steps = buildSteps(settings, vault !== undefined && missingAny(artifacts).length === 0, predict);

  for (const step of steps) {
    const lacking = missing(step, artifacts);
    if (lacking.length) {
      skipped.push({ step: stepName(step), reason: `artifact missing: ${lacking.join(", ")}` });
      log(`skip ${stepName(step)}: artifact missing: ${lacking.join(", ")}`);
      continue;
    }
    if (step.kind === "modules") {
      const governance = refs.address("rewind_governance");
      const cfg = await client.query<{ modules: Record<"governance" | "timelock" | "guardian" | "executor", string> }>(governance, { config: {} });
      for (const [key, name] of [["timelock", "rewind_timelock"], ["guardian", "rewind_guardian"], ["executor", "rewind_executor"]] as const) {
        const info = await client.contractInfo(cfg.modules[key]);
        if (info.codeId !== codes[name]?.codeId) throw new Error(`${name} at ${info.address} runs code ${info.codeId}, uploaded ${codes[name]?.codeId}`);
        if (info.admin !== governance) throw new Error(`${name} at ${info.address} has wasm admin ${info.admin}, not governance`);
        contracts[name] = { address: info.address, codeId: info.codeId, admin: info.admin, label: info.label };
        log(`${name}: ${info.address} (instantiated by governance)`);
      }
      continue;
    }
    const msg = step.msg(refs);
    const admin = step.admin?.(refs);
    const codeId = codes[step.contract]!.codeId;
    const r =
      step.kind === "instantiate"
        ? await client.instantiate(codeId, msg, step.label, { admin })
        : await client.instantiate2(codeId, new TextEncoder().encode(step.salt), msg, step.label, { admin });
    if (step.kind === "instantiate2" && r.address !== predict(step.contract as Predicted)) {
      throw new Error(`${step.contract} instantiated at ${r.address}, predicted ${predict(step.contract as Predicted)}`);
    }
    const info = await client.contractInfo(r.address);
    if ((info.admin ?? undefined) !== admin) throw new Error(`${step.contract}: admin is ${info.admin}, wanted ${admin ?? "none"}`);
    contracts[step.contract] = { address: r.address, codeId, admin: info.admin, label: step.label };
    log(`${step.contract}: ${r.address} (code ${codeId}, admin ${info.admin ?? "none"}, height ${r.height})`);
  }

  // Every stored code must report the artifact's checksum (the governance checksum pin relies on it).
  for (const [name, c] of Object.entries(codes)) {
    const info = await client.codeInfo(c.codeId);
    if (info.checksum !== c.checksum) throw new Error(`${name}: code ${c.codeId} reports checksum ${info.checksum}`);
  }

  const height = await client.height();
  const nanos = await client.time();
  return {
    network: net.name,
    chainId: client.chainId,
    kind: client.kind,
    deployer: client.address,
    height,
    time: new Date(Number(nanos / 1_000_000n)).toISOString(),
    codes,
    contracts,
    skipped,
  };
}

/** Contracts governance needs besides the vault; the vault is a target only if all exist. */
function missingAny(artifacts: Map<ContractName, unknown>): ContractName[] {
  return (["rewind_stake", "rewind_governance", "rewind_timelock", "rewind_guardian", "rewind_executor"] as const).filter((n) => !artifacts.has(n));
}

/** The dry run: what would happen, with placeholders for what only the chain can tell. */
export function describePlan(net: NetworkConfig, settings: DeploySettings, artifacts: Map<ContractName, Artifact>): string {
  const lines: string[] = [];
  lines.push(`network   ${net.name} (${net.kind}, chain id ${net.chainId}, prefix ${net.bech32Prefix})`);
  if (net.kind === "chain") {
    lines.push(`rpc       ${net.rpc}${net.rest ? `   rest ${net.rest}` : ""}`);
    lines.push(`gas price ${net.gasPrice}`);
    lines.push(`vm        as configured: wasmvm ${net.capability.wasmvm}, up to ${net.capability.highest} (${net.capability.source})`);
    lines.push(`          at deploy time the node's GetNodeInfo decides; needs wasmvm >= 1.2.0 (cosmwasm_1_2)`);
    if (net.permissionedUpload) lines.push(`WARNING   code upload on this network needs governance approval; the deployer may be refused`);
  }
  lines.push("artifacts");
  for (const name of CONTRACTS) {
    const a = artifacts.get(name);
    lines.push(a ? `  ${name.padEnd(18)} ${String(a.size).padStart(8)} B  sha256 ${a.checksum}` : `  ${name.padEnd(18)} (missing)`);
  }
  const refs: Refs = {
    deployer: "<deployer>",
    codeId: (n) => `<code_id:${n}>`,
    address: (n) => `<address:${n}>`,
  };
  const steps = buildSteps(settings, artifacts.has("rewind_vault") && missingAny(artifacts).length === 0, (name) => `<predicted:${name}>`);
  lines.push("steps");
  lines.push(`  upload ${artifacts.size} artifact(s), then check each code's reported checksum`);
  for (const step of steps) {
    const lacking = missing(step, artifacts);
    const head = `  ${stepName(step)}${lacking.length ? `  -- SKIPPED, artifact missing: ${lacking.join(", ")}` : ""}`;
    lines.push(head);
    if (step.kind === "modules") {
      lines.push(`    query governance {"config":{}} -> modules.{timelock,guardian,executor}; check their code ids and that governance is their admin`);
      continue;
    }
    if (step.kind === "instantiate2") lines.push(`    salt "${step.salt}" (address predicted before anything is deployed)`);
    lines.push(`    label "${step.label}", admin ${step.admin ? step.admin(refs) : "none"}`);
    lines.push(`    msg ${JSON.stringify(step.msg(refs), null, 2).replace(/\n/g, "\n    ")}`);
  }
  lines.push(`write     deployments/${net.name}.json`);
  return lines.join("\n");
}

/**
 * The simulated chain `deploy.sh --network local` deploys on: a fresh chain and its funded
 * `deployer`. The demo and the end-to-end tests start from here too.
 */
export function localChain(net: NetworkConfig): { chain: SimulatedChain; deployer: SimulatedClient } {
  const chain = new SimulatedChain({ chainId: net.chainId, bech32Prefix: net.bech32Prefix });
  const deployer = chain.client("deployer");
  chain.fund(deployer.address, [{ denom: net.denom, amount: "1000000000000" }]);
  return { chain, deployer };
}

function preflight(net: NetworkConfig, node: NodeInfo, assumeWasmvm?: string): CompatibilityVerdict {
  return checkCompatibility({ net, nodeChainId: node.chainId, deps: node.deps, assumeWasmvm });
}

export async function main(argv: string[], log: Log = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      network: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      artifacts: { type: "string", default: ARTIFACTS_DIR },
      out: { type: "string", default: join(REPO_ROOT, "deployments") },
      "assume-wasmvm": { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help || !values.network) {
    process.stdout.write(
      "usage: deploy.sh --network <name> [--dry-run] [--artifacts DIR] [--out DIR] [--assume-wasmvm X.Y.Z] [--force]\n" +
        "  networks: scripts/networks/*.json; the mnemonic comes from REWIND_MNEMONIC (live networks only)\n",
    );
    return values.help ? 0 : 2;
  }
  const net = loadNetwork(values.network);
  const settings = settingsFor(net);
  const artifacts = loadArtifacts(values.artifacts!);

  if (values["dry-run"]) {
    log(describePlan(net, settings, artifacts));
    return 0;
  }
  if (artifacts.size === 0) {
    process.stderr.write(`no artifacts in ${values.artifacts}; run scripts/build.sh first\n`);
    return 1;
  }
  const outFile = join(values.out!, `${net.name}.json`);
  if (net.kind === "chain" && existsSync(outFile) && !values.force) {
    process.stderr.write(`${outFile} exists; pass --force to deploy again\n`);
    return 1;
  }

  let client: RewindClient;
  let node: Deployment["node"];
  let disconnect = () => {};
  if (net.kind === "simulated") {
    client = localChain(net).deployer;
  } else {
    const mnemonic = process.env.REWIND_MNEMONIC;
    if (!mnemonic) {
      process.stderr.write("REWIND_MNEMONIC is not set\n");
      return 1;
    }
    const info = await fetchNodeInfo(net);
    const verdict = preflight(net, info, values["assume-wasmvm"]);
    log(`node      ${info.appName} ${info.appVersion}, cosmos-sdk ${info.cosmosSdkVersion}, wasmvm ${verdict.wasmvm ?? "unknown"} (via ${info.via})`);
    for (const w of verdict.warnings) log(`warning   ${w}`);
    if (!verdict.ok) {
      for (const r of verdict.reasons) process.stderr.write(`refused: ${r}\n`);
      return 1;
    }
    node = { appName: info.appName, appVersion: info.appVersion, cosmosSdkVersion: info.cosmosSdkVersion, wasmvm: verdict.wasmvm, via: info.via };
    let chainClient: ChainClient;
    try {
      chainClient = await ChainClient.connect(net, mnemonic);
    } catch (e) {
      // Never echo the mnemonic: CosmJS errors may quote their input.
      const msg = (e as Error).message.includes(mnemonic) ? "invalid REWIND_MNEMONIC" : (e as Error).message;
      process.stderr.write(`cannot connect: ${msg}\n`);
      return 1;
    }
    client = chainClient;
    disconnect = () => chainClient.disconnect();
    log(`deployer  ${client.address}`);
  }

  try {
    const deployment = await runDeployment(client, net, settings, artifacts, log);
    if (node) deployment.node = node;
    mkdirSync(values.out!, { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(deployment, null, 2)}\n`);
    log(`wrote     ${outFile}`);
    return 0;
  } finally {
    disconnect();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      const secret = process.env.REWIND_MNEMONIC;
      process.stderr.write(`deploy failed: ${secret ? msg.split(secret).join("<REWIND_MNEMONIC>") : msg}\n`);
      process.exit(1);
    },
  );
}
