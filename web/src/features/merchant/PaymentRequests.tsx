// Payment requests at the counter: amount + order number -> an EIP-681 link (opening the dApp's
// Pay page) and its QR code; each request turns "paid" the moment a receipt with its order
// reference arrives, without a reload.

import { formatFen, parseYuan } from "@core/money";
import { MAX_TEXT_REF_BYTES } from "@core/orderRef";
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { cityChain } from "../../chain";
import { CopyButton } from "../../components/CopyButton";
import { Money } from "../../components/Money";
import { QrCode } from "../../components/QrCode";
import { cityYuan } from "../../contracts";
import { merchantMessages } from "../../i18n/messages/merchant";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { buildAppPayLink, buildPaymentUri } from "../../lib/eip681";
import {
  loadRequests,
  newPaymentRequest,
  type PaymentRequestRecord,
  requestStatus,
  saveRequests,
} from "./paymentRequests";
import type { Receipt } from "./receipts";

export function PaymentRequests({ shop, receipts }: { shop: Address; receipts: Receipt[] }) {
  const t = useT(merchantMessages);
  const tm = useT(moneyMessages);
  const [requests, setRequests] = useState<PaymentRequestRecord[]>(() => loadRequests(shop));
  const [amount, setAmount] = useState("");
  const [order, setOrder] = useState("");
  const [touched, setTouched] = useState(false);

  useEffect(() => saveRequests(shop, requests), [shop, requests]);

  const parsed = parseYuan(amount);
  const orderBytes = new TextEncoder().encode(order.trim()).length;
  const amountError = touched && !parsed.ok ? tm(parsed.error) : undefined;
  const orderError = !touched
    ? undefined
    : orderBytes === 0
      ? t("orderEmpty")
      : orderBytes > MAX_TEXT_REF_BYTES
        ? t("orderTooLong")
        : undefined;
  const token = cityYuan.address;
  const origin = window.location.origin + window.location.pathname;

  return (
    <section className="card" aria-labelledby="requests-title">
      <h2 id="requests-title">{t("requestsTitle")}</h2>
      <form
        className="request-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!parsed.ok || orderBytes === 0 || orderBytes > MAX_TEXT_REF_BYTES) return;
          setRequests((old) => [
            newPaymentRequest(order, parsed.fen),
            ...old.filter((r) => r.orderText !== order.trim()),
          ]);
          setAmount("");
          setOrder("");
          setTouched(false);
        }}
      >
        <label htmlFor="request-amount">{t("requestAmount")}</label>
        <input
          id="request-amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={Boolean(amountError)}
          aria-describedby={amountError ? "request-amount-error" : undefined}
        />
        {amountError && (
          <p id="request-amount-error" className="error" role="alert">
            {amountError}
          </p>
        )}
        <label htmlFor="request-order">{t("requestOrder")}</label>
        <input
          id="request-order"
          autoComplete="off"
          value={order}
          onChange={(e) => setOrder(e.target.value)}
          aria-invalid={Boolean(orderError)}
          aria-describedby={orderError ? "request-order-error" : "request-order-hint"}
        />
        <p id="request-order-hint" className="hint">
          {t("requestOrderHint")}
        </p>
        {orderError && (
          <p id="request-order-error" className="error" role="alert">
            {orderError}
          </p>
        )}
        <button type="submit" className="primary">
          {t("createRequest")}
        </button>
      </form>

      {requests.length > 0 && (
        <>
          <h3>{t("openRequests")}</h3>
          <ul className="payment-requests">
            {requests.map((request) => {
              const status = requestStatus(request, receipts);
              const paymentRequest = {
                token,
                chainId: cityChain.id,
                to: shop,
                amountFen: request.amountFen,
                ref: request.orderText,
              };
              const link = buildAppPayLink(origin, paymentRequest);
              return (
                <li
                  key={request.orderRef}
                  className="payment-request"
                  data-order={request.orderText}
                  data-status={status.state}
                >
                  <p>
                    <strong>{request.orderText}</strong> · <Money fen={request.amountFen} /> ·{" "}
                    <span className="request-status" role="status" aria-live="polite">
                      {status.state === "paid"
                        ? `✓ ${t("requestPaid")}`
                        : status.state === "underpaid"
                          ? t("requestUnderpaid", { paid: formatFen(status.paid) })
                          : t("requestOpen")}
                    </span>
                  </p>
                  {status.state !== "paid" && (
                    <>
                      <QrCode
                        text={buildPaymentUri(paymentRequest)}
                        alt={t("requestQr", { order: request.orderText, amount: formatFen(request.amountFen) })}
                        loadingLabel="…"
                      />
                      <p>
                        <a href={link} className="request-link">
                          {t("requestLink")}
                        </a>{" "}
                        <CopyButton text={link} />
                      </p>
                    </>
                  )}
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => setRequests((old) => old.filter((r) => r.orderRef !== request.orderRef))}
                  >
                    {t("remove")}
                    <span className="visually-hidden"> {request.orderText}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
