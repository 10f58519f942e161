// Monthly spending per category: plain bars for one month (each bar labelled with its category
// and amount in text, so nothing depends on colour), and the same figures for every month in a
// table for screen readers and anyone who prefers numbers. The bars are HTML, not SVG: their
// words take the page's text size, so 关怀模式 shows them at 18 px and more (an SVG scaled to a
// 320 px phone drew its 14 px labels at about 9 px).

import type { HistoryCategory, MonthTotals } from "@core/history/summary";
import { formatFen } from "@core/money";
import { useId } from "react";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { historyMessages } from "../../i18n/messages/history";
import { useT } from "../../i18n/useT";

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
        <div className="history-chart" role="img" aria-labelledby={`${titleId} ${descId}`}>
          {bars.map(([category, fen]) => (
            <div key={category} className="chart-row">
              <span className="chart-label">{categoryLabel(category)}</span>
              <span className="chart-value">{formatFen(fen)}</span>
              <span className="chart-track" aria-hidden="true">
                <span className="chart-bar" style={{ width: `${Math.max(1, Number((fen * 10_000n) / max) / 100)}%` }} />
              </span>
            </div>
          ))}
        </div>
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
