// CSV export of the history: UTF-8 with a byte-order mark so Excel shows Chinese, CRLF rows,
// amounts in 元 with two decimals (through the one money formatter), ISO 8601 dates with the
// offset, and text cells that a spreadsheet cannot mistake for a formula.
import { formatFen } from "../money.js";
import { displayOrderRef } from "../orderRef.js";
import { type HistoryEntry, signedAmount } from "./assemble.js";

export const CSV_BOM = "\uFEFF";

export type CsvColumns = {
  date: string;
  kind: string;
  category: string;
  counterparty: string;
  address: string;
  amount: string;
  discount: string;
  reference: string;
  transaction: string;
};

export type CsvOptions = {
  /** Column headings in the resident's language. */
  headings: CsvColumns;
  kindName: (entry: HistoryEntry) => string;
  categoryName: (entry: HistoryEntry) => string;
  /** The counterparty's merchant or contact name, or "". */
  counterpartyName: (entry: HistoryEntry) => string;
  utcOffsetMinutes?: number;
};

/** "2026-11-03T08:15:00+08:00": the local time with its offset, unambiguous in any tool. */
export function isoDate(
  timestamp: number,
  utcOffsetMinutes: number = -new Date(timestamp * 1000).getTimezoneOffset(),
): string {
  const shifted = new Date((timestamp + utcOffsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(utcOffsetMinutes);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * Quotes a cell when it holds a comma, quote or line break. Text that starts like a formula
 * (= + - @, tab, CR) gets a leading apostrophe: a merchant name is chosen by someone else and must
 * not run as a formula in the resident's spreadsheet. Numbers are written by us and never need it.
 */
export function csvCell(value: string, kind: "text" | "number" = "text"): string {
  let cell = value;
  if (kind === "text" && /^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function historyCsv(entries: readonly HistoryEntry[], options: CsvOptions): string {
  const h = options.headings;
  const rows: string[] = [
    [h.date, h.kind, h.category, h.counterparty, h.address, h.amount, h.discount, h.reference, h.transaction]
      .map((cell) => csvCell(cell))
      .join(","),
  ];
  for (const entry of entries) {
    const reference = entry.orderRef ?? entry.bankRef;
    rows.push(
      [
        csvCell(isoDate(entry.timestamp, options.utcOffsetMinutes), "number"),
        csvCell(options.kindName(entry)),
        csvCell(options.categoryName(entry)),
        csvCell(options.counterpartyName(entry)),
        csvCell(entry.counterparty ?? ""),
        csvCell(formatFen(signedAmount(entry), { style: "plain", grouping: false }), "number"),
        csvCell(
          entry.discount !== undefined ? formatFen(entry.discount, { style: "plain", grouping: false }) : "",
          "number",
        ),
        csvCell(reference ? displayOrderRef(reference) : ""),
        csvCell(entry.txHash),
      ].join(","),
    );
  }
  return `${CSV_BOM}${rows.join("\r\n")}\r\n`;
}
