// A person's history as the events arrive: the rows of the `movement` table, one per entry that
// core/history/assemble.ts would make for her from the chain's logs. assemble.ts folds a Transfer
// into the meaningful event of the same transaction that stands for it (the PaymentMade of a
// payment, the PacketCreated of a red packet, …). Here a Transfer's rows wait in memory until its
// transaction's last event has been handled (the next transaction's first event, or the block's
// own event, which Ponder hands over after every log of the block): by then a later event of the
// same transaction that stands for it has folded it, and only the Transfers no event stood for are
// written. Every row is written once and never changed, so the indexer's store only appends.
// An event that comes before its Transfer (a voucher sale refunded emits first, then pays back)
// leaves a wish that the Transfer, when it comes, fulfils by not being listed for her.
// Each perspective (the account whose history it is) folds on its own, as assemble.ts does when
// run for each account: an escrow still sees the Transfer a red packet's sender no longer does.
// Events reach the handlers in chain order, a transaction's events one after another, and nothing
// waits past its block, so a reorganisation (which Ponder undoes block by block) finds nothing here.
import { movement, tokenMovement } from "ponder:schema";
import {
  KIND_EVENTS,
  type KindEventArgs,
  type KindEventName,
  kindEventLog,
  movementKind,
  type NamingLog,
  transfersNamed,
} from "../../core/audit/ledgerMovements.js";
import { indexerDeployment } from "../contracts";
import type { Db } from "./db";

type Hex = `0x${string}`;
type Args = Record<string, unknown>;

const ZERO = "0x0000000000000000000000000000000000000000";
const deployment = indexerDeployment();
const lower = (value: unknown) => (value as string).toLowerCase();
const REDPACKET = deployment.contracts.RedPacket;
const VOUCHERS = deployment.contracts.Vouchers;
const DELAYED = deployment.contracts.DelayedTransfers;

export type MovementEvent = {
  contract: string;
  name: string;
  args: Args;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  timestamp: number;
};

type SeenTransfer = {
  event: MovementEvent;
  from: string;
  to: string;
  value: bigint;
  folded: Set<string>;
};
type Wish = { me: string; from: string; to: string; value: bigint };
/**
 * The transaction's CityYuan Transfers for the ledger page's `token_movement` rows, and the events
 * of it that name their kind (core/audit/ledgerMovements.ts): written when the transaction ends.
 */
type Transaction = {
  key: string;
  transfers: SeenTransfer[];
  wishes: Wish[];
  tokenTransfers: MovementEvent[];
  /** Its Transfers and the events that name them, in log order (transfersNamed). */
  namingLogs: NamingLog[];
};
const KIND_EVENT_KEYS = new Set<string>(
  KIND_EVENTS.map((name) => `${name === "VoucherRedeemed" ? "Vouchers" : "CityYuan"}:${name}`),
);
let current: Transaction | undefined;

async function transaction(db: Db, event: MovementEvent): Promise<Transaction> {
  const key = `${event.blockNumber}:${event.txHash}`;
  if (current?.key !== key) {
    await endTransaction(db);
    current = { key, transfers: [], wishes: [], tokenTransfers: [], namingLogs: [] };
  }
  return current as Transaction;
}

/** Writes the Transfers of the transaction just handled that no event of it stood for. */
export async function endTransaction(db: Db): Promise<void> {
  const done = current;
  current = undefined;
  if (!done) return;
  const rows: ReturnType<typeof row>[] = [];
  for (const seen of done.transfers) {
    if (seen.from === seen.to) continue;
    const a = seen.event.args;
    for (const [me, other, incoming] of [
      [a.from, a.to, false],
      [a.to, a.from, true],
    ] as const) {
      const m = lower(me);
      if (m === ZERO || seen.folded.has(m)) continue;
      rows.push(
        row(seen.event, m as Hex, { kind: "transfer", incoming, amount: seen.value, counterparty: other as string }),
      );
    }
  }
  if (rows.length > 0) await db.insert(movement).values(rows);
  if (done.tokenTransfers.length > 0) {
    const named = done.namingLogs.length > done.tokenTransfers.length ? transfersNamed(done.namingLogs) : undefined;
    await db.insert(tokenMovement).values(
      done.tokenTransfers.map((event) => ({
        blockNumber: event.blockNumber,
        logIndex: event.logIndex,
        txHash: event.txHash,
        timestamp: event.timestamp,
        kind: movementKind(
          event.args.from as string,
          event.args.to as string,
          named?.get(event.logIndex),
          deployment.contracts,
        ),
        from: lower(event.args.from) as Hex,
        to: lower(event.args.to) as Hex,
        amount: event.args.value as bigint,
      })),
    );
  }
}

type Entry = {
  kind: string;
  incoming: boolean;
  amount: bigint;
  counterparty?: string;
  details?: Record<string, unknown>;
};

/** Writes what the event means for every account whose history it belongs to. */
export async function recordMovements(db: Db, event: MovementEvent): Promise<void> {
  const tx = await transaction(db, event);
  const a = event.args;
  const rows: { account: Hex; entry: Entry }[] = [];
  const add = (account: unknown, entry: Entry) => rows.push({ account: lower(account) as Hex, entry });

  /** The Transfer (from → to, value) this event stands for, in `me`'s history. */
  const fold = async (me: unknown, from: unknown, to: unknown, value: bigint) => {
    const m = lower(me);
    const f = lower(from);
    const t = lower(to);
    if (value === 0n || (m !== f && m !== t)) return;
    const seen = tx.transfers.find((s) => !s.folded.has(m) && s.from === f && s.to === t && s.value === value);
    if (!seen) {
      tx.wishes.push({ me: m, from: f, to: t, value });
      return;
    }
    seen.folded.add(m);
  };
  /** Folded in both parties' histories (assemble.ts folds it whoever reads). */
  const foldBoth = async (from: unknown, to: unknown, value: bigint) => {
    await fold(from, from, to, value);
    if (lower(from) !== lower(to)) await fold(to, from, to, value);
  };
  const same = (x: unknown, y: unknown) => lower(x) === lower(y);

  // The ledger page's movements: the Transfers, named when the transaction ends.
  const key = `${event.contract}:${event.name}`;
  if (key === "CityYuan:Transfer" && (a.value as bigint) > 0n) {
    tx.tokenTransfers.push(event);
    tx.namingLogs.push({
      name: "Transfer",
      logIndex: event.logIndex,
      from: a.from as string,
      to: a.to as string,
      value: a.value as bigint,
    });
  } else if (KIND_EVENT_KEYS.has(key))
    tx.namingLogs.push(kindEventLog(event.name as KindEventName, event.logIndex, a as KindEventArgs));

  switch (`${event.contract}:${event.name}`) {
    case "CityYuan:Transfer": {
      const value = a.value as bigint;
      if (value === 0n) break;
      const seen: SeenTransfer = { event, from: lower(a.from), to: lower(a.to), value, folded: new Set() };
      tx.transfers.push(seen);
      for (const me of new Set([seen.from, seen.to])) {
        if (me === ZERO) continue;
        const wish = tx.wishes.findIndex(
          (w) => w.me === me && w.from === seen.from && w.to === seen.to && w.value === value,
        );
        if (wish >= 0) {
          tx.wishes.splice(wish, 1);
          seen.folded.add(me);
        }
      }
      break;
    }
    case "CityYuan:PaymentMade": {
      const amount = a.amount as bigint;
      await foldBoth(a.payer, a.payee, amount);
      if (same(a.payer, a.payee)) break;
      const details = { orderRef: a.orderRef, paymentId: a.paymentId };
      add(a.payer, { kind: "payment", incoming: false, amount, counterparty: a.payee as string, details });
      add(a.payee, { kind: "payment", incoming: true, amount, counterparty: a.payer as string, details });
      break;
    }
    case "CityYuan:PaymentRefunded": {
      const amount = a.amount as bigint;
      await foldBoth(a.payee, a.payer, amount);
      if (same(a.payer, a.payee)) break;
      const details = { paymentId: a.paymentId };
      add(a.payer, { kind: "refund", incoming: true, amount, counterparty: a.payee as string, details });
      add(a.payee, { kind: "refund", incoming: false, amount, counterparty: a.payer as string, details });
      break;
    }
    case "CityYuan:Issued":
      await fold(a.to, ZERO, a.to, a.amount as bigint);
      add(a.to, { kind: "topUp", incoming: true, amount: a.amount as bigint, details: { bankRef: a.bankRef } });
      break;
    case "CityYuan:Redeemed":
      await fold(a.account, a.account, ZERO, a.amount as bigint);
      add(a.account, { kind: "cashOut", incoming: false, amount: a.amount as bigint, details: { bankRef: a.bankRef } });
      break;
    case "RedPacket:PacketCreated":
      await fold(a.sender, a.sender, REDPACKET, a.amount as bigint);
      add(a.sender, {
        kind: "redPacketSent",
        incoming: false,
        amount: a.amount as bigint,
        counterparty: REDPACKET,
        details: { packetId: a.packetId, greeting: a.greeting, shares: a.shares },
      });
      break;
    case "RedPacket:PacketClaimed":
      await fold(a.claimer, REDPACKET, a.claimer, a.amount as bigint);
      add(a.claimer, {
        kind: "redPacketClaimed",
        incoming: true,
        amount: a.amount as bigint,
        counterparty: REDPACKET,
        details: { packetId: a.packetId },
      });
      break;
    case "RedPacket:PacketRefunded":
      await fold(a.sender, REDPACKET, a.sender, a.amount as bigint);
      add(a.sender, {
        kind: "redPacketRefunded",
        incoming: true,
        amount: a.amount as bigint,
        counterparty: REDPACKET,
        details: { packetId: a.packetId },
      });
      break;
    case "FamilyCards:FamilyCardPaid": {
      const amount = a.amount as bigint;
      await foldBoth(a.funder, a.shop, amount);
      const details = {
        orderRef: a.orderRef,
        paymentId: a.paymentId,
        familyCard: { cardId: a.cardId, holder: a.holder },
      };
      add(a.funder, { kind: "payment", incoming: false, amount, counterparty: a.shop as string, details });
      if (!same(a.funder, a.shop)) {
        add(a.shop, { kind: "payment", incoming: true, amount, counterparty: a.funder as string, details });
      }
      break;
    }
    case "DelayedTransfers:TransferDelayed":
      await fold(a.sender, a.sender, DELAYED, a.amount as bigint);
      add(a.sender, {
        kind: "transfer",
        incoming: false,
        amount: a.amount as bigint,
        counterparty: a.receiver as string,
        details: { delayed: { transferId: a.transferId, state: "sent", releaseAt: Number(a.releaseAt as bigint) } },
      });
      break;
    case "DelayedTransfers:TransferCancelled":
      await fold(a.sender, DELAYED, a.sender, a.amount as bigint);
      add(a.sender, {
        kind: "transfer",
        incoming: true,
        amount: a.amount as bigint,
        counterparty: a.receiver as string,
        details: { delayed: { transferId: a.transferId, state: "cancelled" } },
      });
      break;
    case "DelayedTransfers:TransferReleased":
      await fold(a.receiver, DELAYED, a.receiver, a.amount as bigint);
      add(a.receiver, {
        kind: "transfer",
        incoming: true,
        amount: a.amount as bigint,
        counterparty: a.sender as string,
        details: { delayed: { transferId: a.transferId, state: "released" } },
      });
      break;
    case "Vouchers:VoucherSaleRefunded": {
      const paid = a.paid as bigint;
      const discount = a.discount as bigint;
      await foldBoth(a.payee, a.payer, paid);
      await foldBoth(a.payee, VOUCHERS, discount);
      const details = { paymentId: a.paymentId };
      add(a.payer, { kind: "refund", incoming: true, amount: paid, counterparty: a.payee as string, details });
      if (!same(a.payer, a.payee)) {
        add(a.payee, {
          kind: "refund",
          incoming: false,
          amount: paid + discount,
          counterparty: a.payer as string,
          details,
        });
      }
      break;
    }
    case "Vouchers:VoucherRedeemed": {
      const price = a.price as bigint;
      const discount = a.discount as bigint;
      await foldBoth(a.payer, a.payee, price - discount);
      await foldBoth(VOUCHERS, a.payee, discount);
      const details = {
        orderRef: a.orderRef,
        paymentId: a.paymentId,
        campaignId: a.campaignId,
        price,
        discount,
      };
      add(a.payer, {
        kind: "voucherPayment",
        incoming: false,
        amount: price - discount,
        counterparty: a.payee as string,
        details,
      });
      if (!same(a.payer, a.payee)) {
        add(a.payee, {
          kind: "voucherPayment",
          incoming: true,
          amount: price,
          counterparty: a.payer as string,
          details,
        });
      }
      break;
    }
  }

  if (rows.length > 0) await db.insert(movement).values(rows.map(({ account, entry }) => row(event, account, entry)));
}

function row(event: MovementEvent, account: Hex, entry: Entry) {
  return {
    account,
    blockNumber: event.blockNumber,
    logIndex: event.logIndex,
    txHash: event.txHash,
    timestamp: event.timestamp,
    kind: entry.kind,
    incoming: entry.incoming,
    amount: entry.amount,
    counterparty: entry.counterparty ?? null,
    details: entry.details ? jsonable(entry.details) : null,
  };
}

/** Bigints (also nested) as decimal strings, as the API answers them. */
function jsonable(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    if (typeof inner === "bigint") out[key] = inner.toString();
    else if (inner && typeof inner === "object") out[key] = jsonable(inner as Record<string, unknown>);
    else out[key] = inner;
  }
  return out;
}
