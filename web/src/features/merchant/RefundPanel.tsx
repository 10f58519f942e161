// Refund a receipt in full or in part. What is left to refund comes from the contract itself
// (refundable(paymentIdOf(payer, me, orderRef))), so the form can never ask for more; the
// contract would refuse it anyway (CityYuanRefundExceedsPayment). A checkout paid partly with a
// voucher is refunded whole through the Vouchers escrow instead (VoucherSaleRefund).

import { fenToInput, formatFen, parseYuan } from "@core/money";
import { displayOrderRef } from "@core/orderRef";
import { useState } from "react";
import type { Address } from "viem";
import { useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { merchantMessages } from "../../i18n/messages/merchant";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import type { Receipt } from "./receipts";
import { VoucherSaleRefund } from "./VoucherSaleRefund";

export function RefundPanel({ shop, receipt, onClose }: { shop: Address; receipt: Receipt; onClose: () => void }) {
  return receipt.voucher ? (
    <VoucherSaleRefund shop={shop} receipt={receipt} voucher={receipt.voucher} onClose={onClose} />
  ) : (
    <PaymentRefund shop={shop} receipt={receipt} onClose={onClose} />
  );
}

function PaymentRefund({ shop, receipt, onClose }: { shop: Address; receipt: Receipt; onClose: () => void }) {
  const t = useT(merchantMessages);
  const tm = useT(moneyMessages);
  const [input, setInput] = useState("");
  const [confirming, setConfirming] = useState<bigint>();
  const paymentId = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "paymentIdOf",
    args: [receipt.payer, shop, receipt.orderRef],
    chainId: cityChain.id,
  });
  const refundable = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "refundable",
    args: paymentId.data ? [paymentId.data as `0x${string}`] : undefined,
    chainId: cityChain.id,
    query: { enabled: Boolean(paymentId.data) },
  });
  const left = refundable.data;
  const parsed = input === "" ? undefined : parseYuan(input);
  let error: string | undefined;
  if (parsed && !parsed.ok) error = tm(parsed.error);
  else if (parsed?.ok && left !== undefined && parsed.fen > left)
    error = t("refundTooMuch", { amount: formatFen(left) });
  const order = displayOrderRef(receipt.orderRef);
  return (
    <section className="card refund-panel" aria-labelledby="refund-title">
      <h3 id="refund-title">{t("refundTitle")}</h3>
      <p>
        {t("refundOf", { order, amount: formatFen(receipt.amount) })} <AddressText address={receipt.payer} />
      </p>
      {refundable.isError || paymentId.isError ? (
        <p role="alert">{t("refundCheckFailed")}</p>
      ) : left === undefined ? null : left === 0n ? (
        <p>{t("refundNothing")}</p>
      ) : confirming !== undefined ? (
        <TxConfirm
          payment
          title={t("refundTitle")}
          summary={[
            { label: t("refundSummaryTo"), value: <AddressText address={receipt.payer} /> },
            { label: t("refundSummaryOrder"), value: order },
            { label: t("refundSummaryAmount"), value: <Money fen={confirming} /> },
          ]}
          write={contractWrite({
            address: cityYuan.address,
            abi: cityYuan.abi,
            functionName: "refund",
            args: [receipt.payer, receipt.orderRef, confirming],
          })}
          onConfirmed={() => void refundable.refetch()}
          onCancel={() => setConfirming(undefined)}
          onDone={onClose}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (parsed?.ok && !error) setConfirming(parsed.fen);
          }}
        >
          <p className="refundable">{t("refundable", { amount: formatFen(left) })}</p>
          <label htmlFor="refund-amount">{t("refundAmount")}</label>
          <input
            id="refund-amount"
            inputMode="decimal"
            autoComplete="off"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? "refund-error" : undefined}
          />
          {error && (
            <p id="refund-error" className="error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="primary" disabled={!parsed?.ok || Boolean(error)}>
              {t("refund")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setInput(fenToInput(left));
                setConfirming(left);
              }}
            >
              {t("refundAll")}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {t("close")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
