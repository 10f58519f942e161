// What the Transfer page's recipient field means: a registered shop's name, a contact's name, or
// an account number (0x…). Pure, so the rule is tested on its own (test/web/recipient-input.test.ts).
//
// - Text starting with 0x is an account number and goes through the address checks.
// - Otherwise it is a name: exactly one shop or contact of that name (ignoring case, width and
//   spaces) is the recipient. Two different accounts with the same name (a contact called like a
//   shop) are not guessed between: she picks one from the proposals, each tagged 商户 or 联系人.
// - Names that contain what she typed are proposed as she types, exact matches first.
import type { Address } from "viem";
import { type AddressProblem, parseAddressInput } from "../lib/addressInput";

export type NamedPayee = { name: string; address: Address; kind: "shop" | "contact" };

export type Recipient =
  | { kind: "empty" }
  | { kind: "address"; address: Address }
  | { kind: "badAddress"; error: AddressProblem }
  | { kind: "named"; payee: NamedPayee }
  | { kind: "ambiguous"; matches: NamedPayee[] }
  | { kind: "notFound"; text: string };

/** How a name is compared: full-width letters and digits as half-width, case and spaces ignored. */
export function nameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

/** Looks like an account number rather than a name: starts with 0x (or 0X, or a full-width ０ｘ). */
export function looksLikeAccountNumber(text: string): boolean {
  return /^0x/i.test(text.trim().normalize("NFKC"));
}

/** One entry per account and name: a shop registered twice, or a contact saved on two devices, is one. */
function distinct(payees: NamedPayee[]): NamedPayee[] {
  const seen = new Set<string>();
  return payees.filter((p) => {
    const key = `${p.kind}:${p.address.toLowerCase()}:${nameKey(p.name)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function resolveRecipient(text: string, payees: NamedPayee[]): Recipient {
  const typed = text.trim();
  if (typed === "") return { kind: "empty" };
  if (looksLikeAccountNumber(typed)) {
    const parsed = parseAddressInput(typed.normalize("NFKC"));
    return parsed.ok ? { kind: "address", address: parsed.address } : { kind: "badAddress", error: parsed.error };
  }
  const key = nameKey(typed);
  const exact = distinct(payees.filter((p) => p.name.trim() !== "" && nameKey(p.name) === key));
  const accounts = new Set(exact.map((p) => p.address.toLowerCase()));
  if (accounts.size === 1) {
    // A shop and a contact of the same name at the same account: the city's register names it.
    const payee = exact.find((p) => p.kind === "shop") ?? exact[0];
    if (payee) return { kind: "named", payee };
  }
  if (accounts.size > 1) return { kind: "ambiguous", matches: exact };
  return { kind: "notFound", text: typed };
}

/** The shops and contacts whose name contains what she typed, exact matches first, then shops. */
export function suggestRecipients(text: string, payees: NamedPayee[], limit = 5): NamedPayee[] {
  const typed = text.trim();
  if (typed === "" || looksLikeAccountNumber(typed)) return [];
  const key = nameKey(typed);
  const score = (p: NamedPayee) => (nameKey(p.name) === key ? 0 : nameKey(p.name).startsWith(key) ? 1 : 2);
  return distinct(payees.filter((p) => p.name.trim() !== "" && nameKey(p.name).includes(key)))
    .sort(
      (a, b) =>
        score(a) - score(b) ||
        (a.kind === b.kind ? 0 : a.kind === "shop" ? -1 : 1) ||
        a.name.localeCompare(b.name, "zh-CN"),
    )
    .slice(0, limit);
}
