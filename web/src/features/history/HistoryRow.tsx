// One movement of my money as History and Home show it: what, with whom, when, how much.

import { type HistoryEntry, signedAmount } from "@core/history/assemble";
import { isoDate } from "@core/history/csv";
import { monthKey } from "@core/history/summary";
import { formatFen } from "@core/money";
import { orderRefText } from "@core/orderRef";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { delayedMessages, familyMessages } from "../../i18n/messages/familyMoney";
import { historyMessages } from "../../i18n/messages/history";
import { useT } from "../../i18n/useT";
import "./history.css";
import { useFormat } from "../../i18n/useFormat";
import type { useHistoryLabels } from "./useHistoryLabels";

export function HistoryRow({ entry, labels }: { entry: HistoryEntry; labels: ReturnType<typeof useHistoryLabels> }) {
  const t = useT(historyMessages);
  const tf = useT(familyMessages);
  const td = useT(delayedMessages);
  const fmt = useFormat();
  const category = labels.category(entry);
  const showAddress = entry.counterparty && !entry.kind.startsWith("redPacket");
  // An order number a person typed (ORDER-1024) helps; a hashed reference (a top-up request's) is
  // no word a resident reads, so it stays in the CSV export and on the auditor's ledger.
  const detail = entry.greeting ?? (entry.orderRef ? (orderRefText(entry.orderRef) ?? undefined) : undefined);
  return (
    <article className={`history-entry ${entry.direction}`} data-kind={entry.kind}>
      <div className="history-main">
        <p className="history-what">
          <strong>{labels.kindLabel(entry)}</strong> <span className="tag">{labels.categoryLabel(category)}</span>
        </p>
        <p className="history-who">
          {showAddress && entry.counterparty ? (
            <AddressText address={entry.counterparty} />
          ) : (
            labels.counterpartyName(entry)
          )}
          {detail && <span className="history-detail"> · {detail}</span>}
        </p>
        {entry.familyCard && (
          <p className="history-who" data-testid="history-family-card">
            <span className="tag">{tf("cardTag")}</span> · <AddressText address={entry.familyCard.holder} />
          </p>
        )}
        {entry.delayed && (
          <p className="history-who" data-testid="history-delayed">
            <span className="tag">
              {entry.delayed.state === "cancelled"
                ? td("tagCancelled")
                : entry.delayed.state === "released"
                  ? td("tagReleased")
                  : td("tagDelayed")}
            </span>
            {entry.delayed.state === "sent" && entry.delayed.releaseAt !== undefined && (
              <> · {td("arrivesWhen", { when: fmt.chainTime(entry.delayed.releaseAt) })}</>
            )}
          </p>
        )}
        <p className="history-when">
          <time dateTime={isoDate(entry.timestamp)}>{fmt.chainTime(entry.timestamp)}</time>
          <span className="visually-hidden"> {monthKey(entry.timestamp)}</span>
        </p>
      </div>
      <p className="history-amount">
        <span className="visually-hidden">{entry.direction === "in" ? t("directionIn") : t("directionOut")} </span>
        <Money fen={signedAmount(entry)} signed />
        {entry.discount !== undefined && entry.direction === "out" && (
          <span className="history-saving">{t("saving", { amount: formatFen(entry.discount) })}</span>
        )}
      </p>
    </article>
  );
}
