// What a city passkey account signs for a personal message (Sign-In with Ethereum): ERC-7739's
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
  keccak256,
  parseAbiParameters,
  type SignableMessage,
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
