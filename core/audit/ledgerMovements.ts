// The public ledger page's movements and supply from the ledger's events. The kind of a token
// movement (a CityYuan Transfer) is told by the Transfer's own parties and by the other ledger
// events of the same transaction (a PaymentMade, a PaymentRefunded or a VoucherRedeemed may come
// after the Transfer in the logs). Shared by the page's chain path
// (web/src/features/ledger/ledgerModel.ts) and the indexer (indexer/src/movements.ts) so the two
// name every movement alike. Pure.
import type { Address, Hex } from "viem";
import type { LedgerContracts, LedgerEvent } from "./ledgerEvents.js";

export const MOVEMENT_KINDS = ["issue", "redeem", "payment", "refund", "transfer", "redPacket", "voucher"] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The events of a transaction that name its Transfers (the ledger's own event names). */
export const KIND_EVENTS = ["VoucherRedeemed", "PaymentRefunded", "PaymentMade"] as const;

const ZERO = "0x0000000000000000000000000000000000000000";
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function movementKind(
  from: string,
  to: string,
  eventsInTx: ReadonlySet<string>,
  contracts: { RedPacket: Address; Vouchers: Address },
): MovementKind {
  if (same(from, ZERO)) return "issue";
  if (same(to, ZERO)) return "redeem";
  if (eventsInTx.has("VoucherRedeemed") || same(from, contracts.Vouchers) || same(to, contracts.Vouchers))
    return "voucher";
  if (same(from, contracts.RedPacket) || same(to, contracts.RedPacket)) return "redPacket";
  if (eventsInTx.has("PaymentRefunded")) return "refund";
  if (eventsInTx.has("PaymentMade")) return "payment";
  return "transfer";
}

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
