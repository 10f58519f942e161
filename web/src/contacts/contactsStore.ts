// The resident's contacts: nicknames for addresses, kept on this device per wallet address and,
// after SIWE sign-in, synced with the city service (contactsSync.ts, rule in contactsMerge.ts).
// Personal data never goes on-chain. Every local edit marks the contact unsynced, and a deletion
// leaves a tombstone, so edits made while signed out reach the service on the next sign-in.
import { useSyncExternalStore } from "react";
import { type Address, getAddress } from "viem";
import { readStoredList, writeStored } from "../lib/localStore";
import { type Contact, sortByName, type Tombstone } from "./contactsMerge";

export type { Contact, Tombstone } from "./contactsMerge";

const keyFor = (owner: Address) => `hcy.contacts.v1.${owner.toLowerCase()}`;
const tombKeyFor = (owner: Address) => `hcy.contacts.tombstones.v1.${owner.toLowerCase()}`;
const listeners = new Set<() => void>();
const cache = new Map<string, Contact[]>();
const tombCache = new Map<string, Tombstone[]>();
const EMPTY: Contact[] = [];

function notify(): void {
  for (const l of listeners) l();
}

export function listContacts(owner: Address | undefined): Contact[] {
  if (!owner) return EMPTY;
  const key = keyFor(owner);
  const cached = cache.get(key);
  if (cached) return cached;
  const contacts = readStoredList(key, isContact);
  cache.set(key, contacts);
  return contacts;
}

export function listTombstones(owner: Address): Tombstone[] {
  const key = tombKeyFor(owner);
  const cached = tombCache.get(key);
  if (cached) return cached;
  const tombstones = readStoredList(key, isTombstone);
  tombCache.set(key, tombstones);
  return tombstones;
}

function isContact(v: unknown): v is Contact {
  const c = v as Partial<Contact>;
  return typeof c?.id === "string" && typeof c.name === "string" && typeof c.address === "string";
}

function isTombstone(v: unknown): v is Tombstone {
  const t = v as Partial<Tombstone>;
  return typeof t?.address === "string" && typeof t.deletedAt === "number";
}

function writeTombstones(owner: Address, tombstones: Tombstone[]): void {
  writeStored(tombKeyFor(owner), tombstones);
  tombCache.set(tombKeyFor(owner), tombstones);
}

function writeContacts(owner: Address, contacts: Contact[]): void {
  const sorted = sortByName(contacts);
  writeStored(keyFor(owner), sorted);
  cache.set(keyFor(owner), sorted);
}

/** Replaces the whole list (and, from sync, the tombstones still waiting for the service). */
export function replaceContacts(owner: Address, contacts: Contact[], tombstones?: Tombstone[]): void {
  writeContacts(owner, contacts);
  if (tombstones) writeTombstones(owner, tombstones);
  notify();
}

function withoutTombstone(owner: Address, address: Address): Tombstone[] {
  return listTombstones(owner).filter((t) => t.address.toLowerCase() !== address.toLowerCase());
}

function withTombstone(owner: Address, address: Address, at: number): Tombstone[] {
  return [...withoutTombstone(owner, address), { address, deletedAt: at }];
}

export function addContact(owner: Address, name: string, address: Address): Contact {
  const now = Date.now();
  const contact: Contact = {
    id: crypto.randomUUID(),
    name: name.trim(),
    address: getAddress(address),
    createdAt: now,
    updatedAt: now,
    synced: false,
  };
  replaceContacts(owner, [...listContacts(owner), contact], withoutTombstone(owner, contact.address));
  return contact;
}

export function updateContact(owner: Address, id: string, patch: { name?: string; address?: Address }): void {
  const now = Date.now();
  const before = listContacts(owner).find((c) => c.id === id);
  if (!before) return;
  const address = patch.address ? getAddress(patch.address) : before.address;
  // On the service a contact is its address: a new address is the old one deleted and a new one added.
  let tombstones = withoutTombstone(owner, address);
  if (address !== before.address) tombstones = [...tombstones, { address: before.address, deletedAt: now }];
  replaceContacts(
    owner,
    listContacts(owner).map((c) =>
      c.id === id ? { ...c, name: patch.name?.trim() ?? c.name, address, updatedAt: now, synced: false } : c,
    ),
    tombstones,
  );
}

export function removeContact(owner: Address, id: string): void {
  const gone = listContacts(owner).find((c) => c.id === id);
  if (!gone) return;
  replaceContacts(
    owner,
    listContacts(owner).filter((c) => c.id !== id),
    withTombstone(owner, gone.address, Date.now()),
  );
}

export function contactFor(owner: Address | undefined, address: Address): Contact | undefined {
  const lower = address.toLowerCase();
  return listContacts(owner).find((c) => c.address.toLowerCase() === lower);
}

export function subscribeContacts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useContacts(owner: Address | undefined): Contact[] {
  return useSyncExternalStore(
    subscribeContacts,
    () => listContacts(owner),
    () => EMPTY,
  );
}
