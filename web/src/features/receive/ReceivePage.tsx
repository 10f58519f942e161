// Receive: my payment request as a QR code and a link, with an optional amount; copy and share.
// The code and the link are the dApp's https link (carrying the EIP-681 request), so any phone
// camera or scanner app opens the Pay page; the plain EIP-681 form, for wallets that read it, is
// under 详情.

import { buildAppPayLink, buildPaymentUri, type PaymentRequest } from "@core/eip681";
import { formatFen, parseYuan } from "@core/money";
import { useState } from "react";
import { useConnection } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { CopyButton } from "../../components/CopyButton";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { QrCode } from "../../components/QrCode";
import { cityYuan } from "../../contracts";
import { moneyMessages } from "../../i18n/messages/money";
import { receiveMessages } from "../../i18n/messages/receive";
import { useT } from "../../i18n/useT";

export default function ReceivePage() {
  const t = useT(receiveMessages);
  const tm = useT(moneyMessages);
  const { address } = useConnection();
  const [amountText, setAmountText] = useState("");
  const parsed = amountText.trim() === "" ? null : parseYuan(amountText);
  if (!address || !cityYuan) return null;

  const request: PaymentRequest = { token: cityYuan.address, chainId: cityChain.id, to: address };
  if (parsed?.ok) request.amountFen = parsed.fen;
  const uri = buildPaymentUri(request);
  const appLink = buildAppPayLink(window.location.origin + window.location.pathname, request);
  const amountLabel = parsed?.ok ? t("qrAmount", { amount: formatFen(parsed.fen) }) : "";
  const canShare = typeof navigator.share === "function";

  return (
    <div>
      <h1>{t("title")}</h1>
      <p className="hint">{t("intro")}</p>
      <section className="card">
        <p>
          {t("myAddress")}: <AddressText address={address} showName={false} copyable />
        </p>
        <Field id="receive-amount" label={t("amountOptional")} error={parsed && !parsed.ok ? tm(parsed.error) : null}>
          <input {...AMOUNT_INPUT} value={amountText} onChange={(e) => setAmountText(e.target.value)} />
        </Field>
        <QrCode text={appLink} alt={t("qrAlt", { address, amount: amountLabel })} loadingLabel={t("qrLoading")} />
        <div className="button-row">
          <CopyButton text={appLink} label={t("copyAppLink")} />
          {canShare && (
            <button
              type="button"
              className="secondary small"
              onClick={() =>
                void navigator
                  .share({ title: t("shareTitle"), text: t("shareText", { amount: amountLabel }), url: appLink })
                  .catch(() => undefined)
              }
            >
              {t("share")}
            </button>
          )}
        </div>
        <details className="tx-details">
          <summary>{t("details")}</summary>
          <h2>{t("appLink")}</h2>
          <p className="link-box" data-testid="app-link">
            {appLink}
          </p>
          <h2>{t("paymentUri")}</h2>
          <p className="link-box" data-testid="payment-uri">
            {uri}
          </p>
          <CopyButton text={uri} label={t("copyUri")} />
        </details>
      </section>
    </div>
  );
}
