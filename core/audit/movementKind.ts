// The kind of a token movement (a CityYuan Transfer) as the public ledger page names it: told by the
// Transfer's own parties and by the other ledger events of the same transaction (a PaymentMade, a
// PaymentRefunded or a VoucherRedeemed may come after the Transfer in the logs). Shared by the
// page's chain path (web/src/features/ledger/ledgerModel.ts) and the indexer (indexer/src/movements.ts)
// so the two name every movement alike. Pure.
import type { Address } from "viem";

export const MOVEMENT_KINDS = ["issue", "redeem", "payment", "refund", "transfer", "redPacket", "voucher"] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The events of a transaction that name its Transfers (the ledger's own event names). */
export const KIND_EVENTS = ["VoucherRedeemed", "PaymentRefunded", "PaymentMade"] as const;

const ZERO = "0x0000000000000000000000000000000000000000";
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function movementKind(
  from: string,
  to: string,
  eventsInTx: ReadonlySet<string>,
  contracts: { RedPacket: Address; Vouchers: Address },
): MovementKind {
  if (same(from, ZERO)) return "issue";
  if (same(to, ZERO)) return "redeem";
  if (eventsInTx.has("VoucherRedeemed") || same(from, contracts.Vouchers) || same(to, contracts.Vouchers))
    return "voucher";
  if (same(from, contracts.RedPacket) || same(to, contracts.RedPacket)) return "redPacket";
  if (eventsInTx.has("PaymentRefunded")) return "refund";
  if (eventsInTx.has("PaymentMade")) return "payment";
  return "transfer";
}
