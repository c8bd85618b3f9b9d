// The standard CosmWasm LCD/REST reads the dashboard needs (works against any wasmd node
// with its REST API enabled and CORS open, and against the local backend).

function b64(text) {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export class LcdError extends Error {}

export function lcdError(e) {
  return e?.message ?? String(e);
}

/** RFC 3339 with up to 9 fraction digits → nanoseconds (bigint). */
export function isoToNanos(iso) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) throw new LcdError(`not an RFC 3339 time: ${iso}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`) / 1000) * 1000000000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

export class Lcd {
  constructor(base) {
    this.base = base.replace(/\/$/, "");
  }

  async get(path) {
    const res = await fetch(`${this.base}${path}`);
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LcdError(`${path}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    if (!res.ok) throw new LcdError(body.message ?? `${path}: HTTP ${res.status}`);
    return body;
  }

  async post(path, payload) {
    const res = await fetch(`${this.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
    const body = await res.json();
    if (!res.ok) throw new LcdError(body.message ?? `${path}: HTTP ${res.status}`);
    return body;
  }

  /** GET /cosmwasm/wasm/v1/contract/{addr}/smart/{base64 query} → data */
  async smart(contract, msg) {
    return (await this.get(`/cosmwasm/wasm/v1/contract/${contract}/smart/${encodeURIComponent(b64(JSON.stringify(msg)))}`)).data;
  }

  /** GET /cosmwasm/wasm/v1/contract/{addr} → contract_info */
  async contractInfo(contract) {
    return (await this.get(`/cosmwasm/wasm/v1/contract/${contract}`)).contract_info;
  }

  async latest() {
    const h = (await this.get("/cosmos/base/tendermint/v1beta1/blocks/latest")).block.header;
    return { height: Number(h.height), timeNanos: isoToNanos(h.time), chainId: h.chain_id };
  }
}
