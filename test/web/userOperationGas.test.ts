// A passkey operation's gas limits from the bundler's estimate, within the city paymaster's caps.
import { describe, expect, it } from "vitest";
import {
  GAS_FIELD,
  gasLimitsWithin,
  P256_CHECK_GAS,
  PAYMASTER_POST_OP_GAS,
  PAYMASTER_VERIFICATION_GAS,
} from "../../core/userOperationGas";

const caps = {
  maxCallGas: 600_000,
  maxVerificationGas: 1_000_000,
  maxPreVerificationGas: 200_000,
  maxPaymasterGas: 150_000,
};
const estimate = { callGasLimit: 200_000n, verificationGasLimit: 300_000n, preVerificationGas: 60_000n };

describe("gasLimitsWithin", () => {
  it("adds the call margin and the P-256 allowance the stub signature skipped; fixes the paymaster's limits", () => {
    const result = gasLimitsWithin(estimate, caps);
    expect(result).toEqual({
      ok: true,
      gas: {
        callGasLimit: 230_000n,
        verificationGasLimit: 300_000n + P256_CHECK_GAS,
        preVerificationGas: 60_000n,
        paymasterVerificationGasLimit: PAYMASTER_VERIFICATION_GAS,
        paymasterPostOpGasLimit: PAYMASTER_POST_OP_GAS,
      },
    });
  });

  it("never goes above a cap the paymaster enforces, even with its margins", () => {
    const result = gasLimitsWithin(
      { ...estimate, callGasLimit: 590_000n, verificationGasLimit: 900_000n },
      {
        ...caps,
        maxPaymasterGas: 50_000,
      },
    );
    if (!result.ok) throw new Error("refused");
    expect(result.gas.callGasLimit).toBe(600_000n);
    expect(result.gas.verificationGasLimit).toBe(1_000_000n);
    expect(result.gas.paymasterVerificationGasLimit).toBe(50_000n);
    expect(result.gas.paymasterPostOpGasLimit).toBe(0n); // the paymaster has no postOp
  });

  it("refuses, naming the limit, when the bare estimate is already over its cap", () => {
    expect(gasLimitsWithin({ ...estimate, callGasLimit: 600_001n }, caps)).toEqual({
      ok: false,
      field: GAS_FIELD.call,
      needed: 600_001n,
      cap: 600_000n,
    });
    expect(gasLimitsWithin({ ...estimate, verificationGasLimit: 1_000_001n }, caps)).toMatchObject({
      ok: false,
      field: GAS_FIELD.verification,
    });
    expect(gasLimitsWithin({ ...estimate, preVerificationGas: 200_001n }, caps)).toMatchObject({
      ok: false,
      field: GAS_FIELD.preVerification,
    });
  });
});
