// What the public ledger page shows, computed from the ledger's events: every token movement with
// its kind (from the event that came with it in the same transaction), issued and redeemed over a
// period, the supply at any block (for reserve coverage), filters and the CSV file. Pure.

import type { LedgerEvent } from "@core/audit/ledgerEvents";
import {
  classifyMovements,
  filterMovements,
  MOVEMENT_KINDS,
  type Movement,
  type MovementFilter,
  type MovementKind,
  supplyAt,
} from "@core/audit/ledgerMovements";
import { CSV_BOM, csvCell, isoDate } from "@core/history/csv";
import { fenToInput } from "@core/money";

export {
  classifyMovements,
  filterMovements,
  MOVEMENT_KINDS,
  type Movement,
  type MovementFilter,
  type MovementKind,
  supplyAt,
};

/** Issued and redeemed in the `days` before `now` (seconds), from Issued/Redeemed by block time. */
export function flowsOver(
  events: readonly LedgerEvent[],
  days: number,
  now: number,
  timestampOf: (block: bigint) => number,
): { issued: bigint; redeemed: bigint } {
  const since = now - days * 86_400;
  let issued = 0n;
  let redeemed = 0n;
  for (const e of events) {
    if (e.kind !== "Issued" && e.kind !== "Redeemed") continue;
    if ((e.blockTimestamp ?? timestampOf(e.blockNumber)) < since) continue;
    if (e.kind === "Issued") issued += e.amount;
    else redeemed += e.amount;
  }
  return { issued, redeemed };
}

/** Reserves / supply as a percentage with two decimals ("101.25%"); "—" when supply is zero. */
export function movementsCsv(
  movements: readonly Movement[],
  headings: {
    time: string;
    kind: string;
    from: string;
    to: string;
    amount: string;
    block: string;
    transaction: string;
  },
  kindName: (kind: MovementKind) => string,
  utcOffsetMinutes?: number,
): string {
  const header = [
    headings.time,
    headings.kind,
    headings.from,
    headings.to,
    headings.amount,
    headings.block,
    headings.transaction,
  ]
    .map((h) => csvCell(h))
    .join(",");
  const rows = movements.map((m) =>
    [
      csvCell(isoDate(m.timestamp, utcOffsetMinutes), "number"),
      csvCell(kindName(m.kind)),
      csvCell(m.from, "number"),
      csvCell(m.to, "number"),
      csvCell(fenToInput(m.amount), "number"),
      csvCell(m.blockNumber.toString(), "number"),
      csvCell(m.transactionHash, "number"),
    ].join(","),
  );
  return `${CSV_BOM}${[header, ...rows].join("\r\n")}\r\n`;
}
