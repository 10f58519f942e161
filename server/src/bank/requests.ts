// Top-up and cash-out requests and their life cycle.
//
// Top-up:   awaiting_deposit -> deposit_confirmed (bank has the money; the desk may issue)
//           -> issued (the watcher saw Issued(.., bankRef)); or declined / rejected / mismatch.
// Cash-out: awaiting_redeem -> redeemed (the watcher saw Redeemed(account, amount, bankRef))
//           -> paid (the bank paid out); or mismatch.
// The service never holds the issuer key: the desk signs `issue` in its own wallet.
import { randomUUID } from "node:crypto";
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { type CashOut, type CashOutState, MAX_OPEN_REQUESTS, type TopUp, type TopUpState } from "../../../core/api.js";
import { ApiError } from "../errors.js";
import type { Database, Queryable } from "../storage/Database.js";
import { BankDeclinedError, type BankGateway } from "./BankGateway.js";

export type { CashOut, CashOutState, TopUp, TopUpState };

export const bankRefOf = (requestId: string): Hex => keccak256(toHex(requestId));

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

const TOPUP_COLUMNS = "id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, issued_tx, problem";
const CASHOUT_COLUMNS =
  "id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at, redeemed_tx, payout_id, problem";

export class BankRequests {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly bank: BankGateway,
    private readonly log: (message: string) => void,
  ) {}

  async requestTopUp(owner: Address, amountFen: bigint, cardLast4: string, now: number): Promise<TopUp> {
    await this.limitOpen("topups", owner, ["awaiting_deposit", "deposit_confirmed"]);
    const id = randomUUID();
    const bankRef = bankRefOf(id);
    await this.db.run(
      `INSERT INTO topups (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'awaiting_deposit', ?, ?)`,
      [id, owner.toLowerCase(), amountFen.toString(), cardLast4, bankRef, now, now],
    );
    this.track(this.confirmDeposit(id));
    return (await this.topUp(id)) as TopUp;
  }

  async requestCashOut(owner: Address, amountFen: bigint, cardLast4: string, now: number): Promise<CashOut> {
    await this.limitOpen("cashouts", owner, ["awaiting_redeem"]);
    const id = randomUUID();
    await this.db.run(
      `INSERT INTO cashouts (id, owner, amount_fen, card_last4, bank_ref, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'awaiting_redeem', ?, ?)`,
      [id, owner.toLowerCase(), amountFen.toString(), cardLast4, bankRefOf(id), now, now],
    );
    return (await this.cashOut(id)) as CashOut;
  }

  private async limitOpen(table: "topups" | "cashouts", owner: Address, states: string[]): Promise<void> {
    const row = await this.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE owner = ? AND state IN (${states.map(() => "?").join(", ")})`,
      [owner.toLowerCase(), ...states],
    );
    if (Number(row?.n ?? 0) >= MAX_OPEN_REQUESTS) {
      throw new ApiError(409, "too_many_open_requests", `At most ${MAX_OPEN_REQUESTS} open requests at a time`);
    }
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

  /** The desk's queue: requests whose deposit arrived (and those still waiting for it). */
  async pendingTopUps(): Promise<TopUp[]> {
    const rows = await this.db.all<TopUpRow>(
      `SELECT ${TOPUP_COLUMNS} FROM topups WHERE state IN ('awaiting_deposit', 'deposit_confirmed')
       ORDER BY created_at LIMIT 500`,
    );
    return rows.map(toTopUp);
  }

  async rejectTopUp(id: string, reason: string, now: number): Promise<TopUp> {
    const { changes } = await this.db.run(
      `UPDATE topups SET state = 'rejected', problem = ?, updated_at = ?
       WHERE id = ? AND state IN ('awaiting_deposit', 'deposit_confirmed')`,
      [reason, now, id],
    );
    const topUp = await this.topUp(id);
    if (topUp === undefined) throw new ApiError(404, "not_found", "No such top-up request");
    if (changes === 0) throw new ApiError(409, "not_pending", `The request is already ${topUp.state}`);
    return topUp;
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
      await this.db.run(
        `UPDATE topups SET state = 'deposit_confirmed', deposit_id = ?, updated_at = ?
         WHERE id = ? AND state = 'awaiting_deposit'`,
        [confirmation.depositId, confirmation.confirmedAt, id],
      );
    } catch (error) {
      if (error instanceof BankDeclinedError) {
        await this.db.run(
          "UPDATE topups SET state = 'declined', problem = ?, updated_at = ? WHERE id = ? AND state = 'awaiting_deposit'",
          [error.message, Date.now(), id],
        );
      } else {
        // Unreachable bank: left awaiting_deposit, retried by resume() on the next start.
        this.log(`bank: deposit confirmation for ${id} failed, will retry: ${String(error)}`);
      }
    }
  }

  /** After a start: ask the bank again about deposits and pay-outs left unfinished. */
  async resume(): Promise<void> {
    const waiting = await this.db.all<{ id: string }>("SELECT id FROM topups WHERE state = 'awaiting_deposit'");
    for (const { id } of waiting) this.track(this.confirmDeposit(id));
    await this.payOutRedeemed();
  }

  /** Watcher, inside its block transaction: `issue(to, amount, bankRef)` was mined. */
  static async settleIssued(
    tx: Queryable,
    e: { to: Address; amount: bigint; bankRef: Hex; issuer: Address; txHash: Hex; block: bigint },
    now: number,
  ): Promise<void> {
    const row = await tx.get<{ id: string; owner: string; amount_fen: string }>(
      "SELECT id, owner, amount_fen FROM topups WHERE bank_ref = ?",
      [e.bankRef.toLowerCase()],
    );
    if (row === undefined) return; // issued without a request through us (e.g. a script): fine
    const problem =
      row.owner !== e.to.toLowerCase()
        ? `issued to ${e.to}, not to the requester`
        : row.amount_fen !== e.amount.toString()
          ? `issued ${e.amount} fen, requested ${row.amount_fen}`
          : null;
    await tx.run(
      `UPDATE topups SET state = ?, issuer = ?, issued_tx = ?, issued_block = ?, issued_amount = ?, problem = ?,
         updated_at = ? WHERE id = ?`,
      [
        problem === null ? "issued" : "mismatch",
        e.issuer.toLowerCase(),
        e.txHash,
        Number(e.block),
        e.amount.toString(),
        problem,
        now,
        row.id,
      ],
    );
  }

  /** Watcher, inside its block transaction: `redeem(amount, bankRef)` was mined. */
  static async settleRedeemed(
    tx: Queryable,
    e: { account: Address; amount: bigint; bankRef: Hex; txHash: Hex; block: bigint },
    now: number,
  ): Promise<void> {
    const row = await tx.get<{ id: string; owner: string; amount_fen: string; state: CashOutState }>(
      "SELECT id, owner, amount_fen, state FROM cashouts WHERE bank_ref = ?",
      [e.bankRef.toLowerCase()],
    );
    if (row === undefined || row.state !== "awaiting_redeem") return;
    // The bank pays what was actually burned, by whom it was burned; a mismatch is for a person.
    const problem =
      row.owner !== e.account.toLowerCase()
        ? `redeemed by ${e.account}, not by the requester`
        : row.amount_fen !== e.amount.toString()
          ? `redeemed ${e.amount} fen, requested ${row.amount_fen}`
          : null;
    await tx.run(
      `UPDATE cashouts SET state = ?, redeemed_tx = ?, redeemed_block = ?, redeemed_amount = ?, problem = ?,
         updated_at = ? WHERE id = ?`,
      [
        problem === null ? "redeemed" : "mismatch",
        e.txHash,
        Number(e.block),
        e.amount.toString(),
        problem,
        now,
        row.id,
      ],
    );
  }

  /** Watcher, on a chain reset: requests settled in blocks that no longer exist are open again. */
  static async unsettleAbove(tx: Queryable, block: bigint, now: number): Promise<void> {
    await tx.run(
      `UPDATE topups SET state = 'deposit_confirmed', issuer = NULL, issued_tx = NULL, issued_block = NULL,
         issued_amount = NULL, problem = NULL, updated_at = ? WHERE issued_block > ?`,
      [now, Number(block)],
    );
    await tx.run(
      `UPDATE cashouts SET state = 'awaiting_redeem', redeemed_tx = NULL, redeemed_block = NULL,
         redeemed_amount = NULL, problem = NULL, updated_at = ? WHERE redeemed_block > ? AND state <> 'paid'`,
      [now, Number(block)],
    );
  }

  /** Pays out every redeemed cash-out (after the watcher's transaction committed). Idempotent. */
  async payOutRedeemed(): Promise<number> {
    const rows = await this.db.all<CashOutRow & { redeemed_amount: string }>(
      `SELECT ${CASHOUT_COLUMNS}, redeemed_amount FROM cashouts WHERE state = 'redeemed' ORDER BY updated_at`,
    );
    let paid = 0;
    for (const r of rows) {
      try {
        const receipt = await this.bank.payOut({
          requestId: r.id,
          bankRef: r.bank_ref,
          account: getAddress(r.owner),
          amountFen: BigInt(r.redeemed_amount),
          cardLast4: r.card_last4,
        });
        await this.db.run(
          "UPDATE cashouts SET state = 'paid', payout_id = ?, updated_at = ? WHERE id = ? AND state = 'redeemed'",
          [receipt.payoutId, receipt.paidAt, r.id],
        );
        paid++;
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
