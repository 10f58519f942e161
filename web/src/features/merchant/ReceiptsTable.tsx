// The shop's receipts, newest first: time, payer, amount, order number, voucher used, refunds,
// and a Refund action for what is not yet refunded. A payer is named as the shop knows them: the
// name the shop gave them (its contacts), a registered shop's name, or else 回头客 with how many
// times they paid here (every payment since the shop opened is read), or 新顾客 for a first one;
// the address stays one tap away.

import { formatFen } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { useMemo } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { TableScroll } from "../../components/TableScroll";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { cardReceiptKey, useFamilyCardReceipts } from "../family/useFamilyCardReceipts";
import { netAmount, type Receipt, visitsByPayer } from "./receipts";

/** `onRefund` absent (counter mode with the wallet locked): no refund buttons, nothing sends money. */
export function ReceiptsTable({
  shop,
  receipts,
  onRefund,
}: {
  shop: Address;
  receipts: Receipt[];
  onRefund?: (receipt: Receipt) => void;
}) {
  const t = useT(merchantMessages);
  const fmt = useFormat();
  const tf = useT(familyMessages);
  // Paid with a 亲属卡: the payer is the card's funder; the receipt says so.
  const byCard = useFamilyCardReceipts(shop);
  // How many times each payer paid this shop.
  const visits = useMemo(() => visitsByPayer(receipts), [receipts]);
  const customer = (payer: Address) => {
    const n = visits.get(payer.toLowerCase()) ?? 1;
    return n > 1 ? t("regular", { count: n }) : t("newCustomer");
  };
  return (
    <TableScroll labelledBy="receipts-title">
      <table className="receipts">
        <TableHead
          columns={[t("time"), t("payer"), t("amount"), t("orderRef"), t("voucher"), t("refunded"), t("actions")]}
        />
        <tbody>
          {receipts.map((r) => (
            <tr
              key={`${r.transactionHash}:${r.logIndex}`}
              className="receipt-row"
              data-order-ref={displayOrderRef(r.orderRef)}
            >
              <td>{r.timestamp ? fmt.shortDateTimeWithSeconds(r.timestamp * 1000) : "—"}</td>
              <td>
                <AddressText address={r.payer} owner={shop} unknownLabel={customer(r.payer)} />
                {byCard.has(cardReceiptKey(r.transactionHash, r.paymentId)) && (
                  <>
                    {" "}
                    <span className="tag" data-testid="receipt-family-card">
                      {tf("cardTag")}
                    </span>
                  </>
                )}
              </td>
              <td>
                <Money fen={r.amount} />
              </td>
              <td>{displayOrderRef(r.orderRef)}</td>
              <td>
                {r.voucher
                  ? t("voucherUsed", { id: r.voucher.campaignId.toString(), discount: formatFen(r.voucher.discount) })
                  : "—"}
              </td>
              <td>{r.refunded > 0n ? <Money fen={r.refunded} /> : "—"}</td>
              <td>
                {onRefund && netAmount(r) > 0n && (
                  <button type="button" className="secondary small" onClick={() => onRefund(r)}>
                    {t("refund")}
                    <span className="visually-hidden"> {displayOrderRef(r.orderRef)}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
