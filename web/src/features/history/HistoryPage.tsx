// History (账单): every movement of my money rebuilt from the ledger, newest first, labelled and
// categorised, with filters, monthly spending per category, and CSV export of what is shown.

import { HISTORY_KINDS, type HistoryEntry, type HistoryKind } from "@core/history/assemble";
import { historyCsv } from "@core/history/csv";
import { filterEntries, type HistoryCategory, type HistoryFilter, monthlyTotals } from "@core/history/summary";
import { formatFen } from "@core/money";
import { type ReactNode, useMemo, useState } from "react";
import { useConnection } from "wagmi";
import { historyMessages } from "../../i18n/messages/history";
import { useT } from "../../i18n/useT";
import { useSettings } from "../../settings/settingsStore";
import { HeldCardPayments } from "../family/HeldCardPayments";
import { PendingTransfers } from "../transfer/PendingTransfers";
import { HistoryList } from "./HistoryList";
import { HistoryRow } from "./HistoryRow";
import { MonthlyChart } from "./MonthlyChart";
import { useHistory } from "./useHistory";
import { HISTORY_CATEGORIES, useHistoryLabels } from "./useHistoryLabels";

export default function HistoryPage() {
  const t = useT(historyMessages);
  const { address } = useConnection();
  const history = useHistory(address);
  const labels = useHistoryLabels(address, history.entries);
  const [filter, setFilter] = useState<HistoryFilter>({});
  const [chartMonth, setChartMonth] = useState("");
  const { largeText } = useSettings();

  const months = useMemo(() => monthlyTotals(history.entries, labels.category), [history.entries, labels.category]);
  const monthOptions = useMemo(() => months.map((m) => m.month), [months]);
  const shown = useMemo(
    () => filterEntries(history.entries, filter, labels.category, labels.searchText),
    [history.entries, filter, labels.category, labels.searchText],
  );
  const totals = useMemo(() => {
    let income = 0n;
    let spent = 0n;
    for (const e of shown)
      if (e.direction === "in") income += e.amount;
      else spent += e.amount;
    return { income, spent };
  }, [shown]);

  const exportCsv = () => {
    const csv = historyCsv(shown, {
      headings: {
        date: t("csvDate"),
        kind: t("csvKind"),
        category: t("csvCategory"),
        counterparty: t("csvCounterparty"),
        address: t("csvAddress"),
        amount: t("csvAmount"),
        discount: t("csvDiscount"),
        reference: t("csvReference"),
        transaction: t("csvTransaction"),
      },
      kindName: labels.kindLabel,
      categoryName: (e) => labels.categoryLabel(labels.category(e)),
      counterpartyName: labels.counterpartyName,
    });
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `hefei-wallet-history-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const status = history.error
    ? null
    : history.loading && history.entries.length === 0
      ? t("loadingFirst")
      : history.loading || !history.complete
        ? t("loadingMore", { count: history.entries.length })
        : t("complete", { count: history.entries.length });

  const source = history.indexer;
  const indexerNote =
    source.state === "down"
      ? t(source.reason === "invalid" || source.reason === "otherChain" ? "indexerInvalid" : "indexerDown")
      : source.state === "behind"
        ? t("indexerBehind")
        : null;

  const renderRow = (entry: HistoryEntry) => <HistoryRow entry={entry} labels={labels} />;
  const filtered = Boolean(filter.kind || filter.category || filter.month || filter.text);

  return (
    <div className="history-page">
      <h1>{t("title")}</h1>
      <p className="hint">{t("privacy")}</p>
      {address && <PendingTransfers me={address} />}
      {address && <HeldCardPayments me={address} />}
      <p role="status" aria-live="polite" className="hint" data-testid="history-status">
        {status}
      </p>
      {indexerNote && (
        <p className="hint" data-testid="history-indexer-note">
          {indexerNote}
        </p>
      )}
      {Boolean(history.error) && (
        <div className="error" role="alert">
          <p>{t("readError")}</p>
          <button type="button" className="secondary" onClick={history.refresh}>
            {t("retry")}
          </button>
        </div>
      )}

      {months.length > 0 && (
        <Fold fold={largeText} title={t("chartTitle")}>
          <MonthlyChart
            months={months}
            month={chartMonth || months[0]?.month || ""}
            onMonth={setChartMonth}
            categoryLabel={labels.categoryLabel}
          />
        </Fold>
      )}

      <Fold fold={largeText} title={t("filtersAndExport")} open={filtered}>
        <section className="card" aria-labelledby="history-filters">
          <h2 id="history-filters">{t("filters")}</h2>
          <div className="history-filters">
            <label className="field">
              <span>{t("filterKind")}</span>
              <select
                value={filter.kind ?? ""}
                onChange={(e) => setFilter({ ...filter, kind: e.target.value as HistoryKind | "" })}
              >
                <option value="">{t("all")}</option>
                {HISTORY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind_${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("filterCategory")}</span>
              <select
                value={filter.category ?? ""}
                onChange={(e) => setFilter({ ...filter, category: e.target.value as HistoryCategory | "" })}
              >
                <option value="">{t("all")}</option>
                {HISTORY_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {labels.categoryLabel(c)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("filterMonth")}</span>
              <select value={filter.month ?? ""} onChange={(e) => setFilter({ ...filter, month: e.target.value })}>
                <option value="">{t("all")}</option>
                {monthOptions.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t("filterText")}</span>
              <input
                type="search"
                value={filter.text ?? ""}
                onChange={(e) => setFilter({ ...filter, text: e.target.value })}
              />
            </label>
          </div>
          <div className="button-row">
            {filtered && (
              <button type="button" className="secondary" onClick={() => setFilter({})}>
                {t("clearFilters")}
              </button>
            )}
            <button
              type="button"
              className="primary"
              onClick={exportCsv}
              disabled={shown.length === 0}
              aria-describedby="csv-hint"
            >
              {t("exportCsv")}
            </button>
          </div>
          <p id="csv-hint" className="hint">
            {t("exportHint")}
          </p>
          <p className="hint" data-testid="history-shown">
            {t("shown", { shown: shown.length, income: formatFen(totals.income), spent: formatFen(totals.spent) })}
          </p>
        </section>
      </Fold>

      <section aria-labelledby="history-list-title">
        <h2 id="history-list-title">{t("list")}</h2>
        {shown.length === 0 && !history.loading && <p>{filtered ? t("noMatch") : t("empty")}</p>}
        <HistoryList entries={shown} label={t("list")} renderRow={renderRow} />
      </section>
    </div>
  );
}

/**
 * In 关怀模式 the chart and the filters fold away (closed unless a filter is on), so the list of
 * movements starts on the first screen instead of two screens down; elsewhere they show as they are.
 */
function Fold({ fold, title, open, children }: { fold: boolean; title: string; open?: boolean; children: ReactNode }) {
  if (!fold) return <>{children}</>;
  return (
    <details className="care-fold" open={open}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}
