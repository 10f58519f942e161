// A software passkey: what a phone's authenticator does for a WebAuthn assertion (P-256 signature
// over the authenticator data and the client data JSON that carries the challenge), in the encoding
// CityAccount checks (core/accountSignature.ts).
// For tests and benchmarks only: a resident's passkey lives in the device's secure hardware.
import { P256 } from "ox";
import {
  type Address,
  concat,
  encodeAbiParameters,
  type Hex,
  numberToHex,
  parseAbiParameters,
  sha256,
  stringToHex,
} from "viem";
import { cityAccountSignature as encodeSignature, type PasskeyAssertion } from "../../core/accountSignature.js";

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** User present (0x01) and user verified (0x04): the fingerprint, face or screen lock was checked. */
const FLAGS_UP_UV = "0x05";
/** Where `"challenge":"` starts in the client data JSON below (after `{"type":"webauthn.get",`). */
const CHALLENGE_INDEX = 23;
const TYPE_INDEX = 1;

export interface SoftwarePasskey {
  x: Hex;
  y: Hex;
  /** A WebAuthn assertion over `challenge`. */
  assert(challenge: Hex): PasskeyAssertion;
}

export function softwarePasskey(privateKey: Hex, options: { rpId?: string; origin?: string } = {}): SoftwarePasskey {
  const rpId = options.rpId ?? "localhost";
  const origin = options.origin ?? "http://localhost:5173";
  const publicKey = P256.getPublicKey({ privateKey });
  return {
    x: numberToHex(publicKey.x, { size: 32 }),
    y: numberToHex(publicKey.y, { size: 32 }),
    assert(challenge) {
      const authenticatorData = concat([sha256(stringToHex(rpId)), FLAGS_UP_UV, "0x00000001"]);
      const challenge64 = Buffer.from(challenge.slice(2), "hex").toString("base64url");
      const clientDataJSON = `{"type":"webauthn.get","challenge":"${challenge64}","origin":"${origin}","crossOrigin":false}`;
      const digest = sha256(concat([authenticatorData, sha256(stringToHex(clientDataJSON))]));
      const signature = P256.sign({ payload: digest, privateKey });
      // P256.verify on chain takes only the lower half of s (no malleable twins).
      const s = signature.s > P256_N / 2n ? P256_N - signature.s : signature.s;
      return {
        r: numberToHex(signature.r, { size: 32 }),
        s: numberToHex(s, { size: 32 }),
        challengeIndex: CHALLENGE_INDEX,
        typeIndex: TYPE_INDEX,
        authenticatorData,
        clientDataJSON,
      };
    },
  };
}

/** CityAccount's signature over `hash`: the passkey and its WebAuthn assertion (core/accountSignature.ts). */
export function cityAccountSignature(passkey: SoftwarePasskey, hash: Hex): Hex {
  return encodeSignature(passkey.x, passkey.y, passkey.assert(hash));
}

/** ERC-7821 single-batch mode, the only one CityAccount runs. */
export const BATCH_MODE: Hex = `0x01${"00".repeat(31)}`;

/** `execute(BATCH_MODE, abi.encode(calls))` of CityAccount. */
export function executeBatch(calls: readonly { to: Address; data: Hex; value?: bigint }[]): {
  mode: Hex;
  executionData: Hex;
} {
  return {
    mode: BATCH_MODE,
    executionData: encodeAbiParameters(parseAbiParameters("(address, uint256, bytes)[]"), [
      calls.map((call) => [call.to, call.value ?? 0n, call.data] as const),
    ]),
  };
}
