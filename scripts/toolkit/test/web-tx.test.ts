/**
 * The dashboard's Keplr path (web/keplr.js) encodes its transaction by hand, with no
 * bundler: each encoder must produce exactly the bytes of cosmjs-types' generated
 * protobuf code (what a chain decodes).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { toHex } from "@cosmjs/encoding";
import { Any } from "cosmjs-types/google/protobuf/any";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";

import { REPO_ROOT } from "../src/deploy";

const load = () => import(pathToFileURL(join(REPO_ROOT, "web", "keplr.js")).href);
const enc = new TextEncoder();
const pubkey = Uint8Array.from({ length: 33 }, (_, i) => (i * 7 + 2) % 256);
const exec = {
  sender: "wasm1vyzu5w7sy8ye3pkyvrwzgmvfme8e0hmu5d24p9",
  contract: "wasm16meh4uhq85jtlcwam06azdtxynq2huvx4dllngsgedtng2nj72qqfkscr9",
  msg: { vote: { proposal_id: 1, vote: { candidate: { height: 25 } } } },
  funds: [{ denom: "ustake", amount: "1000000" }],
};

test("MsgExecuteContract and TxBody match cosmjs-types byte for byte", async () => {
  const k = await load();
  const expectedMsg = MsgExecuteContract.encode(MsgExecuteContract.fromPartial({ sender: exec.sender, contract: exec.contract, msg: enc.encode(JSON.stringify(exec.msg)), funds: exec.funds })).finish();
  assert.equal(toHex(k.encodeMsgExecuteContract(exec)), toHex(expectedMsg));
  const body = TxBody.encode(TxBody.fromPartial({ messages: [Any.fromPartial({ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: expectedMsg })], memo: "rewind" })).finish();
  assert.equal(toHex(k.encodeTxBody(exec, "rewind")), toHex(body));
  // Without funds and memo (proto3 leaves empty fields out).
  const bare = { ...exec, funds: [] };
  const bareMsg = MsgExecuteContract.encode(MsgExecuteContract.fromPartial({ sender: bare.sender, contract: bare.contract, msg: enc.encode(JSON.stringify(bare.msg)) })).finish();
  assert.equal(toHex(k.encodeTxBody(bare)), toHex(TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: bareMsg }] })).finish()));
});

test("AuthInfo, SignDoc and TxRaw match cosmjs-types, including large sequence and account numbers", async () => {
  const k = await load();
  for (const [sequence, accountNumber, gas] of [[0n, 0n, 200000], [7n, 12345n, 350000], [300n, 2n ** 40n + 5n, 1]] as const) {
    const fee = { amount: [{ denom: "uosmo", amount: "8750" }], gas };
    const expectedAuth = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [{ publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: pubkey }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
        fee: { amount: fee.amount, gasLimit: BigInt(gas) },
      }),
    ).finish();
    const authInfoBytes = k.encodeAuthInfo({ pubkey, sequence, fee });
    assert.equal(toHex(authInfoBytes), toHex(expectedAuth), `sequence ${sequence}`);
    const bodyBytes = k.encodeTxBody(exec);
    const doc = SignDoc.encode(SignDoc.fromPartial({ bodyBytes, authInfoBytes, chainId: "osmo-test-5", accountNumber })).finish();
    assert.equal(toHex(k.encodeSignDoc({ bodyBytes, authInfoBytes, chainId: "osmo-test-5", accountNumber })), toHex(doc), `account ${accountNumber}`);
    const sig = Uint8Array.from({ length: 64 }, (_, i) => i);
    assert.equal(toHex(k.encodeTxRaw({ bodyBytes, authInfoBytes, signatures: [sig] })), toHex(TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [sig] })).finish()));
    // A simulation's single empty signature is kept.
    assert.equal(toHex(k.encodeTxRaw({ bodyBytes, authInfoBytes, signatures: [new Uint8Array()] })), toHex(TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [new Uint8Array()] })).finish()));
  }
  assert.deepEqual(k.parseGasPrice("0.025uosmo"), { price: 0.025, denom: "uosmo" });
  assert.throws(() => k.parseGasPrice("cheap"), /bad gas price/);
});
