// Codes at the counter. The standing code (printed once, the resident types the amount) and
// per-order codes (amount + an order number generated, or typed and checked unused; valid 15
// minutes). Every code and link is the dApp's https link carrying the EIP-681 request, so any
// phone's camera opens it; the plain EIP-681 form is under 详情 for wallets that read it. A
// per-order code turns "paid" the moment a receipt with its order reference arrives.

import { buildAppPayLink, buildPaymentUri, type PaymentRequest } from "@core/eip681";
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
import {
  loadRequests,
  newOrderText,
  newPaymentRequest,
  orderUsed,
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
  const [, setTick] = useState(0);
  // Codes expire while the page is open: look again every few seconds.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => saveRequests(shop, requests), [shop, requests]);

  const parsed = parseYuan(amount);
  const orderBytes = new TextEncoder().encode(order.trim()).length;
  const amountError = touched && !parsed.ok ? tm(parsed.error) : undefined;
  const used = orderBytes > 0 && orderBytes <= MAX_TEXT_REF_BYTES && orderUsed(order, requests, receipts);
  const orderError = !touched
    ? undefined
    : orderBytes > MAX_TEXT_REF_BYTES
      ? t("orderTooLong")
      : used
        ? t("orderUsed", { order: order.trim() })
        : undefined;
  const token = cityYuan.address;
  const origin = window.location.origin + window.location.pathname;
  const standing: PaymentRequest = { token, chainId: cityChain.id, to: shop };

  return (
    <section className="card" aria-labelledby="requests-title">
      <h2 id="requests-title">{t("requestsTitle")}</h2>
      <details className="standing-code">
        <summary>{t("standingTitle")}</summary>
        <p className="hint">{t("standingIntro")}</p>
        <CodeAndLink request={standing} origin={origin} alt={t("standingQr")} />
      </details>
      <h3>{t("orderCodeTitle")}</h3>
      <form
        className="request-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!parsed.ok || orderBytes > MAX_TEXT_REF_BYTES || used) return;
          const text = orderBytes === 0 ? newOrderText(requests, receipts) : order.trim();
          setRequests((old) => [newPaymentRequest(text, parsed.fen), ...old]);
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
              const paymentRequest: PaymentRequest = {
                token,
                chainId: cityChain.id,
                to: shop,
                amountFen: request.amountFen,
                ref: request.orderText,
                expiresAt: request.expiresAt,
              };
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
                          : status.state === "expired"
                            ? t("requestExpired")
                            : t("requestOpen")}
                    </span>
                  </p>
                  {(status.state === "open" || status.state === "underpaid") && (
                    <CodeAndLink
                      request={paymentRequest}
                      origin={origin}
                      alt={t("requestQr", { order: request.orderText, amount: formatFen(request.amountFen) })}
                    />
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

/** The code (the dApp's https link), the link to copy, and the plain EIP-681 form under 详情. */
function CodeAndLink({ request, origin, alt }: { request: PaymentRequest; origin: string; alt: string }) {
  const t = useT(merchantMessages);
  const link = buildAppPayLink(origin, request);
  const uri = buildPaymentUri(request);
  return (
    <>
      <QrCode text={link} alt={alt} loadingLabel="…" />
      <p>
        <a href={link} className="request-link">
          {t("requestLink")}
        </a>{" "}
        <CopyButton text={link} />
      </p>
      <details className="tx-details">
        <summary>{t("codeDetails")}</summary>
        <p className="hint">{t("plainUriHint")}</p>
        <p className="link-box" data-testid="payment-uri">
          {uri}
        </p>
        <CopyButton text={uri} />
      </details>
    </>
  );
}
