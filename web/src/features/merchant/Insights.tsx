// The shop's 经营分析 / Insights: returning customers, busy hours, average payment and voucher
// campaign uplift, in plain words. Computed in the browser by core/insights.ts (the same function
// the city service's API uses) from the receipts this page already reads from the chain: nothing
// about the shop's customers is sent anywhere, and only counts are shown, never who paid.
import { busyBlocks, hefeiDate, type InsightReceipt, shopInsights } from "@core/insights";
import { formatFen } from "@core/money";
import { merchantRegistryAbi, vouchersAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { cityChain } from "../../chain";
import { deployment } from "../../contracts";
import { insightsMessages } from "../../i18n/messages/insights";
import { useT } from "../../i18n/useT";
import { netAmount, type Receipt } from "./receipts";

const BLOCK_HOURS = 4;
const BLOCK_STARTS = Array.from({ length: 24 / BLOCK_HOURS }, (_, b) => b * BLOCK_HOURS);

/** "2026-12-07" → "12月7日" / "7 Dec" is left to the words around it: month and day only. */
const shortDate = (timestamp: number) => {
  const [, m, d] = hefeiDate(timestamp).split("-");
  return `${Number(m)}/${Number(d)}`;
};

export function Insights({
  shop,
  receipts,
  chainNow,
}: {
  shop: Address;
  receipts: Receipt[];
  /** The newest block's time the page has seen (seconds): "now" when the chain runs ahead of the clock. */
  chainNow?: number;
}) {
  const t = useT(insightsMessages);
  const config = useConfig();
  const [weeks, setWeeks] = useState<1 | 4>(1);
  const campaignIds = useMemo(
    () => [...new Set(receipts.flatMap((r) => (r.voucher ? [r.voucher.campaignId.toString()] : [])))].sort(),
    [receipts],
  );
  // Each campaign's dates and the shop's registration: public facts read from the chain.
  const facts = useQuery({
    queryKey: ["shopInsightFacts", shop, campaignIds.join(",")],
    enabled: Boolean(deployment),
    queryFn: async () => {
      if (!deployment) return { registeredAt: undefined, campaigns: [] };
      const contracts = deployment.contracts;
      const record = await readContract(config, {
        address: contracts.MerchantRegistry,
        abi: merchantRegistryAbi,
        functionName: "merchantOf",
        args: [shop],
        chainId: cityChain.id,
      });
      const campaigns = await Promise.all(
        campaignIds.map(async (id) => {
          const view = await readContract(config, {
            address: contracts.Vouchers,
            abi: vouchersAbi,
            functionName: "campaign",
            args: [BigInt(id)],
            chainId: cityChain.id,
          });
          return { id: BigInt(id), start: Number(view.startsAt), end: Number(view.endsAt) };
        }),
      );
      return { registeredAt: record.registeredAt === 0n ? undefined : Number(record.registeredAt), campaigns };
    },
  });

  const now = Math.max(Math.floor(Date.now() / 1000), chainNow ?? 0);
  const insights = useMemo(() => {
    const sales: InsightReceipt[] = receipts.map((r) => ({
      payer: r.payer.toLowerCase(),
      fen: netAmount(r),
      timestamp: r.timestamp,
      campaignId: r.voucher?.campaignId,
    }));
    return shopInsights({
      receipts: sales,
      now,
      weeks,
      historyStart: facts.data?.registeredAt,
      campaigns: facts.data?.campaigns ?? [],
    });
  }, [receipts, now, weeks, facts.data]);

  const period = weeks === 1 ? t("periodWeek") : t("periodFour");
  const dayShort = t("weekdays").split(",");
  const dayName = t("weekdayNames").split(",");
  const blocks = busyBlocks(insights.busyHours, BLOCK_HOURS);
  const most = Math.max(1, ...blocks.flat());
  const money = (fen: bigint | number) => formatFen(BigInt(fen));

  return (
    <section className="card insights" aria-labelledby="insights-title" data-weeks={weeks}>
      <h2 id="insights-title">{t("title")}</h2>
      <p className="hint">{t("intro")}</p>
      <div className="button-row insights-period">
        {([1, 4] as const).map((w) => (
          <button
            key={w}
            type="button"
            className={weeks === w ? "primary" : "secondary"}
            aria-pressed={weeks === w}
            onClick={() => setWeeks(w)}
          >
            {w === 1 ? t("periodWeek") : t("periodFour")}
          </button>
        ))}
      </div>
      <p className="hint" data-testid="insights-period">
        {t("periodName", { period, from: hefeiDate(insights.period.start), to: hefeiDate(insights.period.end) })}
      </p>

      <p className="insights-headline" data-testid="insights-returning">
        {insights.sales.count === 0
          ? t("returningNone", { period })
          : t("returningLine", {
              period,
              count: insights.returning.customers,
              share: insights.returning.sharePercent ?? 0,
            })}
      </p>
      {insights.sales.count > 0 && (
        <p data-testid="insights-customers">{t("customersLine", { count: insights.customers })}</p>
      )}
      <dl className="totals">
        <div>
          <dt>{t("sales")}</dt>
          <dd data-testid="insights-sales">
            {t("salesValue", { amount: money(insights.sales.fen), count: insights.sales.count })}
          </dd>
        </div>
        <div>
          <dt>{t("ticket")}</dt>
          <dd data-testid="insights-ticket">
            {insights.averageTicketFen === null ? t("ticketNone") : money(insights.averageTicketFen)}
          </dd>
        </div>
      </dl>
      <p className="hint">{t("returningHint")}</p>

      <h3>{t("busyTitle")}</h3>
      <p data-testid="insights-busiest">
        {insights.busiest === null
          ? t("busyNone")
          : t("busiest", {
              day: dayName[insights.busiest.weekday] ?? "",
              from: insights.busiest.hour,
              to: insights.busiest.hour + 1,
              count: insights.busiest.count,
            })}
      </p>
      <table className="busy-grid" data-testid="insights-busy">
        <caption className="hint">{t("busyCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("hourUnit")}</th>
            {dayShort.map((d, i) => (
              <th key={dayName[i]} scope="col" abbr={dayName[i]}>
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {BLOCK_STARTS.map((start, b) => (
            <tr key={start}>
              <th scope="row">{t("hours", { from: b * BLOCK_HOURS, to: (b + 1) * BLOCK_HOURS })}</th>
              {blocks.map((row, w) => {
                const n = row[b] ?? 0;
                return (
                  <td
                    key={dayName[w]}
                    data-day={w}
                    data-block={b}
                    style={{ "--heat": n / most } as React.CSSProperties}
                    className={n > 0 ? "busy" : undefined}
                  >
                    {n > 0 ? n : ""}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t("campaignsTitle")}</h3>
      {insights.campaigns.length === 0 ? (
        <p>{t("campaignsNone")}</p>
      ) : (
        <ul className="insights-campaigns">
          {insights.campaigns.map((c) => (
            <li key={c.id.toString()} data-campaign={c.id.toString()}>
              <p>
                <strong>
                  {t("campaignName", {
                    id: c.id.toString(),
                    from: shortDate(c.start),
                    to: shortDate(c.end),
                    days: Math.max(1, Math.ceil(c.days)),
                    running: c.running ? t("running") : "",
                  })}
                </strong>
              </p>
              <p>
                {t("campaignSales", { amount: money(c.sales.fen), count: c.sales.count, perDay: money(c.perDayFen) })}
              </p>
              {c.before === null ? (
                <p data-testid="insights-uplift">{t("noWeeksBefore")}</p>
              ) : (
                <>
                  <p>
                    {t("campaignBefore", {
                      weeks: c.before.weeks,
                      from: shortDate(c.before.start),
                      to: shortDate(c.before.end - 1),
                      perDay: money(c.perDayBeforeFen ?? 0),
                    })}
                  </p>
                  <p data-testid="insights-uplift">
                    {c.upliftPercent === null
                      ? t("noSalesBefore")
                      : c.upliftPercent > 0
                        ? t("upliftUp", { percent: c.upliftPercent })
                        : c.upliftPercent < 0
                          ? t("upliftDown", { percent: -c.upliftPercent })
                          : t("upliftSame")}
                  </p>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="hint">{t("campaignHint")}</p>
    </section>
  );
}
