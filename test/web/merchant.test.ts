// The merchant view's pure parts: receipts built from events (voucher checkouts and refunds
// included), today's and this week's totals by local day, the CSV file, and payment requests
// marked paid by their order reference.
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../../core/audit/ledgerEvents";
import { toOrderRef } from "../../core/orderRef";
import {
  newOrderText,
  newPaymentRequest,
  orderUsed,
  REQUEST_TTL_S,
  requestStatus,
} from "../../web/src/features/merchant/paymentRequests";
import {
  buildReceipts,
  mergeReceipts,
  receiptsCsv,
  receiptTotals,
  visitsByPayer,
} from "../../web/src/features/merchant/receipts";

const shop = "0x00000000000000000000000000000000000000aa" as Address;
const other = "0x00000000000000000000000000000000000000bb" as Address;
const payer = "0x00000000000000000000000000000000000000cc" as Address;
const HEFEI = 480; // UTC+8
// Wednesday 2026-11-25 12:00 in Hefei.
const NOW = Date.UTC(2026, 10, 25, 4, 0, 0) / 1000;
const HOUR = 3600;

/** Blocks follow time here as on a chain: one block a second. */
function at(hoursAgo: number, event: Record<string, unknown>): LedgerEvent {
  const block = BigInt(Math.round(NOW - hoursAgo * HOUR));
  return {
    blockNumber: block,
    logIndex: 0,
    transactionHash: `0x${block.toString(16).padStart(64, "0")}` as Hex,
    blockTimestamp: NOW - hoursAgo * HOUR,
    ...event,
  } as LedgerEvent;
}
const paid = (hoursAgo: number, amount: bigint, ref: string, payee: Address = shop) =>
  at(hoursAgo, {
    kind: "PaymentMade",
    paymentId: toOrderRef(`id-${ref}`),
    payer,
    payee,
    amount,
    orderRef: toOrderRef(ref),
  });

describe("merchant receipts", () => {
  const events = [
    paid(24 * 10, 999_00n, "OLD"), // ten days ago: in neither total nor the chart
    paid(24 * 2 + 1, 20_00n, "MON"), // Monday 11:00: this week
    paid(24 * 3, 30_00n, "SUN"), // Sunday: last week, in the chart
    paid(1, 12_50n, "A-1"),
    paid(2, 5_00n, "OTHER", other), // someone else's shop
    at(0.5, {
      kind: "VoucherRedeemed",
      paymentId: toOrderRef("id-V-1"),
      payer,
      payee: shop,
      price: 40_00n,
      orderRef: toOrderRef("V-1"),
      campaignId: 3n,
      discount: 5_00n,
    }),
    at(0.2, { kind: "PaymentRefunded", paymentId: toOrderRef("id-A-1"), payee: shop, payer, amount: 2_50n }),
  ];
  const receipts = buildReceipts(events, shop, () => 0);

  it("lists the shop's payments and voucher checkouts, newest first, with refunds applied", () => {
    expect(receipts.map((r) => r.amount)).toEqual([40_00n, 12_50n, 20_00n, 30_00n, 999_00n]);
    expect(receipts.every((r) => r.payer === payer)).toBe(true);
    expect(receipts[0].voucher).toEqual({ campaignId: 3n, discount: 5_00n });
    expect(receipts[1].refunded).toBe(2_50n);
  });

  it("a voucher sale refunded in full shows the whole price given back; a CityYuan refund under its id does not touch it", () => {
    const voucherSale = at(0.5, {
      kind: "VoucherRedeemed",
      paymentId: toOrderRef("id-V-1"),
      payer,
      payee: shop,
      price: 40_00n,
      orderRef: toOrderRef("V-1"),
      campaignId: 3n,
      discount: 5_00n,
    });
    const plainSameOrder = { ...paid(0.4, 7_00n, "V-1"), paymentId: toOrderRef("id-V-1") } as LedgerEvent;
    const refunded = at(0.3, {
      kind: "VoucherSaleRefunded",
      paymentId: toOrderRef("id-V-1"),
      payer,
      payee: shop,
      campaignId: 3n,
      paid: 35_00n,
      discount: 5_00n,
    });
    const cityYuanRefund = at(0.2, {
      kind: "PaymentRefunded",
      paymentId: toOrderRef("id-V-1"),
      payee: shop,
      payer,
      amount: 7_00n,
    });
    const [plain, sale] = buildReceipts([voucherSale, plainSameOrder, refunded, cityYuanRefund], shop, () => 0);
    expect(sale.voucher).toEqual({ campaignId: 3n, discount: 5_00n });
    expect(sale.refunded).toBe(40_00n);
    expect(plain.refunded).toBe(7_00n);
    // Another shop's refund of a voucher sale is not this shop's.
    const elsewhere = buildReceipts([voucherSale, { ...refunded, payee: other } as LedgerEvent], shop, () => 0);
    expect(elsewhere[0].refunded).toBe(0n);
  });

  it("totals today and this week (from Monday) net of refunds, and the last seven days", () => {
    const totals = receiptTotals(receipts, NOW, HEFEI);
    expect(totals.today).toEqual({ fen: 40_00n + 10_00n, count: 2 });
    expect(totals.week).toEqual({ fen: 40_00n + 10_00n + 20_00n, count: 3 });
    expect(totals.lastSevenDays.map((d) => d.date)).toEqual([
      "2026-11-19",
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
    ]);
    expect(totals.lastSevenDays.map((d) => d.fen)).toEqual([0n, 0n, 0n, 30_00n, 20_00n, 0n, 50_00n]);
  });

  it("counts each payer's payments to the shop (回头客 from the second one), by address whatever its case", () => {
    const newcomer = "0x00000000000000000000000000000000000000DD" as Address;
    const first = at(0.1, {
      kind: "PaymentMade",
      paymentId: toOrderRef("id-N-1"),
      payer: newcomer,
      payee: shop,
      amount: 3_00n,
      orderRef: toOrderRef("N-1"),
    });
    const visits = visitsByPayer(buildReceipts([...events, first], shop, () => 0));
    expect(visits.get(payer)).toBe(5);
    expect(visits.get(newcomer.toLowerCase())).toBe(1);
    expect(visits.get(other)).toBeUndefined();
  });

  it("does not add a live receipt twice", () => {
    const again = mergeReceipts(receipts, [receipts[1]]);
    expect(again).toHaveLength(receipts.length);
    const fresh = buildReceipts([paid(0, 1n, "NEW")], shop, () => 0);
    expect(mergeReceipts(receipts, fresh)[0].orderRef).toBe(toOrderRef("NEW"));
  });

  it("exports CSV with BOM, CRLF, yuan amounts, readable order numbers and formula-safe text", () => {
    const csv = receiptsCsv(
      buildReceipts([paid(1, 12_50n, "=SUM(A1)"), events[5]], shop, () => 0),
      {
        time: "时间",
        payer: "付款方",
        amount: "金额",
        refunded: "已退",
        net: "实收",
        orderRef: "订单号",
        voucher: "消费券",
        discount: "补贴",
        transaction: "交易",
      },
      HEFEI,
    );
    expect(csv.startsWith("\uFEFF时间,付款方,金额,已退,实收,订单号,消费券,补贴,交易\r\n")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^2026-11-25T11:30:00\+08:00,0x0+cc,40\.00,0\.00,40\.00,V-1,3,5\.00,0x/);
    expect(lines[2]).toMatch(/^2026-11-25T11:00:00\+08:00,0x0+cc,12\.50,0\.00,12\.50,'=SUM\(A1\),,,0x/);
  });
});

describe("payment requests", () => {
  it("stays open until a receipt with its order number arrives, then shows paid", () => {
    const request = newPaymentRequest(" T-88 ", 25_00n);
    expect(request.orderText).toBe("T-88");
    expect(
      requestStatus(
        request,
        buildReceipts([paid(1, 25_00n, "T-87")], shop, () => 0),
      ).state,
    ).toBe("open");
    const status = requestStatus(
      request,
      buildReceipts([paid(0, 25_00n, "T-88")], shop, () => 0),
    );
    expect(status.state).toBe("paid");
  });

  it("says underpaid when less than the asked amount arrived for the order", () => {
    const request = newPaymentRequest("T-89", 25_00n);
    const status = requestStatus(
      request,
      buildReceipts([paid(0, 20_00n, "T-89")], shop, () => 0),
    );
    expect(status).toMatchObject({ state: "underpaid", paid: 20_00n });
  });

  it("expires an unpaid per-order code after its time, but a paid one stays paid", () => {
    const now = Date.UTC(2026, 10, 29, 10, 0, 0);
    const request = newPaymentRequest("T-90", 5_00n, now);
    expect(request.expiresAt).toBe(now / 1000 + REQUEST_TTL_S);
    const late = now / 1000 + REQUEST_TTL_S + 1;
    expect(requestStatus(request, [], late - 2).state).toBe("open");
    expect(requestStatus(request, [], late).state).toBe("expired");
    expect(
      requestStatus(
        request,
        buildReceipts([paid(0, 5_00n, "T-90")], shop, () => 0),
        late,
      ).state,
    ).toBe("paid");
  });

  it("never hands out an order number already used by a kept code or a receipt on the chain", () => {
    const kept = [newPaymentRequest("A-1", 1_00n)];
    const receipts = buildReceipts([paid(0, 1_00n, "A-2")], shop, () => 0);
    expect(orderUsed(" A-1 ", kept, receipts)).toBe(true);
    expect(orderUsed("A-2", kept, receipts)).toBe(true);
    expect(orderUsed("A-3", kept, receipts)).toBe(false);
    const day = new Date(2026, 10, 29, 9, 30);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const text = newOrderText(kept, receipts, day);
      expect(text).toMatch(/^261129-[A-HJKMNP-Z2-9]{6}$/);
      expect(seen.has(text)).toBe(false);
      seen.add(text);
    }
  });
});
