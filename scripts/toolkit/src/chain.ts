/**
 * A live chain: @cosmjs/cosmwasm-stargate's SigningCosmWasmClient against an RPC endpoint.
 */
import { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient } from "@cosmjs/stargate";
import { Tendermint37Client } from "@cosmjs/tendermint-rpc";
import { GetNodeInfoRequest, GetNodeInfoResponse } from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";

import type { RewindClient } from "./client";
import { CosmJsRewindClient } from "./cosmjs-client";
import type { BuildDep, NetworkConfig } from "./networks";

export class ChainClient extends CosmJsRewindClient implements RewindClient {
  readonly kind = "chain" as const;

  private constructor(cw: SigningCosmWasmClient, chainId: string, address: string, gasAdjustment: number) {
    super(cw, chainId, address, gasAdjustment);
  }

  /**
   * Connects with the first account of `mnemonic`. The mnemonic is used for signing only;
   * it is never logged or stored.
   */
  static async connect(net: NetworkConfig, mnemonic: string): Promise<ChainClient> {
    if (!net.rpc) throw new Error(`network ${net.name} has no rpc`);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: net.bech32Prefix });
    const [account] = await wallet.getAccounts();
    const cw = await SigningCosmWasmClient.connectWithSigner(net.rpc, wallet, {
      gasPrice: GasPrice.fromString(net.gasPrice),
    });
    const chainId = await cw.getChainId();
    return new ChainClient(cw, chainId, account.address, net.gasAdjustment ?? 1.4);
  }

  async time(): Promise<bigint> {
    const block = await this.cw.getBlock();
    return isoToNanos(block.header.time);
  }

  disconnect(): void {
    this.cw.disconnect();
  }
}

/** RFC 3339 with up to nanosecond fractions → nanoseconds since the epoch. */
export function isoToNanos(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) throw new Error(`not an RFC 3339 time: ${iso}`);
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  const frac = (m[2] ?? "").padEnd(9, "0");
  return BigInt(seconds) * 1_000_000_000n + BigInt(frac);
}

export interface NodeInfo {
  chainId: string;
  appName: string;
  appVersion: string;
  cosmosSdkVersion: string;
  deps: BuildDep[];
  /** How it was read. */
  via: "rest" | "rpc-abci";
}

/**
 * The node's GetNodeInfo: REST `/cosmos/base/tendermint/v1beta1/node_info` when the network
 * has `rest`, else the same gRPC service through the RPC's `abci_query`.
 */
export async function fetchNodeInfo(net: NetworkConfig, timeoutMs = 15_000): Promise<NodeInfo> {
  if (net.rest) {
    try {
      return await nodeInfoRest(net.rest, timeoutMs);
    } catch (e) {
      if (!net.rpc) throw e;
      process.stderr.write(`node_info over REST failed (${(e as Error).message}); trying the RPC\n`);
    }
  }
  if (!net.rpc) throw new Error(`network ${net.name} has neither rest nor rpc`);
  return nodeInfoAbci(net.rpc);
}

async function nodeInfoRest(rest: string, timeoutMs: number): Promise<NodeInfo> {
  const url = `${rest.replace(/\/$/, "")}/cosmos/base/tendermint/v1beta1/node_info`;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const body = (await res.json()) as {
    default_node_info?: { network?: string };
    application_version?: {
      app_name?: string;
      version?: string;
      cosmos_sdk_version?: string;
      build_deps?: { path: string; version: string; sum?: string; replace?: { path: string; version: string } | null }[];
    };
  };
  const app = body.application_version ?? {};
  return {
    chainId: body.default_node_info?.network ?? "",
    appName: app.app_name ?? "",
    appVersion: app.version ?? "",
    cosmosSdkVersion: app.cosmos_sdk_version ?? "",
    deps: (app.build_deps ?? []).map((d) => ({
      path: d.path,
      version: d.version,
      replace: d.replace ? `${d.replace.path}@${d.replace.version}` : undefined,
    })),
    via: "rest",
  };
}

async function nodeInfoAbci(rpc: string): Promise<NodeInfo> {
  const tm = await Tendermint37Client.connect(rpc);
  try {
    const qc = new QueryClient(tm);
    const bytes = await qc.queryAbci(
      "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo",
      GetNodeInfoRequest.encode(GetNodeInfoRequest.fromPartial({})).finish(),
    );
    const info = GetNodeInfoResponse.decode(bytes.value);
    const app = info.applicationVersion;
    return {
      chainId: info.defaultNodeInfo?.network ?? "",
      appName: app?.appName ?? "",
      appVersion: app?.version ?? "",
      cosmosSdkVersion: app?.cosmosSdkVersion ?? "",
      // cosmjs-types' Module has no `replace` field; the upstream path/version still name wasmvm.
      deps: (app?.buildDeps ?? []).map((d) => ({ path: d.path, version: d.version })),
      via: "rpc-abci",
    };
  } finally {
    tm.disconnect();
  }
}
