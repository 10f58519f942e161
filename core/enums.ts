// Mirrors of the contracts' Solidity enums, in declaration order (each enum is append-only, so an
// index read from the chain keeps its meaning). The one place web, server and scripts take them
// from; test/web/core-mirrors.test.ts checks every list against the enum in contracts/interfaces.
import type { Lang } from "./i18n.js";

/** IMerchantRegistry.Category. */
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

const CATEGORY_NAMES: Record<MerchantCategory, Record<Lang, string>> = {
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

/** The uint8 the registry takes for a category. */
export function categoryIndex(category: MerchantCategory): number {
  return MERCHANT_CATEGORIES.indexOf(category);
}

export function categoryName(category: MerchantCategory, lang: Lang): string {
  return CATEGORY_NAMES[category][lang];
}

/** IRedPacket.Mode: equal shares (普通) or random shares (拼手气). */
export const PACKET_MODE = { equal: 0, random: 1 } as const;
export type PacketMode = keyof typeof PACKET_MODE;

/** IRedPacket.Audience: one friend, named friends (a Merkle root) or anyone holding the link. */
export const PACKET_AUDIENCE = { friend: 0, friends: 1, link: 2 } as const;

/** IVouchers.DiscountKind: `discount` is fen (fixed) or basis points (percentage). */
export const DISCOUNT_KIND = { fixed: 0, percentage: 1 } as const;

/** IVouchers.CampaignStatus. */
export const CAMPAIGN_STATUS = { scheduled: 0, active: 1, ended: 2, stopped: 3, settled: 4 } as const;

/** IVouchers.VoucherState. */
export const VOUCHER_STATE = { usable: 0, notYetValid: 1, used: 2, void: 3 } as const;
