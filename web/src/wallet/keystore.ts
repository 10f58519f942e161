// Where the built-in wallet's encrypted key is kept (localStorage, this device only) and how it is
// created, restored and unlocked. Nothing here sends anything over the network.
import type { Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import {
  decryptPrivateKey,
  type EncryptedKey,
  encryptPrivateKey,
  isEncryptedKey,
  WrongPasscodeError,
} from "./keyCrypto";
import { guardedTry } from "./passcodeGuard";
import { openSession } from "./session";

const STORAGE_KEY = "hcy.wallet.v1";

export function loadKeystore(): EncryptedKey | null {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isEncryptedKey(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function hasKeystore(): boolean {
  return loadKeystore() !== null;
}

export function removeKeystore(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** Derives the first account of a phrase (m/44'/60'/0'/0/0, as MetaMask does), encrypts its key and opens a session. */
export async function saveFromPhrase(phrase: string, passcode: string): Promise<EncryptedKey> {
  const hd = mnemonicToAccount(phrase);
  const raw = hd.getHdKey().privateKey;
  if (!raw) throw new Error("could not derive a key from the phrase");
  const privateKey = `0x${Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("")}` as Hex;
  const blob = await encryptPrivateKey(privateKey, hd.address, passcode);
  localStorage.setItem(STORAGE_KEY, JSON.stringify(blob));
  openSession({ account: privateKeyToAccount(privateKey), source: "keystore" });
  return blob;
}

/**
 * Checks the passcode against the stored key without opening anything: throws WrongPasscodeError
 * when it does not fit, PasscodeWaitError while guessing is slowed down (passcodeGuard).
 */
export async function checkPasscode(passcode: string): Promise<Hex> {
  const blob = loadKeystore();
  if (!blob) throw new Error("no wallet on this device");
  return guardedTry(
    async () => {
      const privateKey = await decryptPrivateKey(blob, passcode);
      if (privateKeyToAccount(privateKey).address.toLowerCase() !== blob.address.toLowerCase())
        throw new WrongPasscodeError();
      return privateKey;
    },
    (e) => e instanceof WrongPasscodeError,
  );
}

/** Opens the stored key with the passcode; throws WrongPasscodeError when it does not fit. */
export async function unlockKeystore(passcode: string): Promise<void> {
  const privateKey = await checkPasscode(passcode);
  openSession({ account: privateKeyToAccount(privateKey), source: "keystore" });
}
