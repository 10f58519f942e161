// Monthly spending per category: plain SVG bars for one month (each bar labelled with its
// category and amount in text, so nothing depends on colour), and the same figures for every
// month in a table for screen readers and anyone who prefers numbers.

import type { HistoryCategory, MonthTotals } from "@core/history/summary";
import { formatFen } from "@core/money";
import { useId } from "react";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { historyMessages } from "../../i18n/messages/history";
import { useT } from "../../i18n/useT";

const BAR_H = 28;
const GAP = 10;
const LABEL_W = 96;
const VALUE_W = 110;
const WIDTH = 440;

export function MonthlyChart({
  months,
  month,
  onMonth,
  categoryLabel,
}: {
  months: readonly MonthTotals[];
  month: string;
  onMonth: (month: string) => void;
  categoryLabel: (c: HistoryCategory) => string;
}) {
  const t = useT(historyMessages);
  const titleId = useId();
  const descId = useId();
  const selectId = useId();
  const current = months.find((m) => m.month === month) ?? months[0];
  if (!current) return null;
  const bars = (Object.entries(current.spending) as [HistoryCategory, bigint][])
    .filter(([, fen]) => fen > 0n)
    .sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
  let max = 1n;
  for (const [, fen] of bars) if (fen > max) max = fen;
  const height = Math.max(1, bars.length) * (BAR_H + GAP);
  const barSpace = WIDTH - LABEL_W - VALUE_W;

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t("chartTitle")}</h2>
      <label className="field" htmlFor={selectId}>
        <span>{t("chartMonth")}</span>
        <select id={selectId} value={current.month} onChange={(e) => onMonth(e.target.value)}>
          {months.map((m) => (
            <option key={m.month} value={m.month}>
              {m.month}
            </option>
          ))}
        </select>
      </label>
      <p id={descId}>
        {bars.length > 0
          ? t("chartDesc", { month: current.month, total: formatFen(current.totalSpending) })
          : t("chartNoSpending", { month: current.month })}
      </p>
      {bars.length > 0 && (
        <svg
          className="history-chart"
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title>{t("chartTitle")}</title>
          {bars.map(([category, fen], i) => {
            const y = i * (BAR_H + GAP);
            const w = Math.max(2, Number((fen * BigInt(Math.round(barSpace * 100))) / max) / 100);
            return (
              <g key={category}>
                <text x={0} y={y + BAR_H * 0.7} className="chart-label">
                  {categoryLabel(category)}
                </text>
                <rect x={LABEL_W} y={y} width={w} height={BAR_H} rx={4} className="chart-bar" />
                <text x={LABEL_W + w + 6} y={y + BAR_H * 0.7} className="chart-value">
                  {formatFen(fen)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <details>
        <summary>{t("chartTable")}</summary>
        <table className="history-table">
          <caption className="visually-hidden">{t("chartTitle")}</caption>
          <TableHead columns={[t("tableMonth"), t("tableCategory"), t("tableAmount")]} />
          <tbody>
            {months.flatMap((m) => [
              ...(Object.entries(m.spending) as [HistoryCategory, bigint][]).map(([category, fen]) => (
                <tr key={`${m.month}-${category}`}>
                  <th scope="row">{m.month}</th>
                  <td>{categoryLabel(category)}</td>
                  <td>
                    <Money fen={fen} />
                  </td>
                </tr>
              )),
              <tr key={`${m.month}-total`} className="total">
                <th scope="row">{m.month}</th>
                <td>{t("tableTotal")}</td>
                <td>
                  <Money fen={m.totalSpending} />
                </td>
              </tr>,
            ])}
          </tbody>
        </table>
      </details>
    </section>
  );
}
