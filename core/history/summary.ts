// What the history page computes from entries, all in the browser: each entry's category, the
// filters, and the monthly totals per category the chart and its table show. Pure functions over
// newest-first entries; the vouchers page ranks campaigns from the same spending figures.
import type { Address } from "viem";
import type { MerchantCategory } from "../enums.js";
import { type HistoryEntry, type HistoryKind, signedAmount } from "./assemble.js";

export type HistoryCategory = MerchantCategory | "transfer" | "redPacket" | "topUp" | "cashOut";

/** The merchant category of an address when it is a registered merchant. */
export type MerchantLookup = (address: Address) => MerchantCategory | undefined;

/**
 * Payments, voucher checkouts and refunds take the merchant's registered category ("other" for an
 * address the registry does not know); everything else has a category of its own kind.
 */
export function categoryOf(entry: HistoryEntry, merchantCategory: MerchantLookup): HistoryCategory {
  switch (entry.kind) {
    case "payment":
    case "voucherPayment":
    case "refund":
      return (entry.counterparty && merchantCategory(entry.counterparty)) || "other";
    case "transfer":
      return "transfer";
    case "redPacketSent":
    case "redPacketClaimed":
    case "redPacketRefunded":
      return "redPacket";
    case "topUp":
      return "topUp";
    case "cashOut":
      return "cashOut";
  }
}

/** Month of a unix time as "YYYY-MM" in the given offset from UTC (minutes; Hefei is +480). */
export function monthKey(timestamp: number, utcOffsetMinutes: number = localOffsetMinutes(timestamp)): string {
  const shifted = new Date((timestamp + utcOffsetMinutes * 60) * 1000);
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function localOffsetMinutes(timestamp: number): number {
  return -new Date(timestamp * 1000).getTimezoneOffset();
}

export type MonthTotals = {
  month: string;
  /** What went out per category, net of refunds and of packets refunded to me; top-ups and
   * cash-outs are not spending and are left out. */
  spending: Partial<Record<HistoryCategory, bigint>>;
  totalSpending: bigint;
  totalIn: bigint;
  totalOut: bigint;
};

/** Kinds that count against a category's spending (negative for money coming back). */
function spendingEffect(entry: HistoryEntry): bigint {
  switch (entry.kind) {
    case "payment":
    case "voucherPayment":
    case "transfer":
    case "redPacketSent":
      return entry.direction === "out" ? entry.amount : 0n;
    case "refund":
    case "redPacketRefunded":
      return entry.direction === "in" ? -entry.amount : 0n;
    default:
      return 0n;
  }
}

/** Monthly totals, newest month first. */
export function monthlyTotals(
  entries: readonly HistoryEntry[],
  categories: (entry: HistoryEntry) => HistoryCategory,
  utcOffsetMinutes?: number,
): MonthTotals[] {
  const months = new Map<string, MonthTotals>();
  for (const entry of entries) {
    const month = monthKey(entry.timestamp, utcOffsetMinutes);
    let totals = months.get(month);
    if (!totals) {
      totals = { month, spending: {}, totalSpending: 0n, totalIn: 0n, totalOut: 0n };
      months.set(month, totals);
    }
    if (entry.direction === "in") totals.totalIn += entry.amount;
    else totals.totalOut += entry.amount;
    const effect = spendingEffect(entry);
    if (effect !== 0n) {
      const category = categories(entry);
      totals.spending[category] = (totals.spending[category] ?? 0n) + effect;
      totals.totalSpending += effect;
    }
  }
  return [...months.values()].sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0));
}

/** Spending per merchant category over all entries: the input of the vouchers ranking. */
export function spendingByCategory(
  entries: readonly HistoryEntry[],
  categories: (entry: HistoryEntry) => HistoryCategory,
): Partial<Record<HistoryCategory, bigint>> {
  const totals: Partial<Record<HistoryCategory, bigint>> = {};
  for (const entry of entries) {
    const effect = spendingEffect(entry);
    if (effect === 0n) continue;
    const category = categories(entry);
    totals[category] = (totals[category] ?? 0n) + effect;
  }
  return totals;
}

export type HistoryFilter = {
  kind?: HistoryKind | "";
  category?: HistoryCategory | "";
  /** "YYYY-MM" */
  month?: string;
  /** Matches the counterparty's name or address, the order reference or the greeting. */
  text?: string;
};

/** The words a text search looks at for an entry (names, address, order reference, greeting). */
export type SearchText = (entry: HistoryEntry) => string;

export function filterEntries(
  entries: readonly HistoryEntry[],
  filter: HistoryFilter,
  categories: (entry: HistoryEntry) => HistoryCategory,
  searchText: SearchText,
  utcOffsetMinutes?: number,
): HistoryEntry[] {
  const needle = filter.text?.trim().toLowerCase() ?? "";
  if (!filter.kind && !filter.category && !filter.month && !needle) return entries as HistoryEntry[];
  return entries.filter(
    (entry) =>
      (!filter.kind || entry.kind === filter.kind) &&
      (!filter.category || categories(entry) === filter.category) &&
      (!filter.month || monthKey(entry.timestamp, utcOffsetMinutes) === filter.month) &&
      (!needle || searchText(entry).toLowerCase().includes(needle)),
  );
}

/** Net effect of a set of entries on the balance. */
export function netAmount(entries: readonly HistoryEntry[]): bigint {
  let sum = 0n;
  for (const entry of entries) sum += signedAmount(entry);
  return sum;
}
