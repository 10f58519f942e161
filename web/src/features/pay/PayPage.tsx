// Pay: open a payment link (pasted, from `#/pay?request=…`, scanned from a QR code or read from a
// picture), check it is a Hefei City Yuan request on our chain, then the checkout.
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { cityChain } from "../../chain";
import { cityYuan } from "../../contracts";
import { linkMessages } from "../../i18n/messages/link";
import { payMessages } from "../../i18n/messages/pay";
import { useT } from "../../i18n/useT";
import { type ParsedPaymentLink, parsePaymentLink } from "../../lib/eip681";
import type { PageProps } from "../../routes";
import { PaymentReview } from "./PaymentReview";
import { decodeQrFile, QrScanner } from "./QrScanner";

export default function PayPage({ query }: PageProps) {
  const t = useT(payMessages);
  const tl = useT(linkMessages);
  const fromUrl = query.get("request");
  const [linkText, setLinkText] = useState(fromUrl ?? "");
  const [result, setResult] = useState<ParsedPaymentLink | null>(null);
  const [scanning, setScanning] = useState(false);
  const [imageError, setImageError] = useState(false);

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
        <PaymentReview request={result.request} onReset={reset} />
      </div>
    );

  return (
    <div>
      <h1>{t("title")}</h1>
      <form className="card stack" onSubmit={submit}>
        <label className="field">
          <span>{t("linkLabel")}</span>
          <textarea
            rows={3}
            value={linkText}
            onChange={(e) => setLinkText(e.target.value)}
            spellCheck={false}
            autoCapitalize="none"
            aria-describedby="pay-link-hint"
            aria-invalid={result !== null && !result.ok}
          />
        </label>
        <p id="pay-link-hint" className="hint">
          {t("linkHint")}
        </p>
        {result && !result.ok && (
          <p className="error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {tl(result.error, { chainId: result.chainId ?? "" })}
          </p>
        )}
        <button type="submit" className="primary big">
          {t("openLink")}
        </button>
      </form>
      <section className="card stack">
        <button type="button" className="secondary big" onClick={() => setScanning((s) => !s)} aria-expanded={scanning}>
          {scanning ? t("stopScan") : t("scanQr")}
        </button>
        {scanning && <QrScanner onResult={onScanned} />}
        <label className="field">
          <span>{t("chooseImage")}</span>
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
        </label>
        {imageError && (
          <p className="error" role="alert">
            {t("noQrInImage")}
          </p>
        )}
      </section>
    </div>
  );
}
