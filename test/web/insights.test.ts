// The shop's insights (core/insights.ts), on seeded receipts: returning customers and their share,
// busy hours on Hefei (Asia/Shanghai) days and hours, the average ticket, and a voucher campaign's
// uplift against the weeks before it; with the edge cases: no receipts, one customer, refunds, a
// campaign with no earlier weeks, and receipts on either side of Hefei midnight and Monday.
import { describe, expect, it } from "vitest";
import {
  busyBlocks,
  hefeiDate,
  hefeiHour,
  hefeiWeekday,
  hefeiWeekStart,
  type InsightReceipt,
  shopInsights,
  WEEK_S,
} from "../../core/insights";

/** Unix seconds of a Hefei wall-clock time (UTC+8). */
const hefei = (y: number, m: number, d: number, h = 0, min = 0, s = 0) =>
  Date.UTC(y, m - 1, d, h, min, s) / 1000 - 8 * 3600;

// Monday 2026-12-07, 15:00 in Hefei.
const NOW = hefei(2026, 12, 7, 15);
const sale = (payer: string, yuan: number, timestamp: number, campaignId?: bigint): InsightReceipt => ({
  payer,
  fen: BigInt(Math.round(yuan * 100)),
  timestamp,
  campaignId,
});

describe("Hefei time", () => {
  it("puts days, hours and weeks on Hefei's clock, not UTC's", () => {
    // 23:59:59 Sunday in Hefei is 15:59:59 UTC the same Sunday; 00:00 Monday is 16:00 UTC Sunday.
    const sundayLate = hefei(2026, 12, 6, 23, 59, 59);
    const mondayMidnight = hefei(2026, 12, 7, 0, 0, 0);
    expect(new Date(mondayMidnight * 1000).toISOString()).toBe("2026-12-06T16:00:00.000Z");
    expect([hefeiWeekday(sundayLate), hefeiHour(sundayLate), hefeiDate(sundayLate)]).toEqual([6, 23, "2026-12-06"]);
    expect([hefeiWeekday(mondayMidnight), hefeiHour(mondayMidnight), hefeiDate(mondayMidnight)]).toEqual([
      0,
      0,
      "2026-12-07",
    ]);
    expect(hefeiWeekStart(NOW)).toBe(mondayMidnight);
    expect(hefeiWeekStart(sundayLate)).toBe(hefei(2026, 11, 30));
    expect(hefeiWeekStart(NOW, 3)).toBe(mondayMidnight - 3 * WEEK_S);
  });
});

describe("shopInsights", () => {
  it("says nothing it does not know: no receipts", () => {
    const i = shopInsights({ receipts: [], now: NOW, weeks: 1, campaigns: [] });
    expect(i.sales).toEqual({ fen: 0n, count: 0 });
    expect(i.averageTicketFen).toBeNull();
    expect(i.customers).toBe(0);
    expect(i.returning).toEqual({ customers: 0, fen: 0n, sharePercent: null });
    expect(i.busiest).toBeNull();
    expect(i.busyHours.flat().every((n) => n === 0)).toBe(true);
    expect(i.busyHours).toHaveLength(7);
    expect(i.busyHours[0]).toHaveLength(24);
    expect(i.campaigns).toEqual([]);
    expect(i.regulars).toEqual([]);
  });

  it("one customer, once: a customer, not a returning one; twice the same day: still not", () => {
    const once = shopInsights({
      receipts: [sale("a", 12.5, hefei(2026, 12, 7, 9))],
      now: NOW,
      weeks: 1,
      campaigns: [],
    });
    expect(once.customers).toBe(1);
    expect(once.returning.customers).toBe(0);
    expect(once.returning.sharePercent).toBe(0);
    expect(once.averageTicketFen).toBe(1250n);
    const twiceToday = shopInsights({
      receipts: [sale("a", 10, hefei(2026, 12, 7, 9)), sale("a", 20, hefei(2026, 12, 7, 12))],
      now: NOW,
      weeks: 1,
      campaigns: [],
    });
    expect(twiceToday.customers).toBe(1);
    expect(twiceToday.returning.customers).toBe(0);
    expect(twiceToday.averageTicketFen).toBe(1500n);
  });

  it("counts returning customers across Hefei midnight, with earlier weeks, and their share of revenue", () => {
    const receipts = [
      // a: Sunday 23:59 (last week, Hefei) and Monday 00:00 (this week): two Hefei days → returning.
      sale("a", 30, hefei(2026, 12, 6, 23, 59, 59)),
      sale("a", 10, hefei(2026, 12, 7, 0, 0, 0)),
      // b: twice this Monday, same Hefei day (07:30 Hefei is 23:30 UTC the day before): not returning.
      sale("b", 20, hefei(2026, 12, 7, 7, 30)),
      sale("b", 20, hefei(2026, 12, 7, 8, 0)),
      // c: a month ago and today → returning.
      sale("c", 50, hefei(2026, 11, 2, 12)),
      sale("c", 20, hefei(2026, 12, 7, 12, 10)),
      // d: refunded in full today: no sale, no customer.
      { payer: "d", fen: 0n, timestamp: hefei(2026, 12, 7, 13) },
      // e: after `now`: not counted.
      sale("e", 99, NOW + 60),
    ];
    const i = shopInsights({ receipts, now: NOW, weeks: 1, campaigns: [] });
    expect(i.period).toEqual({ start: hefei(2026, 12, 7), end: NOW, weeks: 1 });
    expect(i.sales).toEqual({ fen: 7000n, count: 4 });
    expect(i.customers).toBe(2 + 1); // a, b, c
    expect(i.returning.customers).toBe(2); // a, c
    expect(i.returning.fen).toBe(3000n); // a's 10 + c's 20, this week only
    expect(i.returning.sharePercent).toBe(43); // 30 / 70 = 42.86 %
    expect(i.averageTicketFen).toBe(1750n);
    expect(i.regulars).toEqual([
      { payer: "c", days: 2, count: 1, fen: 2000n },
      { payer: "a", days: 2, count: 1, fen: 1000n },
    ]);
    // Monday: 00h one, 07h one, 08h one, 12h one.
    expect(i.busyHours[0]?.[0]).toBe(1);
    expect(i.busyHours[0]?.[7]).toBe(1);
    expect(i.busyHours[0]?.[8]).toBe(1);
    expect(i.busyHours[0]?.[12]).toBe(1);
    expect(i.busyHours.flat().reduce((s, n) => s + n, 0)).toBe(4);

    // Two weeks: Sunday's sale is in, at weekday 6 hour 23.
    const two = shopInsights({ receipts, now: NOW, weeks: 2, campaigns: [] });
    expect(two.period.start).toBe(hefei(2026, 11, 30));
    expect(two.sales).toEqual({ fen: 10000n, count: 5 });
    expect(two.busyHours[6]?.[23]).toBe(1);
    expect(two.returning.fen).toBe(6000n);
    expect(two.returning.sharePercent).toBe(60);
  });

  it("finds the busiest hour and folds the grid into 4-hour blocks", () => {
    const receipts = [
      sale("a", 5, hefei(2026, 12, 5, 12, 5)), // Saturday 12h
      sale("b", 5, hefei(2026, 12, 5, 12, 50)),
      sale("c", 5, hefei(2026, 12, 5, 18)),
      sale("d", 5, hefei(2026, 12, 1, 7)), // Tuesday 7h
    ];
    const i = shopInsights({ receipts, now: NOW, weeks: 2, campaigns: [] });
    expect(i.busiest).toEqual({ weekday: 5, hour: 12, count: 2 });
    const blocks = busyBlocks(i.busyHours);
    expect(blocks).toHaveLength(7);
    expect(blocks[5]).toEqual([0, 0, 0, 2, 1, 0]);
    expect(blocks[1]).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it("measures a campaign's uplift against as many whole weeks before it as it lasts", () => {
    const registered = hefei(2026, 10, 1);
    const start = hefei(2026, 11, 23, 10); // a 10-day campaign: 2 weeks compared
    const end = start + 10 * 86_400;
    const receipts = [
      // Before: 14 days from 2026-11-09 10:00 to 11-23 10:00: 140 元 → 10 元/day.
      sale("a", 70, hefei(2026, 11, 10, 9)),
      sale("b", 70, hefei(2026, 11, 20, 9)),
      // Older than the two weeks: not compared.
      sale("c", 500, hefei(2026, 11, 9, 9)),
      // During: 10 days, 150 元 → 15 元/day → +50 %.
      sale("a", 100, start + 60, 1n),
      sale("d", 50, end, 1n), // the end's own second is in
    ];
    const i = shopInsights({
      receipts,
      now: NOW,
      weeks: 1,
      historyStart: registered,
      campaigns: [{ id: 1n, start, end }],
    });
    expect(i.campaigns).toHaveLength(1);
    const c = i.campaigns[0];
    expect(c?.days).toBe(10);
    expect(c?.running).toBe(false);
    expect(c?.sales).toEqual({ fen: 15000n, count: 2 });
    expect(c?.before).toEqual({ start: start - 2 * WEEK_S, end: start, weeks: 2, fen: 14000n, count: 2 });
    expect(c?.perDayFen).toBe(1500);
    expect(c?.perDayBeforeFen).toBe(1000);
    expect(c?.upliftPercent).toBe(50);
  });

  it("a running campaign is measured up to now; one not begun is left out", () => {
    const start = hefei(2026, 12, 4, 15); // 3 days before NOW
    const i = shopInsights({
      receipts: [sale("a", 30, hefei(2026, 12, 1, 9)), sale("b", 30, hefei(2026, 12, 5, 9), 2n)],
      now: NOW,
      weeks: 1,
      historyStart: hefei(2026, 1, 1),
      campaigns: [
        { id: 2n, start, end: NOW + 10 * 86_400 },
        { id: 3n, start: NOW + 86_400, end: NOW + 5 * 86_400 },
      ],
    });
    expect(i.campaigns.map((c) => c.id)).toEqual([2n]);
    const c = i.campaigns[0];
    expect(c?.running).toBe(true);
    expect(c?.end).toBe(NOW);
    expect(c?.days).toBe(3);
    expect(c?.before?.weeks).toBe(1);
    expect(c?.before?.fen).toBe(3000n);
    // 10 元/day during against 30/7 元/day before.
    expect(c?.upliftPercent).toBe(133);
  });

  it("a campaign with no whole week before it (a new shop) or no earlier sales has no uplift", () => {
    const registered = hefei(2026, 12, 1, 9);
    const start = hefei(2026, 12, 3, 9);
    const noWeeks = shopInsights({
      receipts: [sale("a", 30, hefei(2026, 12, 2, 9)), sale("b", 40, hefei(2026, 12, 4, 9), 4n)],
      now: NOW,
      weeks: 1,
      historyStart: registered,
      campaigns: [{ id: 4n, start, end: start + 2 * 86_400 }],
    });
    expect(noWeeks.campaigns[0]?.before).toBeNull();
    expect(noWeeks.campaigns[0]?.upliftPercent).toBeNull();
    expect(noWeeks.campaigns[0]?.sales).toEqual({ fen: 4000n, count: 1 });
    expect(noWeeks.campaigns[0]?.perDayFen).toBe(2000); // 40 元 over 2 days
    // Begun an hour ago: a day's takings, not 24 times the hour's.
    const hour = shopInsights({
      receipts: [sale("b", 40, NOW - 60, 5n)],
      now: NOW,
      weeks: 1,
      campaigns: [{ id: 5n, start: NOW - 3600, end: NOW + 86_400 }],
    });
    expect(hour.campaigns[0]?.perDayFen).toBe(4000);
    expect(hour.campaigns[0]?.days).toBe(0);
    // Without a registration time, the shop's first receipt starts its history.
    const firstReceipt = shopInsights({
      receipts: [sale("b", 40, hefei(2026, 12, 4, 9), 4n)],
      now: NOW,
      weeks: 1,
      campaigns: [{ id: 4n, start, end: start + 2 * 86_400 }],
    });
    expect(firstReceipt.campaigns[0]?.before).toBeNull();
    // Weeks there, but empty: compared, no percentage.
    const empty = shopInsights({
      receipts: [sale("b", 40, hefei(2026, 12, 4, 9), 4n)],
      now: NOW,
      weeks: 1,
      historyStart: hefei(2026, 1, 1),
      campaigns: [{ id: 4n, start, end: start + 2 * 86_400 }],
    });
    expect(empty.campaigns[0]?.before).toEqual({ start: start - WEEK_S, end: start, weeks: 1, fen: 0n, count: 0 });
    expect(empty.campaigns[0]?.perDayBeforeFen).toBe(0);
    expect(empty.campaigns[0]?.upliftPercent).toBeNull();
  });
});
