// The rule for asking again when money leaves (core/reask.ts).
import { describe, expect, it } from "vitest";
import { DEFAULT_REASK_LIMIT_FEN, parseLimitYuan, reaskReason } from "../../core/reask";

const known = { isContact: false, paidBefore: true, limitFen: DEFAULT_REASK_LIMIT_FEN };

describe("reaskReason", () => {
  it("asks above the limit, not at it", () => {
    expect(reaskReason({ ...known, fen: 500_00n })).toBeNull();
    expect(reaskReason({ ...known, fen: 500_01n })).toBe("amount");
  });
  it("follows the resident's own limit", () => {
    expect(reaskReason({ ...known, limitFen: 100_00n, fen: 100_01n })).toBe("amount");
    expect(reaskReason({ ...known, limitFen: 1_000_00n, fen: 999_00n })).toBeNull();
  });
  it("always asks for a first payment to a new person, however small", () => {
    expect(reaskReason({ fen: 1n, limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: false, paidBefore: false })).toBe(
      "newPerson",
    );
  });
  it("treats a history not known yet as a new person", () => {
    expect(reaskReason({ fen: 1n, limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: false, paidBefore: undefined })).toBe(
      "newPerson",
    );
  });
  it("does not ask again for a contact or someone paid before, under the limit", () => {
    expect(
      reaskReason({ fen: 10_00n, limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: true, paidBefore: false }),
    ).toBeNull();
    expect(
      reaskReason({ fen: 10_00n, limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: false, paidBefore: true }),
    ).toBeNull();
  });
  it("does not treat a registered shop as a new person, but still asks above the limit", () => {
    const shop = { limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: false, isRegisteredMerchant: true, paidBefore: false };
    expect(reaskReason({ ...shop, fen: 15_00n })).toBeNull();
    expect(reaskReason({ ...shop, fen: 600_00n })).toBe("amount");
  });
  it("names the amount first when both apply", () => {
    expect(reaskReason({ fen: 900_00n, limitFen: DEFAULT_REASK_LIMIT_FEN, isContact: false, paidBefore: false })).toBe(
      "amount",
    );
  });
});

describe("parseLimitYuan", () => {
  it("reads yuan with up to two decimals", () => {
    expect(parseLimitYuan("500")).toBe(500_00n);
    expect(parseLimitYuan(" 12.5 ")).toBe(12_50n);
    expect(parseLimitYuan("0.05")).toBe(5n);
  });
  it("refuses what is not an amount", () => {
    for (const bad of ["", "abc", "-1", "1.234", "1e3", "1,000"]) expect(parseLimitYuan(bad)).toBeNull();
  });
});
