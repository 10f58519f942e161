// The four elements as typed, checked before anything is sent (core/identity.ts, the same checks
// the service makes): each problem names its field and the words to show under it.
import {
  cardNumberWellFormed,
  idNumberProblem,
  nameWellFormed,
  normalizeCardNumber,
  normalizeIdNumber,
  normalizePhone,
  phoneWellFormed,
} from "@core/identity";

export type CardholderField = "name" | "idNumber" | "cardNumber" | "phone";
export type CardholderProblem =
  | { field: "name"; words: "nameMissing" | "nameInvalid" }
  | { field: "idNumber"; words: "idMissing" | "idNumberFormat" | "idNumberBirthDate" | "idNumberCheckDigit" }
  | { field: "cardNumber"; words: "cardMissing" | "cardNumberInvalid" }
  | { field: "phone"; words: "phoneMissing" | "phoneInvalid" };

export type CardholderInput = Record<CardholderField, string>;

const ID_WORDS = {
  format: "idNumberFormat",
  birthDate: "idNumberBirthDate",
  checkDigit: "idNumberCheckDigit",
} as const;

export function cardholderProblems(input: CardholderInput): CardholderProblem[] {
  const problems: CardholderProblem[] = [];
  const name = input.name.trim();
  if (name === "") problems.push({ field: "name", words: "nameMissing" });
  else if (!nameWellFormed(name)) problems.push({ field: "name", words: "nameInvalid" });
  if (input.idNumber.trim() === "") problems.push({ field: "idNumber", words: "idMissing" });
  else {
    const problem = idNumberProblem(input.idNumber);
    if (problem !== undefined) problems.push({ field: "idNumber", words: ID_WORDS[problem] });
  }
  if (input.cardNumber.trim() === "") problems.push({ field: "cardNumber", words: "cardMissing" });
  else if (!cardNumberWellFormed(input.cardNumber)) problems.push({ field: "cardNumber", words: "cardNumberInvalid" });
  if (input.phone.trim() === "") problems.push({ field: "phone", words: "phoneMissing" });
  else if (!phoneWellFormed(input.phone)) problems.push({ field: "phone", words: "phoneInvalid" });
  return problems;
}

/** What is sent: spaces dropped, x made X, +86 dropped. */
export const normalizedCardholder = (input: CardholderInput): CardholderInput => ({
  name: input.name.trim(),
  idNumber: normalizeIdNumber(input.idNumber),
  cardNumber: normalizeCardNumber(input.cardNumber),
  phone: normalizePhone(input.phone),
});

/** The field a bank's or the service's refusal is about, to mark it. */
export function fieldOfRefusal(code: string | undefined): CardholderField | undefined {
  if (code === "cardholder_name") return "name";
  if (code === "cardholder_idNumber" || code?.startsWith("id_number_")) return "idNumber";
  if (code === "cardholder_cardNumber") return "cardNumber";
  if (code === "cardholder_phone") return "phone";
  return undefined;
}
