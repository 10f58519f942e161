// Restore a wallet from its recovery phrase (checked word by word and by its checksum) and
// protect it with a new passcode on this device.
import { type FormEvent, useState } from "react";
import { useConfig } from "wagmi";
import { commonMessages } from "../../i18n/messages/common";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { saveFromPhrase } from "../../wallet/keystore";
import { normalisePhrase, phraseProblem } from "../../wallet/mnemonic";
import { connectBuiltIn } from "../../wallet/walletActions";
import { PasscodeFields, type PasscodeState, passcodeError } from "./PasscodeFields";

export function RestoreWallet({ onCancel }: { onCancel: () => void }) {
  const t = useT(walletMessages);
  const tc = useT(commonMessages);
  const config = useConfig();
  const [phrase, setPhrase] = useState("");
  const [passcode, setPasscode] = useState<PasscodeState>({ passcode: "", repeat: "" });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = submitted ? phraseProblem(phrase) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (phraseProblem(phrase) || passcodeError(passcode) || busy) return;
    setBusy(true);
    try {
      await saveFromPhrase(normalisePhrase(phrase), passcode.passcode);
      await connectBuiltIn(config);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="restore-title">
      <h1 id="restore-title">{t("restoreTitle")}</h1>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t("restorePhrase")}</span>
          <textarea
            rows={3}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            autoComplete="off"
            value={phrase}
            onChange={(e) => setPhrase(e.target.value)}
            aria-invalid={problem !== null}
            aria-describedby={problem ? "restore-phrase-error" : undefined}
            required
          />
        </label>
        {problem && (
          <p id="restore-phrase-error" className="error" role="alert">
            {t(problem)}
          </p>
        )}
        <PasscodeFields value={passcode} onChange={setPasscode} showErrors={submitted} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="primary big" disabled={busy}>
            {busy ? t("creating") : t("restoreFinish")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {tc("cancel")}
          </button>
        </div>
      </form>
      <p className="hint">{t("neverSent")}</p>
    </section>
  );
}
