// IMerchantRegistry.Category, in enum order (append only), with display names.
import type { Lang } from "../settings/settingsStore";

export const MERCHANT_CATEGORIES = [
  "dining",
  "grocery",
  "transport",
  "medical",
  "education",
  "retail",
  "services",
  "other",
] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

const NAMES: Record<MerchantCategory, Record<Lang, string>> = {
  dining: { zh: "餐饮", en: "Dining" },
  grocery: { zh: "买菜", en: "Groceries" },
  transport: { zh: "交通", en: "Transport" },
  medical: { zh: "医疗", en: "Medical" },
  education: { zh: "教育", en: "Education" },
  retail: { zh: "购物", en: "Shopping" },
  services: { zh: "服务", en: "Services" },
  other: { zh: "其他", en: "Other" },
};

export function categoryFromIndex(index: number): MerchantCategory {
  return MERCHANT_CATEGORIES[index] ?? "other";
}

export function categoryName(category: MerchantCategory, lang: Lang): string {
  return NAMES[category][lang];
}
