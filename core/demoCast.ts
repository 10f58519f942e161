// The local demo cast: who holds which role and who the residents and merchants are on the local
// chain (31337). `npm start` funds and registers them (scripts/lib/demo-accounts.ts) and the dApp
// offers them as demo accounts (web/src/wallet/demoAccounts.ts), in this order. Keys derive from
// Hardhat's public test mnemonic by index: they are public knowledge, for the local chain only.
import type { MerchantCategory } from "./enums.js";

export const LOCAL_MNEMONIC = "test test test test test test test test test test test junk";

export type DemoKind =
  | "resident"
  | "merchant"
  | "issuer"
  | "compliance"
  | "pauser"
  | "attester"
  | "registrar"
  | "admin";

export type DemoPerson = { index: number; kind: DemoKind; zh: string; en: string; category?: MerchantCategory };

export const DEMO_CAST = [
  { index: 6, kind: "resident", zh: "王阿姨", en: "Auntie Wang" },
  { index: 7, kind: "resident", zh: "李明", en: "Li Ming" },
  { index: 8, kind: "resident", zh: "张伟", en: "Zhang Wei" },
  { index: 9, kind: "resident", zh: "陈静", en: "Chen Jing" },
  { index: 10, kind: "resident", zh: "刘洋", en: "Liu Yang" },
  { index: 11, kind: "resident", zh: "赵磊", en: "Zhao Lei" },
  { index: 12, kind: "merchant", zh: "老王牛肉面", en: "Lao Wang Beef Noodles", category: "dining" },
  { index: 13, kind: "merchant", zh: "周记蔬菜", en: "Zhou's Vegetables", category: "grocery" },
  { index: 14, kind: "merchant", zh: "合肥公交", en: "Hefei Bus", category: "transport" },
  { index: 15, kind: "merchant", zh: "同仁堂药房", en: "Tongrentang Pharmacy", category: "medical" },
  { index: 16, kind: "merchant", zh: "新华书店", en: "Xinhua Bookstore", category: "education" },
  { index: 1, kind: "issuer", zh: "合肥城市银行发行柜台", en: "City bank issuing desk" },
  { index: 2, kind: "compliance", zh: "合规专员", en: "Compliance officer" },
  { index: 3, kind: "pauser", zh: "应急值班", en: "Emergency pauser" },
  { index: 4, kind: "attester", zh: "储备审计师", en: "Reserve attester" },
  { index: 5, kind: "registrar", zh: "商户登记与消费券办公室", en: "Merchant registrar and voucher office" },
  { index: 0, kind: "admin", zh: "城市管理员", en: "City admin" },
] as const satisfies readonly DemoPerson[];

/** The one person who holds a role in the demo (each role has exactly one). */
export function demoRoleHolder(kind: Exclude<DemoKind, "resident" | "merchant">): DemoPerson {
  const person = DEMO_CAST.find((p) => p.kind === kind);
  if (!person) throw new Error(`no demo ${kind}`);
  return person;
}
