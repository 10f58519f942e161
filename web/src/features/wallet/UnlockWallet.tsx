// Unlock the wallet stored on this device with its passcode (or remove it from the device).

import { type FormEvent, useState } from "react";
import { useConfig } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { Field } from "../../components/Field";
import { walletMessages } from "../../i18n/messages/wallet";
import { type Translate, useT } from "../../i18n/useT";
import { type EncryptedKey, WrongPasscodeError } from "../../wallet/keyCrypto";
import { removeKeystore, unlockKeystore } from "../../wallet/keystore";
import { afterWrongPasscode, loadTries, PasscodeWaitError } from "../../wallet/passcodeGuard";
import { connectBuiltIn } from "../../wallet/walletActions";

/** A wrong or too-early passcode in words: how many tries are left, or how long to wait. */
export function passcodeErrorText(e: unknown, t: Translate<keyof (typeof walletMessages)["zh"]>): string {
  if (e instanceof PasscodeWaitError) return t("passcodeWait", { seconds: Math.ceil(e.waitMs / 1000) });
  if (e instanceof WrongPasscodeError) {
    const next = afterWrongPasscode(loadTries());
    if (next.kind === "triesLeft") return t("wrongPasscodeLeft", { left: next.left });
    if (next.kind === "wait") return t("wrongPasscodeWait", { seconds: next.seconds });
    return t("wrongPasscodeNoneLeft");
  }
  return t("unlockFailed");
}

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
      setError(passcodeErrorText(e, t));
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
        <Field id="unlock" label={t("passcode")} error={error ? error : null}>
          <input
            type="password"
            autoComplete="current-password"
            value={passcode}
            onChange={(e) => setPasscode(e.target.value)}
            required
          />
        </Field>
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
