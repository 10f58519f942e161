// History assembly: how chain logs become the resident's movements, the monthly totals per
// category and the CSV export.
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import type { MerchantCategory } from "../../core/enums";
import { assembleEntries, type ChainLog, type HistoryEntry, mergeEntries } from "../../core/history/assemble";
import { CSV_BOM, csvCell, historyCsv, isoDate } from "../../core/history/csv";
import {
  categoryOf,
  filterEntries,
  type HistoryCategory,
  monthKey,
  monthlyTotals,
  spendingByCategory,
} from "../../core/history/summary";

const ME = "0x1111111111111111111111111111111111111111" as Address;
const FRIEND = "0x2222222222222222222222222222222222222222" as Address;
const NOODLES = "0x3333333333333333333333333333333333333333" as Address;
const BUS = "0x4444444444444444444444444444444444444444" as Address;
const ISSUER = "0x5555555555555555555555555555555555555555" as Address;
const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const contracts = {
  cityYuan: "0xc17c17c17c17c17c17c17c17c17c17c17c17c17c" as Address,
  redPacket: "0xed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0ed0e" as Address,
  vouchers: "0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0" as Address,
};
const OTHER_TOKEN = "0x9999999999999999999999999999999999999999" as Address;
const REF = "0x4f524445522d3130323400000000000000000000000000000000000000000000" as Hex; // "ORDER-1024"
const PID = `0x${"ab".repeat(32)}` as Hex;
// 2026-11-15 12:00 Hefei time
const NOV = Date.UTC(2026, 10, 15, 4) / 1000;
const OCT = Date.UTC(2026, 9, 10, 4) / 1000;

let txCounter = 0;
function tx(block: number, timestamp = NOV) {
  const hash = `0x${(++txCounter).toString(16).padStart(64, "0")}` as Hex;
  let index = 0;
  const log = (address: Address, eventName: string, args: Record<string, unknown>): ChainLog => ({
    address,
    blockNumber: BigInt(block),
    logIndex: index++,
    transactionHash: hash,
    blockTimestamp: timestamp,
    eventName,
    args,
  });
  return { hash, log };
}

const transfer = (t: ReturnType<typeof tx>, from: Address, to: Address, value: bigint, token = contracts.cityYuan) =>
  t.log(token, "Transfer", { from, to, value });

function payment(block: number, payer: Address, payee: Address, amount: bigint, timestamp = NOV) {
  const t = tx(block, timestamp);
  return [
    transfer(t, payer, payee, amount),
    t.log(contracts.cityYuan, "PaymentMade", { paymentId: PID, payer, payee, amount, orderRef: REF }),
  ];
}

const assemble = (logs: ChainLog[]) => assembleEntries(logs, ME, contracts);
const merchants: Record<string, MerchantCategory> = {
  [NOODLES.toLowerCase()]: "dining",
  [BUS.toLowerCase()]: "transport",
};
const lookup = (a: Address) => merchants[a.toLowerCase()];
const cat = (e: HistoryEntry): HistoryCategory => categoryOf(e, lookup);

describe("assembleEntries", () => {
  it("shows a payment once, not as a payment plus a transfer", () => {
    const entries = assemble(payment(10, ME, NOODLES, 2800n));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "payment",
      direction: "out",
      amount: 2800n,
      counterparty: NOODLES,
      orderRef: REF,
    });
  });

  it("shows a payment received by the account as incoming", () => {
    const entries = assembleEntries(payment(10, FRIEND, ME, 500n), ME, contracts);
    expect(entries).toEqual([
      expect.objectContaining({ kind: "payment", direction: "in", amount: 500n, counterparty: FRIEND }),
    ]);
  });

  it("lists plain transfers in and out with the other side", () => {
    const a = tx(5);
    const b = tx(6);
    const entries = assemble([transfer(a, ME, FRIEND, 1000n), transfer(b, FRIEND, ME, 250n)]);
    expect(entries.map((e) => [e.kind, e.direction, e.amount, e.counterparty])).toEqual([
      ["transfer", "in", 250n, FRIEND],
      ["transfer", "out", 1000n, FRIEND],
    ]);
  });

  it("leaves out zero-value transfers and other tokens' transfers", () => {
    const a = tx(5);
    const b = tx(6);
    const entries = assemble([transfer(a, FRIEND, ME, 0n), transfer(b, FRIEND, ME, 999n, OTHER_TOKEN)]);
    expect(entries).toEqual([]);
  });

  it("ignores a look-alike PaymentMade emitted by another contract, keeping the real transfer", () => {
    const t = tx(7);
    const entries = assemble([
      transfer(t, ME, NOODLES, 100n),
      t.log(OTHER_TOKEN, "PaymentMade", { paymentId: PID, payer: ME, payee: NOODLES, amount: 100n, orderRef: REF }),
    ]);
    expect(entries).toEqual([expect.objectContaining({ kind: "transfer", direction: "out", amount: 100n })]);
  });

  it("shows a merchant's refund as money in, pointing at the payment", () => {
    const t = tx(12);
    const entries = assemble([
      ...payment(11, ME, NOODLES, 2800n),
      transfer(t, NOODLES, ME, 1400n),
      t.log(contracts.cityYuan, "PaymentRefunded", { paymentId: PID, payee: NOODLES, payer: ME, amount: 1400n }),
    ]);
    expect(entries.map((e) => [e.kind, e.direction, e.amount])).toEqual([
      ["refund", "in", 1400n],
      ["payment", "out", 2800n],
    ]);
    expect(entries[0].paymentId).toBe(PID);
  });

  it("turns mint and burn into top-up and cash-out", () => {
    const a = tx(1);
    const b = tx(2);
    const entries = assemble([
      transfer(a, ZERO, ME, 300_000n),
      a.log(contracts.cityYuan, "Issued", { issuer: ISSUER, to: ME, amount: 300_000n, bankRef: REF }),
      transfer(b, ME, ZERO, 20_000n),
      b.log(contracts.cityYuan, "Redeemed", { account: ME, amount: 20_000n, bankRef: REF }),
    ]);
    expect(entries.map((e) => [e.kind, e.direction, e.amount])).toEqual([
      ["cashOut", "out", 20_000n],
      ["topUp", "in", 300_000n],
    ]);
  });

  it("shows the transfer into the escrow as a red packet sent, and claims and refunds as red packets", () => {
    const create = tx(20);
    const claim = tx(21);
    const refund = tx(22);
    const entries = assemble([
      transfer(create, ME, contracts.redPacket, 8800n),
      create.log(contracts.redPacket, "PacketCreated", {
        packetId: 3n,
        sender: ME,
        audienceKey: `0x${"00".repeat(32)}`,
        audience: 2,
        mode: 1,
        amount: 8800n,
        shares: 3n,
        expiry: 99n,
        greeting: "恭喜发财",
      }),
      transfer(claim, contracts.redPacket, ME, 1234n),
      claim.log(contracts.redPacket, "PacketClaimed", { packetId: 7n, claimer: ME, amount: 1234n, index: 0n }),
      transfer(refund, contracts.redPacket, ME, 500n),
      refund.log(contracts.redPacket, "PacketRefunded", { packetId: 3n, sender: ME, caller: FRIEND, amount: 500n }),
    ]);
    expect(entries.map((e) => [e.kind, e.direction, e.amount, e.packetId])).toEqual([
      ["redPacketRefunded", "in", 500n, 3n],
      ["redPacketClaimed", "in", 1234n, 7n],
      ["redPacketSent", "out", 8800n, 3n],
    ]);
    expect(entries[2].greeting).toBe("恭喜发财");
  });

  it("shows a voucher checkout once: what I paid and the discount", () => {
    const t = tx(30);
    const redeemed = {
      paymentId: PID,
      payer: ME,
      payee: NOODLES,
      price: 3000n,
      orderRef: REF,
      campaignId: 2n,
      discount: 500n,
    };
    const logs = [
      transfer(t, ME, NOODLES, 2500n),
      transfer(t, contracts.vouchers, NOODLES, 500n),
      t.log(contracts.vouchers, "VoucherRedeemed", redeemed),
    ];
    expect(assemble(logs)).toEqual([
      expect.objectContaining({
        kind: "voucherPayment",
        direction: "out",
        amount: 2500n,
        price: 3000n,
        discount: 500n,
        campaignId: 2n,
      }),
    ]);
    // The merchant sees one payment of the full price, not two transfers.
    expect(assembleEntries(logs, NOODLES, contracts)).toEqual([
      expect.objectContaining({ kind: "voucherPayment", direction: "in", amount: 3000n, counterparty: ME }),
    ]);
  });

  it("shows a voucher sale refunded in full once: my part back to me, the whole price out of the shop", () => {
    const t = tx(35);
    const logs = [
      t.log(contracts.vouchers, "VoucherSaleRefunded", {
        paymentId: PID,
        payer: ME,
        payee: NOODLES,
        campaignId: 2n,
        paid: 2500n,
        discount: 500n,
      }),
      transfer(t, NOODLES, ME, 2500n),
      transfer(t, NOODLES, contracts.vouchers, 500n),
    ];
    expect(assemble(logs)).toEqual([
      expect.objectContaining({ kind: "refund", direction: "in", amount: 2500n, counterparty: NOODLES }),
    ]);
    expect(assembleEntries(logs, NOODLES, contracts)).toEqual([
      expect.objectContaining({ kind: "refund", direction: "out", amount: 3000n, counterparty: ME }),
    ]);
  });

  it("keeps a second, separate transfer in the same transaction as its own entry", () => {
    const t = tx(40);
    const entries = assemble([
      transfer(t, ME, NOODLES, 100n),
      transfer(t, ME, NOODLES, 100n),
      t.log(contracts.cityYuan, "PaymentMade", {
        paymentId: PID,
        payer: ME,
        payee: NOODLES,
        amount: 100n,
        orderRef: REF,
      }),
    ]);
    expect(entries.map((e) => e.kind).sort()).toEqual(["payment", "transfer"]);
  });

  it("counts a log read twice (overlapping ranges) once", () => {
    const logs = payment(50, ME, BUS, 300n);
    expect(assemble([...logs, ...logs])).toHaveLength(1);
  });

  it("orders newest first and merges later reads without duplicates", () => {
    const older = assemble(payment(1, ME, BUS, 300n));
    const newer = assemble(payment(9, ME, NOODLES, 900n));
    const merged = mergeEntries(older, [...newer, ...older]);
    expect(merged.map((e) => e.amount)).toEqual([900n, 300n]);
  });
});

describe("categories and monthly totals", () => {
  const entries = assemble([
    ...payment(1, ME, NOODLES, 2000n, OCT),
    ...payment(2, ME, BUS, 300n, OCT),
    ...payment(3, ME, NOODLES, 2800n),
    ...payment(4, ME, BUS, 400n),
    ...(() => {
      const t = tx(5);
      return [
        transfer(t, NOODLES, ME, 800n),
        t.log(contracts.cityYuan, "PaymentRefunded", { paymentId: PID, payee: NOODLES, payer: ME, amount: 800n }),
      ];
    })(),
    transfer(tx(6), ME, FRIEND, 5000n),
    transfer(tx(7), FRIEND, ME, 1000n),
    ...(() => {
      const t = tx(8);
      return [
        transfer(t, ZERO, ME, 100_000n),
        t.log(contracts.cityYuan, "Issued", { issuer: ISSUER, to: ME, amount: 100_000n, bankRef: REF }),
      ];
    })(),
    ...payment(9, ME, ISSUER, 700n),
  ]);

  it("takes the merchant's registered category, and names its own kinds", () => {
    const byKind = entries.map((e) => [e.kind, cat(e)]);
    expect(byKind).toContainEqual(["payment", "dining"]);
    expect(byKind).toContainEqual(["payment", "transport"]);
    expect(byKind).toContainEqual(["refund", "dining"]);
    expect(byKind).toContainEqual(["transfer", "transfer"]);
    expect(byKind).toContainEqual(["topUp", "topUp"]);
    // A payment to an address the registry does not know.
    expect(byKind).toContainEqual(["payment", "other"]);
  });

  it("adds spending per category per month, refunds netted, top-ups left out", () => {
    const months = monthlyTotals(entries, cat, 480);
    expect(months.map((m) => m.month)).toEqual(["2026-11", "2026-10"]);
    const [nov, oct] = months;
    expect(oct.spending).toEqual({ dining: 2000n, transport: 300n });
    expect(nov.spending).toEqual({ dining: 2000n, transport: 400n, transfer: 5000n, other: 700n });
    expect(nov.totalSpending).toBe(8100n);
    expect(nov.totalIn).toBe(100_000n + 1000n + 800n);
    expect(nov.totalOut).toBe(2800n + 400n + 5000n + 700n);
  });

  it("gives the vouchers page spending per category over all months", () => {
    expect(spendingByCategory(entries, cat)).toEqual({ dining: 4000n, transport: 700n, transfer: 5000n, other: 700n });
  });

  it("uses the local month: 23:30 on 31 October in Hefei is October", () => {
    const t = Date.UTC(2026, 9, 31, 15, 30) / 1000;
    expect(monthKey(t, 480)).toBe("2026-10");
    expect(monthKey(t, 0)).toBe("2026-10");
    expect(monthKey(Date.UTC(2026, 9, 31, 16, 30) / 1000, 480)).toBe("2026-11");
  });

  it("filters by kind, category, month and text", () => {
    const search = (e: HistoryEntry) => (e.counterparty === NOODLES ? "老王牛肉面" : "");
    expect(filterEntries(entries, { kind: "refund" }, cat, search)).toHaveLength(1);
    expect(filterEntries(entries, { category: "transport" }, cat, search)).toHaveLength(2);
    expect(filterEntries(entries, { month: "2026-10" }, cat, search, 480)).toHaveLength(2);
    expect(filterEntries(entries, { text: "牛肉" }, cat, search)).toHaveLength(3);
    expect(filterEntries(entries, { text: "牛肉", month: "2026-11" }, cat, search, 480)).toHaveLength(2);
    expect(filterEntries(entries, {}, cat, search)).toBe(entries);
  });
});

describe("CSV export", () => {
  const headings = {
    date: "日期",
    kind: "类型",
    category: "分类",
    counterparty: "对方",
    address: "地址",
    amount: "金额（元）",
    discount: "优惠（元）",
    reference: "订单号",
    transaction: "交易编号",
  };

  it("escapes quotes, commas and line breaks, and defuses formulas in text", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("-12.50", "number")).toBe("-12.50");
    expect(csvCell("@SUM")).toBe("'@SUM");
  });

  it("writes a BOM, CRLF rows, ISO dates and signed amounts in 元", () => {
    const entries = assemble([...payment(3, ME, NOODLES, 123456n), transfer(tx(4), FRIEND, ME, 5n)]);
    const csv = historyCsv(entries, {
      headings,
      kindName: (e) => e.kind,
      categoryName: (e) => cat(e),
      counterpartyName: (e) => (e.counterparty === NOODLES ? "老王, 牛肉面" : ""),
      utcOffsetMinutes: 480,
    });
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe("日期,类型,分类,对方,地址,金额（元）,优惠（元）,订单号,交易编号");
    expect(lines[1]).toMatch(
      /^2026-11-15T12:00:00\+08:00,transfer,transfer,,0x2222222222222222222222222222222222222222,0\.05,,,0x/,
    );
    expect(lines[2]).toMatch(
      /^2026-11-15T12:00:00\+08:00,payment,dining,"老王, 牛肉面",0x3333333333333333333333333333333333333333,-1234\.56,,ORDER-1024,0x/,
    );
    expect(lines[3]).toBe("");
  });

  it("formats dates with negative and half-hour offsets", () => {
    const t = Date.UTC(2026, 0, 1, 0, 0) / 1000;
    expect(isoDate(t, 0)).toBe("2026-01-01T00:00:00+00:00");
    expect(isoDate(t, -300)).toBe("2025-12-31T19:00:00-05:00");
    expect(isoDate(t, 330)).toBe("2026-01-01T05:30:00+05:30");
  });
});
