// How a city passkey account signs: the signature's encoding (a passkey and its WebAuthn assertion),
// and what it signs for a personal message (Sign-In with Ethereum): ERC-7739's
// PersonalSign, the message's EIP-191 hash nested in the account's own EIP-712 domain, which
// CityAccount's ERC-1271 check recomputes. The domain names the account and the chain, so the
// signature is worth nothing for another account or on another chain. One description for the dApp
// and the tests.
import {
  type Address,
  concat,
  domainSeparator,
  encodeAbiParameters,
  type Hex,
  hashMessage,
  hexToBigInt,
  hexToNumber,
  isHex,
  keccak256,
  numberToHex,
  pad,
  parseAbiParameters,
  type SignableMessage,
  size,
  slice,
  stringToHex,
  toHex,
} from "viem";

/** CityAccount's EIP-712 name and version (contracts/accounts/CityAccount.sol). */
export const CITY_ACCOUNT_DOMAIN = { name: "Hefei City Account", version: "1" } as const;

const PERSONAL_SIGN_TYPEHASH = keccak256(toHex("PersonalSign(bytes prefixed)"));

/** The hash a passkey of `account` signs so that `account` accepts `message` under ERC-1271. */
export function personalSignHash(account: Address, chainId: number, message: SignableMessage): Hex {
  const separator = domainSeparator({ domain: { ...CITY_ACCOUNT_DOMAIN, chainId, verifyingContract: account } });
  const structHash = keccak256(
    encodeAbiParameters(parseAbiParameters("bytes32, bytes32"), [PERSONAL_SIGN_TYPEHASH, hashMessage(message)]),
  );
  return keccak256(concat(["0x1901", separator, structHash]));
}

/** A WebAuthn assertion (what the authenticator and the browser return), as CityAccount checks it. */
export interface PasskeyAssertion {
  r: Hex;
  /** The lower of the two equivalent `s` values (P-256 verification on chain refuses the higher). */
  s: Hex;
  /** Where `"challenge":"` starts in `clientDataJSON`. */
  challengeIndex: number;
  /** Where `"type":"webauthn.get"` starts in `clientDataJSON`. */
  typeIndex: number;
  authenticatorData: Hex;
  clientDataJSON: string;
}

/** The bytes before the authenticator data: x, y, r, s (32 each), challengeIndex, typeIndex, authenticator data length (2 each). */
const SIGNATURE_HEAD = 134;

/**
 * CityAccount's signature (contracts/accounts/CityAccount.sol): the passkey's public key, then its
 * assertion, packed: `x ‖ y ‖ r ‖ s ‖ challengeIndex (2 bytes) ‖ typeIndex (2) ‖ authenticatorData
 * length (2) ‖ authenticatorData ‖ clientDataJSON`.
 */
export function cityAccountSignature(x: Hex, y: Hex, assertion: PasskeyAssertion): Hex {
  const authenticatorDataLength = size(assertion.authenticatorData);
  for (const [name, value] of [
    ["challengeIndex", assertion.challengeIndex],
    ["typeIndex", assertion.typeIndex],
    ["authenticatorData length", authenticatorDataLength],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff)
      throw new RangeError(`${name} ${value} does not fit 2 bytes`);
  }
  return concat([
    pad(x, { size: 32 }),
    pad(y, { size: 32 }),
    pad(assertion.r, { size: 32 }),
    pad(assertion.s, { size: 32 }),
    numberToHex(assertion.challengeIndex, { size: 2 }),
    numberToHex(assertion.typeIndex, { size: 2 }),
    numberToHex(authenticatorDataLength, { size: 2 }),
    assertion.authenticatorData,
    stringToHex(assertion.clientDataJSON),
  ]);
}

const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

/** Whether (x, y) is a point of the P-256 curve (y² = x³ − 3x + b mod p), as CityAccount requires of a passkey. */
function onP256(x: bigint, y: bigint): boolean {
  if (x >= P256_P || y >= P256_P) return false;
  return (y * y - (x * x * x - 3n * x + P256_B)) % P256_P === 0n;
}

/**
 * The passkey (x, y) a CityAccount signature names, or null when `signature` is not one: too
 * short, lengths that do not add up, or a key off the P-256 curve (another wallet's signature).
 */
export function passkeyOfSignature(signature: Hex): { x: Hex; y: Hex } | null {
  if (!isHex(signature) || signature.length % 2 !== 0) return null;
  const length = (signature.length - 2) / 2;
  if (length < SIGNATURE_HEAD) return null;
  const authenticatorDataLength = hexToNumber(slice(signature, 132, 134));
  if (length < SIGNATURE_HEAD + authenticatorDataLength) return null;
  const x = slice(signature, 0, 32);
  const y = slice(signature, 32, 64);
  return onP256(hexToBigInt(x), hexToBigInt(y)) ? { x, y } : null;
}
