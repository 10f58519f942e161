// The default start: a passkey account (fingerprint, face or screen lock). Creating it asks the
// device for a new passkey; the account's address is known at once (it is created on the chain by
// its first payment). A device that already has one continues with it.
import { useState } from "react";
import { useConfig } from "wagmi";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useLang, useT } from "../../i18n/useT";
import { guessPlatform, proposedDeviceName } from "../../wallet/passkey/deviceNames";
import { loadPasskey } from "../../wallet/passkey/passkeyStore";
import { connectPasskey } from "../../wallet/walletActions";

function passkeysAvailable(): boolean {
  return typeof window !== "undefined" && "PublicKeyCredential" in window && window.isSecureContext;
}

function notConfirmed(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { name?: unknown }).name === "NotAllowedError") return true;
  return false;
}

export function PasskeyStart() {
  const t = useT(passkeyMessages);
  const lang = useLang();
  const config = useConfig();
  const stored = loadPasskey();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(notConfirmed(e) ? t("notConfirmed") : t("createFailed", { reason: t("notConfirmed") }));
      setBusy(false);
    }
  };

  if (!passkeysAvailable()) return <p className="notice">{t("noPasskeySupport")}</p>;
  return (
    <div className="stack">
      {stored ? (
        <button
          type="button"
          className="primary big"
          disabled={busy}
          onClick={() => void run(() => connectPasskey(config, stored))}
        >
          {t("continueWithPasskey")}
        </button>
      ) : (
        <button
          type="button"
          className="primary big"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const { createPasskeyAccount } = await import("../../wallet/passkey/passkeyAccount");
              // The first device gets the name proposed for it; she can change it under 我的设备.
              const platform = guessPlatform(navigator.userAgent);
              const passkey = await createPasskeyAccount(t("passkeyName"));
              await connectPasskey(config, {
                ...passkey,
                name: proposedDeviceName(platform, lang),
                platform,
                addedAt: Date.now(),
              });
            })
          }
        >
          {t("startWithPasskey")}
        </button>
      )}
      <p className="hint">{t("whyPasskey")}</p>
      {busy && <p className="progress">{t("creating")}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
