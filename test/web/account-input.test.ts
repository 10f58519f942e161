// The top-up and cash-out forms' reading of what was typed (web/src/features/account/requestInput.ts).
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_FEN } from "../../core/api";
import { readRequestInput } from "../../web/src/features/account/requestInput";

const errorsOf = (amount: string, card: string, balance?: bigint) => {
  const r = readRequestInput(amount, card, balance);
  return r.ok ? [] : r.errors.map((e) => e.error);
};

describe("readRequestInput", () => {
  it("reads yuan into fen and the card's last 4 digits", () => {
    expect(readRequestInput("12.5", "1234")).toEqual({ ok: true, fen: 1250n, cardLast4: "1234" });
    expect(readRequestInput("¥100", "０９８７")).toEqual({ ok: true, fen: 10000n, cardLast4: "0987" });
  });

  it("refuses more than 2 decimals, zero, negative and empty amounts", () => {
    expect(errorsOf("1.234", "1234")).toEqual(["amountTooManyDecimals"]);
    expect(errorsOf("0", "1234")).toEqual(["amountZero"]);
    expect(errorsOf("-5", "1234")).toEqual(["amountNegative"]);
    expect(errorsOf("", "1234")).toEqual(["amountEmpty"]);
  });

  it("refuses an amount over the per-request bank limit", () => {
    const r = readRequestInput("50000.01", "1234");
    expect(r).toEqual({ ok: false, errors: [{ field: "amount", error: "overRequestLimit", maxFen: MAX_REQUEST_FEN }] });
    expect(readRequestInput("50000", "1234").ok).toBe(true);
  });

  it("refuses a cash-out over the balance, and accepts exactly the balance", () => {
    expect(errorsOf("10.01", "1234", 1000n)).toEqual(["amountOverBalance"]);
    expect(readRequestInput("10", "1234", 1000n).ok).toBe(true);
  });

  it("refuses card digits that are not exactly 4 digits, alongside an amount error", () => {
    for (const card of ["", "123", "12345", "12a4", "abcd"]) expect(errorsOf("1", card)).toEqual(["cardInvalid"]);
    expect(errorsOf("0", "12")).toEqual(["amountZero", "cardInvalid"]);
  });
});
