// The resident's contacts: nicknames for addresses, kept on this device per wallet address.
// Personal data never goes on-chain; the city service may later sync this list after SIWE
// sign-in through `replaceContacts` / `listContacts`, without the pages changing.
import { useSyncExternalStore } from "react";
import { type Address, getAddress } from "viem";

export type Contact = {
  id: string;
  name: string;
  address: Address;
  createdAt: number;
  updatedAt: number;
};

const keyFor = (owner: Address) => `hcy.contacts.v1.${owner.toLowerCase()}`;
const listeners = new Set<() => void>();
const cache = new Map<string, Contact[]>();
const EMPTY: Contact[] = [];

function notify(): void {
  for (const l of listeners) l();
}

export function listContacts(owner: Address | undefined): Contact[] {
  if (!owner) return EMPTY;
  const key = keyFor(owner);
  const cached = cache.get(key);
  if (cached) return cached;
  let contacts: Contact[] = [];
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    if (Array.isArray(parsed)) contacts = parsed.filter(isContact);
  } catch {
    contacts = [];
  }
  cache.set(key, contacts);
  return contacts;
}

function isContact(v: unknown): v is Contact {
  const c = v as Partial<Contact>;
  return typeof c?.id === "string" && typeof c.name === "string" && typeof c.address === "string";
}

/** Replaces the whole list (used by sync with the city service). */
export function replaceContacts(owner: Address, contacts: Contact[]): void {
  const sorted = [...contacts].sort((a, b) => a.name.localeCompare(b.name));
  localStorage.setItem(keyFor(owner), JSON.stringify(sorted));
  cache.set(keyFor(owner), sorted);
  notify();
}

export function addContact(owner: Address, name: string, address: Address): Contact {
  const now = Date.now();
  const contact: Contact = {
    id: crypto.randomUUID(),
    name: name.trim(),
    address: getAddress(address),
    createdAt: now,
    updatedAt: now,
  };
  replaceContacts(owner, [...listContacts(owner), contact]);
  return contact;
}

export function updateContact(owner: Address, id: string, patch: { name?: string; address?: Address }): void {
  replaceContacts(
    owner,
    listContacts(owner).map((c) =>
      c.id === id
        ? {
            ...c,
            name: patch.name?.trim() ?? c.name,
            address: patch.address ? getAddress(patch.address) : c.address,
            updatedAt: Date.now(),
          }
        : c,
    ),
  );
}

export function removeContact(owner: Address, id: string): void {
  replaceContacts(
    owner,
    listContacts(owner).filter((c) => c.id !== id),
  );
}

export function contactFor(owner: Address | undefined, address: Address): Contact | undefined {
  const lower = address.toLowerCase();
  return listContacts(owner).find((c) => c.address.toLowerCase() === lower);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useContacts(owner: Address | undefined): Contact[] {
  return useSyncExternalStore(
    subscribe,
    () => listContacts(owner),
    () => EMPTY,
  );
}
