// Payment links: building ours, reading ours and other wallets' (EIP-681), refusing bad ones.
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import {
  buildAppPayLink,
  buildPaymentUri,
  extractPaymentUri,
  parseEip681Number,
  parsePaymentLink,
} from "../../core/eip681";

const token = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const merchant = getAddress("0x2546bcd3c84621e976d8185a91a922ae77ecec30");
const expected = { token, chainId: 31337 };

describe("buildPaymentUri", () => {
  it("writes the EIP-681 transfer form with amount and order reference", () => {
    expect(buildPaymentUri({ token, chainId: 31337, to: merchant, amountFen: 1250n, ref: "A-1024" })).toBe(
      `ethereum:${token}@31337/transfer?address=${merchant}&uint256=1250&ref=A-1024`,
    );
  });
  it("omits the amount when the payer chooses it and escapes the reference", () => {
    expect(buildPaymentUri({ token, chainId: 31337, to: merchant, ref: "桌 3 & 4" })).toBe(
      `ethereum:${token}@31337/transfer?address=${merchant}&ref=${encodeURIComponent("桌 3 & 4")}`,
    );
  });
  it("round-trips through the parser, also inside an in-app link", () => {
    const request = { token, chainId: 31337, to: merchant, amountFen: 999n, ref: "桌 3 & 4" };
    expect(parsePaymentLink(buildPaymentUri(request), expected)).toEqual({ ok: true, request });
    const link = buildAppPayLink("http://127.0.0.1:5173/", request);
    expect(link.startsWith("http://127.0.0.1:5173/#/pay?request=ethereum%3A")).toBe(true);
    expect(parsePaymentLink(link, expected)).toEqual({ ok: true, request });
  });
});

describe("parsePaymentLink", () => {
  it("reads links written by other wallets: lower-case addresses, pay- prefix, no amount", () => {
    const uri = `ethereum:pay-${token.toLowerCase()}@31337/transfer?address=${merchant.toLowerCase()}`;
    expect(parsePaymentLink(uri, expected)).toEqual({ ok: true, request: { token, chainId: 31337, to: merchant } });
  });
  it("reads scientific notation amounts as EIP-681 defines them", () => {
    const uri = `ethereum:${token}@31337/transfer?address=${merchant}&uint256=2.5e2`;
    expect(parsePaymentLink(uri, expected)).toMatchObject({ ok: true, request: { amountFen: 250n } });
  });
  it("says a link without a chain id is for mainnet, so the wrong network", () => {
    expect(parsePaymentLink(`ethereum:${token}/transfer?address=${merchant}&uint256=100`, expected)).toEqual({
      ok: false,
      error: "linkWrongChain",
      chainId: 1,
    });
  });
  it("refuses another chain, another token, plain ETH and other functions", () => {
    expect(parsePaymentLink(`ethereum:${token}@8453/transfer?address=${merchant}`, expected)).toMatchObject({
      ok: false,
      error: "linkWrongChain",
      chainId: 8453,
    });
    const usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    expect(parsePaymentLink(`ethereum:${usdc}@31337/transfer?address=${merchant}`, expected)).toMatchObject({
      error: "linkOtherToken",
    });
    expect(parsePaymentLink(`ethereum:${merchant}@31337?value=1e18`, expected)).toMatchObject({
      error: "linkPlainEth",
    });
    expect(parsePaymentLink(`ethereum:${merchant}?value=1e18`, expected)).toMatchObject({ error: "linkPlainEth" });
    // Not an account at all: an incomplete link, not a request for ether.
    expect(parsePaymentLink("ethereum:0x123", expected)).toMatchObject({ error: "linkMalformed" });
    expect(parsePaymentLink("ethereum:0x123@31337?value=1", expected)).toMatchObject({ error: "linkMalformed" });
    expect(parsePaymentLink("ethereum:hello", expected)).toMatchObject({ error: "linkMalformed" });
    expect(parsePaymentLink(`ethereum:${token}@31337/approve?address=${merchant}&uint256=1`, expected)).toMatchObject({
      error: "linkUnsupportedFunction",
    });
    expect(parsePaymentLink("ethereum:vitalik.eth@31337/transfer?address=x", expected)).toMatchObject({
      error: "linkOtherToken",
    });
  });
  it("refuses bad payees and amounts", () => {
    const base = `ethereum:${token}@31337/transfer`;
    expect(parsePaymentLink(`${base}?uint256=1`, expected)).toMatchObject({ error: "linkBadAddress" });
    expect(parsePaymentLink(`${base}?address=0x1234`, expected)).toMatchObject({ error: "linkBadAddress" });
    // A mixed-case address with a broken checksum is a typo, not a payee.
    const broken = `0x${merchant.slice(2, 41)}${merchant[41] === "0" ? "1" : "0"}`.replace(/[a-f]/, (c) =>
      c.toUpperCase(),
    );
    expect(parsePaymentLink(`${base}?address=${broken}`, expected)).toMatchObject({ error: "linkBadAddress" });
    for (const amount of ["-5", "abc", "2.55e1", "0", "1.5"]) {
      expect(parsePaymentLink(`${base}?address=${merchant}&uint256=${amount}`, expected)).toMatchObject({
        error: "linkBadAmount",
      });
    }
  });
  it("explains empty input, non-links and garbage", () => {
    expect(parsePaymentLink("   ", expected)).toMatchObject({ error: "linkEmpty" });
    expect(parsePaymentLink("https://example.com/shop", expected)).toMatchObject({ error: "linkNotEthereum" });
    expect(parsePaymentLink("bitcoin:1abc", expected)).toMatchObject({ error: "linkNotEthereum" });
    expect(parsePaymentLink("ethereum:", expected)).toMatchObject({ error: "linkMalformed" });
    expect(parsePaymentLink(`ethereum:${token}@0/transfer?address=${merchant}`, expected)).toMatchObject({
      error: "linkMalformed",
    });
  });
});

describe("parseEip681Number", () => {
  it.each([
    ["250", 250n],
    ["2.5e2", 250n],
    ["2.50e1", 25n],
    ["1e18", 10n ** 18n],
    ["2.014e18", 2014n * 10n ** 15n],
    ["+7", 7n],
    ["3e", 3n],
  ])("%s is %s", (text, value) => {
    expect(parseEip681Number(text)).toBe(value);
  });
  it.each(["", "-1", "1.5", "2.55e1", "e5", "0x10", "1e999"])("%j is not a whole amount", (text) => {
    expect(parseEip681Number(text)).toBeNull();
  });
});

describe("extractPaymentUri", () => {
  it("takes the request out of a dApp link and leaves other text alone", () => {
    expect(extractPaymentUri("http://h/#/pay?request=ethereum%3Ax")).toBe("ethereum:x");
    expect(extractPaymentUri(" ethereum:x ")).toBe("ethereum:x");
    expect(extractPaymentUri("https://example.com/")).toBe("https://example.com/");
  });
});

describe("a per-order code's expiry (exp)", () => {
  it("round-trips exp and refuses a malformed one", () => {
    const request = {
      token,
      chainId: 31337,
      to: merchant,
      amountFen: 12_50n,
      ref: "261129-K7P3QA",
      expiresAt: 1_790_000_000,
    };
    const uri = buildPaymentUri(request);
    expect(uri).toBe(
      `ethereum:${token}@31337/transfer?address=${merchant}&uint256=1250&ref=261129-K7P3QA&exp=1790000000`,
    );
    expect(parsePaymentLink(buildAppPayLink("https://wallet.hefei.example", request), expected)).toEqual({
      ok: true,
      request,
    });
    expect(parsePaymentLink(uri.replace("exp=1790000000", "exp=soon"), expected)).toEqual({
      ok: false,
      error: "linkMalformed",
    });
  });
});
