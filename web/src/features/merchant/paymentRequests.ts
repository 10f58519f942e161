// A merchant's per-order payment requests: amount + an order number (generated, or typed and
// checked unused), turned into a code valid for REQUEST_TTL_S, and marked paid the moment a
// receipt with the same order reference arrives (the order reference plays the part of Solana
// Pay's reference key: it is what the shop looks for on the ledger). An order number is never
// used twice: not one of the kept requests, not one already on a receipt. Kept on this device
// per shop, so open requests survive a reload.

import { generateOrderText, toOrderRef } from "@core/orderRef";
import type { Address, Hex } from "viem";
import { isHexString, isObject, readStoredList, writeStored } from "../../lib/localStore";
import type { Receipt } from "./receipts";

/** How long a per-order code can be paid (the Pay page refuses it after that). */
export const REQUEST_TTL_S = 15 * 60;

export interface PaymentRequestRecord {
  orderText: string;
  orderRef: Hex;
  amountFen: bigint;
  createdAt: number;
  /** Unix seconds; absent on requests kept from before codes expired. */
  expiresAt?: number;
}

export type RequestStatus =
  | { state: "open" }
  | { state: "expired" }
  | { state: "paid"; receipt: Receipt }
  /** The order reference matched but less than the asked amount arrived. */
  | { state: "underpaid"; receipt: Receipt; paid: bigint };

export function newPaymentRequest(orderText: string, amountFen: bigint, now = Date.now()): PaymentRequestRecord {
  return {
    orderText: orderText.trim(),
    orderRef: toOrderRef(orderText.trim()),
    amountFen,
    createdAt: now,
    expiresAt: Math.floor(now / 1000) + REQUEST_TTL_S,
  };
}

/** Whether an order number was used already: by a kept request or by a payment on the chain. */
export function orderUsed(
  orderText: string,
  requests: readonly PaymentRequestRecord[],
  receipts: readonly Receipt[],
): boolean {
  const ref = toOrderRef(orderText.trim()).toLowerCase();
  return (
    requests.some((r) => r.orderRef.toLowerCase() === ref) || receipts.some((r) => r.orderRef.toLowerCase() === ref)
  );
}

/** A fresh order number, never one already used. */
export function newOrderText(
  requests: readonly PaymentRequestRecord[],
  receipts: readonly Receipt[],
  now = new Date(),
): string {
  return generateOrderText(now, (text) => orderUsed(text, requests, receipts));
}

/** Status of a request among the shop's receipts: the payments with its order reference add up. */
export function requestStatus(
  request: PaymentRequestRecord,
  receipts: readonly Receipt[],
  nowS = Math.floor(Date.now() / 1000),
): RequestStatus {
  const matching = receipts.filter((r) => r.orderRef.toLowerCase() === request.orderRef.toLowerCase());
  if (matching.length === 0)
    return request.expiresAt !== undefined && nowS > request.expiresAt ? { state: "expired" } : { state: "open" };
  const paid = matching.reduce((sum, r) => sum + r.amount, 0n);
  const latest = matching[0];
  return paid >= request.amountFen ? { state: "paid", receipt: latest } : { state: "underpaid", receipt: latest, paid };
}

const KEY = (shop: Address) => `hcy.merchant.requests.v1.${shop.toLowerCase()}`;
/** Enough for a day's counter; the oldest fall off first. */
const MAX_KEPT = 50;

type Stored = { orderText: string; orderRef: Hex; amountFen: string; createdAt: number; expiresAt?: number };

function isStored(v: unknown): v is Stored {
  return (
    isObject(v) &&
    typeof v.orderText === "string" &&
    isHexString(v.orderRef) &&
    typeof v.amountFen === "string" &&
    /^\d{1,18}$/.test(v.amountFen) &&
    typeof v.createdAt === "number" &&
    (v.expiresAt === undefined || typeof v.expiresAt === "number")
  );
}

export function loadRequests(shop: Address): PaymentRequestRecord[] {
  return readStoredList(KEY(shop), isStored).map((s) => ({ ...s, amountFen: BigInt(s.amountFen) }));
}

export function saveRequests(shop: Address, requests: readonly PaymentRequestRecord[]): void {
  const stored: Stored[] = requests.slice(0, MAX_KEPT).map((r) => ({ ...r, amountFen: r.amountFen.toString() }));
  writeStored(KEY(shop), stored);
}
