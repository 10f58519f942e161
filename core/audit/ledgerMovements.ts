// The public ledger page's movements and supply from the ledger's events. The kind of a token
// movement (a CityYuan Transfer) is told by the Transfer's own parties and by the event of the
// same call that it paid for: CityYuan.pay emits PaymentMade right after its Transfer,
// CityYuan.refund PaymentRefunded, Vouchers' redemption VoucherRedeemed after the resident's part.
// Each such event names the one Transfer before it with its own parties and amount, not every
// Transfer of the transaction: a bundle of user operations puts several people's calls in one
// transaction, and a plain transfer there is not a payment because a stranger paid a shop in the
// same bundle. Shared by the page's chain path (web/src/features/ledger/ledgerModel.ts) and the
// indexer (indexer/src/movements.ts) so the two name every movement alike. Pure.
import type { Address, Hex } from "viem";
import type { LedgerContracts, LedgerEvent } from "./ledgerEvents.js";

export const MOVEMENT_KINDS = ["issue", "redeem", "payment", "refund", "transfer", "redPacket", "voucher"] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The events that name the Transfer of their own call (the ledger's own event names). */
export const KIND_EVENTS = ["VoucherRedeemed", "PaymentRefunded", "PaymentMade"] as const;
export type KindEventName = (typeof KIND_EVENTS)[number];

const ZERO = "0x0000000000000000000000000000000000000000";
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A transaction's log as far as naming its Transfers goes, in log order. */
export type NamingLog =
  | { name: "Transfer"; logIndex: number; from: string; to: string; value: bigint }
  /** `from`, `to` and `amount`: the Transfer the event stands for (for VoucherRedeemed, the
   * resident's part: price − discount). */
  | { name: KindEventName; logIndex: number; from: string; to: string; amount: bigint };

/** The Transfer each kind event stands for: the nearest one before it, in the same transaction,
 * with its parties and amount and not yet taken by another. Returns Transfer logIndex → name. */
export function transfersNamed(logs: readonly NamingLog[]): Map<number, KindEventName> {
  const named = new Map<number, KindEventName>();
  const transfers: Extract<NamingLog, { name: "Transfer" }>[] = [];
  for (const log of [...logs].sort((a, b) => a.logIndex - b.logIndex)) {
    if (log.name === "Transfer") {
      transfers.push(log);
      continue;
    }
    for (let i = transfers.length - 1; i >= 0; i--) {
      const t = transfers[i] as Extract<NamingLog, { name: "Transfer" }>;
      if (named.has(t.logIndex) || t.value !== log.amount || !same(t.from, log.from) || !same(t.to, log.to)) continue;
      named.set(t.logIndex, log.name);
      break;
    }
  }
  return named;
}

export function movementKind(
  from: string,
  to: string,
  /** The event of the same call that stands for this Transfer (transfersNamed), if any. */
  namedBy: KindEventName | undefined,
  contracts: { RedPacket: Address; Vouchers: Address },
): MovementKind {
  if (same(from, ZERO)) return "issue";
  if (same(to, ZERO)) return "redeem";
  if (namedBy === "VoucherRedeemed" || same(from, contracts.Vouchers) || same(to, contracts.Vouchers)) return "voucher";
  if (same(from, contracts.RedPacket) || same(to, contracts.RedPacket)) return "redPacket";
  if (namedBy === "PaymentRefunded") return "refund";
  if (namedBy === "PaymentMade") return "payment";
  return "transfer";
}

/** A kind event's arguments as far as naming goes (PaymentMade/PaymentRefunded carry `amount`,
 * VoucherRedeemed `price` and `discount`). */
export type KindEventArgs = { payer: string; payee: string; amount?: bigint; price?: bigint; discount?: bigint };

/** A kind event's parties and amount: those of the Transfer it stands for (a refund runs from the
 * shop back to the payer; a voucher redemption moves the resident's part, price − discount). */
export function kindEventLog(name: KindEventName, logIndex: number, a: KindEventArgs): NamingLog {
  if (name === "PaymentRefunded") return { name, logIndex, from: a.payee, to: a.payer, amount: a.amount ?? 0n };
  if (name === "VoucherRedeemed")
    return { name, logIndex, from: a.payer, to: a.payee, amount: (a.price ?? 0n) - (a.discount ?? 0n) };
  return { name, logIndex, from: a.payer, to: a.payee, amount: a.amount ?? 0n };
}

/** The part of a ledger event that names a Transfer, or undefined for any other event. */
export function namingLog(e: LedgerEvent): NamingLog | undefined {
  switch (e.kind) {
    case "Transfer":
      return { name: "Transfer", logIndex: e.logIndex, from: e.from, to: e.to, value: e.value };
    case "PaymentMade":
    case "PaymentRefunded":
    case "VoucherRedeemed":
      return kindEventLog(e.kind, e.logIndex, e);
    default:
      return undefined;
  }
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

/** Every Transfer as a movement, newest first, its kind told by the event of its own call. */
export function classifyMovements(
  events: readonly LedgerEvent[],
  contracts: LedgerContracts,
  timestampOf: (block: bigint) => number,
): Movement[] {
  const logsOfTx = new Map<string, NamingLog[]>();
  for (const e of events) {
    const log = namingLog(e);
    if (!log) continue;
    const key = `${e.blockNumber}:${e.transactionHash}`;
    const logs = logsOfTx.get(key) ?? [];
    logs.push(log);
    logsOfTx.set(key, logs);
  }
  const namedOfTx = new Map<string, Map<number, KindEventName>>();
  for (const [key, logs] of logsOfTx) namedOfTx.set(key, transfersNamed(logs));
  const movements: Movement[] = [];
  for (const e of events) {
    if (e.kind !== "Transfer" || e.value === 0n) continue;
    const namedBy = namedOfTx.get(`${e.blockNumber}:${e.transactionHash}`)?.get(e.logIndex);
    movements.push({
      kind: movementKind(e.from, e.to, namedBy, contracts),
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
