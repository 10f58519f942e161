// The last seven days' takings as a bar chart (SVG), with each bar's figure in words for screen
// readers and a table fallback in the same element.

import { formatFen } from "@core/money";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useT } from "../../i18n/useT";
import type { DayTotal } from "./receipts";

const WIDTH = 320;
const HEIGHT = 120;
const BAR_GAP = 8;

export function ReceiptsChart({ days }: { days: DayTotal[] }) {
  const t = useT(merchantMessages);
  // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.max does not take
  const max = days.reduce((m, d) => (d.fen > m ? d.fen : m), 0n);
  const barWidth = (WIDTH - BAR_GAP * (days.length - 1)) / days.length;
  return (
    <figure className="receipts-chart">
      <figcaption>{t("chartTitle")}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 16}`} role="img" aria-label={t("chartTitle")}>
        {days.map((day, i) => {
          const height = max === 0n ? 0 : Number((day.fen * BigInt(HEIGHT)) / max);
          const x = i * (barWidth + BAR_GAP);
          return (
            <g key={day.date}>
              <title>{t("chartBar", { date: day.date, amount: formatFen(day.fen) })}</title>
              <rect x={x} y={HEIGHT - height} width={barWidth} height={Math.max(height, 1)} className="bar" />
              <text x={x + barWidth / 2} y={HEIGHT + 12} textAnchor="middle" fontSize="10">
                {day.date.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="visually-hidden">
        {days.map((day) => (
          <li key={day.date}>{t("chartBar", { date: day.date, amount: formatFen(day.fen) })}</li>
        ))}
      </ul>
    </figure>
  );
}
