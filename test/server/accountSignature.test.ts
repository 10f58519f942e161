// CityAccount's packed passkey signature (core/accountSignature.ts): what the dApp and the scripts
// encode, and the passkey the service reads from a Sign-In signature to follow that passkey. The
// contract side is checked in test/contracts/accounts/CityAccount.t.sol.
import { concat, type Hex, keccak256, numberToHex, serializeErc6492Signature, size, slice, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { cityAccountSignature, passkeyOfSignature } from "../../core/accountSignature.js";
import { softwarePasskey } from "../../scripts/lib/passkey.js";
import { signerOf } from "../../server/src/auth/siwe.js";

const passkey = softwarePasskey(keccak256(toHex("account-signature-test")));
const hash = keccak256(toHex("an operation"));

describe("CityAccount signature encoding", () => {
  it("packs the key, r, s, the two indices and the authenticator data length before the data", () => {
    const assertion = passkey.assert(hash);
    const signature = cityAccountSignature(passkey.x, passkey.y, assertion);
    expect(slice(signature, 0, 32)).toBe(passkey.x);
    expect(slice(signature, 32, 64)).toBe(passkey.y);
    expect(slice(signature, 64, 96)).toBe(assertion.r);
    expect(slice(signature, 96, 128)).toBe(assertion.s);
    expect(slice(signature, 128, 134)).toBe(
      concat([numberToHex(23, { size: 2 }), numberToHex(1, { size: 2 }), numberToHex(37, { size: 2 })]),
    );
    expect(slice(signature, 134, 171)).toBe(assertion.authenticatorData);
    expect(slice(signature, 171)).toBe(toHex(assertion.clientDataJSON));
    expect(size(signature)).toBe(171 + assertion.clientDataJSON.length);
  });

  it("refuses an index that does not fit two bytes", () => {
    expect(() =>
      cityAccountSignature(passkey.x, passkey.y, { ...passkey.assert(hash), challengeIndex: 0x10000 }),
    ).toThrow(RangeError);
  });

  it("reads the passkey back, and nothing from what is not a passkey signature", () => {
    const signature = cityAccountSignature(passkey.x, passkey.y, passkey.assert(hash));
    expect(passkeyOfSignature(signature)).toEqual({ x: passkey.x, y: passkey.y });
    // Cut inside the authenticator data: the lengths do not add up.
    expect(passkeyOfSignature(slice(signature, 0, 150))).toBeNull();
    expect(passkeyOfSignature(slice(signature, 0, 100))).toBeNull();
    // Another wallet's long signature: its first 64 bytes are not a P-256 point.
    const offCurve: Hex = concat([passkey.x, numberToHex(BigInt(passkey.y) ^ 1n, { size: 32 }), slice(signature, 64)]);
    expect(passkeyOfSignature(offCurve)).toBeNull();
  });

  it("lets the service follow the passkey of a Sign-In, also inside ERC-6492, and no EOA's", async () => {
    const signature = cityAccountSignature(passkey.x, passkey.y, passkey.assert(hash));
    expect(signerOf(signature)).toBe(concat([passkey.x, passkey.y]).toLowerCase());
    const wrapped = serializeErc6492Signature({
      address: "0x000000000000000000000000000000000000f00d",
      data: "0x1234",
      signature,
    });
    expect(signerOf(wrapped)).toBe(concat([passkey.x, passkey.y]).toLowerCase());
    const eoa = privateKeyToAccount(keccak256(toHex("an eoa")));
    expect(signerOf(await eoa.signMessage({ message: "hello" }))).toBeNull();
  });
});
