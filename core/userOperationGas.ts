// The gas limits of a passkey account's user operation, from the bundler's estimate
// (eth_estimateUserOperationGas) and within the city paymaster's caps, so a heavy batch (claim,
// approve and redeem a voucher; a first operation that also creates the account) gets enough gas
// and a light one does not reserve more of the city's budget than it needs. One rule for the dApp
// and the tests.
//
// Why the bundler estimates without the paymaster: Alto simulates with 10,000,000-gas limits and a
// fee of 1 wei, which the paymaster refuses by design (every limit and the fee are capped). So the
// estimate runs with the sender's balance overridden (the account would pay for itself), and the
// paymaster's own two limits are fixed below (the city service's ERC-7677 answers carry them): its
// checks cost the same for every operation of the city's short batches, and it has no postOp.
//
// Why the verification estimate gets an allowance: it is simulated with a stub signature, and
// OpenZeppelin's WebAuthn check stops at the challenge (the stub cannot sign an operation hash that
// depends on these very limits), so the P-256 check itself is never run. On a chain without the
// P-256 precompile (before Osaka) that check costs about 240,000 gas (README, Benchmarks).

/** The paymaster's caps (ICityPaymaster.Policy), as read from `policy()`. */
export type PaymasterGasCaps = {
  maxCallGas: number | bigint;
  maxVerificationGas: number | bigint;
  maxPreVerificationGas: number | bigint;
  maxPaymasterGas: number | bigint;
};

export type UserOperationGasEstimate = {
  callGasLimit: bigint;
  verificationGasLimit: bigint;
  preVerificationGas: bigint;
};

export type UserOperationGasLimits = UserOperationGasEstimate & {
  paymasterVerificationGasLimit: bigint;
  paymasterPostOpGasLimit: bigint;
};

/** The P-256 signature check the stub signature skips, without the precompile (Solidity fallback). */
export const P256_CHECK_GAS = 260_000n;
/** Headroom on the call: state can change between the estimate and the bundle (a warmed slot cools). */
export const CALL_GAS_MARGIN_PERCENT = 115n;
/** The paymaster's validation (policy and batch checks, the city's signature). It has no postOp. */
export const PAYMASTER_VERIFICATION_GAS = 150_000n;
export const PAYMASTER_POST_OP_GAS = 0n;

/** CityPaymasterGasLimitTooHigh's `field`: which limit is over its cap. */
export const GAS_FIELD = { call: 0, verification: 1, preVerification: 2, paymasterVerification: 3, postOp: 4 } as const;

export type GasLimitsResult =
  | { ok: true; gas: UserOperationGasLimits }
  | { ok: false; field: number; needed: bigint; cap: bigint };

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Limits for an operation the bundler estimated: the call with its margin, the verification with the
 * P-256 allowance, each at most its cap. Refused (which limit, what it needs) when the bare estimate
 * is already over a cap: the paymaster would refuse the operation, so the resident is told before
 * her fingerprint is asked.
 */
export function gasLimitsWithin(estimate: UserOperationGasEstimate, caps: PaymasterGasCaps): GasLimitsResult {
  const cap = {
    call: BigInt(caps.maxCallGas),
    verification: BigInt(caps.maxVerificationGas),
    preVerification: BigInt(caps.maxPreVerificationGas),
    paymaster: BigInt(caps.maxPaymasterGas),
  };
  const bare: [field: number, needed: bigint, cap: bigint][] = [
    [GAS_FIELD.call, estimate.callGasLimit, cap.call],
    [GAS_FIELD.verification, estimate.verificationGasLimit, cap.verification],
    [GAS_FIELD.preVerification, estimate.preVerificationGas, cap.preVerification],
  ];
  for (const [field, needed, limit] of bare) if (needed > limit) return { ok: false, field, needed, cap: limit };
  return {
    ok: true,
    gas: {
      callGasLimit: min((estimate.callGasLimit * CALL_GAS_MARGIN_PERCENT) / 100n, cap.call),
      verificationGasLimit: min(estimate.verificationGasLimit + P256_CHECK_GAS, cap.verification),
      preVerificationGas: estimate.preVerificationGas,
      paymasterVerificationGasLimit: min(PAYMASTER_VERIFICATION_GAS, cap.paymaster),
      paymasterPostOpGasLimit: min(PAYMASTER_POST_OP_GAS, cap.paymaster),
    },
  };
}
