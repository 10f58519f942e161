// A merchant's receipts, built from the ledger's events: every CityYuan payment and every voucher
// checkout paid to the shop, with what was refunded since; today's and this week's totals; the
// CSV export. Pure, so the totals and the file are tested without a browser.

import { CSV_BOM, csvCell, isoDate } from "@core/history/csv";
import { netAmount, type Receipt } from "@core/history/shopReceipts";
import { fenToInput } from "@core/money";
import { displayOrderRef } from "@core/orderRef";

/** Adds receipts that arrived live to a list, without duplicates, newest first. */
export function mergeReceipts(existing: readonly Receipt[], incoming: readonly Receipt[]): Receipt[] {
  const seen = new Set(existing.map((r) => `${r.transactionHash}:${r.logIndex}`));
  const fresh = incoming.filter((r) => !seen.has(`${r.transactionHash}:${r.logIndex}`));
  if (fresh.length === 0) return existing as Receipt[];
  return [...fresh, ...existing].sort((a, b) =>
    a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
  );
}

/** How many times each payer (lower-case address) paid the shop in `receipts`. */
export function visitsByPayer(receipts: readonly Receipt[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const r of receipts) count.set(r.payer.toLowerCase(), (count.get(r.payer.toLowerCase()) ?? 0) + 1);
  return count;
}

export { buildReceipts, netAmount, type Receipt } from "@core/history/shopReceipts";

export interface DayTotal {
  /** Local date, YYYY-MM-DD. */
  date: string;
  fen: bigint;
  count: number;
}

export interface ReceiptTotals {
  today: { fen: bigint; count: number };
  /** The current week, Monday to today (the Chinese working week starts on Monday). */
  week: { fen: bigint; count: number };
  /** The last 7 days, oldest first, for the chart. */
  lastSevenDays: DayTotal[];
}

function localDate(timestamp: number, utcOffsetMinutes: number): string {
  return new Date((timestamp + utcOffsetMinutes * 60) * 1000).toISOString().slice(0, 10);
}

/**
 * Totals by local day. `utcOffsetMinutes` is the shop's offset from UTC (Hefei: +480); the
 * default is the browser's.
 */
export function receiptTotals(
  receipts: readonly Receipt[],
  nowSeconds: number,
  utcOffsetMinutes: number = -new Date(nowSeconds * 1000).getTimezoneOffset(),
): ReceiptTotals {
  const DAY = 86_400;
  const days: DayTotal[] = [];
  for (let back = 6; back >= 0; back--) {
    days.push({ date: localDate(nowSeconds - back * DAY, utcOffsetMinutes), fen: 0n, count: 0 });
  }
  const byDate = new Map(days.map((d) => [d.date, d]));
  const today = days[days.length - 1].date;
  // Monday of this week: getUTCDay on the shifted time is the local weekday (0 = Sunday).
  const weekday = new Date((nowSeconds + utcOffsetMinutes * 60) * 1000).getUTCDay();
  const sinceMonday = (weekday + 6) % 7;
  const weekStart = localDate(nowSeconds - sinceMonday * DAY, utcOffsetMinutes);
  const totals: ReceiptTotals = { today: { fen: 0n, count: 0 }, week: { fen: 0n, count: 0 }, lastSevenDays: days };
  for (const receipt of receipts) {
    const date = localDate(receipt.timestamp, utcOffsetMinutes);
    const fen = netAmount(receipt);
    const day = byDate.get(date);
    if (day) {
      day.fen += fen;
      day.count++;
    }
    if (date === today) {
      totals.today.fen += fen;
      totals.today.count++;
    }
    if (date >= weekStart && date <= today) {
      totals.week.fen += fen;
      totals.week.count++;
    }
  }
  return totals;
}

export interface ReceiptCsvHeadings {
  time: string;
  payer: string;
  amount: string;
  refunded: string;
  net: string;
  orderRef: string;
  voucher: string;
  discount: string;
  transaction: string;
}

/** UTF-8 with BOM (Excel shows Chinese), CRLF rows, amounts in 元 with two decimals. */
export function receiptsCsv(
  receipts: readonly Receipt[],
  headings: ReceiptCsvHeadings,
  utcOffsetMinutes?: number,
): string {
  const header = [
    headings.time,
    headings.payer,
    headings.amount,
    headings.refunded,
    headings.net,
    headings.orderRef,
    headings.voucher,
    headings.discount,
    headings.transaction,
  ].map((h) => csvCell(h));
  const rows = receipts.map((r) =>
    [
      csvCell(isoDate(r.timestamp, utcOffsetMinutes), "number"),
      csvCell(r.payer, "number"),
      csvCell(fenToInput(r.amount), "number"),
      csvCell(fenToInput(r.refunded), "number"),
      csvCell(fenToInput(netAmount(r)), "number"),
      csvCell(displayOrderRef(r.orderRef)),
      csvCell(r.voucher ? r.voucher.campaignId.toString() : "", "number"),
      csvCell(r.voucher ? fenToInput(r.voucher.discount) : "", "number"),
      csvCell(r.transactionHash, "number"),
    ].join(","),
  );
  return `${CSV_BOM}${[header.join(","), ...rows].join("\r\n")}\r\n`;
}
