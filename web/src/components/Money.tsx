// Every amount on screen goes through here (and so through lib/money.ts).
import { type FormatOptions, formatFen } from "@core/money";

export function Money({ fen, className, ...options }: { fen: bigint; className?: string } & FormatOptions) {
  return (
    <span className={className ? `money ${className}` : "money"} data-fen={fen.toString()}>
      {formatFen(fen, options)}
    </span>
  );
}
