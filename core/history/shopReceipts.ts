// A shop's receipts built from the ledger's events: every CityYuan payment (亲属卡 payments
// included, handed over in PaymentMade's shape) and every voucher checkout paid to the shop, with
// what was refunded since. Shared by the dApp's merchant page and the city service's insights.
import type { Address, Hex } from "viem";
import type { LedgerEvent } from "../audit/ledgerEvents.js";

export interface Receipt {
  paymentId: Hex;
  payer: Address;
  /** The full price the shop received (with a voucher: the resident's part plus the subsidy). */
  amount: bigint;
  orderRef: Hex;
  /** Present when a voucher paid part of the price. */
  voucher?: { campaignId: bigint; discount: bigint };
  /** Given back so far: CityYuan refunds of a payment; for a voucher checkout, the whole price once
   * the shop refunded the sale (her part to her, the discount to the campaign). */
  refunded: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** Block time, seconds. */
  timestamp: number;
}

/** A refund as the receipts see it: what left the shop, and whether it undid a voucher sale. */
type RefundSeen = { paymentId: Hex; amount: bigint; voucherSale: boolean };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Receipts for `merchant`, newest first. `timestampOf` gives a block's time (events from newer
 * nodes carry it already). Refunds are matched to their payment by paymentId; a refund that
 * names no known payment (older than what was read) is ignored here.
 */
export function buildReceipts(
  events: readonly LedgerEvent[],
  merchant: Address,
  timestampOf: (blockNumber: bigint) => number,
): Receipt[] {
  const receipts = new Map<string, Receipt>();
  const refunds: RefundSeen[] = [];
  for (const event of events) {
    if (event.kind === "PaymentRefunded") {
      if (same(event.payee, merchant))
        refunds.push({ paymentId: event.paymentId, amount: event.amount, voucherSale: false });
      continue;
    }
    if (event.kind === "VoucherSaleRefunded") {
      if (same(event.payee, merchant))
        refunds.push({ paymentId: event.paymentId, amount: event.paid + event.discount, voucherSale: true });
      continue;
    }
    if (event.kind !== "PaymentMade" && event.kind !== "VoucherRedeemed") continue;
    if (!same(event.payee, merchant)) continue;
    const key = `${event.transactionHash}:${event.logIndex}`;
    receipts.set(key, {
      paymentId: event.paymentId,
      payer: event.payer,
      amount: event.kind === "PaymentMade" ? event.amount : event.price,
      orderRef: event.orderRef,
      voucher:
        event.kind === "VoucherRedeemed" ? { campaignId: event.campaignId, discount: event.discount } : undefined,
      refunded: 0n,
      blockNumber: event.blockNumber,
      logIndex: event.logIndex,
      transactionHash: event.transactionHash,
      timestamp: event.blockTimestamp ?? timestampOf(event.blockNumber),
    });
  }
  const list = [...receipts.values()].sort((a, b) =>
    a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
  );
  for (const refund of refunds) {
    // Several payments can share a paymentId (same payer, shop and order): refunds fill the
    // oldest first, as the contract's single refundable counter does not tell them apart.
    let left = refund.amount;
    for (let i = list.length - 1; i >= 0 && left > 0n; i--) {
      const receipt = list[i];
      // A voucher sale's refund undoes one whole voucher checkout of that price; a CityYuan refund
      // only payments made with `pay`.
      if (receipt.paymentId !== refund.paymentId || Boolean(receipt.voucher) !== refund.voucherSale) continue;
      if (refund.voucherSale && (receipt.refunded !== 0n || receipt.amount !== refund.amount)) continue;
      // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.min does not take
      const take = receipt.amount - receipt.refunded < left ? receipt.amount - receipt.refunded : left;
      receipt.refunded += take;
      left -= take;
    }
  }
  return list;
}

/** Net of refunds: what the shop actually kept. */
export function netAmount(receipt: Receipt): bigint {
  return receipt.amount - receipt.refunded;
}
