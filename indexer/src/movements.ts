// A person's history as the events arrive: the rows of the `movement` table, one per entry that
// core/history/assemble.ts would make for her from the chain's logs. assemble.ts folds a Transfer
// into the meaningful event of the same transaction that stands for it (the PaymentMade of a
// payment, the PacketCreated of a red packet, …); here the Transfer's rows are written when it
// arrives, and a later event of the same transaction that stands for it marks them `folded`. An
// event that comes before its Transfer (a voucher sale refunded emits first, then pays back)
// leaves a wish that the Transfer, when it comes, fulfils by not being listed for her.
// Each perspective (the account whose history it is) folds on its own, as assemble.ts does when
// run for each account: an escrow still sees the Transfer a red packet's sender no longer does.
// Events reach the handlers in chain order, and a transaction's events one after another, so the
// state of the current transaction is kept here between its events.
import { movement } from "ponder:schema";
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

type SeenTransfer = { logIndex: number; from: string; to: string; value: bigint; folded: Set<string> };
type Wish = { me: string; from: string; to: string; value: bigint };
let current: { key: string; transfers: SeenTransfer[]; wishes: Wish[] } | undefined;

function transaction(event: MovementEvent) {
  const key = `${event.blockNumber}:${event.txHash}`;
  if (current?.key !== key) current = { key, transfers: [], wishes: [] };
  return current;
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
  const tx = transaction(event);
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
    if (f !== t) {
      await db
        .update(movement, { account: m as Hex, blockNumber: event.blockNumber, logIndex: seen.logIndex })
        .set({ folded: true });
    }
  };
  /** Folded in both parties' histories (assemble.ts folds it whoever reads). */
  const foldBoth = async (from: unknown, to: unknown, value: bigint) => {
    await fold(from, from, to, value);
    if (lower(from) !== lower(to)) await fold(to, from, to, value);
  };
  const same = (x: unknown, y: unknown) => lower(x) === lower(y);

  switch (`${event.contract}:${event.name}`) {
    case "CityYuan:Transfer": {
      const value = a.value as bigint;
      if (value === 0n) break;
      const seen: SeenTransfer = {
        logIndex: event.logIndex,
        from: lower(a.from),
        to: lower(a.to),
        value,
        folded: new Set(),
      };
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
      if (seen.from === seen.to) break;
      for (const [me, other, incoming] of [
        [a.from, a.to, false],
        [a.to, a.from, true],
      ] as const) {
        if (lower(me) === ZERO || seen.folded.has(lower(me))) continue;
        add(me, { kind: "transfer", incoming, amount: value, counterparty: other as string });
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

  if (rows.length === 0) return;
  await db.insert(movement).values(
    rows.map(({ account, entry }) => ({
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
      folded: false,
    })),
  );
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
