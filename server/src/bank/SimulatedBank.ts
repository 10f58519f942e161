// A stand-in bank for the local system: every deposit arrives (instantly or after a short delay)
// and every pay-out is written to its own ledger table, once per bankRef. It knows its customers
// (simulatedCustomers.ts) and checks a cardholder's four elements against them, refusing any
// mismatch with its reason; a card debit (快捷支付) waits for the one-time code it "sends" to the
// cardholder's phone, which it shows instead, since nothing here can send an SMS.
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { lastFour, normalizeCardNumber, normalizeIdNumber, normalizePhone } from "../../../core/identity.js";
import type { Queryable } from "../storage/Database.js";
import {
  BankDeclinedError,
  type BankGateway,
  type CardDebitRequest,
  type CardDebitStarted,
  type CardholderAnswer,
  type CardholderCheck,
  type DepositConfirmation,
  type DepositRequest,
  type PayOutReceipt,
  type PayOutRequest,
} from "./BankGateway.js";
import { SIMULATED_CUSTOMERS, type SimulatedCustomer } from "./simulatedCustomers.js";

/** How long a one-time code is good for, and how many wrong tries a debit survives. */
export const DEBIT_CODE_TTL_MS = 5 * 60 * 1000;
export const DEBIT_CODE_TRIES = 3;

const codeHash = (debitId: string, code: string) => createHash("sha256").update(`${debitId}:${code}`).digest("hex");

export class SimulatedBank implements BankGateway {
  constructor(
    private readonly db: Queryable,
    private readonly depositDelayMs = 0,
    private readonly customers: readonly SimulatedCustomer[] = SIMULATED_CUSTOMERS,
    private readonly now: () => number = Date.now,
  ) {}

  async confirmDeposit(request: DepositRequest): Promise<DepositConfirmation> {
    if (this.depositDelayMs > 0) await sleep(this.depositDelayMs);
    return { depositId: `SIM-DEP-${request.requestId}`, confirmedAt: this.now() };
  }

  async payOut(request: PayOutRequest): Promise<PayOutReceipt> {
    await this.db.run(
      `INSERT INTO simulated_bank_payouts (bank_ref, account, amount_fen, card_last4, paid_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bank_ref) DO NOTHING`,
      [request.bankRef, request.account.toLowerCase(), request.amountFen.toString(), request.cardLast4, this.now()],
    );
    const row = await this.db.get<{ paid_at: number }>(
      "SELECT paid_at FROM simulated_bank_payouts WHERE bank_ref = ?",
      [request.bankRef],
    );
    return { payoutId: `SIM-PAY-${request.bankRef.slice(2, 18)}`, paidAt: row?.paid_at ?? this.now() };
  }

  /** The card identifies the customer; then each other element must be hers. */
  async verifyCardholder(check: CardholderCheck): Promise<CardholderAnswer> {
    const number = normalizeCardNumber(check.cardNumber);
    const customer = this.customers.find((c) => c.cards.some((card) => card.number === number));
    const card = customer?.cards.find((c) => c.number === number);
    if (customer === undefined || card === undefined) {
      return { ok: false, mismatch: "cardNumber", reason: "The bank has no such card" };
    }
    if (customer.name !== check.name.trim()) {
      return { ok: false, mismatch: "name", reason: "The card is not in this name" };
    }
    if (customer.idNumber !== normalizeIdNumber(check.idNumber)) {
      return { ok: false, mismatch: "idNumber", reason: "The ID number is not the cardholder's" };
    }
    if (customer.phone !== normalizePhone(check.phone)) {
      return { ok: false, mismatch: "phone", reason: "The phone number is not the one the bank holds for this card" };
    }
    // The agreement the bank debits the card by: its own token, mapped to the card on its side.
    const cardToken = `SIM-CARD-${randomBytes(12).toString("hex")}`;
    await this.db.run(
      "INSERT INTO simulated_bank_bindings (token, customer_id, card_index, created_at) VALUES (?, ?, ?, ?)",
      [cardToken, customer.id, customer.cards.indexOf(card), this.now()],
    );
    return { ok: true, cardToken, bank: card.bank, cardLast4: lastFour(number), phoneLast4: lastFour(customer.phone) };
  }

  async startCardDebit(request: CardDebitRequest): Promise<CardDebitStarted> {
    const binding = await this.db.get<{ customer_id: string }>(
      "SELECT customer_id FROM simulated_bank_bindings WHERE token = ?",
      [request.cardToken],
    );
    const customer = this.customers.find((c) => c.id === binding?.customer_id);
    if (customer === undefined) throw new BankDeclinedError("The bank does not know this card agreement");
    const debitId = `SIM-DEBIT-${randomUUID()}`;
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const expiresAt = this.now() + DEBIT_CODE_TTL_MS;
    await this.db.run(
      `INSERT INTO simulated_bank_debits (id, token, bank_ref, amount_fen, code_hash, tries_left, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        debitId,
        request.cardToken,
        request.bankRef,
        request.amountFen.toString(),
        codeHash(debitId, code),
        DEBIT_CODE_TRIES,
        expiresAt,
        this.now(),
      ],
    );
    return { debitId, phoneLast4: lastFour(customer.phone), expiresAt, shownCode: code };
  }

  async confirmCardDebit(debitId: string, code: string): Promise<DepositConfirmation> {
    const at = this.now();
    const debit = await this.db.get<{
      code_hash: string;
      tries_left: number;
      expires_at: number;
      confirmed_at: number | null;
    }>("SELECT code_hash, tries_left, expires_at, confirmed_at FROM simulated_bank_debits WHERE id = ?", [debitId]);
    if (debit === undefined) throw new BankDeclinedError("The bank has no such debit");
    if (debit.confirmed_at !== null) return { depositId: debitId, confirmedAt: Number(debit.confirmed_at) };
    if (Number(debit.expires_at) <= at) throw new BankDeclinedError("The one-time code has expired");
    // A try is spent before the code is compared, in one statement: however many guesses arrive
    // at once, at most DEBIT_CODE_TRIES of them are ever compared.
    const spent = await this.db.run(
      "UPDATE simulated_bank_debits SET tries_left = tries_left - 1 WHERE id = ? AND tries_left > 0",
      [debitId],
    );
    if (spent.changes === 0) throw new BankDeclinedError("Too many wrong codes for this debit");
    if (codeHash(debitId, code) !== debit.code_hash) throw new BankDeclinedError("The one-time code is wrong", true);
    await this.db.run("UPDATE simulated_bank_debits SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL", [
      at,
      debitId,
    ]);
    return { depositId: debitId, confirmedAt: at };
  }
}
