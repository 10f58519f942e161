// What the public ledger page shows, computed from the ledger's events: every token movement with
// its kind (from the event that came with it in the same transaction), issued and redeemed over a
// period, the supply at any block (for reserve coverage), filters and the CSV file. Pure.

import type { LedgerContracts, LedgerEvent } from "@core/audit/ledgerEvents";
import { MOVEMENT_KINDS, type MovementKind, movementKind } from "@core/audit/movementKind";
import { CSV_BOM, csvCell, isoDate } from "@core/history/csv";
import { fenToInput } from "@core/money";
import type { Address, Hex } from "viem";

export { MOVEMENT_KINDS, type MovementKind };

export interface Movement {
  kind: MovementKind;
  from: Address;
  to: Address;
  amount: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  timestamp: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Every Transfer as a movement, newest first, its kind told by its transaction's other events. */
export function classifyMovements(
  events: readonly LedgerEvent[],
  contracts: LedgerContracts,
  timestampOf: (block: bigint) => number,
): Movement[] {
  const kindsInTx = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.kind === "Transfer") continue;
    const kinds = kindsInTx.get(e.transactionHash) ?? new Set<string>();
    kinds.add(e.kind);
    kindsInTx.set(e.transactionHash, kinds);
  }
  const movements: Movement[] = [];
  for (const e of events) {
    if (e.kind !== "Transfer" || e.value === 0n) continue;
    const kind = movementKind(e.from, e.to, kindsInTx.get(e.transactionHash) ?? new Set<string>(), contracts);
    movements.push({
      kind,
      from: e.from,
      to: e.to,
      amount: e.value,
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      transactionHash: e.transactionHash,
      timestamp: e.blockTimestamp ?? timestampOf(e.blockNumber),
    });
  }
  return movements.sort((a, b) =>
    a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
  );
}

export interface MovementFilter {
  address?: Address;
  kind?: MovementKind;
  minFen?: bigint;
  maxFen?: bigint;
  /** Inclusive bounds in seconds. */
  fromTime?: number;
  toTime?: number;
}

export function filterMovements(movements: readonly Movement[], filter: MovementFilter): Movement[] {
  return movements.filter(
    (m) =>
      (!filter.address || same(m.from, filter.address) || same(m.to, filter.address)) &&
      (!filter.kind || m.kind === filter.kind) &&
      (filter.minFen === undefined || m.amount >= filter.minFen) &&
      (filter.maxFen === undefined || m.amount <= filter.maxFen) &&
      (filter.fromTime === undefined || m.timestamp >= filter.fromTime) &&
      (filter.toTime === undefined || m.timestamp <= filter.toTime),
  );
}

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

/** Supply right after `block`: Σ Issued − Σ Redeemed up to and including it. */
export function supplyAt(events: readonly LedgerEvent[], block: bigint): bigint {
  let supply = 0n;
  for (const e of events) {
    if (e.blockNumber > block) continue;
    if (e.kind === "Issued") supply += e.amount;
    else if (e.kind === "Redeemed") supply -= e.amount;
  }
  return supply;
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
