// The one place amounts are turned into text and back. HCY has 2 decimals: 1 unit = 1 fen, so
// 1250n fen is 12.50 元. Everything stays in bigint; no floating point ever touches money.

export const FEN_PER_YUAN = 100n;
/** Above this an amount is surely a typo (1,000,000,000 元); the ledger itself has no such cap. */
export const MAX_INPUT_FEN = 1_000_000_000n * FEN_PER_YUAN;

export type FormatOptions = {
  /** "symbol": ¥12.50 (default); "unit": 12.50 元; "plain": 12.50 */
  style?: "symbol" | "unit" | "plain";
  /** Always show + for positive amounts (for incoming movements). */
  signed?: boolean;
  /** Group thousands with commas (default true). */
  grouping?: boolean;
};

/** 1250n -> "¥12.50"; 123456789n -> "¥1,234,567.89"; -5n -> "-¥0.05". */
export function formatFen(fen: bigint, options: FormatOptions = {}): string {
  const { style = "symbol", signed = false, grouping = true } = options;
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  let whole = (abs / FEN_PER_YUAN).toString();
  if (grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const digits = `${whole}.${(abs % FEN_PER_YUAN).toString().padStart(2, "0")}`;
  const sign = negative ? "-" : signed && abs > 0n ? "+" : "";
  if (style === "unit") return `${sign}${digits} 元`;
  if (style === "plain") return `${sign}${digits}`;
  return `${sign}¥${digits}`;
}

/** For input fields: 1250n -> "12.50" (no symbol, no grouping), which parseYuan reads back. */
export function fenToInput(fen: bigint): string {
  return formatFen(fen, { style: "plain", grouping: false });
}

export const AMOUNT_ERRORS = [
  "amountEmpty",
  "amountNotNumber",
  "amountNegative",
  "amountZero",
  "amountTooManyDecimals",
  "amountTooLarge",
] as const;
export type AmountError = (typeof AMOUNT_ERRORS)[number];

/** Whether a form's error is one of parseYuan's (worded by the shared money messages). */
export function isAmountError(error: string): error is AmountError {
  return (AMOUNT_ERRORS as readonly string[]).includes(error);
}

export type ParsedAmount = { ok: true; fen: bigint } | { ok: false; error: AmountError };

const FULL_WIDTH = /[０-９．]/g;

/**
 * Reads what a resident typed ("12.5", "¥12.50", "12.50元", "1,200", full-width digits) as fen.
 * Rejects empty, non-numbers, negatives, zero, more than 2 decimals and absurdly large amounts,
 * each with its own error so the page can say exactly what is wrong.
 */
export function parseYuan(input: string): ParsedAmount {
  let text = input
    .replace(FULL_WIDTH, (c) => (c === "．" ? "." : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/\s+/g, "");
  if (text === "") return { ok: false, error: "amountEmpty" };
  text = text.replace(/^[¥￥]/, "").replace(/(元|yuan|CNY|RMB)$/i, "");
  if (text.startsWith("-") || text.startsWith("−")) {
    return /^[-−][¥￥]?\d/.test(text)
      ? { ok: false, error: "amountNegative" }
      : { ok: false, error: "amountNotNumber" };
  }
  text = text.replace(/^\+/, "");
  if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) text = text.replace(/,/g, "");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) return { ok: false, error: "amountNotNumber" };
  const whole = match[1] || "0";
  const decimals = match[2] ?? "";
  if (decimals.replace(/0+$/, "").length > 2) return { ok: false, error: "amountTooManyDecimals" };
  if (whole.replace(/^0+/, "").length > 15) return { ok: false, error: "amountTooLarge" };
  const fen = BigInt(whole) * FEN_PER_YUAN + BigInt(decimals.slice(0, 2).padEnd(2, "0"));
  if (fen === 0n) return { ok: false, error: "amountZero" };
  if (fen > MAX_INPUT_FEN) return { ok: false, error: "amountTooLarge" };
  return { ok: true, fen };
}
