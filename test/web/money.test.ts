// fen ⇄ 元: formatting and parsing of what residents type.
import { describe, expect, it } from "vitest";
import { fenToInput, formatFen, MAX_INPUT_FEN, parseYuan } from "../../core/money";

describe("formatFen", () => {
  it("shows fen as yuan with two decimals", () => {
    expect(formatFen(1250n)).toBe("¥12.50");
    expect(formatFen(5n)).toBe("¥0.05");
    expect(formatFen(0n)).toBe("¥0.00");
    expect(formatFen(1250n, { style: "unit" })).toBe("12.50 元");
    expect(formatFen(1250n, { style: "plain" })).toBe("12.50");
  });
  it("groups thousands and signs", () => {
    expect(formatFen(123456789n)).toBe("¥1,234,567.89");
    expect(formatFen(123456789n, { grouping: false })).toBe("¥1234567.89");
    expect(formatFen(-5n)).toBe("-¥0.05");
    expect(formatFen(250n, { signed: true })).toBe("+¥2.50");
    expect(formatFen(0n, { signed: true })).toBe("¥0.00");
  });
  it("handles amounts beyond Number precision", () => {
    expect(formatFen(12345678901234567890n, { style: "plain", grouping: false })).toBe("123456789012345678.90");
  });
  it("round-trips through the input format", () => {
    for (const fen of [1n, 10n, 99n, 100n, 1250n, 100000n]) {
      const parsed = parseYuan(fenToInput(fen));
      expect(parsed).toEqual({ ok: true, fen });
    }
  });
});

describe("parseYuan", () => {
  it.each([
    ["12.5", 1250n],
    ["12.50", 1250n],
    ["12", 1200n],
    ["0.01", 1n],
    [".5", 50n],
    ["  8 ", 800n],
    ["¥12.50", 1250n],
    ["12.50元", 1250n],
    ["1,200", 120000n],
    ["1,234.5", 123450n],
    ["１２．５", 1250n],
    ["12.500", 1250n],
    ["+3", 300n],
  ])("reads %j as %s fen", (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ["", "amountEmpty"],
    ["   ", "amountEmpty"],
    ["abc", "amountNotNumber"],
    ["1.2.3", "amountNotNumber"],
    ["12,34", "amountNotNumber"],
    [".", "amountNotNumber"],
    ["1e3", "amountNotNumber"],
    ["-5", "amountNegative"],
    ["-0.01", "amountNegative"],
    ["0", "amountZero"],
    ["0.00", "amountZero"],
    ["1.234", "amountTooManyDecimals"],
    ["0.001", "amountTooManyDecimals"],
    ["1000000000.01", "amountTooLarge"],
    ["99999999999999999999", "amountTooLarge"],
  ])("refuses %j with %s", (input, error) => {
    expect(parseYuan(input)).toEqual({ ok: false, error });
  });

  it("accepts exactly the maximum", () => {
    expect(parseYuan("1000000000")).toEqual({ ok: true, fen: MAX_INPUT_FEN });
  });
});
