// Sponsorship the city signs (issue 22): what the city service signs for CityPaymaster, in one
// place for the service (which signs), the dApp (which asks for it through ERC-7677) and the tests.
//
// The signature is OpenZeppelin's PaymasterSigner `UserOperationRequest` (EIP-712, domain
// "Hefei City Paymaster" version 1 on this chain and paymaster) over the packed user operation's
// fields and the window; `paymasterData` is validAfter (6 bytes) ‖ validUntil (6 bytes) ‖ the
// 65-byte signature.
import { type Address, concat, type Hex, numberToHex } from "viem";
import { toPackedUserOperation, type UserOperation } from "viem/account-abstraction";

export const SPONSORSHIP_DOMAIN = { name: "Hefei City Paymaster", version: "1" } as const;

export const SPONSORSHIP_TYPES = {
  UserOperationRequest: [
    { name: "sender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "initCode", type: "bytes" },
    { name: "callData", type: "bytes" },
    { name: "accountGasLimits", type: "bytes32" },
    { name: "preVerificationGas", type: "uint256" },
    { name: "gasFees", type: "bytes32" },
    { name: "paymasterVerificationGasLimit", type: "uint256" },
    { name: "paymasterPostOpGasLimit", type: "uint256" },
    { name: "validAfter", type: "uint48" },
    { name: "validUntil", type: "uint48" },
  ],
} as const;

/** The fields of a v0.8 user operation the city signs (everything but the paymaster's data and the account's signature). */
export type SponsoredOperation = Pick<
  UserOperation<"0.8">,
  | "sender"
  | "nonce"
  | "factory"
  | "factoryData"
  | "callData"
  | "callGasLimit"
  | "verificationGasLimit"
  | "preVerificationGas"
  | "maxFeePerGas"
  | "maxPriorityFeePerGas"
  | "paymasterVerificationGasLimit"
  | "paymasterPostOpGasLimit"
>;

/** Seconds since 1970 (the EntryPoint compares them with the block's timestamp). */
export type SponsorshipWindow = { validAfter: number; validUntil: number };

/** The EIP-712 typed data the city's key signs for `operation` through `paymaster` on `chainId`. */
export function sponsorshipTypedData(
  chainId: number,
  paymaster: Address,
  operation: SponsoredOperation,
  window: SponsorshipWindow,
) {
  const packed = toPackedUserOperation({ ...operation, signature: "0x" } as UserOperation<"0.8">);
  return {
    domain: { ...SPONSORSHIP_DOMAIN, chainId, verifyingContract: paymaster },
    types: SPONSORSHIP_TYPES,
    primaryType: "UserOperationRequest" as const,
    message: {
      sender: packed.sender,
      nonce: packed.nonce,
      initCode: packed.initCode,
      callData: packed.callData,
      accountGasLimits: packed.accountGasLimits,
      preVerificationGas: packed.preVerificationGas,
      gasFees: packed.gasFees,
      paymasterVerificationGasLimit: operation.paymasterVerificationGasLimit ?? 0n,
      paymasterPostOpGasLimit: operation.paymasterPostOpGasLimit ?? 0n,
      validAfter: window.validAfter,
      validUntil: window.validUntil,
    },
  };
}

/** `paymasterData` as CityPaymaster reads it. */
export function sponsorshipPaymasterData(window: SponsorshipWindow, signature: Hex): Hex {
  return concat([numberToHex(window.validAfter, { size: 6 }), numberToHex(window.validUntil, { size: 6 }), signature]);
}

/**
 * A stand-in of the right length for gas estimates (ERC-7677 stub data): a window and 65 bytes
 * that no key signed, so the paymaster refuses it (AA34) if it is ever sent.
 */
export const SPONSORSHIP_STUB_DATA: Hex = sponsorshipPaymasterData(
  { validAfter: 0, validUntil: 0xffffffffff },
  `0x${"00".repeat(64)}1b`,
);

/** Why the city service did not sponsor an operation (the `reason` of its JSON-RPC error's data). */
export const SPONSORSHIP_REFUSALS = [
  "not_signed_in",
  "not_your_account",
  /** No verified identity (phone or bank) owns the account, or hers was closed: she can receive, not be sponsored. */
  "not_verified",
  "daily_quota_used",
  "new_accounts_used",
  "foreign_factory",
  "nonce_used",
  "wrong_chain",
  "unavailable",
  "invalid_request",
] as const;
export type SponsorshipRefusal = (typeof SPONSORSHIP_REFUSALS)[number];

export function isSponsorshipRefusal(value: unknown): value is SponsorshipRefusal {
  return typeof value === "string" && (SPONSORSHIP_REFUSALS as readonly string[]).includes(value);
}

/** The JSON-RPC error code the service answers a refused sponsorship with (its data says why). */
export const SPONSORSHIP_REFUSED_CODE = -32010;
