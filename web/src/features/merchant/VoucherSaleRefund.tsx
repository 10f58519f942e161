// Refund of a checkout paid partly with a voucher. Such a sale is refunded in full only, through
// the Vouchers escrow (refundSale): the customer gets back what she paid, the campaign its
// discount, and she her voucher; the shop gives back the whole price. Whether it is still
// refundable comes from the contract (saleRefundable). A passkey shop approves exactly the price
// and refunds in one operation; another wallet signs a permit for exactly the price first.

import { formatFen } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { useState } from "react";
import type { Address } from "viem";
import { useConfig, useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { cityYuan, vouchers } from "../../contracts";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useT } from "../../i18n/useT";
import { type ContractWrite, contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import { signExactPermit } from "../redpackets/exactPermit";
import type { Receipt } from "./receipts";

export function VoucherSaleRefund({
  shop,
  receipt,
  voucher,
  onClose,
}: {
  shop: Address;
  receipt: Receipt;
  voucher: NonNullable<Receipt["voucher"]>;
  onClose: () => void;
}) {
  const t = useT(merchantMessages);
  const failureText = useTxFailureText();
  const config = useConfig();
  const { connector } = useConnection();
  const [write, setWrite] = useState<ContractWrite | readonly ContractWrite[]>();
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string>();
  const price = receipt.amount;
  const paid = price - voucher.discount;
  const refundable = useReadContract({
    ...vouchers,
    functionName: "saleRefundable",
    args: [voucher.campaignId, receipt.payer, shop, receipt.orderRef, price],
    chainId: cityChain.id,
  });
  const order = displayOrderRef(receipt.orderRef);

  async function prepare() {
    setSigning(true);
    setError(undefined);
    try {
      const args = [voucher.campaignId, receipt.payer, receipt.orderRef, price] as const;
      if (connector?.id === PASSKEY_WALLET_ID) {
        setWrite([
          contractWrite({ ...cityYuan, functionName: "approve", args: [vouchers.address, price] }),
          contractWrite({ ...vouchers, functionName: "refundSale", args }),
        ]);
      } else {
        const permit = await signExactPermit(config, vouchers.address, price);
        setWrite(
          contractWrite({
            ...vouchers,
            functionName: "refundSaleWithPermit",
            args: [...args, permit.deadline, permit.v, permit.r, permit.s],
          }),
        );
      }
    } catch (e) {
      setError(failureText(classifyTxError(e)));
    } finally {
      setSigning(false);
    }
  }

  return (
    <section className="card refund-panel" aria-labelledby="refund-title">
      <h3 id="refund-title">{t("refundTitle")}</h3>
      <p>
        {t("refundOf", { order, amount: formatFen(price) })} <AddressText address={receipt.payer} />
      </p>
      {refundable.isError ? (
        <p role="alert">{t("refundCheckFailed")}</p>
      ) : refundable.data === undefined ? null : !refundable.data ? (
        <p>{t("refundNothing")}</p>
      ) : write ? (
        <TxConfirm
          payment
          title={t("refundTitle")}
          summary={[
            { label: t("refundSummaryTo"), value: <AddressText address={receipt.payer} /> },
            { label: t("refundSummaryOrder"), value: order },
            { label: t("voucherRefundSummaryPaid"), value: <Money fen={paid} /> },
            { label: t("voucherRefundSummaryDiscount"), value: <Money fen={voucher.discount} /> },
          ]}
          write={write}
          revertReasons={{ VouchersSaleNotFound: t("VouchersSaleNotFound") }}
          onConfirmed={() => void refundable.refetch()}
          onCancel={() => setWrite(undefined)}
          onDone={onClose}
        />
      ) : (
        <div className="stack">
          <p data-testid="voucher-refund-explain">
            {t("voucherRefundExplain", { paid: formatFen(paid), discount: formatFen(voucher.discount) })}
          </p>
          {signing && (
            <p className="progress" role="status">
              {t("voucherRefundSigning", { amount: formatFen(price) })}
            </p>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button type="button" className="primary" disabled={signing} onClick={() => void prepare()}>
              {t("voucherRefundAll", { price: formatFen(price) })}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {t("close")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
