// The boundary to the city's bank, which is outside our system. A top-up needs the bank to
// confirm the resident's deposit before the issuer's desk mints; a cash-out needs the bank to pay
// the resident once the tokens are burned on chain. A real bank adapter implements this
// interface; SimulatedBank stands in for it under `npm start`.
import type { Address, Hex } from "viem";

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
  constructor(message: string) {
    super(message);
    this.name = "BankDeclinedError";
  }
}

export interface BankGateway {
  /** Resolves when the bank has received the deposit; rejects with BankDeclinedError if it never will. */
  confirmDeposit(request: DepositRequest): Promise<DepositConfirmation>;
  /** Pays the resident. Must be idempotent per bankRef: a retry after a crash pays once. */
  payOut(request: PayOutRequest): Promise<PayOutReceipt>;
}
