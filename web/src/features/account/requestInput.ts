// Reads the top-up and cash-out forms: an amount in 元 (at most 2 decimals, more than zero, within
// the bank's per-request limit and, for a cash-out, the balance) and the card's last 4 digits.
// Pure, so each refusal is unit-tested (test/web/account-input.test.ts).
import { MAX_REQUEST_FEN } from "@core/api";
import { type AmountError, parseYuan } from "@core/money";

export type RequestInputError =
  | { field: "amount"; error: AmountError }
  | { field: "amount"; error: "overRequestLimit"; maxFen: bigint }
  | { field: "amount"; error: "amountOverBalance"; balanceFen: bigint }
  | { field: "card"; error: "cardInvalid" };

export type RequestInput = { ok: true; fen: bigint; cardLast4: string } | { ok: false; errors: RequestInputError[] };

/** Full-width digits (０-９) typed on a Chinese keyboard count as digits. */
function normaliseDigits(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, "");
}

export function readRequestInput(amountText: string, cardText: string, balanceFen?: bigint): RequestInput {
  const errors: RequestInputError[] = [];
  const amount = parseYuan(amountText);
  if (!amount.ok) errors.push({ field: "amount", error: amount.error });
  else if (amount.fen > MAX_REQUEST_FEN)
    errors.push({ field: "amount", error: "overRequestLimit", maxFen: MAX_REQUEST_FEN });
  else if (balanceFen !== undefined && amount.fen > balanceFen)
    errors.push({ field: "amount", error: "amountOverBalance", balanceFen });
  const card = normaliseDigits(cardText);
  if (!/^\d{4}$/.test(card)) errors.push({ field: "card", error: "cardInvalid" });
  if (errors.length > 0 || !amount.ok) return { ok: false, errors };
  return { ok: true, fen: amount.fen, cardLast4: card };
}
