// The local demo cast: who holds which role and who the residents and merchants are on the
// local chain. Keys derive from Hardhat's public test mnemonic: they are for the local chain only.
import { type HDAccount, mnemonicToAccount } from "viem/accounts";

export const LOCAL_MNEMONIC = "test test test test test test test test test test test junk";

export type MerchantCategory =
  | "dining"
  | "grocery"
  | "transport"
  | "medical"
  | "education"
  | "retail"
  | "services"
  | "other";

/** Index in IMerchantRegistry.Category (append-only enum). */
export const CATEGORY_INDEX: Record<MerchantCategory, number> = {
  dining: 0,
  grocery: 1,
  transport: 2,
  medical: 3,
  education: 4,
  retail: 5,
  services: 6,
  other: 7,
};

export interface DemoPerson {
  index: number;
  name: string;
  nameEn: string;
}

export interface DemoMerchant extends DemoPerson {
  category: MerchantCategory;
}

export const ROLE_HOLDERS = {
  admin: { index: 0, name: "城市管理员", nameEn: "City admin" },
  issuer: { index: 1, name: "合肥城市银行发行柜台", nameEn: "City bank issuing desk" },
  compliance: { index: 2, name: "合规专员", nameEn: "Compliance officer" },
  pauser: { index: 3, name: "应急值班", nameEn: "Emergency pauser" },
  attester: { index: 4, name: "储备审计师", nameEn: "Reserve attester" },
  registrar: { index: 5, name: "商户登记与消费券办公室", nameEn: "Merchant registrar and voucher office" },
} as const satisfies Record<string, DemoPerson>;

export const RESIDENTS: readonly DemoPerson[] = [
  { index: 6, name: "王阿姨", nameEn: "Auntie Wang" },
  { index: 7, name: "李明", nameEn: "Li Ming" },
  { index: 8, name: "张伟", nameEn: "Zhang Wei" },
  { index: 9, name: "陈静", nameEn: "Chen Jing" },
  { index: 10, name: "刘洋", nameEn: "Liu Yang" },
  { index: 11, name: "赵磊", nameEn: "Zhao Lei" },
];

export const MERCHANTS: readonly DemoMerchant[] = [
  { index: 12, name: "老王牛肉面", nameEn: "Lao Wang Beef Noodles", category: "dining" },
  { index: 13, name: "周记蔬菜", nameEn: "Zhou's Vegetables", category: "grocery" },
  { index: 14, name: "合肥公交", nameEn: "Hefei Bus", category: "transport" },
  { index: 15, name: "同仁堂药房", nameEn: "Tongrentang Pharmacy", category: "medical" },
  { index: 16, name: "新华书店", nameEn: "Xinhua Bookstore", category: "education" },
];

export function localAccount(index: number): HDAccount {
  return mnemonicToAccount(LOCAL_MNEMONIC, { addressIndex: index });
}
