// Signing on a live chain with Keplr (`window.keplr`), with no bundler: a minimal protobuf
// writer for the few Cosmos SDK messages one MsgExecuteContract transaction needs
// (TxBody, AuthInfo, SignDoc, TxRaw), SIGN_MODE_DIRECT through keplr.signDirect, then the
// standard REST simulate / broadcast / tx endpoints. The encoders are checked against
// cosmjs-types byte for byte (scripts/toolkit/test/web-tx.test.ts).

const enc = new TextEncoder();

function varint(n) {
  let v = BigInt(n);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

function concat(parts) {
  const len = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Field `num` as length-delimited bytes (skipped when empty, as proto3 does). */
function bytesField(num, bytes) {
  if (!bytes || bytes.length === 0) return new Uint8Array();
  return concat([Uint8Array.from(varint((num << 3) | 2)), Uint8Array.from(varint(bytes.length)), bytes]);
}
function stringField(num, s) {
  return bytesField(num, enc.encode(s ?? ""));
}
function uintField(num, n) {
  if (BigInt(n) === 0n) return new Uint8Array();
  return concat([Uint8Array.from(varint(num << 3)), Uint8Array.from(varint(n))]);
}

export function encodeCoin(c) {
  return concat([stringField(1, c.denom), stringField(2, c.amount)]);
}
export function encodeAny(typeUrl, value) {
  return concat([stringField(1, typeUrl), bytesField(2, value)]);
}
/** cosmwasm.wasm.v1.MsgExecuteContract */
export function encodeMsgExecuteContract({ sender, contract, msg, funds }) {
  return concat([stringField(1, sender), stringField(2, contract), bytesField(3, enc.encode(JSON.stringify(msg))), ...(funds ?? []).map((c) => bytesField(5, encodeCoin(c)))]);
}
/** cosmos.tx.v1beta1.TxBody with one MsgExecuteContract. */
export function encodeTxBody(exec, memo = "") {
  return concat([bytesField(1, encodeAny("/cosmwasm.wasm.v1.MsgExecuteContract", encodeMsgExecuteContract(exec))), stringField(2, memo)]);
}
/** cosmos.tx.v1beta1.AuthInfo: one secp256k1 signer in SIGN_MODE_DIRECT, and the fee. */
export function encodeAuthInfo({ pubkey, sequence, fee }) {
  const pk = encodeAny("/cosmos.crypto.secp256k1.PubKey", bytesField(1, pubkey));
  const modeInfo = bytesField(1, uintField(1, 1)); // single { mode: SIGN_MODE_DIRECT }
  const signerInfo = concat([bytesField(1, pk), bytesField(2, modeInfo), uintField(3, sequence)]);
  const feeBytes = concat([...fee.amount.map((c) => bytesField(1, encodeCoin(c))), uintField(2, fee.gas)]);
  return concat([bytesField(1, signerInfo), bytesField(2, feeBytes)]);
}
export function encodeSignDoc({ bodyBytes, authInfoBytes, chainId, accountNumber }) {
  return concat([bytesField(1, bodyBytes), bytesField(2, authInfoBytes), stringField(3, chainId), uintField(4, accountNumber)]);
}
export function encodeTxRaw({ bodyBytes, authInfoBytes, signatures }) {
  // Repeated bytes keep empty elements (a simulation sends one empty signature).
  const sigs = signatures.map((s) => concat([Uint8Array.from(varint((3 << 3) | 2)), Uint8Array.from(varint(s.length)), s]));
  return concat([bytesField(1, bodyBytes), bytesField(2, authInfoBytes), ...sigs]);
}

function toB64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function fromB64(s) {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** `0.025uosmo` → { price: 0.025, denom: "uosmo" } */
export function parseGasPrice(s) {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(s);
  if (!m) throw new Error(`bad gas price ${s}`);
  return { price: Number(m[1]), denom: m[2] };
}

/** Signs one execute with Keplr and broadcasts it; resolves with { height, txhash } once included. */
export async function signAndBroadcastKeplr({ keplr, lcd, chainId, sender, contract, msg, funds, gasPrice }) {
  const key = await keplr.getKey(chainId);
  const acc = (await lcd.get(`/cosmos/auth/v1beta1/accounts/${sender}`)).account;
  const base = acc.base_account ?? acc.base_vesting_account?.base_account ?? acc;
  const accountNumber = BigInt(base.account_number ?? 0);
  const sequence = BigInt(base.sequence ?? 0);
  const bodyBytes = encodeTxBody({ sender, contract, msg, funds });
  const gp = parseGasPrice(gasPrice);
  const simAuth = encodeAuthInfo({ pubkey: key.pubKey, sequence, fee: { amount: [], gas: 0 } });
  const sim = await lcd.post("/cosmos/tx/v1beta1/simulate", { tx_bytes: toB64(encodeTxRaw({ bodyBytes, authInfoBytes: simAuth, signatures: [new Uint8Array()] })) });
  const gas = Math.ceil(Number(sim.gas_info.gas_used) * 1.4);
  const fee = { amount: [{ denom: gp.denom, amount: String(Math.ceil(gas * gp.price)) }], gas };
  const authInfoBytes = encodeAuthInfo({ pubkey: key.pubKey, sequence, fee });
  const signed = await keplr.signDirect(chainId, sender, { bodyBytes, authInfoBytes, chainId, accountNumber });
  const txBytes = encodeTxRaw({ bodyBytes: signed.signed.bodyBytes, authInfoBytes: signed.signed.authInfoBytes, signatures: [fromB64(signed.signature.signature)] });
  const res = (await lcd.post("/cosmos/tx/v1beta1/txs", { tx_bytes: toB64(txBytes), mode: "BROADCAST_MODE_SYNC" })).tx_response;
  if (res.code) throw new Error(res.raw_log);
  for (let i = 0; i < 60; i++) {
    await new Promise((ok) => setTimeout(ok, 1000));
    try {
      const tx = (await lcd.get(`/cosmos/tx/v1beta1/txs/${res.txhash}`)).tx_response;
      if (tx.code) throw new Error(tx.raw_log);
      return { height: Number(tx.height), txhash: res.txhash };
    } catch (e) {
      if (!/not found/i.test(e.message)) throw e;
    }
  }
  throw new Error(`tx ${res.txhash} not included after 60 s`);
}
