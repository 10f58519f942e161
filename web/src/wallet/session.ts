// The unlocked built-in account lives here, in memory only. Locking drops the reference; the key
// is never written anywhere except as the passcode-encrypted blob in keystore.ts.
import type { LocalAccount } from "viem";

export type WalletSession = {
  account: LocalAccount;
  /** "keystore": the resident's own key; "demo": a well-known local-chain account. */
  source: "keystore" | "demo";
};

type Listener = (session: WalletSession | null) => void;

let current: WalletSession | null = null;
const listeners = new Set<Listener>();

export function getSession(): WalletSession | null {
  return current;
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function openSession(session: WalletSession): void {
  current = session;
  for (const l of listeners) l(current);
}

export function closeSession(): void {
  if (!current) return;
  current = null;
  for (const l of listeners) l(null);
}
