// Turns the chain logs that involve one account into history entries: one entry per movement of
// the resident's money, as they think of it. A payment writes a Transfer and a PaymentMade in the
// same transaction; the resident made ONE payment, so the Transfer is folded into the entry the
// meaningful event produces (payment, refund, top-up, cash-out, red packet, voucher checkout).
// Transfers left over are plain transfers. Pure: no network, no React, so the page, the hook and
// the benchmark share it and the unit tests can pin every rule.
import type { Address, Hex } from "viem";

/** A decoded log, as the loader hands it over (viem's parseEventLogs output, trimmed). */
export type ChainLog = {
  address: Address;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** Unix seconds of the block. */
  blockTimestamp: number;
  eventName: string;
  args: Record<string, unknown>;
};

export type HistoryContracts = {
  cityYuan: Address;
  redPacket: Address;
  vouchers: Address;
  /** 亲属卡 (FamilyCards), where deployed: a funder's payment made by his card's holder. */
  familyCards?: Address;
  /** 转账延时到账 (DelayedTransfers), where deployed: transfers that wait in its escrow. */
  delayedTransfers?: Address;
};

export const HISTORY_KINDS = [
  "payment",
  "voucherPayment",
  "refund",
  "transfer",
  "redPacketSent",
  "redPacketClaimed",
  "redPacketRefunded",
  "topUp",
  "cashOut",
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export type HistoryEntry = {
  /** `${txHash}:${logIndex}` of the log that defines the entry: stable across reloads. */
  id: string;
  kind: HistoryKind;
  direction: "in" | "out";
  /** Fen that entered or left the account: > 0, except a voucher checkout the voucher paid in full. */
  amount: bigint;
  /** The other side: merchant, friend, payer, the escrow. Absent for top-ups and cash-outs. */
  counterparty?: Address;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  /** Unix seconds. */
  timestamp: number;
  orderRef?: Hex;
  paymentId?: Hex;
  bankRef?: Hex;
  packetId?: bigint;
  greeting?: string;
  shares?: bigint;
  campaignId?: bigint;
  /** Voucher checkout: the full price the merchant received and the part the voucher paid. */
  price?: bigint;
  discount?: bigint;
  /** A payment made with a 亲属卡 (from the funder's account): whose card (the holder) and which. */
  familyCard?: { cardId: bigint; holder: Address };
  /** A 转账延时到账: sent (money left, waiting until `releaseAt`), taken back, or arrived. */
  delayed?: { transferId: bigint; state: "sent" | "cancelled" | "released"; releaseAt?: number };
};

const ZERO = "0x0000000000000000000000000000000000000000";

const same = (a: unknown, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

type Transfer = { log: ChainLog; from: string; to: string; value: bigint; used: boolean };

/** Newest first: the order every list and page uses. */
export function compareNewestFirst(a: HistoryEntry, b: HistoryEntry): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber > b.blockNumber ? -1 : 1;
  return b.logIndex - a.logIndex;
}

/**
 * Builds the account's entries from its logs (any order; several block ranges may be passed at
 * once as long as a transaction's logs are all present together). Logs of other contracts, other
 * tokens and zero-value transfers are ignored. Returns newest first.
 */
export function assembleEntries(
  logs: readonly ChainLog[],
  account: Address,
  contracts: HistoryContracts,
): HistoryEntry[] {
  const byTx = new Map<string, ChainLog[]>();
  for (const log of logs) {
    const key = log.transactionHash.toLowerCase();
    const group = byTx.get(key);
    if (group) group.push(log);
    else byTx.set(key, [log]);
  }
  const entries: HistoryEntry[] = [];
  for (const group of byTx.values()) assembleTransaction(group, account, contracts, entries);
  return entries.sort(compareNewestFirst);
}

function assembleTransaction(logs: ChainLog[], me: Address, contracts: HistoryContracts, out: HistoryEntry[]): void {
  // Duplicate logs can arrive when block ranges overlap; one log is one fact.
  const seen = new Set<number>();
  const ordered: ChainLog[] = [];
  for (const log of [...logs].sort((a, b) => a.logIndex - b.logIndex)) {
    if (seen.has(log.logIndex)) continue;
    seen.add(log.logIndex);
    ordered.push(log);
  }

  const transfers: Transfer[] = [];
  for (const log of ordered) {
    if (log.eventName !== "Transfer" || !same(log.address, contracts.cityYuan)) continue;
    const { from, to, value } = log.args as { from: string; to: string; value: bigint };
    if (typeof value !== "bigint" || value === 0n) continue;
    if (!same(from, me) && !same(to, me)) continue;
    transfers.push({ log, from, to, value, used: false });
  }
  // Marks the Transfer a meaningful event stands for, so it is not listed a second time.
  const consume = (from: string, to: string, value: bigint): void => {
    if (value === 0n) return;
    const match = transfers.find((t) => !t.used && same(t.from, from) && same(t.to, to) && t.value === value);
    if (match) match.used = true;
  };
  const base = (log: ChainLog) => ({
    id: `${log.transactionHash.toLowerCase()}:${log.logIndex}`,
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    txHash: log.transactionHash,
    timestamp: log.blockTimestamp,
  });

  for (const log of ordered) {
    const a = log.args;
    if (same(log.address, contracts.cityYuan)) {
      switch (log.eventName) {
        case "PaymentMade": {
          const payer = a.payer as Address;
          const payee = a.payee as Address;
          const amount = a.amount as bigint;
          consume(payer, payee, amount);
          if (same(payer, payee)) break;
          if (same(payer, me) || same(payee, me)) {
            const outgoing = same(payer, me);
            out.push({
              ...base(log),
              kind: "payment",
              direction: outgoing ? "out" : "in",
              amount,
              counterparty: outgoing ? payee : payer,
              orderRef: a.orderRef as Hex,
              paymentId: a.paymentId as Hex,
            });
          }
          break;
        }
        case "PaymentRefunded": {
          const payee = a.payee as Address;
          const payer = a.payer as Address;
          const amount = a.amount as bigint;
          consume(payee, payer, amount);
          if (same(payer, payee)) break;
          if (same(payer, me) || same(payee, me)) {
            const incoming = same(payer, me);
            out.push({
              ...base(log),
              kind: "refund",
              direction: incoming ? "in" : "out",
              amount,
              counterparty: incoming ? payee : payer,
              paymentId: a.paymentId as Hex,
            });
          }
          break;
        }
        case "Issued":
          if (same(a.to, me)) {
            consume(ZERO, me, a.amount as bigint);
            out.push({
              ...base(log),
              kind: "topUp",
              direction: "in",
              amount: a.amount as bigint,
              bankRef: a.bankRef as Hex,
            });
          }
          break;
        case "Redeemed":
          if (same(a.account, me)) {
            consume(me, ZERO, a.amount as bigint);
            out.push({
              ...base(log),
              kind: "cashOut",
              direction: "out",
              amount: a.amount as bigint,
              bankRef: a.bankRef as Hex,
            });
          }
          break;
      }
    } else if (same(log.address, contracts.redPacket)) {
      switch (log.eventName) {
        case "PacketCreated":
          if (same(a.sender, me)) {
            consume(me, contracts.redPacket, a.amount as bigint);
            out.push({
              ...base(log),
              kind: "redPacketSent",
              direction: "out",
              amount: a.amount as bigint,
              counterparty: contracts.redPacket,
              packetId: a.packetId as bigint,
              greeting: a.greeting as string,
              shares: a.shares as bigint,
            });
          }
          break;
        case "PacketClaimed":
          if (same(a.claimer, me)) {
            consume(contracts.redPacket, me, a.amount as bigint);
            out.push({
              ...base(log),
              kind: "redPacketClaimed",
              direction: "in",
              amount: a.amount as bigint,
              counterparty: contracts.redPacket,
              packetId: a.packetId as bigint,
            });
          }
          break;
        case "PacketRefunded":
          if (same(a.sender, me)) {
            consume(contracts.redPacket, me, a.amount as bigint);
            out.push({
              ...base(log),
              kind: "redPacketRefunded",
              direction: "in",
              amount: a.amount as bigint,
              counterparty: contracts.redPacket,
              packetId: a.packetId as bigint,
            });
          }
          break;
      }
    } else if (contracts.familyCards && same(log.address, contracts.familyCards)) {
      // A 亲属卡 payment: the funder's HCY went straight to the shop (CityYuan records it as his
      // refundable payment but emits no PaymentMade), so this event is the payment. The funder
      // sees a payment out naming whose card paid; the shop a payment in. The holder's own money
      // does not move, so nothing is added for her.
      if (log.eventName === "FamilyCardPaid") {
        const funder = a.funder as Address;
        const shop = a.shop as Address;
        const amount = a.amount as bigint;
        consume(funder, shop, amount);
        if (same(funder, me) || same(shop, me)) {
          const outgoing = same(funder, me);
          out.push({
            ...base(log),
            kind: "payment",
            direction: outgoing ? "out" : "in",
            amount,
            counterparty: outgoing ? shop : funder,
            orderRef: a.orderRef as Hex,
            paymentId: a.paymentId as Hex,
            familyCard: { cardId: a.cardId as bigint, holder: a.holder as Address },
          });
        }
      }
    } else if (contracts.delayedTransfers && same(log.address, contracts.delayedTransfers)) {
      const escrow = contracts.delayedTransfers;
      const amount = a.amount as bigint;
      const transferId = a.transferId as bigint;
      if (log.eventName === "TransferDelayed" && same(a.sender, me)) {
        // Her money left now, to the receiver's name; it waits in the escrow until releaseAt.
        consume(me, escrow, amount);
        out.push({
          ...base(log),
          kind: "transfer",
          direction: "out",
          amount,
          counterparty: a.receiver as Address,
          delayed: { transferId, state: "sent", releaseAt: Number(a.releaseAt as bigint) },
        });
      } else if (log.eventName === "TransferCancelled" && same(a.sender, me)) {
        consume(escrow, me, amount);
        out.push({
          ...base(log),
          kind: "transfer",
          direction: "in",
          amount,
          counterparty: a.receiver as Address,
          delayed: { transferId, state: "cancelled" },
        });
      } else if (log.eventName === "TransferReleased" && same(a.receiver, me)) {
        consume(escrow, me, amount);
        out.push({
          ...base(log),
          kind: "transfer",
          direction: "in",
          amount,
          counterparty: a.sender as Address,
          delayed: { transferId, state: "released" },
        });
      }
    } else if (same(log.address, contracts.vouchers) && log.eventName === "VoucherSaleRefunded") {
      // A voucher sale refunded in full: the shop gave her back what she paid and the campaign
      // its discount. She sees a refund of her part; the shop, the whole price given back.
      const payer = a.payer as Address;
      const payee = a.payee as Address;
      const paid = a.paid as bigint;
      const discount = a.discount as bigint;
      consume(payee, payer, paid);
      consume(payee, contracts.vouchers, discount);
      if (same(payer, me) || same(payee, me)) {
        const incoming = same(payer, me);
        out.push({
          ...base(log),
          kind: "refund",
          direction: incoming ? "in" : "out",
          amount: incoming ? paid : paid + discount,
          counterparty: incoming ? payee : payer,
          paymentId: a.paymentId as Hex,
        });
      }
    } else if (same(log.address, contracts.vouchers) && log.eventName === "VoucherRedeemed") {
      const payer = a.payer as Address;
      const payee = a.payee as Address;
      const price = a.price as bigint;
      const discount = a.discount as bigint;
      // The resident's part goes straight to the merchant, the discount from the escrow.
      consume(payer, payee, price - discount);
      consume(contracts.vouchers, payee, discount);
      if (same(payer, me) || same(payee, me)) {
        const outgoing = same(payer, me);
        const amount = outgoing ? price - discount : price;
        // A voucher worth the whole price moves none of the payer's money (amount 0): still a
        // checkout the resident made, shown with its saving.
        out.push({
          ...base(log),
          kind: "voucherPayment",
          direction: outgoing ? "out" : "in",
          amount,
          counterparty: outgoing ? payee : payer,
          orderRef: a.orderRef as Hex,
          paymentId: a.paymentId as Hex,
          campaignId: a.campaignId as bigint,
          price,
          discount,
        });
      }
    }
  }

  for (const t of transfers) {
    if (t.used || same(t.from, t.to)) continue;
    const outgoing = same(t.from, me);
    out.push({
      id: `${t.log.transactionHash.toLowerCase()}:${t.log.logIndex}`,
      kind: "transfer",
      direction: outgoing ? "out" : "in",
      amount: t.value,
      counterparty: (outgoing ? t.to : t.from) as Address,
      blockNumber: t.log.blockNumber,
      logIndex: t.log.logIndex,
      txHash: t.log.transactionHash,
      timestamp: t.log.blockTimestamp,
    });
  }
}

/** Merges two newest-first lists, dropping duplicates by id (ranges read twice, live updates). */
export function mergeEntries(a: readonly HistoryEntry[], b: readonly HistoryEntry[]): HistoryEntry[] {
  if (b.length === 0) return a as HistoryEntry[];
  if (a.length === 0) return b as HistoryEntry[];
  // The common cases (new blocks on top, older ranges below) need no sort.
  if (compareNewestFirst(a[a.length - 1], b[0]) < 0) return a.concat(b);
  if (compareNewestFirst(b[b.length - 1], a[0]) < 0) return b.concat(a);
  const ids = new Set(a.map((e) => e.id));
  const merged = a.concat(b.filter((e) => !ids.has(e.id)));
  return merged.sort(compareNewestFirst);
}

/** The signed effect on the balance: +amount in, -amount out. */
export function signedAmount(entry: HistoryEntry): bigint {
  return entry.direction === "in" ? entry.amount : -entry.amount;
}
