// Create a wallet in under a minute: see the 12 words once, type back three of them (the page
// moves on by itself once all three are right), choose a passcode. Only the encrypted key is stored; the phrase itself is never saved.
import { type FormEvent, useMemo, useState } from "react";
import { useConfig } from "wagmi";
import { commonMessages } from "../../i18n/messages/common";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { saveFromPhrase } from "../../wallet/keystore";
import { newRecoveryPhrase, pickConfirmationPositions } from "../../wallet/mnemonic";
import { connectBuiltIn } from "../../wallet/walletActions";
import { PasscodeFields, type PasscodeState, passcodeError } from "./PasscodeFields";

type Step = "phrase" | "confirm" | "passcode";

export function CreateWallet({ onCancel }: { onCancel: () => void }) {
  const t = useT(walletMessages);
  const tc = useT(commonMessages);
  const config = useConfig();
  const phrase = useMemo(newRecoveryPhrase, []);
  const words = phrase.split(" ");
  const positions = useMemo(() => pickConfirmationPositions(words.length), [words.length]);
  const [step, setStep] = useState<Step>("phrase");
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [confirmError, setConfirmError] = useState<number | null>(null);
  const [passcode, setPasscode] = useState<PasscodeState>({ passcode: "", repeat: "" });
  const [showPasscodeErrors, setShowPasscodeErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const checkWords = (event: FormEvent) => {
    event.preventDefault();
    const wrong = positions.find((p) => (answers[p] ?? "").trim().toLowerCase() !== words[p]);
    if (wrong !== undefined) {
      setConfirmError(wrong);
      return;
    }
    setConfirmError(null);
    setStep("passcode");
  };

  const finish = async (event: FormEvent) => {
    event.preventDefault();
    setShowPasscodeErrors(true);
    if (passcodeError(passcode) || busy) return;
    setBusy(true);
    try {
      await saveFromPhrase(phrase, passcode.passcode);
      await connectBuiltIn(config);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  if (step === "phrase")
    return (
      <section className="card" aria-labelledby="phrase-title">
        <h1 id="phrase-title">{t("phraseTitle")}</h1>
        <p className="notice">{t("phraseIntro")}</p>
        <ol className="phrase-grid" aria-label={t("phraseTitle")}>
          {words.map((word, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a phrase may repeat a word; its position is its identity.
            <li key={i}>
              <span className="phrase-index" aria-hidden="true">
                {i + 1}
              </span>
              <span className="phrase-word" data-testid={`phrase-word-${i + 1}`}>
                {word}
              </span>
            </li>
          ))}
        </ol>
        <div className="button-row">
          <button type="button" className="primary big" onClick={() => setStep("confirm")}>
            {t("phraseWritten")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {tc("cancel")}
          </button>
        </div>
      </section>
    );

  if (step === "confirm")
    return (
      <section className="card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{t("confirmTitle")}</h1>
        <p>{t("confirmIntro")}</p>
        <form className="stack" onSubmit={checkWords}>
          {positions.map((p) => (
            <label key={p} className="field">
              <span>{t("phraseWord", { n: p + 1 })}</span>
              <input
                type="text"
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                autoComplete="off"
                value={answers[p] ?? ""}
                onChange={(e) => {
                  const next = { ...answers, [p]: e.target.value };
                  setAnswers(next);
                  // All three right: on to the passcode without a tap on 继续.
                  if (positions.every((q) => (next[q] ?? "").trim().toLowerCase() === words[q])) {
                    setConfirmError(null);
                    setStep("passcode");
                  }
                }}
                aria-invalid={confirmError === p}
                required
              />
            </label>
          ))}
          {confirmError !== null && (
            <p className="error" role="alert">
              {t("confirmWrong", { n: confirmError + 1 })}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="primary big">
              {tc("continue")}
            </button>
            <button type="button" className="secondary" onClick={() => setStep("phrase")}>
              {tc("back")}
            </button>
          </div>
        </form>
      </section>
    );

  return (
    <section className="card" aria-labelledby="create-passcode-title">
      <h1 id="create-passcode-title">{t("createWallet")}</h1>
      <form className="stack" onSubmit={(e) => void finish(e)}>
        <PasscodeFields value={passcode} onChange={setPasscode} showErrors={showPasscodeErrors} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy}>
          {busy ? t("creating") : t("createFinish")}
        </button>
      </form>
      <p className="hint">{t("neverSent")}</p>
    </section>
  );
}
