// Unlock the wallet stored on this device with its passcode (or remove it from the device).
import { type FormEvent, useState } from "react";
import { useConfig } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { type EncryptedKey, WrongPasscodeError } from "../../wallet/keyCrypto";
import { removeKeystore, unlockKeystore } from "../../wallet/keystore";
import { connectBuiltIn } from "../../wallet/walletActions";

export function UnlockWallet({
  keystore,
  lockedByIdle,
  onForget,
}: {
  keystore: EncryptedKey;
  lockedByIdle: boolean;
  onForget: () => void;
}) {
  const t = useT(walletMessages);
  const config = useConfig();
  const [passcode, setPasscode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmForget, setConfirmForget] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await unlockKeystore(passcode);
      await connectBuiltIn(config);
    } catch (e) {
      setError(e instanceof WrongPasscodeError ? t("wrongPasscode") : String((e as Error).message));
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t("unlockTitle")}</h1>
      {lockedByIdle && <p className="notice">{t("lockedAfterIdle")}</p>}
      <p>
        {t("unlockFor")}: <AddressText address={keystore.address} showName={false} />
      </p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label className="field">
          <span>{t("passcode")}</span>
          <input
            type="password"
            autoComplete="current-password"
            value={passcode}
            onChange={(e) => setPasscode(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby={error ? "unlock-error" : undefined}
            required
          />
        </label>
        {error && (
          <p id="unlock-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy}>
          {busy ? t("unlocking") : t("unlock")}
        </button>
      </form>
      {confirmForget ? (
        <div className="notice" role="alert">
          <p>{t("forgetConfirm")}</p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              removeKeystore();
              onForget();
            }}
          >
            {t("forgetYes")}
          </button>
        </div>
      ) : (
        <button type="button" className="link-button" onClick={() => setConfirmForget(true)}>
          {t("forgetWallet")}
        </button>
      )}
    </section>
  );
}
