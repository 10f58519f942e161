// Real-name verification (实名), shared by the dApp (to say what is wrong before anything is sent)
// and the service (to refuse it): the four elements a bank confirms — name, ID number, card
// number, the phone the bank holds —, the GB 11643 check digit of an 18-digit resident ID number,
// the masked name the service keeps (王*芳), the verification levels and their limits per day.

/** GB 11643-1999: weights of the first 17 digits, and the check character for each sum mod 11. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = "10X98765432";

/** The check character (0–9 or X) of the first 17 digits of a resident ID number. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error("the first 17 characters of an ID number are digits");
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
  return ID_CHECK[sum % 11] as string;
}

/** An ID number as the service compares it: spaces dropped, a lower-case x made upper-case. */
export const normalizeIdNumber = (raw: string): string => raw.replace(/\s+/g, "").toUpperCase();

export type IdNumberProblem = "format" | "birthDate" | "checkDigit";

/** What is wrong with an 18-digit resident ID number, or undefined when it is well formed. */
export function idNumberProblem(raw: string): IdNumberProblem | undefined {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return "format";
  const [year, month, day] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day ||
    birth.getTime() > Date.now()
  ) {
    return "birthDate";
  }
  return idCheckCharacter(id.slice(0, 17)) === id[17] ? undefined : "checkDigit";
}

/** A bank card number as compared: spaces dropped. */
export const normalizeCardNumber = (raw: string): string => raw.replace(/\s+/g, "");

/** UnionPay debit cards carry 16 to 19 digits. */
export const cardNumberWellFormed = (raw: string): boolean => /^\d{16,19}$/.test(normalizeCardNumber(raw));

/** A mainland mobile number: 11 digits starting with 1. */
export const normalizePhone = (raw: string): string => raw.replace(/[\s-]+/g, "").replace(/^\+?86/, "");
export const phoneWellFormed = (raw: string): boolean => /^1[3-9]\d{9}$/.test(normalizePhone(raw));

/** A resident's name as written on her ID card: 2 to 20 Han characters (a middle dot allowed). */
export const nameWellFormed = (raw: string): boolean => /^[\p{Script=Han}·]{2,20}$/u.test(raw.trim());

/** The name the service keeps: the family name and, for three or more characters, the last: 王*芳, 李*. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 2) return `${chars[0] ?? ""}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export const lastFour = (digits: string): string => digits.slice(-4);

/** The four elements, and which one a bank found not to match. */
export type CardholderElement = "name" | "idNumber" | "cardNumber" | "phone";

/**
 * Verification levels, like e-CNY's wallet classes: none (she can receive money), phone (a
 * one-time code to her phone; small limits), bank (the bank confirmed the four elements; full
 * limits). A counter-verified level (at a bank branch) may come later.
 */
export const IDENTITY_LEVELS = ["none", "phone", "bank"] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

/** What a level may do per identity per day, in fen (0: not at all). */
export type LevelLimits = { topUpFenPerDay: bigint; cashOutFenPerDay: bigint; balanceFen: bigint };

export const LEVEL_LIMITS: Record<IdentityLevel, LevelLimits> = {
  none: { topUpFenPerDay: 0n, cashOutFenPerDay: 0n, balanceFen: 0n },
  phone: { topUpFenPerDay: 2_000_00n, cashOutFenPerDay: 2_000_00n, balanceFen: 10_000_00n },
  bank: { topUpFenPerDay: 50_000_00n, cashOutFenPerDay: 50_000_00n, balanceFen: 500_000_00n },
};

/** The wording a resident agrees to before the bank is asked (PIPL): kept with its time. */
export const CONSENT_TEXT = {
  zh: "我同意合肥数字钱包把我的姓名、身份证号、银行卡号和手机号交给发卡银行核对，用于实名认证和银行卡充值。城市服务只保存身份证号的加密摘要、打码的姓名和卡号后四位，我可以随时查看、导出或注销。",
  en: "I agree that Hefei City Wallet sends my name, ID number, card number and phone number to the issuing bank to check them, for real-name verification and card top-ups. The city service keeps only a keyed digest of the ID number, the masked name and the card's last four digits; I can see, export or close them at any time.",
} as const;
export const CONSENT_VERSION = "2026-12-v1";

/** What the service holds about a verified resident, as she sees and exports it. */
export type IdentityView = {
  level: IdentityLevel;
  maskedName: string | null;
  phoneLast4: string | null;
  cards: { last4: string; bank: string; boundAt: number }[];
  addresses: { address: string; linkedAt: number }[];
  consent: { version: string; text: string; at: number } | null;
  limits: { topUpFenPerDay: string; cashOutFenPerDay: string; balanceFen: string };
  usedToday: { topUpFen: string; cashOutFen: string };
  createdAt: number;
};
