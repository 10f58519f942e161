// The abnormal-activity rules, applied to one token movement at a time inside the watcher's
// block transaction. Each movement is recorded once (keyed by txHash, logIndex); a movement seen
// again after a restart is skipped, so alerts are never doubled.
import { randomUUID } from "node:crypto";
import type { Address, Hex } from "viem";
import type { AlertKind } from "../../../core/api.js";
import { findLookalike } from "../../../core/lookalike.js";
import { getLargePaymentFen } from "../privateData.js";
import type { Queryable } from "../storage/Database.js";

/** A burst is this many outgoing movements within BURST_WINDOW_S seconds of block time. */
export const BURST_COUNT = 5;
export const BURST_WINDOW_S = 10 * 60;
/** Incoming amounts at or below this many fen count as "dust". */
export const DUST_FEN = 100n;

export interface Movement {
  txHash: Hex;
  logIndex: number;
  blockNumber: bigint;
  blockHash: Hex;
  /** Block timestamp, seconds. */
  blockTime: number;
  from: Address;
  to: Address;
  amount: bigint;
}

export interface RuleContext {
  /** Contract addresses (the token, escrows): never residents, never "new payees". */
  contracts: ReadonlySet<string>;
  now: number;
  /** Whether an address is a shop registered with the city: a registered shop is no stranger. */
  isMerchant?: (address: string) => Promise<boolean>;
}

/** The most addresses already paid that a new payee is compared with (the newest ones). */
export const KNOWN_PAYEES_CHECKED = 500;

async function raise(
  tx: Queryable,
  owner: string,
  kind: AlertKind,
  m: Movement,
  counterparty: string,
  details: Record<string, unknown>,
  now: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO alerts (id, owner, kind, tx_hash, log_index, block_number, block_time, counterparty, amount,
       details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (owner, kind, tx_hash, log_index) DO NOTHING`,
    [
      randomUUID(),
      owner,
      kind,
      m.txHash,
      m.logIndex,
      Number(m.blockNumber),
      m.blockTime,
      counterparty,
      m.amount.toString(),
      JSON.stringify(details),
      now,
    ],
  );
}

interface Imitated {
  /** The contact's name; absent for an address only paid before. */
  name?: string;
  address: string;
  kind: "oneChar" | "edges";
}

/**
 * The known address `other` imitates: a contact or an address `owner` paid before (in this order)
 * that differs from it in one character, or has the same first and last characters (core/lookalike,
 * the rule the dApp applies before paying).
 */
async function lookAlikeOfKnown(
  tx: Queryable,
  owner: string,
  other: string,
  { paidBefore }: { paidBefore: boolean },
): Promise<Imitated | undefined> {
  const contacts = await tx.all<{ name: string; address: string }>(
    "SELECT name, address FROM contacts WHERE owner = ?",
    [owner],
  );
  const paid = paidBefore
    ? await tx.all<{ address: string }>(
        `SELECT to_addr AS address, MAX(block_number) AS last FROM chain_transfers WHERE from_addr = ? AND to_addr <> ?
         GROUP BY to_addr ORDER BY last DESC LIMIT ${KNOWN_PAYEES_CHECKED}`,
        [owner, other],
      )
    : [];
  const known = [...contacts, ...paid.map((p) => ({ name: undefined, address: p.address }))];
  const match = findLookalike(other, known);
  if (match !== undefined) return { ...match.known, kind: match.kind };
  return undefined;
}

async function isContact(tx: Queryable, owner: string, other: string): Promise<boolean> {
  return (await tx.get("SELECT 1 AS x FROM contacts WHERE owner = ? AND address = ?", [owner, other])) !== undefined;
}

/** Records a movement and raises the alerts it deserves. Returns false if it was already recorded. */
export async function applyRules(tx: Queryable, m: Movement, ctx: RuleContext): Promise<boolean> {
  const from = m.from.toLowerCase();
  const to = m.to.toLowerCase();
  const zero = "0x0000000000000000000000000000000000000000";
  if (from === zero || to === zero) return false; // issuing and redeeming are handled as requests

  const { changes } = await tx.run(
    `INSERT INTO chain_transfers (tx_hash, log_index, block_number, block_hash, block_time, from_addr, to_addr, amount)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx_hash, log_index) DO NOTHING`,
    [m.txHash, m.logIndex, Number(m.blockNumber), m.blockHash, m.blockTime, from, to, m.amount.toString()],
  );
  if (changes === 0) return false;

  if (!ctx.contracts.has(from)) await outgoingRules(tx, m, from, to, ctx);
  if (!ctx.contracts.has(to) && !ctx.contracts.has(from)) await incomingRules(tx, m, from, to, ctx);
  return true;
}

async function outgoingRules(tx: Queryable, m: Movement, from: string, to: string, ctx: RuleContext): Promise<void> {
  const threshold = await getLargePaymentFen(tx, from);
  if (m.amount >= threshold) {
    await raise(tx, from, "large_payment", m, to, { thresholdFen: threshold.toString() }, ctx.now);
  }

  const windowStart = m.blockTime - BURST_WINDOW_S;
  const recent = await tx.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM chain_transfers WHERE from_addr = ? AND block_time > ? AND block_time <= ?",
    [from, windowStart, m.blockTime],
  );
  if (Number(recent?.n ?? 0) >= BURST_COUNT) {
    // One alert per burst, not one per payment in it.
    const already = await tx.get(
      "SELECT 1 AS x FROM alerts WHERE owner = ? AND kind = 'payment_burst' AND block_time > ?",
      [from, windowStart],
    );
    if (already === undefined) {
      await raise(
        tx,
        from,
        "payment_burst",
        m,
        to,
        { count: Number(recent?.n), windowSeconds: BURST_WINDOW_S },
        ctx.now,
      );
    }
  }

  if (ctx.contracts.has(to)) return; // funding a red packet or voucher budget is no new payee
  if (await isContact(tx, from, to)) return;
  const seenBefore = await tx.get(
    `SELECT 1 AS x FROM chain_transfers WHERE from_addr = ? AND to_addr = ? AND NOT (tx_hash = ? AND log_index = ?) LIMIT 1`,
    [from, to, m.txHash, m.logIndex],
  );
  // Checked before "received from before": a poisoner's dust makes its address look familiar in
  // history, which is exactly how the victim comes to copy it. A payee she already paid is hers.
  const imitated = seenBefore === undefined ? await lookAlikeOfKnown(tx, from, to, { paidBefore: true }) : undefined;
  if (imitated !== undefined) {
    await raise(
      tx,
      from,
      "payment_to_look_alike",
      m,
      to,
      { contactName: imitated.name, contactAddress: imitated.address, similarity: imitated.kind },
      ctx.now,
    );
    return;
  }
  if (seenBefore !== undefined) return;
  // A shop registered with the city is no stranger.
  if (await ctx.isMerchant?.(to)) return;
  const receivedFrom = await tx.get("SELECT 1 AS x FROM chain_transfers WHERE from_addr = ? AND to_addr = ? LIMIT 1", [
    to,
    from,
  ]);
  if (receivedFrom === undefined) await raise(tx, from, "first_payment", m, to, {}, ctx.now);
}

async function incomingRules(tx: Queryable, m: Movement, from: string, to: string, ctx: RuleContext): Promise<void> {
  if (await isContact(tx, to, from)) return;
  const imitated = await lookAlikeOfKnown(tx, to, from, { paidBefore: true });
  if (imitated === undefined) return;
  await raise(
    tx,
    to,
    "address_poisoning",
    m,
    from,
    {
      contactName: imitated.name,
      contactAddress: imitated.address,
      similarity: imitated.kind,
      dust: m.amount <= DUST_FEN,
    },
    ctx.now,
  );
}
