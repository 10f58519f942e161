// Every movement on the ledger with filters (address, kind, amount range, date range) and CSV
// export of what the filters leave. Long lists show in pages of 100. With the indexer in use the
// filters go to it and "show more" fetches its next page (the count says how many are shown and
// whether there are more, not a total nobody counted); the blocks after the index's are the
// chain's own, filtered here, shown first. Without it every movement is the chain's.

import { parseYuan } from "@core/money";
import { useMemo, useState } from "react";
import { type Address, isAddress } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { TableScroll } from "../../components/TableScroll";
import { deployment } from "../../contracts";
import { ledgerMessages } from "../../i18n/messages/ledger";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import {
  classifyMovements,
  filterMovements,
  MOVEMENT_KINDS,
  type Movement,
  type MovementFilter,
  type MovementKind,
  movementsCsv,
} from "./ledgerModel";
import { allIndexedMovements, type LedgerData, type LedgerFilter, useIndexedMovements } from "./useLedger";

// Movements shown a page at a time: 100 on a wide screen; 20 on a phone, where each movement is a
// card of its own and 100 of them made the page some 60,000 px tall in 关怀模式. Chosen once, when
// the section opens, so turning the phone does not change what "show more" adds.
const PAGE_WIDE = 100;
const PAGE_PHONE = 20;
const pageSizeNow = () =>
  typeof window !== "undefined" && window.matchMedia?.("(max-width: 40rem)").matches ? PAGE_PHONE : PAGE_WIDE;

function dayStart(date: string): number | undefined {
  const time = new Date(`${date}T00:00:00`).getTime();
  return Number.isNaN(time) ? undefined : time / 1000;
}

export function MovementsSection({ data, onRetry }: { data: LedgerData; onRetry: () => void }) {
  const { events, times } = data;
  const indexedBlock = data.source.state === "used" ? data.source.indexedBlock : undefined;
  const t = useT(ledgerMessages);
  const [address, setAddress] = useState("");
  const [kind, setKind] = useState<MovementKind | "">("");
  const [min, setMin] = useState("");
  const [max, setMax] = useState("");
  const [fromDate, setFromDate] = useState("");
  const [toDate, setToDate] = useState("");
  const [pageSize] = useState(pageSizeNow);
  const [shown, setShown] = useState(pageSize);

  const movements = useMemo(
    () => (deployment ? classifyMovements(events, deployment.contracts, (b) => times.get(b) ?? 0) : []),
    [events, times],
  );
  const addressError = address.trim() !== "" && !isAddress(address.trim());
  const minParsed = min.trim() === "" ? undefined : parseYuan(min);
  const maxParsed = max.trim() === "" ? undefined : parseYuan(max);
  const filter: MovementFilter = {
    address: !addressError && address.trim() ? (address.trim() as Address) : undefined,
    kind: kind || undefined,
    minFen: minParsed?.ok ? minParsed.fen : undefined,
    maxFen: maxParsed?.ok ? maxParsed.fen : undefined,
    fromTime: fromDate ? dayStart(fromDate) : undefined,
    toTime: toDate ? (dayStart(toDate) ?? 0) + 86_399 : undefined,
  };
  const filtered = filterMovements(movements, filter);
  const query: LedgerFilter = {
    kind: filter.kind,
    account: filter.address,
    minAmount: filter.minFen,
    maxAmount: filter.maxFen,
    fromTime: filter.fromTime,
    toTime: filter.toTime,
  };
  const pages = useIndexedMovements(indexedBlock, query, pageSize);
  const indexed = indexedBlock !== undefined;
  // The chain's (all of them, or the blocks after the index's), then the index's pages so far.
  const list: Movement[] = indexed ? [...filtered, ...(pages.data?.pages.flatMap((p) => p.movements) ?? [])] : filtered;
  const visible = indexed ? list : list.slice(0, shown);
  const more = indexed ? pages.hasNextPage : shown < list.length;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const kindName = (k: MovementKind) => t(`kind_${k}`);
  const fmt = useFormat();

  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    let rows: Movement[];
    try {
      rows = indexedBlock === undefined ? filtered : [...filtered, ...(await allIndexedMovements(indexedBlock, query))];
    } catch (error) {
      setExportError(String((error as Error)?.message ?? error));
      setExporting(false);
      return;
    }
    setExporting(false);
    const csv = movementsCsv(
      rows,
      {
        time: t("time"),
        kind: t("kind"),
        from: t("from"),
        to: t("to"),
        amount: t("amount"),
        block: t("block"),
        transaction: "tx",
      },
      kindName,
    );
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `hcy-movements-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  const amountError = (parsed: ReturnType<typeof parseYuan> | undefined) =>
    parsed && !parsed.ok ? t("invalidAmount") : undefined;
  return (
    <section className="card" aria-labelledby="movements-title">
      <h2 id="movements-title">{t("movementsTitle")}</h2>
      <form className="filters" aria-label={t("filters")} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-address">{t("filterAddress")}</label>
          <input
            id="f-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            aria-invalid={addressError}
            spellCheck={false}
          />
          {addressError && <p className="error">{t("invalidAddress")}</p>}
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t("filterKind")}</label>
          <select id="f-kind" value={kind} onChange={(e) => setKind(e.target.value as MovementKind | "")}>
            <option value="">{t("kindAll")}</option>
            {MOVEMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindName(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-min">{t("filterMin")}</label>
          <input
            id="f-min"
            inputMode="decimal"
            value={min}
            onChange={(e) => setMin(e.target.value)}
            aria-invalid={Boolean(amountError(minParsed))}
          />
          {amountError(minParsed) && <p className="error">{amountError(minParsed)}</p>}
        </div>
        <div className="field">
          <label htmlFor="f-max">{t("filterMax")}</label>
          <input
            id="f-max"
            inputMode="decimal"
            value={max}
            onChange={(e) => setMax(e.target.value)}
            aria-invalid={Boolean(amountError(maxParsed))}
          />
          {amountError(maxParsed) && <p className="error">{amountError(maxParsed)}</p>}
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("filterFrom")}</label>
          <input id="f-from" type="date" value={fromDate} onChange={(e) => setFromDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("filterTo")}</label>
          <input id="f-to" type="date" value={toDate} onChange={(e) => setToDate(e.target.value)} />
        </div>
      </form>
      <p role="status" data-testid="movements-count" data-shown={visible.length} data-more={String(Boolean(more))}>
        {indexed
          ? pages.isLoading
            ? t("loadingPage")
            : more
              ? t("shownMore", { shown: visible.length })
              : t("shownAll", { shown: visible.length })
          : t("shownOf", { shown: visible.length, total: list.length })}
      </p>
      <button
        type="button"
        className="secondary"
        data-testid="movements-csv"
        onClick={exportCsv}
        disabled={exporting || (list.length === 0 && !more)}
      >
        {exporting ? t("exporting") : t("exportCsv")}
      </button>
      {exportError && (
        <p role="alert" className="error">
          {t("exportFailed", { message: exportError })}
        </p>
      )}
      {indexed && pages.isError && (
        <p role="alert" className="error">
          {t("pageFailed", { message: String(pages.error?.message ?? "") })}{" "}
          <button type="button" className="secondary" onClick={onRetry}>
            {t("readAgain")}
          </button>
        </p>
      )}
      {visible.length === 0 ? (
        !(indexed && pages.isLoading) && <p>{t("noMovements")}</p>
      ) : (
        <TableScroll labelledBy="movements-title">
          <table className="movements">
            <TableHead columns={[t("time"), t("kind"), t("from"), t("to"), t("amount"), t("block")]} />
            <tbody>
              {visible.map((m) => (
                <tr
                  key={`${m.transactionHash}:${m.logIndex}`}
                  data-kind={m.kind}
                  data-movement={`${m.blockNumber}-${m.logIndex}`}
                  data-amount={m.amount.toString()}
                  data-tx={m.transactionHash.toLowerCase()}
                >
                  <td>{m.timestamp ? fmt.shortDateTime(m.timestamp * 1000) : "—"}</td>
                  <td>{kindName(m.kind)}</td>
                  <td>{m.kind === "issue" ? t("mint") : <AddressText address={m.from} />}</td>
                  <td>{m.kind === "redeem" ? t("burn") : <AddressText address={m.to} />}</td>
                  <td>
                    <Money fen={m.amount} />
                  </td>
                  <td>{m.blockNumber.toString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {more && (
        <button
          type="button"
          className="secondary"
          data-testid="movements-more"
          disabled={indexed && pages.isFetchingNextPage}
          onClick={() => (indexed ? pages.fetchNextPage() : setShown(shown + pageSize))}
        >
          {indexed && pages.isFetchingNextPage ? t("loadingPage") : t("showMore")}
        </button>
      )}
    </section>
  );
}
