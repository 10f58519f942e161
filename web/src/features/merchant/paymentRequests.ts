// A merchant's payment requests: amount + order number, turned into an EIP-681 link and QR, and
// marked paid the moment a receipt with the same order reference arrives (the order reference
// plays the part of Solana Pay's reference key: it is what the shop looks for on the ledger).
// Kept on this device per shop, so open requests survive a reload.

import { toOrderRef } from "@core/orderRef";
import type { Address, Hex } from "viem";
import type { Receipt } from "./receipts";

export interface PaymentRequestRecord {
  orderText: string;
  orderRef: Hex;
  amountFen: bigint;
  createdAt: number;
}

export type RequestStatus =
  | { state: "open" }
  | { state: "paid"; receipt: Receipt }
  /** The order reference matched but less than the asked amount arrived. */
  | { state: "underpaid"; receipt: Receipt; paid: bigint };

export function newPaymentRequest(orderText: string, amountFen: bigint, now = Date.now()): PaymentRequestRecord {
  return { orderText: orderText.trim(), orderRef: toOrderRef(orderText.trim()), amountFen, createdAt: now };
}

/** Status of a request among the shop's receipts: the payments with its order reference add up. */
export function requestStatus(request: PaymentRequestRecord, receipts: readonly Receipt[]): RequestStatus {
  const matching = receipts.filter((r) => r.orderRef.toLowerCase() === request.orderRef.toLowerCase());
  if (matching.length === 0) return { state: "open" };
  const paid = matching.reduce((sum, r) => sum + r.amount, 0n);
  const latest = matching[0];
  return paid >= request.amountFen ? { state: "paid", receipt: latest } : { state: "underpaid", receipt: latest, paid };
}

const KEY = (shop: Address) => `hcy.merchant.requests.v1.${shop.toLowerCase()}`;
/** Enough for a day's counter; the oldest fall off first. */
const MAX_KEPT = 50;

type Stored = { orderText: string; orderRef: Hex; amountFen: string; createdAt: number };

export function loadRequests(shop: Address): PaymentRequestRecord[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY(shop)) ?? "[]") as Stored[];
    return stored.map((s) => ({ ...s, amountFen: BigInt(s.amountFen) }));
  } catch {
    return [];
  }
}

export function saveRequests(shop: Address, requests: readonly PaymentRequestRecord[]): void {
  const stored: Stored[] = requests.slice(0, MAX_KEPT).map((r) => ({ ...r, amountFen: r.amountFen.toString() }));
  localStorage.setItem(KEY(shop), JSON.stringify(stored));
}
