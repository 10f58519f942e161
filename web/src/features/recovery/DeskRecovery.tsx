// “通过城市服务台找回”, on the new phone under 我的手机丢了: she re-verifies with the bank — the same
// four elements as 实名 (name, ID number, card number, the phone the bank holds) — then types the
// code the bank sends to that phone, choosing whether the lost phones are removed when it is done
// (on by default; the devices the account named are listed). The service checks the bank's person
// is the account's (POST /recovery/desk, /recovery/desk/:id/confirm), and its desk clerk starts the
// recovery on chain. No account number is asked: the service finds her account by her identity.
import { type FormEvent, useState } from "react";
import type { Hex } from "viem";
import { DIGITS_INPUT, Field } from "../../components/Field";
import { identityMessages } from "../../i18n/messages/identity";
import { recoveryMessages } from "../../i18n/messages/recovery";
import { useT } from "../../i18n/useT";
import {
  CityServiceError,
  confirmDeskRecovery,
  type DeskConfirmed,
  type DeskStarted,
  startDeskRecovery,
} from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { CardholderFields, EMPTY_CARDHOLDER } from "../identity/CardholderFields";
import {
  type CardholderField,
  type CardholderInput,
  type CardholderProblem,
  cardholderProblems,
  fieldOfRefusal,
  normalizedCardholder,
} from "../identity/cardholderInput";

export function DeskRecovery({
  passkey,
  request,
  onRequest,
  onStarted,
  onBack,
}: {
  passkey: { x: Hex; y: Hex };
  /** The bank's check already passed and a code is on its way (kept by the caller across a reload). */
  request: DeskStarted | null;
  onRequest: (request: DeskStarted | null) => void;
  onStarted: (confirmed: DeskConfirmed, deskDelay: number) => void;
  onBack: () => void;
}) {
  const t = useT(recoveryMessages);
  const ti = useT(identityMessages);
  const describe = useServiceErrorText();
  const [input, setInput] = useState<CardholderInput>(EMPTY_CARDHOLDER);
  const [problems, setProblems] = useState<CardholderProblem[]>([]);
  const [refused, setRefused] = useState<CardholderField | undefined>(undefined);
  const started = request;
  const setStarted = onRequest;
  const [code, setCode] = useState("");
  const [removeLost, setRemoveLost] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const check = async (event: FormEvent) => {
    event.preventDefault();
    const found = cardholderProblems(input);
    setProblems(found);
    setRefused(undefined);
    setError(null);
    if (found.length > 0) return;
    setBusy(true);
    try {
      setStarted(await startDeskRecovery(normalizedCardholder(input), { qx: passkey.x, qy: passkey.y }));
    } catch (e) {
      setRefused(e instanceof CityServiceError ? fieldOfRefusal(e.code) : undefined);
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!started) return;
    setError(null);
    setBusy(true);
    try {
      onStarted(await confirmDeskRecovery(started.id, code.trim(), removeLost), started.deskDelay);
    } catch (e) {
      setError(describe(e));
      // A spent or expired request: she checks with the bank again.
      if (
        e instanceof CityServiceError &&
        (e.code === "desk_code_expired" ||
          e.code === "desk_code_tries" ||
          e.code === "no_desk_request" ||
          e.code === "desk_already_confirmed")
      )
        setStarted(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="stack" aria-labelledby="desk-title" data-testid="desk-recovery">
      <h2 id="desk-title">{t("deskTitle")}</h2>
      {!started ? (
        <form className="stack" onSubmit={(e) => void check(e)} noValidate>
          <p className="hint">{t("deskIntro")}</p>
          <CardholderFields
            idPrefix="desk"
            input={input}
            onChange={setInput}
            problems={problems}
            refused={refused}
            outcomeId="desk-outcome"
          />
          <div id="desk-outcome">
            {error && (
              <p className="error" role="alert" data-testid="desk-error">
                {error}
              </p>
            )}
          </div>
          <button type="submit" className="primary big" disabled={busy}>
            {busy ? t("deskChecking") : t("deskCheck")}
          </button>
        </form>
      ) : (
        <form className="stack" onSubmit={(e) => void confirm(e)} noValidate>
          <p data-testid="desk-code-sent">{t("deskCodeSent", { last4: started.phoneLast4 })}</p>
          {started.shownCode && (
            <p className="notice" data-testid="desk-shown-code">
              {ti("simulatedBank")}: {ti("simulatedCode", { code: started.shownCode })}
            </p>
          )}
          <Field id="desk-code" label={ti("codeLabel")}>
            <input
              {...DIGITS_INPUT}
              maxLength={6}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={removeLost}
              data-testid="desk-remove-lost"
              onChange={(e) => setRemoveLost(e.target.checked)}
            />
            <span>{t("deskRemoveLost")}</span>
          </label>
          {removeLost &&
            (started.devices.length > 0 ? (
              <>
                <p className="hint">{t("deskRemoveHint")}</p>
                <ul className="break-anywhere" data-testid="desk-devices">
                  {started.devices.map((d) => (
                    <li key={d.passkey}>{d.name}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="hint">{t("deskRemoveNone")}</p>
            ))}
          {error && (
            <p className="error" role="alert" data-testid="desk-error">
              {error}
            </p>
          )}
          <button type="submit" className="primary big" disabled={busy || !/^\d{6}$/.test(code.trim())}>
            {busy ? t("deskConfirming") : t("deskConfirm")}
          </button>
        </form>
      )}
      <button type="button" className="secondary" onClick={onBack}>
        {t("deskBack")}
      </button>
    </section>
  );
}
