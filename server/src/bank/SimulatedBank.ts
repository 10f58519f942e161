// A stand-in bank for the local system: every deposit arrives (instantly or after a short delay)
// and every pay-out is written to its own ledger table, once per bankRef.
import { setTimeout as sleep } from "node:timers/promises";
import type { Queryable } from "../storage/Database.js";
import type { BankGateway, DepositConfirmation, DepositRequest, PayOutReceipt, PayOutRequest } from "./BankGateway.js";

export class SimulatedBank implements BankGateway {
  constructor(
    private readonly db: Queryable,
    private readonly depositDelayMs = 0,
  ) {}

  async confirmDeposit(request: DepositRequest): Promise<DepositConfirmation> {
    if (this.depositDelayMs > 0) await sleep(this.depositDelayMs);
    return { depositId: `SIM-DEP-${request.requestId}`, confirmedAt: Date.now() };
  }

  async payOut(request: PayOutRequest): Promise<PayOutReceipt> {
    await this.db.run(
      `INSERT INTO simulated_bank_payouts (bank_ref, account, amount_fen, card_last4, paid_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bank_ref) DO NOTHING`,
      [request.bankRef, request.account.toLowerCase(), request.amountFen.toString(), request.cardLast4, Date.now()],
    );
    const row = await this.db.get<{ paid_at: number }>(
      "SELECT paid_at FROM simulated_bank_payouts WHERE bank_ref = ?",
      [request.bankRef],
    );
    return { payoutId: `SIM-PAY-${request.bankRef.slice(2, 18)}`, paidAt: row?.paid_at ?? Date.now() };
  }
}
