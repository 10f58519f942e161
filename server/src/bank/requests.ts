// Top-up and cash-out requests: a state machine beside an append-only ledger of every `Issued`
// and `Redeemed` event the watcher sees (bank_events). A request moves only from the states that
// allow the move (TOPUP_MOVES, CASHOUT_MOVES); an event that does not fit its request (a second
// issue on one reference, an issue for a rejected, expired or unknown request, another amount or
// recipient, a burn of someone else's reference) is recorded and becomes a problem on the desk
// and in the account's history, never an overwrite and never dropped.
//
// Top-up:   awaiting_deposit -> deposit_confirmed (the bank has the money; the desk may issue)
//           -> issued (Issued(.., bankRef) matched) | mismatch (amount or recipient differ);
//           awaiting_deposit -> declined (bank) | expired (no deposit in time); open -> rejected (desk).
// Cash-out: awaiting_redeem -> redeemed (Redeemed by the owner, same amount) -> paid (bank paid)
//           | mismatch (another amount); awaiting_redeem -> expired, and an expired cash-out the
//           owner burns anyway is still paid.
// The service never holds the issuer key: the desk signs `issue` in its own wallet.
import { randomUUID } from "node:crypto";
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import {
  type BankProblem,
  type BankProblemKind,
  type CardTopUpStarted,
  type CashOut,
  type CashOutState,
  DESK_SORTS,
  type DeskSort,
  MAX_OPEN_REQUESTS,
  MAX_PAGE,
  type TopUp,
  type TopUpState,
} from "../../../core/api.js";
import { ApiError } from "../errors.js";
import { releaseUsage } from "../identity/identities.js";
import type { Database, Queryable, SqlValue, Transaction } from "../storage/Database.js";
import { BankDeclinedError, type BankGateway, type CardDebitStarted } from "./BankGateway.js";

export type { BankProblem, BankProblemKind, CashOut, CashOutState, DeskSort, TopUp, TopUpState };

/** Which states each move may start from. Anything else is refused or becomes a problem. */
export const TOPUP_MOVES = {
  confirmDeposit: ["awaiting_deposit"],
  decline: ["awaiting_deposit"],
  expire: ["awaiting_deposit"],
  reject: ["awaiting_deposit", "deposit_confirmed"],
  issue: ["deposit_confirmed"],
  /** A reorg removed the Issued event the request was settled by. */
  unissue: ["issued", "mismatch"],
} as const satisfies Record<string, readonly TopUpState[]>;

export const CASHOUT_MOVES = {
  expire: ["awaiting_redeem"],
  redeem: ["awaiting_redeem", "expired"],
  pay: ["redeemed"],
  /** A reorg removed the Redeemed event before the bank paid. */
  unredeem: ["redeemed", "mismatch"],
} as const satisfies Record<string, readonly CashOutState[]>;

export { DESK_SORTS, MAX_OPEN_REQUESTS, MAX_PAGE };

export const bankRefOf = (requestId: string): Hex => keccak256(toHex(requestId));

const ORDER_BY: Record<DeskSort, string> = {
  oldest: "created_at ASC, id ASC",
  newest: "created_at DESC, id DESC",
  amount_desc: "CAST(amount_fen AS BIGINT) DESC, created_at ASC, id ASC",
  amount_asc: "CAST(amount_fen AS BIGINT) ASC, created_at ASC, id ASC",
};

export interface DeskQuery {
  states: readonly TopUpState[];
  owner?: Address;
  sort: DeskSort;
  offset: number;
  limit: number;
}

type TopUpRow = {
  id: string;
  owner: string;
  amount_fen: string;
  card_last4: string;
  bank_ref: Hex;
  state: TopUpState;
  created_at: number;
  updated_at: number;
  issued_tx: Hex | null;
  problem: string | null;
  method: "transfer" | "card" | null;
};
const toTopUp = (r: TopUpRow): TopUp => ({
  id: r.id,
  owner: getAddress(r.owner),
  amountFen: r.amount_fen,
  cardLast4: r.card_last4,
  bankRef: r.bank_ref,
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  issuedTx: r.issued_tx,
  problem: r.problem,
  method: r.method ?? "transfer",
});
type CashOutRow = {
  id: string;
  owner: string;
  amount_fen: string;
  card_last4: string | null;
  bank_ref: Hex;
  state: CashOutState;
  created_at: number;
  updated_at: number;
  redeemed_tx: Hex | null;
  payout_id: string | null;
  problem: string | null;
};
const toCashOut = (r: CashOutRow): CashOut => ({
  id: r.id,
  owner: getAddress(r.owner),
  amountFen: r.amount_fen,
  cardLast4: r.card_last4,
  bankRef: r.bank_ref,
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  redeemedTx: r.redeemed_tx,
  payoutId: r.payout_id,
  problem: r.problem,
});
type ProblemRow = {
  id: string;
  kind: BankProblemKind;
  account: string;
  request_id: string | null;
  bank_ref: Hex;
  tx_hash: Hex;
  log_index: number;
  block_number: number;
  amount: string;
  details: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
};
const toProblem = (r: ProblemRow): BankProblem => ({
  id: r.id,
  kind: r.kind,
  account: getAddress(r.account),
  requestId: r.request_id,
  bankRef: r.bank_ref,
  txHash: r.tx_hash,
  logIndex: r.log_index,
  blockNumber: r.block_number,
  amountFen: r.amount,
  details: JSON.parse(r.details) as Record<string, unknown>,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by === null ? null : getAddress(r.resolved_by),
  resolution: r.resolution,
});

const TOPUP_COLUMNS =
  "id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, issued_tx, problem, method";
const CASHOUT_COLUMNS =
  "id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, redeemed_tx, payout_id, problem";
const PROBLEM_COLUMNS =
  "id, kind, account, request_id, bank_ref, tx_hash, log_index, block_number, amount, details, created_at, resolved_at, resolved_by, resolution";

const placeholders = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** One chain event as the watcher hands it over. */
export interface ChainBankEvent {
  txHash: Hex;
  logIndex: number;
  block: bigint;
  blockHash: Hex;
  bankRef: Hex;
  amount: bigint;
}

export class BankRequests {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    /** The bank itself: the identity module asks it to check cardholders and debit cards. */
    readonly bank: BankGateway,
    private readonly log: (message: string) => void,
    /** Before paying a cash-out: is the block its Redeemed event was seen in still on the chain? */
    private readonly stillCanonical: (block: bigint, hash: Hex) => Promise<boolean> = async () => true,
    /**
     * Finality before money leaves the bank: a cash-out is paid only once its Redeemed block is
     * `confirmations` blocks under the head (the watcher already waits that long before it settles
     * a burn; this is asked again right before paying, against a lowered setting or a lagging node).
     */
    private readonly finality: { confirmations: number; head: () => Promise<bigint> } = {
      confirmations: 0,
      head: async () => 0n,
    },
  ) {}

  /**
   * A top-up by bank transfer, for an address identity `identityId` owns (the route refuses any
   * other). `charge` counts it against that identity's daily limit in the same transaction.
   */
  async requestTopUp(
    owner: Address,
    amountFen: bigint,
    cardLast4: string,
    identityId: string,
    now: number,
    charge: (tx: Transaction) => Promise<void>,
  ): Promise<TopUp> {
    const id = randomUUID();
    await this.insertCapped("topups", owner, TOPUP_OPEN, async (tx) => {
      await charge(tx);
      await tx.run(
        `INSERT INTO topups (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, method, identity_id)
         VALUES (?, ?, ?, ?, ?, 'awaiting_deposit', ?, ?, 'transfer', ?)`,
        [id, owner.toLowerCase(), amountFen.toString(), cardLast4, bankRefOf(id), now, now, identityId],
      );
    });
    this.track(this.confirmDeposit(id));
    return (await this.topUp(id)) as TopUp;
  }

  /**
   * A top-up from her bound card (快捷支付): the request is made (counted against her identity's
   * daily limit by `charge`, in the same transaction), then the bank is asked to debit the card and
   * sends her a one-time code. The deposit is confirmed only with that code (confirmCardTopUp).
   */
  async requestCardTopUp(
    owner: Address,
    amountFen: bigint,
    card: { token: string; last4: string },
    identityId: string,
    now: number,
    charge: (tx: Transaction) => Promise<void>,
  ): Promise<CardTopUpStarted> {
    const id = randomUUID();
    await this.insertCapped("topups", owner, TOPUP_OPEN, async (tx) => {
      await charge(tx);
      await tx.run(
        `INSERT INTO topups (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, method, identity_id)
         VALUES (?, ?, ?, ?, ?, 'awaiting_deposit', ?, ?, 'card', ?)`,
        [id, owner.toLowerCase(), amountFen.toString(), card.last4, bankRefOf(id), now, now, identityId],
      );
    });
    let debit: CardDebitStarted;
    try {
      debit = await this.bank.startCardDebit({
        requestId: id,
        bankRef: bankRefOf(id),
        cardToken: card.token,
        amountFen,
      });
    } catch (error) {
      const declined = error instanceof BankDeclinedError;
      await endWithoutMoney(this.db, id, "decline", now, {
        problem: declined ? error.message : "the bank could not be reached",
      });
      if (declined) throw new ApiError(422, "bank_declined", error.message);
      this.log(`bank: card debit for ${id} could not start: ${String(error)}`);
      throw new ApiError(503, "service_busy", "The bank could not be reached; nothing was debited, try again shortly");
    }
    await this.db.run("UPDATE topups SET bank_debit_id = ? WHERE id = ?", [debit.debitId, id]);
    return { topUp: (await this.topUp(id)) as TopUp, code: debit };
  }

  /**
   * The one-time code she received: the bank debits her card and the deposit is confirmed (the
   * desk then issues as for any top-up). A wrong code is refused with the bank's reason; once the
   * bank gives up on the debit (expired, too many wrong codes) the request is declined.
   */
  async confirmCardTopUp(owner: Address, id: string, code: string, now: number): Promise<TopUp> {
    const row = await this.db.get<{
      owner: string;
      method: string | null;
      state: TopUpState;
      bank_debit_id: string | null;
      identity_id: string | null;
      amount_fen: string;
      created_at: number;
    }>("SELECT owner, method, state, bank_debit_id, identity_id, amount_fen, created_at FROM topups WHERE id = ?", [
      id,
    ]);
    if (row === undefined || row.owner !== owner.toLowerCase()) {
      throw new ApiError(404, "not_found", "No such top-up request");
    }
    if (row.method !== "card" || row.bank_debit_id === null || row.state !== "awaiting_deposit") {
      throw new ApiError(409, "not_pending", `The request is ${row.state} and takes no code`);
    }
    try {
      const confirmation = await this.bank.confirmCardDebit(row.bank_debit_id, code);
      await moveTopUp(this.db, id, "confirmDeposit", "deposit_confirmed", confirmation.confirmedAt, {
        deposit_id: confirmation.depositId,
      });
    } catch (error) {
      if (!(error instanceof BankDeclinedError)) throw error;
      if (!error.retryable) await endWithoutMoney(this.db, id, "decline", now, { problem: error.message });
      throw new ApiError(422, "bank_declined", error.message);
    }
    return (await this.topUp(id)) as TopUp;
  }

  /** A cash-out, for an address identity `identityId` owns; `charge` counts it as for a top-up. */
  async requestCashOut(
    owner: Address,
    amountFen: bigint,
    cardLast4: string,
    identityId: string,
    now: number,
    charge: (tx: Transaction) => Promise<void>,
  ): Promise<CashOut> {
    const id = randomUUID();
    await this.insertCapped("cashouts", owner, CASHOUT_OPEN, async (tx) => {
      await charge(tx);
      await tx.run(
        `INSERT INTO cashouts (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, identity_id)
         VALUES (?, ?, ?, ?, ?, 'awaiting_redeem', ?, ?, ?)`,
        [id, owner.toLowerCase(), amountFen.toString(), cardLast4, bankRefOf(id), now, now, identityId],
      );
    });
    return (await this.cashOut(id)) as CashOut;
  }

  /**
   * Counts the owner's open requests and inserts in one transaction that holds the owner's lock,
   * so concurrent requests cannot all pass the count (check-then-insert was exceeded on PostgreSQL).
   */
  private async insertCapped(
    table: "topups" | "cashouts",
    owner: Address,
    open: readonly string[],
    insert: (tx: Transaction) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.lock(`open-requests:${table}:${owner.toLowerCase()}`);
      const row = await tx.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${table} WHERE owner = ? AND state IN (${placeholders(open)})`,
        [owner.toLowerCase(), ...open],
      );
      if (Number(row?.n ?? 0) >= MAX_OPEN_REQUESTS) {
        throw new ApiError(409, "too_many_open_requests", `At most ${MAX_OPEN_REQUESTS} open requests at a time`);
      }
      await insert(tx);
    });
  }

  async topUp(id: string): Promise<TopUp | undefined> {
    const r = await this.db.get<TopUpRow>(`SELECT ${TOPUP_COLUMNS} FROM topups WHERE id = ?`, [id]);
    return r && toTopUp(r);
  }

  async cashOut(id: string): Promise<CashOut | undefined> {
    const r = await this.db.get<CashOutRow>(`SELECT ${CASHOUT_COLUMNS} FROM cashouts WHERE id = ?`, [id]);
    return r && toCashOut(r);
  }

  async myTopUps(owner: Address): Promise<TopUp[]> {
    const rows = await this.db.all<TopUpRow>(
      `SELECT ${TOPUP_COLUMNS} FROM topups WHERE owner = ? ORDER BY created_at DESC LIMIT 200`,
      [owner.toLowerCase()],
    );
    return rows.map(toTopUp);
  }

  async myCashOuts(owner: Address): Promise<CashOut[]> {
    const rows = await this.db.all<CashOutRow>(
      `SELECT ${CASHOUT_COLUMNS} FROM cashouts WHERE owner = ? ORDER BY created_at DESC LIMIT 200`,
      [owner.toLowerCase()],
    );
    return rows.map(toCashOut);
  }

  /** The desk's queue, a page at a time: filtered by state and owner, sorted by time or amount. */
  async deskTopUps(q: DeskQuery): Promise<{ topUps: TopUp[]; total: number }> {
    const where = [`state IN (${placeholders(q.states)})`];
    const params: SqlValue[] = [...q.states];
    if (q.owner !== undefined) {
      where.push("owner = ?");
      params.push(q.owner.toLowerCase());
    }
    const filter = where.join(" AND ");
    const total = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM topups WHERE ${filter}`, params);
    const rows = await this.db.all<TopUpRow>(
      `SELECT ${TOPUP_COLUMNS} FROM topups WHERE ${filter} ORDER BY ${ORDER_BY[q.sort]} LIMIT ? OFFSET ?`,
      [...params, Math.min(q.limit, MAX_PAGE), q.offset],
    );
    return { topUps: rows.map(toTopUp), total: Number(total?.n ?? 0) };
  }

  async rejectTopUp(id: string, reason: string, now: number): Promise<TopUp> {
    const moved = await moveTopUp(this.db, id, "reject", "rejected", now, { problem: reason });
    const topUp = await this.topUp(id);
    if (topUp === undefined) throw new ApiError(404, "not_found", "No such top-up request");
    if (!moved) throw new ApiError(409, "not_pending", `The request is already ${topUp.state}`);
    return topUp;
  }

  /** Open requests older than the time to live expire (run by the service's sweeper). */
  async expireStale(now: number, ttlMs: number): Promise<{ topUps: number; cashOuts: number }> {
    await this.declineAbandonedCardDebits(now);
    const before = now - ttlMs;
    // Each expired top-up gives its amount back to the limit of its day (no money came).
    const stale = await this.db.all<{ id: string }>(
      `SELECT id FROM topups WHERE state IN (${placeholders(TOPUP_MOVES.expire)}) AND created_at < ?`,
      [...TOPUP_MOVES.expire, before],
    );
    let topUps = 0;
    for (const { id } of stale) {
      if (await endWithoutMoney(this.db, id, "expire", now, { problem: "no deposit arrived in time" })) topUps++;
    }
    const cashOuts = await this.db.run(
      `UPDATE cashouts SET state = 'expired', updated_at = ?
       WHERE state IN (${placeholders(CASHOUT_MOVES.expire)}) AND created_at < ?`,
      [now, ...CASHOUT_MOVES.expire, before],
    );
    return { topUps, cashOuts: cashOuts.changes };
  }

  /**
   * A card top-up whose one-time code was never typed (she cancelled, closed the page, the code
   * never came) is declined once no bank would take the code any more, and gives its amount back
   * to today's limit: otherwise it would hold part of her day's limit and an open request for a
   * whole day. The bank's code lives minutes (5 for the simulated one); CARD_CODE_ABANDONED_MS
   * is far past that, so a code typed in time is never raced by this.
   */
  async declineAbandonedCardDebits(now: number): Promise<number> {
    const stale = await this.db.all<{ id: string }>(
      `SELECT id FROM topups WHERE method = 'card' AND state = 'awaiting_deposit' AND created_at < ?`,
      [now - CARD_CODE_ABANDONED_MS],
    );
    let declined = 0;
    for (const { id } of stale) {
      const problem = "the one-time code was not entered in time; nothing was debited";
      if (await endWithoutMoney(this.db, id, "decline", now, { problem })) declined++;
    }
    return declined;
  }

  /** Problems, newest first: all of them for the desk, or one account's for its history. */
  async problems(q: {
    account?: Address;
    open?: boolean;
    offset: number;
    limit: number;
  }): Promise<{ problems: BankProblem[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.account !== undefined) {
      where.push("account = ?");
      params.push(q.account.toLowerCase());
    }
    if (q.open === true) where.push("resolved_at IS NULL");
    const filter = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
    const total = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM bank_problems ${filter}`, params);
    const rows = await this.db.all<ProblemRow>(
      `SELECT ${PROBLEM_COLUMNS} FROM bank_problems ${filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [...params, Math.min(q.limit, MAX_PAGE), q.offset],
    );
    return { problems: rows.map(toProblem), total: Number(total?.n ?? 0) };
  }

  /** The desk says what it did about a problem; the problem stays, marked resolved. */
  async resolveProblem(id: string, by: Address, resolution: string, now: number): Promise<BankProblem> {
    const { changes } = await this.db.run(
      "UPDATE bank_problems SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL",
      [now, by.toLowerCase(), resolution, id],
    );
    const row = await this.db.get<ProblemRow>(`SELECT ${PROBLEM_COLUMNS} FROM bank_problems WHERE id = ?`, [id]);
    if (row === undefined) throw new ApiError(404, "not_found", "No such problem");
    if (changes === 0) throw new ApiError(409, "already_resolved", "This problem is already resolved");
    return toProblem(row);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async confirmDeposit(id: string): Promise<void> {
    const t = await this.topUp(id);
    if (t === undefined || t.state !== "awaiting_deposit") return;
    try {
      const confirmation = await this.bank.confirmDeposit({
        requestId: t.id,
        bankRef: t.bankRef,
        account: t.owner,
        amountFen: BigInt(t.amountFen),
        cardLast4: t.cardLast4,
      });
      await moveTopUp(this.db, id, "confirmDeposit", "deposit_confirmed", confirmation.confirmedAt, {
        deposit_id: confirmation.depositId,
      });
    } catch (error) {
      if (error instanceof BankDeclinedError) {
        await endWithoutMoney(this.db, id, "decline", Date.now(), { problem: error.message });
      } else {
        // Unreachable bank: left awaiting_deposit, retried by resume() on the next start.
        this.log(`bank: deposit confirmation for ${id} failed, will retry: ${String(error)}`);
      }
    }
  }

  /** After a start: ask the bank again about deposits and pay-outs left unfinished. */
  async resume(): Promise<void> {
    // A card top-up waits for her one-time code, never for a transfer to arrive.
    const waiting = await this.db.all<{ id: string }>(
      "SELECT id FROM topups WHERE state = 'awaiting_deposit' AND (method IS NULL OR method <> 'card')",
    );
    for (const { id } of waiting) this.track(this.confirmDeposit(id));
    await this.payOutRedeemed();
  }

  /** Watcher, inside its block transaction: `issue(to, amount, bankRef)` was mined. */
  static async settleIssued(
    tx: Queryable,
    e: ChainBankEvent & { to: Address; issuer: Address },
    now: number,
  ): Promise<void> {
    const ref = e.bankRef.toLowerCase();
    const to = e.to.toLowerCase();
    if (!(await recordEvent(tx, "issued", e, to, e.issuer.toLowerCase(), now))) return;
    const row = await tx.get<{ id: string; owner: string; amount_fen: string; state: TopUpState }>(
      "SELECT id, owner, amount_fen, state FROM topups WHERE bank_ref = ?",
      [ref],
    );
    const problem = (kind: BankProblemKind, account: string, details: Record<string, unknown> = {}) =>
      addProblem(tx, { kind, account, requestId: row?.id ?? null, event: e, details, now });
    if (row === undefined) {
      await problem("issued_without_request", to, { issuer: e.issuer });
      return;
    }
    const details = { recipient: e.to, requestedFen: row.amount_fen, issuer: e.issuer, state: row.state };
    if (row.state === "issued" || row.state === "mismatch") {
      await problem("issued_twice", to, details);
      return;
    }
    if (!(TOPUP_MOVES.issue as readonly string[]).includes(row.state)) {
      const kind: BankProblemKind =
        row.state === "awaiting_deposit" ? "issued_before_deposit" : (`issued_for_${row.state}` as BankProblemKind);
      await problem(kind, to, details);
      return;
    }
    const mismatch: BankProblemKind | null =
      row.owner !== to ? "issued_to_other" : row.amount_fen !== e.amount.toString() ? "issued_amount_differs" : null;
    await moveTopUp(tx, row.id, "issue", mismatch === null ? "issued" : "mismatch", now, {
      issuer: e.issuer.toLowerCase(),
      issued_tx: e.txHash,
      issued_block: Number(e.block),
      issued_amount: e.amount.toString(),
      problem:
        mismatch === "issued_to_other"
          ? `issued to ${e.to}, not to the requester`
          : mismatch === "issued_amount_differs"
            ? `issued ${e.amount} fen, requested ${row.amount_fen}`
            : null,
    });
    await linkEvent(tx, e, row.id);
    if (mismatch !== null) await problem(mismatch, row.owner, details);
  }

  /** Watcher, inside its block transaction: `redeem(amount, bankRef)` was mined. */
  static async settleRedeemed(tx: Queryable, e: ChainBankEvent & { account: Address }, now: number): Promise<void> {
    const ref = e.bankRef.toLowerCase();
    const burner = e.account.toLowerCase();
    if (!(await recordEvent(tx, "redeemed", e, burner, null, now))) return;
    const row = await tx.get<{ id: string; owner: string; amount_fen: string; state: CashOutState }>(
      "SELECT id, owner, amount_fen, state FROM cashouts WHERE bank_ref = ?",
      [ref],
    );
    const problem = (kind: BankProblemKind, requestId: string | null, details: Record<string, unknown> = {}) =>
      addProblem(tx, { kind, account: burner, requestId, event: e, details, now });
    if (row === undefined) {
      await problem("redeemed_without_request", null);
      return;
    }
    // A cash-out belongs to its owner: someone else burning its reference is that someone's
    // problem (their burn is not paid automatically), and the owner's request stays open.
    if (row.owner !== burner) {
      await problem("redeemed_others_reference", null, { owner: getAddress(row.owner) });
      return;
    }
    const details = { requestedFen: row.amount_fen, state: row.state };
    if (!(CASHOUT_MOVES.redeem as readonly string[]).includes(row.state)) {
      await problem("redeemed_twice", row.id, details);
      return;
    }
    const same = row.amount_fen === e.amount.toString();
    await moveCashOut(tx, row.id, "redeem", same ? "redeemed" : "mismatch", now, {
      redeemed_tx: e.txHash,
      redeemed_block: Number(e.block),
      redeemed_amount: e.amount.toString(),
      problem: same ? null : `redeemed ${e.amount} fen, requested ${row.amount_fen}`,
    });
    await linkEvent(tx, e, row.id);
    if (!same) await problem("redeemed_amount_differs", row.id, details);
  }

  /**
   * Watcher, on a reorg: events in blocks above `block` are gone. They stay in the ledger, marked
   * orphaned; requests they settled go back to open, and a cash-out already paid is flagged (the
   * resident now holds both the tokens and the bank money).
   */
  static async unsettleAbove(tx: Queryable, block: bigint, now: number): Promise<void> {
    const gone = await tx.all<{
      tx_hash: Hex;
      log_index: number;
      block_number: number;
      block_hash: Hex;
      kind: "issued" | "redeemed";
      bank_ref: Hex;
      account: string;
      amount: string;
      request_id: string | null;
    }>(
      `SELECT tx_hash, log_index, block_number, block_hash, kind, bank_ref, account, amount, request_id
       FROM bank_events WHERE block_number > ? AND orphaned_at IS NULL`,
      [Number(block)],
    );
    await tx.run("UPDATE bank_events SET orphaned_at = ? WHERE block_number > ? AND orphaned_at IS NULL", [
      now,
      Number(block),
    ]);
    for (const g of gone) {
      if (g.request_id === null) continue;
      const event: ChainBankEvent = {
        txHash: g.tx_hash,
        logIndex: g.log_index,
        block: BigInt(g.block_number),
        blockHash: g.block_hash,
        bankRef: g.bank_ref,
        amount: BigInt(g.amount),
      };
      if (g.kind === "issued") {
        const reopened = await moveTopUp(tx, g.request_id, "unissue", "deposit_confirmed", now, {
          issuer: null,
          issued_tx: null,
          issued_block: null,
          issued_amount: null,
          problem: null,
        });
        if (reopened) {
          await addProblem(tx, {
            kind: "issue_reorged",
            account: g.account,
            requestId: g.request_id,
            event,
            details: { reopened: true },
            now,
          });
        }
        continue;
      }
      const state = (await tx.get<{ state: CashOutState }>("SELECT state FROM cashouts WHERE id = ?", [g.request_id]))
        ?.state;
      if (state === "paid") {
        await addProblem(tx, {
          kind: "payout_reorged",
          account: g.account,
          requestId: g.request_id,
          event,
          details: { paid: true },
          now,
        });
      } else {
        await moveCashOut(tx, g.request_id, "unredeem", "awaiting_redeem", now, {
          redeemed_tx: null,
          redeemed_block: null,
          redeemed_amount: null,
          problem: null,
        });
      }
    }
  }

  /** Pays out every redeemed cash-out (after the watcher's transaction committed). Idempotent. */
  async payOutRedeemed(): Promise<number> {
    const rows = await this.db.all<CashOutRow & { redeemed_amount: string; redeemed_block: number }>(
      `SELECT ${CASHOUT_COLUMNS}, redeemed_amount, redeemed_block FROM cashouts WHERE state = 'redeemed'
       ORDER BY updated_at`,
    );
    let paid = 0;
    let head: bigint | undefined;
    for (const r of rows) {
      try {
        if (this.finality.confirmations > 0) {
          head ??= await this.finality.head();
          if (head - BigInt(r.redeemed_block) < BigInt(this.finality.confirmations)) {
            this.log(
              `bank: pay-out of ${r.id} waits: its Redeemed block ${r.redeemed_block} is not ${this.finality.confirmations} blocks deep yet`,
            );
            continue;
          }
        }
        // Acted-on events are checked at their block hash once more, right before money moves.
        const seen = await this.db.get<{ block_hash: Hex }>(
          "SELECT block_hash FROM bank_events WHERE tx_hash = ? AND request_id = ? AND orphaned_at IS NULL",
          [r.redeemed_tx, r.id],
        );
        if (seen !== undefined && !(await this.stillCanonical(BigInt(r.redeemed_block), seen.block_hash))) {
          this.log(`bank: pay-out of ${r.id} held: its Redeemed block ${r.redeemed_block} is no longer on the chain`);
          continue;
        }
        const receipt = await this.bank.payOut({
          requestId: r.id,
          bankRef: r.bank_ref,
          account: getAddress(r.owner),
          amountFen: BigInt(r.redeemed_amount),
          cardLast4: r.card_last4,
        });
        if (await moveCashOut(this.db, r.id, "pay", "paid", receipt.paidAt, { payout_id: receipt.payoutId })) paid++;
      } catch (error) {
        this.log(`bank: pay-out of ${r.id} failed, will retry: ${String(error)}`);
      }
    }
    return paid;
  }

  /** Waits for background bank calls (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/** After this long a card debit's one-time code is past any bank's life for it: the top-up is abandoned. */
export const CARD_CODE_ABANDONED_MS = 30 * 60 * 1000;

const TOPUP_OPEN: readonly TopUpState[] = ["awaiting_deposit", "deposit_confirmed"];
const CASHOUT_OPEN: readonly CashOutState[] = ["awaiting_redeem"];

/** Moves a request if, and only if, it is in one of the states the move starts from. */
async function moveTopUp(
  db: Queryable,
  id: string,
  move: keyof typeof TOPUP_MOVES,
  to: TopUpState,
  now: number,
  set: Record<string, SqlValue> = {},
): Promise<boolean> {
  return moveRow(db, "topups", id, TOPUP_MOVES[move], to, now, set);
}

/**
 * A top-up that brought no money ends: declined by the bank or expired without a deposit. Its
 * amount goes back to the daily limit of the day it was counted on, in the same transaction as
 * the move, so a move that loses a race (the deposit confirmed meanwhile) gives nothing back and
 * nothing is given back twice. False when the request had already moved on.
 */
async function endWithoutMoney(
  db: Database,
  id: string,
  move: "decline" | "expire",
  now: number,
  set: Record<string, SqlValue>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await tx.get<{ identity_id: string | null; amount_fen: string; created_at: number }>(
      "SELECT identity_id, amount_fen, created_at FROM topups WHERE id = ?",
      [id],
    );
    if (row === undefined) return false;
    if (!(await moveTopUp(tx, id, move, move === "decline" ? "declined" : "expired", now, set))) return false;
    if (row.identity_id !== null) {
      await releaseUsage(tx, row.identity_id, "topup", BigInt(row.amount_fen), Number(row.created_at));
    }
    return true;
  });
}

async function moveCashOut(
  db: Queryable,
  id: string,
  move: keyof typeof CASHOUT_MOVES,
  to: CashOutState,
  now: number,
  set: Record<string, SqlValue> = {},
): Promise<boolean> {
  return moveRow(db, "cashouts", id, CASHOUT_MOVES[move], to, now, set);
}

async function moveRow(
  db: Queryable,
  table: "topups" | "cashouts",
  id: string,
  from: readonly string[],
  to: string,
  now: number,
  set: Record<string, SqlValue>,
): Promise<boolean> {
  const columns = Object.keys(set);
  const { changes } = await db.run(
    `UPDATE ${table} SET state = ?, updated_at = ?${columns.map((c) => `, ${c} = ?`).join("")}
     WHERE id = ? AND state IN (${placeholders(from)})`,
    [to, now, ...columns.map((c) => set[c] as SqlValue), id, ...from],
  );
  return changes === 1;
}

/** Appends the event to the ledger; false when this very log in this very block is already there. */
async function recordEvent(
  tx: Queryable,
  kind: "issued" | "redeemed",
  e: ChainBankEvent,
  account: string,
  issuer: string | null,
  now: number,
): Promise<boolean> {
  const { changes } = await tx.run(
    `INSERT INTO bank_events (tx_hash, log_index, kind, block_number, block_hash, bank_ref, account, issuer, amount,
       seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx_hash, log_index, block_hash) DO NOTHING`,
    [
      e.txHash,
      e.logIndex,
      kind,
      Number(e.block),
      e.blockHash,
      e.bankRef.toLowerCase(),
      account,
      issuer,
      e.amount.toString(),
      now,
    ],
  );
  return changes === 1;
}

async function linkEvent(tx: Queryable, e: ChainBankEvent, requestId: string): Promise<void> {
  await tx.run("UPDATE bank_events SET request_id = ? WHERE tx_hash = ? AND log_index = ? AND block_hash = ?", [
    requestId,
    e.txHash,
    e.logIndex,
    e.blockHash,
  ]);
}

async function addProblem(
  tx: Queryable,
  p: {
    kind: BankProblemKind;
    account: string;
    requestId: string | null;
    event: ChainBankEvent;
    details: Record<string, unknown>;
    now: number;
  },
): Promise<void> {
  await tx.run(
    `INSERT INTO bank_problems (id, kind, account, request_id, bank_ref, tx_hash, log_index, block_number, amount,
       details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      randomUUID(),
      p.kind,
      p.account.toLowerCase(),
      p.requestId,
      p.event.bankRef.toLowerCase(),
      p.event.txHash,
      p.event.logIndex,
      Number(p.event.block),
      p.event.amount.toString(),
      JSON.stringify(p.details),
      p.now,
    ],
  );
}
