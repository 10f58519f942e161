// Order references: readable text up to 31 bytes, hashed beyond; bytes32 passed through.
import { keccak256, stringToHex } from "viem";
import { describe, expect, it } from "vitest";
import { depositReference } from "../../core/api";
import { displayOrderRef, generateOrderText, orderRefText, toOrderRef } from "../../core/orderRef";
import { matchPath, parseHash } from "../../web/src/router";

describe("toOrderRef", () => {
  it("stores short text readable, right-padded", () => {
    const ref = toOrderRef("A-1024");
    expect(ref).toBe(stringToHex("A-1024", { size: 32 }));
    expect(orderRefText(ref)).toBe("A-1024");
    expect(displayOrderRef(ref)).toBe("A-1024");
  });
  it("counts UTF-8 bytes: 10 Chinese characters (30 bytes) stay readable, 11 (33 bytes) are hashed", () => {
    expect(orderRefText(toOrderRef("一二三四五六七八九十"))).toBe("一二三四五六七八九十");
    const long = "一二三四五六七八九十壹";
    expect(toOrderRef(long)).toBe(keccak256(stringToHex(long)));
  });
  it("hashes 32 ASCII bytes so a text ref never fills all 32 bytes", () => {
    const text = "x".repeat(32);
    expect(toOrderRef(text)).toBe(keccak256(stringToHex(text)));
    expect(orderRefText(toOrderRef("x".repeat(31)))).toBe("x".repeat(31));
  });
  it("passes a bytes32 through (lower-cased) and shows a hash shortened", () => {
    const hash = keccak256(stringToHex("order"));
    expect(toOrderRef(hash.toUpperCase().replace("0X", "0x"))).toBe(hash);
    expect(orderRefText(hash)).toBeNull();
    expect(displayOrderRef(hash)).toBe(`${hash.slice(0, 6)}…${hash.slice(-4)}`);
  });
  it("refuses an empty reference", () => {
    expect(() => toOrderRef("")).toThrow();
  });
});

describe("hash routes", () => {
  it("splits path and query", () => {
    const { path, query } = parseHash("#/pay?request=ethereum%3Ax");
    expect(path).toBe("/pay");
    expect(query.get("request")).toBe("ethereum:x");
    expect(parseHash("").path).toBe("/");
    expect(parseHash("#").path).toBe("/");
  });
  it("matches exact paths, named segments and a rest wildcard", () => {
    expect(matchPath("/", "/")).toEqual({});
    expect(matchPath("/pay", "/pay")).toEqual({});
    expect(matchPath("/pay", "/pay/x")).toBeNull();
    expect(matchPath("/", "/pay")).toBeNull();
    expect(matchPath("/redpackets/claim/:id", "/redpackets/claim/42")).toEqual({ id: "42" });
    expect(matchPath("/redpackets/claim/*", "/redpackets/claim/7/0xabc")).toEqual({ "*": "7/0xabc" });
  });
});

describe("generateOrderText", () => {
  it("skips every number the caller says is taken", () => {
    const taken = new Set<string>();
    const day = new Date(2026, 0, 5);
    const first = generateOrderText(day, () => false);
    expect(first).toMatch(/^260105-[A-Z2-9]{6}$/);
    expect(orderRefText(toOrderRef(first))).toBe(first);
    let asked = 0;
    const next = generateOrderText(day, (text) => {
      asked++;
      taken.add(text);
      return asked < 5; // the first four candidates are "used"
    });
    expect(asked).toBe(5);
    expect([...taken].slice(0, 4)).not.toContain(next);
  });
});

describe("depositReference", () => {
  it("is HCY and ten characters of the top-up's id, readable at a bank counter", () => {
    expect(depositReference("3f2a9c1e-77b0-4d2e-9a51-0c6f1e2d3b4a")).toBe("HCY3F2A9C1E77");
  });
});
