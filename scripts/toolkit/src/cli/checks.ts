/**
 * The CLI's exit codes and input checks, shared by every command (rewind.ts, watch.ts). Each
 * check throws a UsageError naming the field, before anything is sent.
 */
import { fromBech32 } from "@cosmjs/encoding";

import { UsageError } from "./api";
import type { Context } from "./rewind";
import { governanceTargets } from "./views";

/** Exit codes (docs/TOOLS.md). */
export const EXIT = {
  ok: 0,
  /** The chain refused a transaction or a query, or a restoration failed. */
  refused: 1,
  /** Bad usage or bad input, refused before anything was sent. */
  usage: 2,
  /** `digest verify`: the recomputed digest differs from the target's DigestAt. */
  mismatch: 3,
  /** The endpoint could not be reached, or the deployment could not be found. */
  network: 4,
} as const;

/** A lower-case bech32 account or contract address with `prefix`. */
export function checkAddress(field: string, value: string, prefix: string): string {
  if (value !== value.toLowerCase()) throw new UsageError(field, `${value} has upper-case letters; addresses are lower-case bech32`);
  let decoded;
  try {
    decoded = fromBech32(value);
  } catch (e) {
    throw new UsageError(field, `${value} is not a bech32 address (${(e as Error).message})`);
  }
  if (decoded.prefix !== prefix) throw new UsageError(field, `${value} has prefix ${decoded.prefix}, this network's is ${prefix}`);
  if (decoded.data.length !== 20 && decoded.data.length !== 32) throw new UsageError(field, `${value} is ${decoded.data.length} bytes, expected 20 or 32`);
  return value;
}

export function checkInt(field: string, value: string | undefined, min = 0): number {
  if (value === undefined) throw new UsageError(field, "required");
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) throw new UsageError(field, `expected an integer >= ${min}, got ${value}`);
  return Number(value);
}

/** `6h`, `30m`, `90s`, `2d`, `1h30m`, or plain seconds. */
export function parseDuration(field: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(field, "required");
  if (/^\d+$/.test(value)) return checkInt(field, value, 1);
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === "") throw new UsageError(field, `expected a duration like 6h, 30m, 1h30m or seconds, got ${value}`);
  const s = Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  if (s <= 0) throw new UsageError(field, "must be longer than 0 s");
  return s;
}

/** The target must be registered with governance. */
export async function checkTarget(ctx: Context, field: string, value: string | undefined): Promise<string> {
  if (!value) throw new UsageError(field, "required");
  const addr = checkAddress(field, value, ctx.prefix);
  const targets = await governanceTargets(ctx.reader, await ctx.contracts());
  if (!targets.some((t) => t.contract === addr)) {
    throw new UsageError(field, `${addr} is not a registered target (registered: ${targets.map((t) => t.contract).join(", ") || "none"})`);
  }
  return addr;
}
