// Binding her bank card (POST /identity/card): name, ID number, card number and the phone the bank
// holds, and the consent she agrees to (its wording as the service gives it, in her language).
// Every element is checked for form here first (a wrong ID check digit is said before anything is
// sent); the bank's answer names the element that did not match, in words, under that field.
import type { IdentityView } from "@core/identity";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { DIGITS_INPUT, Field } from "../../components/Field";
import { serviceErrorMessages } from "../../i18n/messages/account";
import { identityMessages } from "../../i18n/messages/identity";
import { useLang, useT } from "../../i18n/useT";
import { bindBankCard, CityServiceError } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import {
  type CardholderField,
  type CardholderInput,
  type CardholderProblem,
  cardholderProblems,
  fieldOfRefusal,
  normalizedCardholder,
} from "./cardholderInput";
import { identityKey } from "./useIdentity";

export function BindCardForm({
  owner,
  consent,
  upgrade = false,
  onBound,
}: {
  owner: Address;
  consent: { version: string; text: { zh: string; en: string } };
  /** She is phone-verified already: the same form, said as an upgrade. */
  upgrade?: boolean;
  /** Told once the bank confirmed the card (the page then shows her level, not this form). */
  onBound?: () => void;
}) {
  const t = useT(identityMessages);
  const te = useT(serviceErrorMessages);
  const lang = useLang();
  const queryClient = useQueryClient();
  const [input, setInput] = useState<CardholderInput>({ name: "", idNumber: "", cardNumber: "", phone: "" });
  const [agreed, setAgreed] = useState(false);
  const [problems, setProblems] = useState<CardholderProblem[]>([]);
  const [consentProblem, setConsentProblem] = useState(false);
  // The element the bank (or the service) refused, to mark its field; cleared on the next try.
  const [refusedField, setRefusedField] = useState<CardholderField | undefined>(undefined);
  const bind = useServiceAction(
    async (elements: CardholderInput) => {
      try {
        return await bindBankCard(elements, consent.version);
      } catch (error) {
        setRefusedField(error instanceof CityServiceError ? fieldOfRefusal(error.code) : undefined);
        throw error;
      }
    },
    (view: IdentityView) => {
      queryClient.setQueryData(identityKey(owner), view);
      onBound?.();
      return t("bound");
    },
  );

  const set = (field: CardholderField) => (value: string) => setInput((now) => ({ ...now, [field]: value }));
  const errorOf = (field: CardholderField) => {
    const problem = problems.find((p) => p.field === field);
    if (problem === undefined) return undefined;
    // The ID number's form is said in the same words the service would use.
    if (problem.field === "idNumber" && problem.words !== "idMissing") return te(problem.words);
    return t(
      problem.words as Exclude<
        CardholderProblem["words"],
        "idNumberFormat" | "idNumberBirthDate" | "idNumberCheckDigit"
      >,
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = cardholderProblems(input);
    setProblems(found);
    setConsentProblem(!agreed);
    setRefusedField(undefined);
    if (found.length > 0 || !agreed) {
      bind.clear();
      return;
    }
    bind.run(normalizedCardholder(input));
  };

  return (
    <section className="card" aria-labelledby="bind-card-title" data-testid="bind-card">
      <h2 id="bind-card-title">{upgrade ? t("bindAnotherTitle") : t("bindTitle")}</h2>
      <p className="hint">{t("bindHint")}</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="identity-name" label={t("nameLabel")} error={errorOf("name")} problemAt={at(refusedField, "name")}>
          <input type="text" autoComplete="name" value={input.name} onChange={(e) => set("name")(e.target.value)} />
        </Field>
        <Field
          id="identity-id-number"
          label={t("idNumberLabel")}
          error={errorOf("idNumber")}
          problemAt={at(refusedField, "idNumber")}
        >
          <input
            type="text"
            autoComplete="off"
            maxLength={22}
            value={input.idNumber}
            onChange={(e) => set("idNumber")(e.target.value)}
          />
        </Field>
        <Field
          id="identity-card-number"
          label={t("cardNumberLabel")}
          error={errorOf("cardNumber")}
          problemAt={at(refusedField, "cardNumber")}
        >
          <input
            {...DIGITS_INPUT}
            maxLength={24}
            value={input.cardNumber}
            onChange={(e) => set("cardNumber")(e.target.value)}
          />
        </Field>
        <Field
          id="identity-phone"
          label={t("phoneLabel")}
          error={errorOf("phone")}
          problemAt={at(refusedField, "phone")}
        >
          <input type="tel" autoComplete="tel" value={input.phone} onChange={(e) => set("phone")(e.target.value)} />
        </Field>
        <div className="consent stack">
          <h3>{t("consentTitle")}</h3>
          <p className="consent-text" data-testid="consent-text">
            {consent.text[lang]}
          </p>
          <label>
            <input
              type="checkbox"
              checked={agreed}
              aria-invalid={consentProblem}
              onChange={(e) => {
                setAgreed(e.target.checked);
                if (e.target.checked) setConsentProblem(false);
              }}
            />
            <span>{t("consentAgree")}</span>
          </label>
          {consentProblem && (
            <p className="error" role="alert">
              {t("consentMissing")}
            </p>
          )}
        </div>
        <div id="bind-card-outcome">
          <OutcomeLine outcome={bind.outcome} />
        </div>
        <button type="submit" className="primary" disabled={bind.busy}>
          {bind.busy ? t("binding") : t("bindSubmit")}
        </button>
      </form>
    </section>
  );
}

const at = (refused: CardholderField | undefined, field: CardholderField) =>
  refused === field ? "bind-card-outcome" : undefined;
