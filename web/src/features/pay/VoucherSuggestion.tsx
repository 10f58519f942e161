// Extension point for the vouchers feature: given the merchant and the price, offer the best
// voucher that applies and report the choice. Filled by features/vouchers/BestVoucher, loaded
// only when a checkout shows it; until it has loaded (or when no voucher applies) it renders
// nothing and selects nothing, so Pay falls back to a plain CityYuan.pay.
import { lazy, Suspense } from "react";
import type { Address } from "viem";
import type { Writes } from "../../tx/useTxFlow";

/** A voucher applied at checkout: how it is paid (one transaction) and what it saves. */
export type VoucherChoice = {
  /** Shown in the summary, e.g. "满 30 减 5 (餐饮券)". */
  label: string;
  /** What the voucher takes off, in fen. */
  savingFen: bigint;
  /** What the resident pays, in fen (price - saving). */
  payFen: bigint;
  /** The write(s) that pay the merchant the full price with the subsidy (replace CityYuan.pay). */
  write: Writes;
  /** Plain-words reasons for the voucher contract's errors, in the current language. */
  revertReasons: Record<string, string>;
};

export type VoucherSuggestionProps = {
  merchant: Address;
  priceFen: bigint;
  orderRef: `0x${string}`;
  /** Her balance: a voucher is offered only when, with it, she can pay (unknown: offered). */
  balanceFen?: bigint;
  onSelect: (choice: VoucherChoice | null) => void;
};

const BestVoucher = lazy(() => import("../vouchers/BestVoucher"));

export function VoucherSuggestion(props: VoucherSuggestionProps) {
  return (
    <Suspense fallback={null}>
      <BestVoucher {...props} />
    </Suspense>
  );
}
