// The boundary to the city's bank, which is outside our system. A top-up needs the bank to
// confirm the resident's deposit before the issuer's desk mints; a cash-out needs the bank to pay
// the resident once the tokens are burned on chain. A real bank adapter implements this
// interface; SimulatedBank stands in for it under `npm start`.
import type { Address, Hex } from "viem";
import type { CardholderElement } from "../../../core/identity.js";

export interface DepositRequest {
  /** Our top-up request id. */
  requestId: string;
  /** keccak256 of the request id: the reference `issue(to, amount, bankRef)` carries on chain. */
  bankRef: Hex;
  account: Address;
  amountFen: bigint;
  /** Last four digits of the card the resident pays from. */
  cardLast4: string;
}

export interface DepositConfirmation {
  /** The bank's own id for the received deposit. */
  depositId: string;
  confirmedAt: number;
}

export interface PayOutRequest {
  requestId: string;
  /** The reference `redeem(amount, bankRef)` carried on chain; the bank's idempotency key. */
  bankRef: Hex;
  account: Address;
  amountFen: bigint;
  /** Last four digits of the resident's card to pay (null for requests made before cards were recorded). */
  cardLast4: string | null;
}

export interface PayOutReceipt {
  payoutId: string;
  paidAt: number;
}

/** Thrown by a gateway when the bank refuses (as opposed to being unreachable, which is retried). */
export class BankDeclinedError extends Error {
  constructor(
    message: string,
    /** The same operation may be tried again (a mistyped one-time code); otherwise it is over. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = "BankDeclinedError";
  }
}

/** The four elements a resident gives to bind her card (实名): sent to the bank, never stored. */
export interface CardholderCheck {
  name: string;
  idNumber: string;
  cardNumber: string;
  phone: string;
}

/**
 * The bank's answer: the card is hers (and a token the bank will debit it by, a 快捷支付 agreement,
 * so the service never keeps the card number), or which element does not match and why.
 */
export type CardholderAnswer =
  | { ok: true; cardToken: string; bank: string; cardLast4: string; phoneLast4: string }
  | { ok: false; mismatch: CardholderElement; reason: string };

export interface CardDebitRequest {
  requestId: string;
  bankRef: Hex;
  cardToken: string;
  amountFen: bigint;
}

export interface CardDebitStarted {
  /** The bank's id of the pending debit, confirmed with the one-time code. */
  debitId: string;
  /** The last 4 digits of the phone the code went to. */
  phoneLast4: string;
  expiresAt: number;
  /** Only a simulated bank shows the code here; a real one sends it by SMS and leaves this out. */
  shownCode?: string;
}

export interface BankGateway {
  /** Checks that the card is the named person's (name, ID number, card number, phone the bank holds). */
  verifyCardholder(check: CardholderCheck): Promise<CardholderAnswer>;
  /** Starts a debit of a bound card: the bank sends a one-time code to the cardholder's phone. */
  startCardDebit(request: CardDebitRequest): Promise<CardDebitStarted>;
  /** Completes the debit with the code; rejects with BankDeclinedError on a wrong or expired code. */
  confirmCardDebit(debitId: string, code: string): Promise<DepositConfirmation>;
  /** Resolves when the bank has received the deposit; rejects with BankDeclinedError if it never will. */
  confirmDeposit(request: DepositRequest): Promise<DepositConfirmation>;
  /** Pays the resident. Must be idempotent per bankRef: a retry after a crash pays once. */
  payOut(request: PayOutRequest): Promise<PayOutReceipt>;
}
