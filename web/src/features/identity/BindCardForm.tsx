// Binding her bank card (POST /identity/card): name, ID number, card number and the phone the bank
// holds, and the consent she agrees to (its wording as the service gives it, in her language).
// Every element is checked for form here first (a wrong ID check digit is said before anything is
// sent); the bank's answer names the element that did not match, in words, under that field.
import type { IdentityView } from "@core/identity";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { identityMessages } from "../../i18n/messages/identity";
import { useLang, useT } from "../../i18n/useT";
import { bindBankCard, CityServiceError } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { CardholderFields, EMPTY_CARDHOLDER } from "./CardholderFields";
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
  const lang = useLang();
  const queryClient = useQueryClient();
  const [input, setInput] = useState<CardholderInput>(EMPTY_CARDHOLDER);
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
        <CardholderFields
          idPrefix="identity"
          input={input}
          onChange={setInput}
          problems={problems}
          refused={refusedField}
          outcomeId="bind-card-outcome"
        />
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
