// Extension point for the vouchers feature: given the merchant and the price, offer the best
// voucher that applies and report the choice. Until vouchers exist it renders nothing and
// never selects anything, so Pay falls back to a plain CityYuan.pay.
import type { Address } from "viem";
import type { ContractWrite } from "../../tx/useTxFlow";

/** A voucher applied at checkout: how it is paid (one transaction) and what it saves. */
export type VoucherChoice = {
  /** Shown in the summary, e.g. "满 30 减 5 (餐饮券)". */
  label: string;
  /** What the voucher takes off, in fen. */
  savingFen: bigint;
  /** What the resident pays, in fen (price - saving). */
  payFen: bigint;
  /** The write that pays the merchant the full price with the subsidy (replaces CityYuan.pay). */
  write: ContractWrite;
};

export type VoucherSuggestionProps = {
  merchant: Address;
  priceFen: bigint;
  orderRef: `0x${string}`;
  onSelect: (choice: VoucherChoice | null) => void;
};

export function VoucherSuggestion(_props: VoucherSuggestionProps) {
  return null;
}
