// Navigation entries. "main" entries form the bottom tab bar (keep it to five); "more" entries
// (merchant, ledger, desk, …) are listed under More. Labels carry both languages.
import type { Lang } from "@core/i18n";

export type NavEntry = {
  href: string;
  label: Record<Lang, string>;
  /** A symbol beside the label; decorative only, the label carries the meaning. */
  icon: string;
  group: "main" | "more";
  /** Listed only for accounts it is for: a registered shop, or a holder of one of the city's roles. */
  onlyFor?: "shop" | "cityRole";
};

export const nav: NavEntry[] = [
  { href: "#/", label: { zh: "首页", en: "Home" }, icon: "⌂", group: "main" },
  { href: "#/pay", label: { zh: "付款", en: "Pay" }, icon: "↗", group: "main" },
  { href: "#/receive", label: { zh: "收款", en: "Receive" }, icon: "↙", group: "main" },
  { href: "#/history", label: { zh: "账单", en: "History" }, icon: "☰", group: "main" },
  { href: "#/settings", label: { zh: "设置", en: "Me" }, icon: "⚙", group: "main" },
  { href: "#/topup", label: { zh: "充值 / 提现", en: "Top up / Cash out" }, icon: "⇅", group: "more" },
  { href: "#/family", label: { zh: "亲属卡", en: "Family cards" }, icon: "♡", group: "more" },
  { href: "#/alerts", label: { zh: "安全提醒", en: "Safety alerts" }, icon: "⚠", group: "more" },
  { href: "#/merchant", label: { zh: "商户收款", en: "Shop" }, icon: "¥", group: "more", onlyFor: "shop" },
  { href: "#/merchant/api", label: { zh: "开放接口", en: "Open API" }, icon: "⌘", group: "more", onlyFor: "shop" },
  { href: "#/ledger", label: { zh: "公开账本", en: "Public ledger" }, icon: "≡", group: "more" },
  { href: "#/desk", label: { zh: "发行柜台", en: "Issuing desk" }, icon: "⚖", group: "more", onlyFor: "cityRole" },
];
