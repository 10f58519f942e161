// The phone-verified level, for a resident without her bank card at hand: her phone number → the
// SMS gateway sends a one-time code (the simulated gateway shows it, marked as the simulation) →
// she types it. Small limits, no residents' red packets; binding her card later upgrades it.
import type { IdentityView } from "@core/identity";
import { normalizePhone, phoneWellFormed } from "@core/identity";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { DIGITS_INPUT, Field } from "../../components/Field";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import { CityServiceError, confirmPhoneCode, requestPhoneCode } from "../../service/cityService";
import { type Outcome, OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { identityKey } from "./useIdentity";

type Sent = { phoneLast4: string; expiresAt: number; shownCode?: string };

/** The words for the phone level's own refusals; others go through the service's general words. */
function phoneRefusal(error: unknown): PhoneRefusal | undefined {
  if (!(error instanceof CityServiceError)) return undefined;
  const words: Record<string, PhoneRefusal> = {
    phone_code_wrong: "phoneCodeWrong",
    phone_code_expired: "phoneCodeExpired",
    phone_code_tries: "phoneCodeTries",
    no_phone_code: "phoneCodeExpired",
    phone_of_verified_person: "phoneOfVerifiedPerson",
    already_verified: "alreadyVerified",
  };
  return error.code === undefined ? undefined : words[error.code];
}
type PhoneRefusal =
  | "phoneCodeWrong"
  | "phoneCodeExpired"
  | "phoneCodeTries"
  | "phoneOfVerifiedPerson"
  | "alreadyVerified";

export function PhoneForm({ owner }: { owner: Address }) {
  const t = useT(identityMessages);
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState<Sent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The phone level's own refusals in its own words (the service's general words otherwise).
  const [refusal, setRefusal] = useState<string | null>(null);
  const refused = (error: unknown): null => {
    const words = phoneRefusal(error);
    if (words === undefined) throw error;
    setRefusal(t(words));
    return null;
  };
  const ask = useServiceAction(
    (number: string) => requestPhoneCode(number).catch(refused),
    (answer) => {
      if (answer === null) return undefined;
      setSent(answer);
      setCode("");
      return undefined;
    },
  );
  const confirm = useServiceAction(
    (typed: string) => confirmPhoneCode(typed).catch(refused),
    (view: IdentityView | null) => {
      if (view === null) return undefined;
      queryClient.setQueryData(identityKey(owner), view);
      return t("phoneVerified");
    },
  );
  const shown = (outcome: Outcome): Outcome => (refusal !== null ? { ok: false, text: refusal } : outcome);

  const askCode = (event: FormEvent) => {
    event.preventDefault();
    if (phone.trim() === "") return setProblem(t("phoneMissing"));
    if (!phoneWellFormed(phone)) return setProblem(t("phoneInvalid"));
    setProblem(null);
    setRefusal(null);
    confirm.clear();
    ask.run(normalizePhone(phone));
  };
  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    const typed = code.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(typed)) return setProblem(t("codeInvalid"));
    setProblem(null);
    setRefusal(null);
    confirm.run(typed);
  };

  return (
    <section className="card" aria-labelledby="phone-level-title" data-testid="phone-level">
      <h2 id="phone-level-title">{t("phoneTitle")}</h2>
      <p className="hint">{t("phoneHint")}</p>
      {sent === null ? (
        <form className="stack" onSubmit={(e) => void askCode(e)} noValidate>
          <Field id="phone-level-phone" label={t("phoneOnlyLabel")} error={problem}>
            <input type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
          </Field>
          <OutcomeLine outcome={shown(ask.outcome)} />
          <button type="submit" className="secondary" disabled={ask.busy}>
            {t("phoneSend")}
          </button>
        </form>
      ) : (
        <form className="stack" onSubmit={(e) => void sendCode(e)} noValidate>
          <p role="status">
            {t("phoneSent", {
              last4: sent.phoneLast4,
              minutes: Math.max(1, Math.round((sent.expiresAt - Date.now()) / 60_000)),
            })}
          </p>
          {sent.shownCode !== undefined && (
            <p className="simulated-sms" data-testid="simulated-phone-sms">
              <span className="simulated-label">{t("simulatedSms")}</span>
              <span className="simulated-code">{t("simulatedCode", { code: sent.shownCode })}</span>
            </p>
          )}
          <Field id="phone-level-code" label={t("phoneCodeLabel")} error={problem}>
            <input
              {...DIGITS_INPUT}
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </Field>
          <OutcomeLine outcome={shown(confirm.outcome)} />
          <div className="button-row">
            <button type="submit" className="primary" disabled={confirm.busy}>
              {t("phoneVerify")}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={confirm.busy}
              onClick={() => {
                setSent(null);
                setRefusal(null);
                confirm.clear();
                setProblem(null);
              }}
            >
              {t("phoneSendAgain")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
