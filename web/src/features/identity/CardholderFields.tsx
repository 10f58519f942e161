// The four elements the bank checks (name, ID number, card number, the bank's phone), as one set of
// fields: binding a card for 实名 and re-verifying at the city recovery desk ask for the same things
// in the same words. The form around them owns the input, the problems found before sending and
// the element the bank refused.

import { DIGITS_INPUT, Field } from "../../components/Field";
import { serviceErrorMessages } from "../../i18n/messages/account";
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import type { CardholderField, CardholderInput, CardholderProblem } from "./cardholderInput";

export const EMPTY_CARDHOLDER: CardholderInput = { name: "", idNumber: "", cardNumber: "", phone: "" };

export function CardholderFields({
  idPrefix,
  input,
  onChange,
  problems,
  refused,
  outcomeId,
}: {
  /** Prefix of the inputs' ids (`${idPrefix}-name`, …). */
  idPrefix: string;
  input: CardholderInput;
  onChange: (input: CardholderInput) => void;
  problems: readonly CardholderProblem[];
  /** The element the bank or the service refused: its field points at the outcome line. */
  refused: CardholderField | undefined;
  /** The id of the line that says why it was refused. */
  outcomeId: string;
}) {
  const t = useT(identityMessages);
  const te = useT(serviceErrorMessages);
  const set = (field: CardholderField) => (value: string) => onChange({ ...input, [field]: value });
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
  const at = (field: CardholderField) => (refused === field ? outcomeId : undefined);

  return (
    <>
      <Field id={`${idPrefix}-name`} label={t("nameLabel")} error={errorOf("name")} problemAt={at("name")}>
        <input type="text" autoComplete="name" value={input.name} onChange={(e) => set("name")(e.target.value)} />
      </Field>
      <Field
        id={`${idPrefix}-id-number`}
        label={t("idNumberLabel")}
        error={errorOf("idNumber")}
        problemAt={at("idNumber")}
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
        id={`${idPrefix}-card-number`}
        label={t("cardNumberLabel")}
        error={errorOf("cardNumber")}
        problemAt={at("cardNumber")}
      >
        <input
          {...DIGITS_INPUT}
          maxLength={24}
          value={input.cardNumber}
          onChange={(e) => set("cardNumber")(e.target.value)}
        />
      </Field>
      <Field id={`${idPrefix}-phone`} label={t("phoneLabel")} error={errorOf("phone")} problemAt={at("phone")}>
        <input type="tel" autoComplete="tel" value={input.phone} onChange={(e) => set("phone")(e.target.value)} />
      </Field>
    </>
  );
}
