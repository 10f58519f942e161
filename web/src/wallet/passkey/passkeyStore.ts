// The passkey account this device uses: the passkey's id and public key and the account's address
// (known from the factory before the account exists on the chain). Only public data: the private
// key stays in the phone's or computer's secure hardware. Small and eager: the connector reads it on
// start; everything that signs is in passkeyAccount.ts, loaded on first use.
import type { Address, Hex } from "viem";
import { isPlatform, type Platform } from "./deviceNames";

export type StoredPasskey = {
  /** The WebAuthn credential id (base64url), to ask the authenticator for this passkey. */
  id: string;
  /** The P-256 public key. */
  x: Hex;
  y: Hex;
  /** The account the passkey signs for (its own, or an account it was added to). */
  address: Address;
  /** This device's name as she gave or accepted it (deviceNames.ts); never on the chain. */
  name?: string;
  platform?: Platform | null;
  /** When this device joined the account (ms since 1970). */
  addedAt?: number;
};

const KEY = "hcy.passkey.v1";
type Listener = (passkey: StoredPasskey | null) => void;
const listeners = new Set<Listener>();

function isHex(value: unknown): value is Hex {
  return typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value);
}

export function loadPasskey(): StoredPasskey | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<StoredPasskey>;
    if (typeof p.id !== "string" || !isHex(p.x) || !isHex(p.y) || !isHex(p.address)) return null;
    return {
      id: p.id,
      x: p.x,
      y: p.y,
      address: p.address,
      ...(typeof p.name === "string" ? { name: p.name } : {}),
      ...(isPlatform(p.platform) ? { platform: p.platform } : {}),
      ...(typeof p.addedAt === "number" && Number.isFinite(p.addedAt) ? { addedAt: p.addedAt } : {}),
    };
  } catch {
    return null;
  }
}

export function savePasskey(passkey: StoredPasskey): void {
  localStorage.setItem(KEY, JSON.stringify(passkey));
  for (const l of listeners) l(passkey);
}

export function forgetPasskey(): void {
  localStorage.removeItem(KEY);
  for (const l of listeners) l(null);
}

export function subscribePasskey(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
