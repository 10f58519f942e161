// A shop's insights from its own receipts on chain (issue 25): returning customers (how many, and
// their share of revenue), busy hours by weekday, the average ticket, and the uplift of each voucher
// campaign used at the shop. One pure function, shared by the city service's merchant API
// (GET /api/v1/insights) and the dApp's 经营分析 view, so both say the same figures.
//
// Definitions (Asia/Shanghai, UTC+8 all year: days start at 00:00 Hefei time, weeks on Monday):
// - a sale is a receipt net of what was refunded of it; a receipt refunded in full is no sale;
// - the period is `weeks` Hefei weeks: from Monday 00:00 of the week `weeks - 1` before the current
//   one, up to `now`;
// - a customer (payer) is returning when they bought in the period and have bought at this shop on
//   at least two different Hefei days (days before the period count). Their share of revenue is
//   all their sales in the period over all sales in the period;
// - the average ticket is the period's sales over their number;
// - busy hours: sales counted by Hefei weekday (Monday first) and hour (0–23) in the period;
// - a campaign's uplift: its window runs from its start to its end (or `now`, while it runs). It
//   is compared with the whole weeks just before its start, as many as the window has (rounded up),
//   but never weeks before the shop could sell (`historyStart`). Uplift is the sales per day during
//   the window over the sales per day in those weeks, minus one, in percent; none when there are no
//   earlier weeks or they had no sales. A window shorter than a day counts as one day (a campaign
//   begun an hour ago is not extrapolated to a whole day's takings).
// Payers are opaque keys here: the service hands in per-shop pseudonyms, never names.

export const HEFEI_OFFSET_S = 8 * 3600;
export const DAY_S = 86_400;
export const WEEK_S = 7 * DAY_S;

export interface InsightReceipt {
  /** Who paid: an opaque key (an address in the dApp, a per-shop pseudonym in the service). */
  payer: string;
  /** Net of refunds, fen. */
  fen: bigint;
  /** Block time, unix seconds. */
  timestamp: number;
  /** The voucher campaign that paid part of it, if any. */
  campaignId?: bigint;
}

export interface CampaignWindow {
  id: bigint;
  /** Unix seconds. */
  start: number;
  end: number;
}

export interface InsightsInput {
  receipts: readonly InsightReceipt[];
  /** Unix seconds. */
  now: number;
  /** Hefei weeks in the period, the current one included (1 = this week). */
  weeks: number;
  /** When the shop could first sell (its registration); unknown: its first receipt. */
  historyStart?: number;
  campaigns: readonly CampaignWindow[];
}

export interface CampaignUplift {
  id: bigint;
  start: number;
  /** The window's end: the campaign's end, or now while it runs. */
  end: number;
  running: boolean;
  days: number;
  sales: { fen: bigint; count: number };
  /** The weeks compared; null when the shop has no whole week before the campaign. */
  before: { start: number; end: number; weeks: number; fen: bigint; count: number } | null;
  /** Sales per day, fen (rounded). */
  perDayFen: number;
  perDayBeforeFen: number | null;
  /** Whole percent; null without earlier weeks or when they had no sales. */
  upliftPercent: number | null;
}

export interface ShopInsights {
  period: { start: number; end: number; weeks: number };
  sales: { fen: bigint; count: number };
  averageTicketFen: bigint | null;
  customers: number;
  returning: { customers: number; fen: bigint; sharePercent: number | null };
  /** The returning customers who spent most in the period (at most 5), by their key. */
  regulars: { payer: string; days: number; count: number; fen: bigint }[];
  /** [weekday 0 = Monday … 6 = Sunday][hour 0–23]: sales counted. */
  busyHours: number[][];
  busiest: { weekday: number; hour: number; count: number } | null;
  campaigns: CampaignUplift[];
}

/** Hefei day number (days since 1970-01-01 in UTC+8). */
export function hefeiDayNumber(timestamp: number): number {
  return Math.floor((timestamp + HEFEI_OFFSET_S) / DAY_S);
}

/** Hefei weekday, 0 = Monday … 6 = Sunday. */
export function hefeiWeekday(timestamp: number): number {
  // Day 0 (1970-01-01) was a Thursday: weekday 3.
  return (((hefeiDayNumber(timestamp) + 3) % 7) + 7) % 7;
}

export function hefeiHour(timestamp: number): number {
  return Math.floor(((((timestamp + HEFEI_OFFSET_S) % DAY_S) + DAY_S) % DAY_S) / 3600);
}

/** Hefei date YYYY-MM-DD of a unix second. */
export function hefeiDate(timestamp: number): string {
  return new Date((timestamp + HEFEI_OFFSET_S) * 1000).toISOString().slice(0, 10);
}

/** Monday 00:00 Hefei time of the week `weeksBack` before the one holding `now`, unix seconds. */
export function hefeiWeekStart(now: number, weeksBack = 0): number {
  const dayStart = hefeiDayNumber(now) * DAY_S - HEFEI_OFFSET_S;
  return dayStart - hefeiWeekday(now) * DAY_S - weeksBack * WEEK_S;
}

const percent = (part: bigint, whole: bigint): number | null =>
  whole <= 0n ? null : Number((part * 200n + whole) / (whole * 2n));

export function shopInsights(input: InsightsInput): ShopInsights {
  const { now } = input;
  const weeks = Math.max(1, Math.floor(input.weeks));
  const sales = input.receipts.filter((r) => r.fen > 0n && r.timestamp <= now);
  const start = hefeiWeekStart(now, weeks - 1);
  const inPeriod = sales.filter((r) => r.timestamp >= start);

  const total = inPeriod.reduce((s, r) => s + r.fen, 0n);
  const days = new Map<string, Set<number>>();
  for (const r of sales) {
    const set = days.get(r.payer) ?? new Set<number>();
    set.add(hefeiDayNumber(r.timestamp));
    days.set(r.payer, set);
  }
  const customers = new Set(inPeriod.map((r) => r.payer));
  const returningSet = new Set([...customers].filter((p) => (days.get(p)?.size ?? 0) >= 2));
  const returningFen = inPeriod.filter((r) => returningSet.has(r.payer)).reduce((s, r) => s + r.fen, 0n);

  const spent = new Map<string, { count: number; fen: bigint }>();
  for (const r of inPeriod) {
    if (!returningSet.has(r.payer)) continue;
    const s = spent.get(r.payer) ?? { count: 0, fen: 0n };
    spent.set(r.payer, { count: s.count + 1, fen: s.fen + r.fen });
  }
  const regulars = [...spent]
    .map(([payer, s]) => ({ payer, days: days.get(payer)?.size ?? 0, ...s }))
    .sort((a, b) => (a.fen === b.fen ? b.days - a.days : a.fen > b.fen ? -1 : 1))
    .slice(0, 5);

  const busyHours = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  let busiest: ShopInsights["busiest"] = null;
  for (const r of inPeriod) {
    const w = hefeiWeekday(r.timestamp);
    const h = hefeiHour(r.timestamp);
    const row = busyHours[w] as number[];
    row[h] = (row[h] ?? 0) + 1;
  }
  for (let w = 0; w < 7; w++)
    for (let h = 0; h < 24; h++) {
      const count = (busyHours[w] as number[])[h] as number;
      if (count > 0 && (busiest === null || count > busiest.count)) busiest = { weekday: w, hour: h, count };
    }

  const firstSale = sales.reduce((m, r) => Math.min(m, r.timestamp), Number.POSITIVE_INFINITY);
  const historyStart = input.historyStart ?? (Number.isFinite(firstSale) ? firstSale : now);
  const sum = (from: number, to: number) => {
    let fen = 0n;
    let count = 0;
    for (const r of sales)
      if (r.timestamp >= from && r.timestamp < to) {
        fen += r.fen;
        count++;
      }
    return { fen, count };
  };
  const campaigns: CampaignUplift[] = [];
  for (const c of [...input.campaigns].sort((a, b) => b.start - a.start)) {
    const end = Math.min(c.end, now);
    if (c.start >= end) continue; // not begun yet
    const span = end - c.start;
    const during = sum(c.start, end + 1); // the end's own second included
    const wanted = Math.max(1, Math.ceil(span / WEEK_S));
    const available = Math.max(0, Math.floor((c.start - historyStart) / WEEK_S));
    const n = Math.min(wanted, available);
    const perDay = Math.max(1, span / DAY_S);
    const perDayFen = Math.round(Number(during.fen) / perDay);
    let before: CampaignUplift["before"] = null;
    let perDayBeforeFen: number | null = null;
    let upliftPercent: number | null = null;
    if (n > 0) {
      const from = c.start - n * WEEK_S;
      before = { start: from, end: c.start, weeks: n, ...sum(from, c.start) };
      perDayBeforeFen = Math.round(Number(before.fen) / (n * 7));
      if (before.fen > 0n) {
        const ratio = Number(during.fen) / perDay / (Number(before.fen) / (n * 7));
        upliftPercent = Math.round((ratio - 1) * 100);
      }
    }
    campaigns.push({
      id: c.id,
      start: c.start,
      end,
      running: c.end > now,
      days: Math.round((span / DAY_S) * 10) / 10,
      sales: during,
      before,
      perDayFen,
      perDayBeforeFen,
      upliftPercent,
    });
  }

  return {
    period: { start, end: now, weeks },
    sales: { fen: total, count: inPeriod.length },
    averageTicketFen: inPeriod.length === 0 ? null : total / BigInt(inPeriod.length),
    customers: customers.size,
    returning: { customers: returningSet.size, fen: returningFen, sharePercent: percent(returningFen, total) },
    regulars,
    busyHours,
    busiest,
    campaigns,
  };
}

/** The busy-hours grid folded into blocks of `hours` (4: 0–4, 4–8 … 20–24), for narrow screens. */
export function busyBlocks(grid: readonly (readonly number[])[], hours = 4): number[][] {
  return grid.map((row) =>
    Array.from({ length: Math.ceil(24 / hours) }, (_, b) =>
      row.slice(b * hours, b * hours + hours).reduce((s, n) => s + n, 0),
    ),
  );
}
