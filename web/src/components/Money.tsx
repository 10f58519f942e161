// Every amount on screen goes through here (and so through core/money.ts).
import { type FormatOptions, formatFen } from "@core/money";

/** Longer than any real balance (¥ and a 13-digit yuan figure): may wrap rather than widen the page. */
const LONG_AMOUNT = 22;

export function Money({ fen, className, ...options }: { fen: bigint; className?: string } & FormatOptions) {
  const text = formatFen(fen, options);
  const classes = ["money", text.length > LONG_AMOUNT ? "money-long" : null, className].filter(Boolean).join(" ");
  return (
    <span className={classes} data-fen={fen.toString()}>
      {text}
    </span>
  );
}
