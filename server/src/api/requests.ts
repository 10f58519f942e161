// Payment requests made through the merchant API: strict amount reading (fen or yuan, never a
// float), the request row, and its status read from the chain. "paid" needs a PaymentMade to the
// shop with the request's order reference and at least its amount, at least the city's
// confirmations deep; a payment found is kept, so it is not looked for again.
import { randomBytes } from "node:crypto";
import type { Address, Hex } from "viem";
import { buildAppPayLink, buildPaymentUri, type PaymentRequest } from "../../../core/eip681.js";
import { FEN_PER_YUAN, MAX_INPUT_FEN } from "../../../core/money.js";
import { MAX_TEXT_REF_BYTES, toOrderRef } from "../../../core/orderRef.js";
import { ApiError } from "../errors.js";
import type { Queryable } from "../storage/Database.js";
import type { ShopLedger, ShopPayment } from "./ledger.js";

export const MIN_EXPIRY_S = 60;
export const MAX_EXPIRY_S = 7 * 24 * 3600;
export const DEFAULT_EXPIRY_S = 15 * 60;
/** Order references longer than this are surely not an order number. */
export const MAX_ORDER_REF_CHARS = 64;

/** Exactly one of `amountFen` (whole fen as a decimal string) and `amountYuan` (at most 2 decimals). */
export function readAmount(amountFen: string | undefined, amountYuan: string | undefined): bigint {
  if (amountFen !== undefined && amountYuan !== undefined) {
    throw new ApiError(400, "amount_ambiguous", "Send amountFen or amountYuan, not both");
  }
  const text = (amountFen ?? amountYuan)?.trim();
  if (text === undefined || text === "") {
    throw new ApiError(400, "amount_missing", 'amountFen (e.g. "1250") or amountYuan (e.g. "12.50") is required');
  }
  if (/^[-−]/.test(text)) throw new ApiError(400, "amount_negative", "The amount must be positive");
  let fen: bigint;
  if (amountFen !== undefined) {
    if (/^\d+\.\d*$/.test(text)) throw new ApiError(400, "amount_too_many_decimals", "amountFen is whole fen");
    if (!/^\d+$/.test(text)) throw new ApiError(400, "amount_not_number", 'amountFen must be digits, e.g. "1250"');
    if (text.length > 15) throw new ApiError(400, "amount_too_large", "The amount is too large");
    fen = BigInt(text);
  } else {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (m === null) throw new ApiError(400, "amount_not_number", 'amountYuan must be a number, e.g. "12.50"');
    const [, whole = "", decimals = ""] = m;
    if (decimals.length > 2) {
      throw new ApiError(400, "amount_too_many_decimals", "amountYuan has at most 2 decimals (1 fen)");
    }
    if (whole.replace(/^0+/, "").length > 13) throw new ApiError(400, "amount_too_large", "The amount is too large");
    fen = BigInt(whole) * FEN_PER_YUAN + BigInt(decimals.padEnd(2, "0") || "0");
  }
  if (fen === 0n) throw new ApiError(400, "amount_zero", "The amount must be at least 1 fen (0.01 元)");
  if (fen > MAX_INPUT_FEN) {
    throw new ApiError(400, "amount_too_large", `The amount may be at most ${MAX_INPUT_FEN / FEN_PER_YUAN} 元`);
  }
  return fen;
}

export function readExpiry(seconds: number | undefined): number {
  const s = seconds ?? DEFAULT_EXPIRY_S;
  if (!Number.isInteger(s)) throw new ApiError(400, "invalid_field", "expiresInSeconds: a whole number of seconds");
  if (s < MIN_EXPIRY_S) throw new ApiError(400, "expiry_too_short", `expiresInSeconds is at least ${MIN_EXPIRY_S}`);
  if (s > MAX_EXPIRY_S) throw new ApiError(400, "expiry_too_long", `expiresInSeconds is at most ${MAX_EXPIRY_S}`);
  return s;
}

/** The order reference as the chain records it; refused when it cannot be typed or read back. */
export function readOrderRef(text: string): Hex {
  if (text.length === 0 || text.length > MAX_ORDER_REF_CHARS) {
    throw new ApiError(400, "order_ref_invalid", `orderRef is 1 to ${MAX_ORDER_REF_CHARS} characters`);
  }
  if (Array.from(text).some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === "\u007f") || text !== text.trim()) {
    throw new ApiError(400, "order_ref_invalid", "orderRef has control characters or surrounding spaces");
  }
  return toOrderRef(text);
}

export { MAX_TEXT_REF_BYTES };

export interface RequestRow {
  id: string;
  shop: string;
  amount_fen: string;
  order_ref: string;
  order_text: string;
  expires_at: number | string;
  created_at: number | string;
  from_block: number | string;
  payment_id: string | null;
  payer: string | null;
  paid_fen: string | null;
  paid_tx: string | null;
  paid_block: number | string | null;
}

export const newRequestId = (): string => `pr_${randomBytes(12).toString("hex")}`;

export function paymentRequestOf(ledger: ShopLedger, row: RequestRow): PaymentRequest {
  return {
    token: ledger.cityYuan,
    chainId: ledger.chainId,
    to: row.shop as Address,
    amountFen: BigInt(row.amount_fen),
    ref: row.order_text,
    expiresAt: Math.floor(Number(row.expires_at) / 1000),
  };
}

export function linksOf(
  ledger: ShopLedger,
  row: RequestRow,
  appOrigin: string,
): { payLink: string; paymentUri: string } {
  const request = paymentRequestOf(ledger, row);
  return { payLink: buildAppPayLink(appOrigin, request), paymentUri: buildPaymentUri(request) };
}

export type RequestStatus = "open" | "paid" | "expired" | "refunded";

export interface RequestState {
  status: RequestStatus;
  payment: { paymentId: Hex; payer: Address; amountFen: string; txHash: Hex; blockNumber: number } | null;
  refundedFen: string;
}

/** The request's state now: its payment found on chain (confirmed), refunds of it, or open/expired. */
export async function stateOf(
  db: Queryable,
  ledger: ShopLedger,
  confirmations: number,
  row: RequestRow,
  now: number,
): Promise<RequestState> {
  const head = await ledger.head();
  const confirmed = head - BigInt(confirmations);
  let paid: { paymentId: Hex; payer: Address; amount: bigint; txHash: Hex; blockNumber: bigint } | undefined;
  if (row.paid_tx !== null) {
    paid = {
      paymentId: row.payment_id as Hex,
      payer: row.payer as Address,
      amount: BigInt(row.paid_fen as string),
      txHash: row.paid_tx as Hex,
      blockNumber: BigInt(row.paid_block as string | number),
    };
  } else if (confirmed >= BigInt(row.from_block)) {
    const wanted = BigInt(row.amount_fen);
    const found: ShopPayment | undefined = (
      await ledger.paymentsTo(row.shop as Address, BigInt(row.from_block), confirmed)
    ).find((p) => p.orderRef.toLowerCase() === row.order_ref && p.amount >= wanted);
    if (found !== undefined) {
      paid = found;
      await db.run(
        `UPDATE merchant_payment_requests SET payment_id = ?, payer = ?, paid_fen = ?, paid_tx = ?, paid_block = ?
         WHERE id = ? AND paid_tx IS NULL`,
        [found.paymentId, found.payer, found.amount.toString(), found.txHash, Number(found.blockNumber), row.id],
      );
    }
  }
  if (paid === undefined) {
    return { status: now >= Number(row.expires_at) ? "expired" : "open", payment: null, refundedFen: "0" };
  }
  const paymentId = paid.paymentId;
  const refunded =
    confirmed >= paid.blockNumber
      ? (await ledger.refundsBy(row.shop as Address, paid.blockNumber, confirmed))
          .filter((r) => r.paymentId.toLowerCase() === paymentId.toLowerCase())
          .reduce((sum, r) => sum + r.amount, 0n)
      : 0n;
  return {
    status: refunded >= paid.amount ? "refunded" : "paid",
    payment: {
      paymentId: paid.paymentId,
      payer: paid.payer,
      amountFen: paid.amount.toString(),
      txHash: paid.txHash,
      blockNumber: Number(paid.blockNumber),
    },
    refundedFen: refunded.toString(),
  };
}

/** "12.50" for 1250n. */
export const yuanOf = (fen: bigint): string =>
  `${fen / FEN_PER_YUAN}.${(fen % FEN_PER_YUAN).toString().padStart(2, "0")}`;

/** A Hefei calendar day (UTC+8, no daylight saving) as unix seconds [start, end). */
export function hefeiDay(date: string): { start: number; end: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new ApiError(400, "invalid_date", "date is YYYY-MM-DD (a Hefei day)");
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (Number.isNaN(ms) || back.getUTCDate() !== Number(m[3]) || back.getUTCMonth() !== Number(m[2]) - 1) {
    throw new ApiError(400, "invalid_date", "date is not a calendar day");
  }
  const start = ms / 1000 - 8 * 3600;
  return { start, end: start + 86_400 };
}

/** A CSV field: quoted, and a leading = + - @ made inert so a spreadsheet never runs it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
