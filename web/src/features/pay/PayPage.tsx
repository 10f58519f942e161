// Pay: scan first — the page opens on the camera; a picture of the code or a pasted link are the
// other ways (and `#/pay?request=…` opens straight at the checkout). Checks it is a Hefei City
// Yuan request on our chain, then the checkout.

import { type ParsedPaymentLink, type PaymentRequest, parsePaymentLink } from "@core/eip681";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { cityChain } from "../../chain";
import { Field } from "../../components/Field";
import { cityYuan } from "../../contracts";
import { linkMessages } from "../../i18n/messages/link";
import { payMessages } from "../../i18n/messages/pay";
import { useT } from "../../i18n/useT";
import type { PageProps } from "../../routes";
import { PaymentReview } from "./PaymentReview";
import { decodeQrFile, QrScanner } from "./QrScanner";

export default function PayPage({ query }: PageProps) {
  const t = useT(payMessages);
  const tl = useT(linkMessages);
  const fromUrl = query.get("request");
  const [linkText, setLinkText] = useState(fromUrl ?? "");
  const [result, setResult] = useState<ParsedPaymentLink | null>(null);
  // 付款 opens on the camera (扫一扫); pasting a link is the second way.
  const [scanning, setScanning] = useState(fromUrl === null);
  const [imageError, setImageError] = useState(false);
  // No camera: "停止扫码" would offer to stop a scan that never began; the message says why.
  const [noCamera, setNoCamera] = useState(false);
  const cameraMissing = useCallback(() => setNoCamera(true), []);

  const open = useCallback((text: string) => {
    setResult(parsePaymentLink(text, { token: cityYuan.address, chainId: cityChain.id }));
  }, []);

  // A link that opened the app (#/pay?request=…) goes straight to the checkout.
  useEffect(() => {
    if (fromUrl) {
      setLinkText(fromUrl);
      open(fromUrl);
    }
  }, [fromUrl, open]);

  const onScanned = useCallback(
    (text: string) => {
      setScanning(false);
      setLinkText(text);
      open(text);
    },
    [open],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    open(linkText);
  };

  const reset = () => {
    setResult(null);
    setLinkText("");
    if (fromUrl) window.location.hash = "#/pay";
  };

  if (result?.ok)
    return (
      <div>
        <h1>{t("title")}</h1>
        {/* One review per request: another order (a scan, a pasted link) starts from nothing. */}
        <PaymentReview key={requestKey(result.request)} request={result.request} onReset={reset} />
      </div>
    );

  return (
    <div>
      <h1>{t("title")}</h1>
      <section className="card stack">
        {!(scanning && noCamera) && (
          <button
            type="button"
            className="secondary big"
            onClick={() => setScanning((s) => !s)}
            aria-expanded={scanning}
          >
            {scanning ? t("stopScan") : t("scanQr")}
          </button>
        )}
        {scanning && <QrScanner onResult={onScanned} onUnavailable={cameraMissing} />}
        <Field id="pay-image" label={t("chooseImage")} error={imageError ? t("noQrInImage") : null}>
          <input
            type="file"
            accept="image/*"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              const text = await decodeQrFile(file).catch(() => null);
              setImageError(text === null);
              if (text) onScanned(text);
            }}
          />
        </Field>
      </section>
      <form className="card stack" onSubmit={submit}>
        <Field
          id="pay-link"
          label={t("linkLabel")}
          hint={t("linkHint")}
          error={
            result && !result.ok ? (
              <>
                <span aria-hidden="true">⚠ </span>
                {tl(result.error, { chainId: result.chainId ?? "" })}
              </>
            ) : null
          }
        >
          <textarea
            rows={3}
            value={linkText}
            onChange={(e) => setLinkText(e.target.value)}
            spellCheck={false}
            autoCapitalize="none"
          />
        </Field>
        <button type="submit" className="secondary big">
          {t("openLink")}
        </button>
      </form>
    </div>
  );
}

/** What makes two requests the same order: token, chain, payee, amount, reference and expiry. */
function requestKey(request: PaymentRequest): string {
  return [request.token, request.chainId, request.to, request.amountFen, request.ref, request.expiresAt].join("|");
}
