// The local chain's demo people (core/demoCast.ts: the same indices and names `npm start` funds
// and registers), with keys derived in the browser. Only ever offered when the dApp runs against
// chain 31337: these keys are public knowledge.
import { DEMO_CAST, type DemoKind, LOCAL_MNEMONIC } from "@core/demoCast";
import type { Hex, LocalAccount } from "viem";
import { HDKey, hdKeyToAccount } from "viem/accounts";

export type DemoAccount = { index: number; kind: DemoKind; zh: string; en: string };

export const demoAccounts: readonly DemoAccount[] = DEMO_CAST;

let master: Promise<HDKey> | null = null;

/** BIP-39 seed through WebCrypto (fast), then the BIP-32 master key, computed once. */
function masterKey(): Promise<HDKey> {
  master ??= (async () => {
    const enc = new TextEncoder();
    const material = await crypto.subtle.importKey("raw", enc.encode(LOCAL_MNEMONIC), "PBKDF2", false, ["deriveBits"]);
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
