// The local chain's demo people, derived from Hardhat's public test mnemonic by index (the same
// indices and names as scripts/lib/demo-accounts.ts, which `npm start` funds and registers). Only ever offered when the dApp runs against chain
// 31337: these keys are public knowledge.
import type { Hex, LocalAccount } from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

export type DemoKind =
  | "resident"
  | "merchant"
  | "issuer"
  | "compliance"
  | "pauser"
  | "attester"
  | "registrar"
  | "admin";

export type DemoAccount = { index: number; kind: DemoKind; zh: string; en: string };

export const demoAccounts: readonly DemoAccount[] = [
  { index: 6, kind: "resident", zh: "王阿姨", en: "Auntie Wang" },
  { index: 7, kind: "resident", zh: "李明", en: "Li Ming" },
  { index: 8, kind: "resident", zh: "张伟", en: "Zhang Wei" },
  { index: 9, kind: "resident", zh: "陈静", en: "Chen Jing" },
  { index: 10, kind: "resident", zh: "刘洋", en: "Liu Yang" },
  { index: 11, kind: "resident", zh: "赵磊", en: "Zhao Lei" },
  { index: 12, kind: "merchant", zh: "老王牛肉面", en: "Lao Wang Beef Noodles" },
  { index: 13, kind: "merchant", zh: "周记蔬菜", en: "Zhou's Vegetables" },
  { index: 14, kind: "merchant", zh: "合肥公交", en: "Hefei Bus" },
  { index: 15, kind: "merchant", zh: "同仁堂药房", en: "Tongrentang Pharmacy" },
  { index: 16, kind: "merchant", zh: "新华书店", en: "Xinhua Bookstore" },
  { index: 1, kind: "issuer", zh: "合肥城市银行发行柜台", en: "City bank issuing desk" },
  { index: 2, kind: "compliance", zh: "合规专员", en: "Compliance officer" },
  { index: 3, kind: "pauser", zh: "应急值班", en: "Emergency pauser" },
  { index: 4, kind: "attester", zh: "储备审计师", en: "Reserve attester" },
  { index: 5, kind: "registrar", zh: "商户登记与消费券办公室", en: "Merchant registrar and voucher office" },
  { index: 0, kind: "admin", zh: "城市管理员", en: "City admin" },
];

let master: Promise<HDKey> | null = null;

/** BIP-39 seed through WebCrypto (fast), then the BIP-32 master key, computed once. */
function masterKey(): Promise<HDKey> {
  master ??= (async () => {
    const enc = new TextEncoder();
    const material = await crypto.subtle.importKey("raw", enc.encode(HARDHAT_MNEMONIC), "PBKDF2", false, [
      "deriveBits",
    ]);
    const seed = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-512", salt: enc.encode("mnemonic"), iterations: 2048 },
      material,
      512,
    );
    return HDKey.fromMasterSeed(new Uint8Array(seed));
  })();
  return master;
}

export async function demoAccountAt(index: number): Promise<LocalAccount> {
  return hdKeyToAccount(await masterKey(), { addressIndex: index });
}

export async function demoAddresses(): Promise<Map<number, Hex>> {
  const key = await masterKey();
  return new Map(demoAccounts.map((d) => [d.index, hdKeyToAccount(key, { addressIndex: d.index }).address]));
}
