// Payment requests as EIP-681 URIs:
//   ethereum:<token>@<chainId>/transfer?address=<payee>&uint256=<fen>[&ref=<order reference>][&exp=<unix s>]
// (`exp`: a per-order code's last moment; the Pay page refuses it after that.)
// Built by Receive and the merchant view and by the service's merchant API (server/src/api), read by Pay,
// including plain links from other wallets.
// Parsing is strict: a link for another chain, another token or plain ETH is refused with a reason,
// and an incomplete one (`ethereum:0x123`) is called what it is.
import { type Address, getAddress, isAddress } from "viem";

export type PaymentRequest = {
  token: Address;
  chainId: number;
  to: Address;
  /** Absent when the payer chooses the amount. */
  amountFen?: bigint;
  /** Order reference as written in the link (text or 0x bytes32); see orderRef.ts. */
  ref?: string;
  /** A per-order code's expiry, unix seconds. */
  expiresAt?: number;
};

export type PaymentLinkError =
  | "linkEmpty"
  | "linkNotEthereum"
  | "linkMalformed"
  | "linkPlainEth"
  | "linkUnsupportedFunction"
  | "linkWrongChain"
  | "linkOtherToken"
  | "linkBadAddress"
  | "linkBadAmount";

export type ParsedPaymentLink =
  | { ok: true; request: PaymentRequest }
  | { ok: false; error: PaymentLinkError; chainId?: number };

export function buildPaymentUri(request: PaymentRequest): string {
  const params = [`address=${getAddress(request.to)}`];
  if (request.amountFen !== undefined) params.push(`uint256=${request.amountFen.toString()}`);
  if (request.ref) params.push(`ref=${encodeURIComponent(request.ref)}`);
  if (request.expiresAt !== undefined) params.push(`exp=${request.expiresAt}`);
  return `ethereum:${getAddress(request.token)}@${request.chainId}/transfer?${params.join("&")}`;
}

/** The link that opens the dApp's Pay page on this request: `<origin>/#/pay?request=…`. */
export function buildAppPayLink(origin: string, request: PaymentRequest): string {
  return `${origin.replace(/\/$/, "")}/#/pay?request=${encodeURIComponent(buildPaymentUri(request))}`;
}

/**
 * EIP-681 number: `[+-]digits[.digits][e[digits]]`. `2.5e2` is 250; the result must be a whole
 * non-negative number of base units, otherwise the link is refused.
 */
export function parseEip681Number(text: string): bigint | null {
  const m = /^([+-]?)(\d*)(?:\.(\d+))?(?:[eE](\d*))?$/.exec(text);
  if (!m || (m[2] === "" && m[3] === undefined)) return null;
  if (m[1] === "-") return null;
  const whole = m[2] ?? "";
  const fraction = m[3] ?? "";
  const exponent = m[4] === undefined || m[4] === "" ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exponent) || exponent > 77) return null;
  const digits = whole + fraction;
  const shift = exponent - fraction.length;
  if (shift >= 0) return BigInt(digits || "0") * 10n ** BigInt(shift);
  // A negative shift is allowed only when it drops zeros: 2.50e1 is 25, 2.55e1 is not whole.
  const dropped = digits.slice(digits.length + shift);
  if (/[^0]/.test(dropped)) return null;
  return BigInt(digits.slice(0, digits.length + shift) || "0");
}

/** Accepts an `ethereum:` URI or an in-app link carrying one in `request=`. */
export function extractPaymentUri(input: string): string {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const hashQuery = url.hash.includes("?") ? url.hash.slice(url.hash.indexOf("?") + 1) : "";
      const fromHash = new URLSearchParams(hashQuery).get("request");
      return fromHash ?? url.searchParams.get("request") ?? text;
    } catch {
      return text;
    }
  }
  return text;
}

export function parsePaymentLink(input: string, expected: { token: Address; chainId: number }): ParsedPaymentLink {
  const uri = extractPaymentUri(input);
  if (uri === "") return { ok: false, error: "linkEmpty" };
  if (!/^ethereum:/i.test(uri)) return { ok: false, error: "linkNotEthereum" };
  const m = /^ethereum:(?:pay-)?([^@/?]+)(?:@(\d+))?(?:\/([^?]*))?(?:\?(.*))?$/i.exec(uri);
  if (!m) return { ok: false, error: "linkMalformed" };
  const [, target = "", chainText, functionName, query = ""] = m;
  // Per EIP-681, a link without a chain id means Ethereum mainnet.
  const chainId = chainText === undefined ? 1 : Number(chainText);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) return { ok: false, error: "linkMalformed" };
  const params = new URLSearchParams(query);
  // A link naming no function asks for ether, but only if it names a real account: `ethereum:0x123`
  // is an incomplete link, not a payment request of any kind.
  if (functionName === undefined || functionName === "")
    return { ok: false, error: isAddress(target, { strict: false }) ? "linkPlainEth" : "linkMalformed" };
  if (functionName !== "transfer") return { ok: false, error: "linkUnsupportedFunction" };
  if (chainId !== expected.chainId) return { ok: false, error: "linkWrongChain", chainId };
  if (!isAddress(target)) return { ok: false, error: "linkOtherToken" };
  if (getAddress(target) !== getAddress(expected.token)) return { ok: false, error: "linkOtherToken" };
  const to = params.get("address");
  if (!to || !isAddress(to)) return { ok: false, error: "linkBadAddress" };
  const request: PaymentRequest = { token: getAddress(target), chainId, to: getAddress(to) };
  const amount = params.get("uint256");
  if (amount !== null) {
    const fen = parseEip681Number(amount);
    if (fen === null || fen === 0n) return { ok: false, error: "linkBadAmount" };
    request.amountFen = fen;
  }
  const ref = params.get("ref");
  if (ref) request.ref = ref;
  const exp = params.get("exp");
  if (exp !== null) {
    if (!/^\d{1,12}$/.test(exp)) return { ok: false, error: "linkMalformed" };
    request.expiresAt = Number(exp);
  }
  return { ok: true, request };
}
