// A resident's private data: profile, contacts, merchant order notes and alert settings. Every
// function takes the owner from the caller's session; none takes it from a request body.
import { type Address, getAddress } from "viem";
import {
  type Contact,
  type DeviceName,
  type DevicePlatform,
  MAX_CONTACTS,
  MAX_DEVICE_NAMES,
  MAX_NOTES,
  type Profile,
} from "../../core/api.js";
import { lookalikeKey } from "../../core/lookalike.js";
import { ApiError } from "./errors.js";
import { type Database, type Queryable, UniqueViolationError } from "./storage/Database.js";

/** 1,000 yuan: a sensible "large payment" until the resident picks their own threshold. */
export const DEFAULT_LARGE_PAYMENT_FEN = 100_000n;

export const owned = (address: Address): string => address.toLowerCase();

/** What one stored row costs besides its text: keys, times and index entries. */
export const ROW_OVERHEAD_BYTES = 128;
/** 1 MiB of notes and contact names per account unless HCY_STORAGE_BYTES_PER_ACCOUNT says otherwise. */
export const DEFAULT_STORAGE_BYTES_PER_ACCOUNT = 1024 * 1024;

const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/**
 * What the account stores now: its notes' and contact names' UTF-8 bytes plus a fixed overhead
 * per row. Read under the account's private-data lock, so two writes cannot both fit the last room.
 */
async function storedBytes(tx: Queryable, dialect: Database["dialect"], owner: Address): Promise<number> {
  const bytes = (column: string) =>
    dialect === "postgres" ? `octet_length(${column})` : `length(CAST(${column} AS BLOB))`;
  const row = await tx.get<{ notes: number | string | null; contacts: number | string | null }>(
    `SELECT (SELECT COALESCE(SUM(${bytes("note")} + ${ROW_OVERHEAD_BYTES}), 0) FROM order_notes WHERE owner = ?) AS notes,
       (SELECT COALESCE(SUM(${bytes("name")} + ${ROW_OVERHEAD_BYTES}), 0) FROM contacts WHERE owner = ?) AS contacts`,
    [owned(owner), owned(owner)],
  );
  return Number(row?.notes ?? 0) + Number(row?.contacts ?? 0);
}

/** Refuses a write that would take the account past its storage quota (`replacing` is the text it overwrites). */
async function checkQuota(
  tx: Queryable,
  dialect: Database["dialect"],
  owner: Address,
  quotaBytes: number,
  text: string,
  replacing: string | undefined,
): Promise<void> {
  const before = await storedBytes(tx, dialect, owner);
  const after = before + utf8Bytes(text) - (replacing === undefined ? -ROW_OVERHEAD_BYTES : utf8Bytes(replacing));
  if (after > quotaBytes && after > before) {
    throw new ApiError(
      409,
      "storage_quota_exceeded",
      `Your notes and contacts would take ${after} bytes; each account may store at most ${quotaBytes}. Delete some first`,
    );
  }
}

// EIP-55 checksumming hashes the address; a contact list is read far more often than it
// changes, so remember recent results (bounded, oldest dropped first).
const checksums = new Map<string, Address>();
const CHECKSUM_CACHE_SIZE = 20_000;
export function checksummed(lower: string): Address {
  let value = checksums.get(lower);
  if (value === undefined) {
    value = getAddress(lower);
    if (checksums.size >= CHECKSUM_CACHE_SIZE) checksums.delete(checksums.keys().next().value as string);
    checksums.set(lower, value);
  }
  return value;
}

export async function getProfile(db: Queryable, owner: Address): Promise<Profile> {
  const row = await db.get<{ display_name: string | null; phone: string | null; updated_at: number }>(
    "SELECT display_name, phone, updated_at FROM profiles WHERE owner = ?",
    [owned(owner)],
  );
  return { displayName: row?.display_name ?? null, phone: row?.phone ?? null, updatedAt: row?.updated_at ?? null };
}

/** Sets the given fields; `undefined` keeps a field, `null` clears it. */
export async function putProfile(
  db: Queryable,
  owner: Address,
  changes: { displayName?: string | null; phone?: string | null },
  now: number,
): Promise<Profile> {
  const current = await getProfile(db, owner);
  const displayName = changes.displayName === undefined ? current.displayName : changes.displayName;
  const phone = changes.phone === undefined ? current.phone : changes.phone;
  await db.run(
    `INSERT INTO profiles (owner, display_name, phone, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (owner) DO UPDATE SET display_name = excluded.display_name, phone = excluded.phone,
       updated_at = excluded.updated_at`,
    [owned(owner), displayName, phone, now],
  );
  return { displayName, phone, updatedAt: now };
}

type ContactRow = { address: string; name: string; created_at: number; updated_at: number };
const toContact = (r: ContactRow): Contact => ({
  address: checksummed(r.address),
  name: r.name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listContacts(db: Queryable, owner: Address): Promise<Contact[]> {
  const rows = await db.all<ContactRow>(
    "SELECT address, name, created_at, updated_at FROM contacts WHERE owner = ? ORDER BY name, address",
    [owned(owner)],
  );
  return rows.map(toContact);
}

/**
 * Adds a contact or renames an existing one (a contact is keyed by its address). The count and the
 * insert run in one transaction holding the owner's lock, so concurrent adds cannot pass the cap.
 */
export async function putContact(
  db: Database,
  owner: Address,
  contact: { address: Address; name: string },
  now: number,
  quotaBytes = DEFAULT_STORAGE_BYTES_PER_ACCOUNT,
): Promise<{ contact: Contact; created: boolean }> {
  if (getAddress(contact.address) === getAddress(owner)) {
    throw new ApiError(400, "invalid_field", "address: you cannot add yourself as a contact");
  }
  const key = lookalikeKey(contact.address);
  return db.transaction(async (tx) => {
    await tx.lock(`private-data:${owned(owner)}`);
    const existing = await tx.get<{ name: string }>("SELECT name FROM contacts WHERE owner = ? AND address = ?", [
      owned(owner),
      contact.address.toLowerCase(),
    ]);
    await checkQuota(tx, db.dialect, owner, quotaBytes, contact.name, existing?.name);
    const renamed = await tx.run("UPDATE contacts SET name = ?, updated_at = ? WHERE owner = ? AND address = ?", [
      contact.name,
      now,
      owned(owner),
      contact.address.toLowerCase(),
    ]);
    if (renamed.changes === 1) {
      const row = await tx.get<ContactRow>(
        "SELECT address, name, created_at, updated_at FROM contacts WHERE owner = ? AND address = ?",
        [owned(owner), contact.address.toLowerCase()],
      );
      return { contact: toContact(row as ContactRow), created: false };
    }
    const count = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM contacts WHERE owner = ?", [owned(owner)]);
    if (Number(count?.n ?? 0) >= MAX_CONTACTS) {
      throw new ApiError(409, "too_many_contacts", `At most ${MAX_CONTACTS} contacts per account`);
    }
    try {
      await tx.run(
        `INSERT INTO contacts (owner, address, name, head4, tail4, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [owned(owner), contact.address.toLowerCase(), contact.name, key.head4, key.tail4, now, now],
      );
    } catch (error) {
      if (error instanceof UniqueViolationError)
        throw new ApiError(409, "contact_exists", "This contact already exists");
      throw error;
    }
    return {
      contact: { address: contact.address, name: contact.name, createdAt: now, updatedAt: now },
      created: true,
    };
  });
}

export async function deleteContact(db: Queryable, owner: Address, address: Address): Promise<boolean> {
  const { changes } = await db.run("DELETE FROM contacts WHERE owner = ? AND address = ?", [
    owned(owner),
    address.toLowerCase(),
  ]);
  return changes === 1;
}

export interface OrderNote {
  orderRef: `0x${string}`;
  note: string;
  updatedAt: number;
}

export async function listNotes(db: Queryable, owner: Address): Promise<OrderNote[]> {
  const rows = await db.all<{ order_ref: `0x${string}`; note: string; updated_at: number }>(
    "SELECT order_ref, note, updated_at FROM order_notes WHERE owner = ? ORDER BY updated_at DESC LIMIT 1000",
    [owned(owner)],
  );
  return rows.map((r) => ({ orderRef: r.order_ref, note: r.note, updatedAt: r.updated_at }));
}

export async function getNote(db: Queryable, owner: Address, orderRef: string): Promise<OrderNote | undefined> {
  const r = await db.get<{ order_ref: `0x${string}`; note: string; updated_at: number }>(
    "SELECT order_ref, note, updated_at FROM order_notes WHERE owner = ? AND order_ref = ?",
    [owned(owner), orderRef],
  );
  return r && { orderRef: r.order_ref, note: r.note, updatedAt: r.updated_at };
}

/** Adds or replaces an order note; the cap is checked under the owner's lock, as for contacts. */
export async function putNote(
  db: Database,
  owner: Address,
  orderRef: `0x${string}`,
  note: string,
  now: number,
  quotaBytes = DEFAULT_STORAGE_BYTES_PER_ACCOUNT,
): Promise<OrderNote> {
  await db.transaction(async (tx) => {
    await tx.lock(`private-data:${owned(owner)}`);
    const existing = await getNote(tx, owner, orderRef);
    await checkQuota(tx, db.dialect, owner, quotaBytes, note, existing?.note);
    if (existing === undefined) {
      const count = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM order_notes WHERE owner = ?", [
        owned(owner),
      ]);
      if (Number(count?.n ?? 0) >= MAX_NOTES) {
        throw new ApiError(409, "too_many_notes", `At most ${MAX_NOTES} order notes per account`);
      }
    }
    await tx.run(
      `INSERT INTO order_notes (owner, order_ref, note, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (owner, order_ref) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`,
      [owned(owner), orderRef, note, now],
    );
  });
  return { orderRef, note, updatedAt: now };
}

export async function deleteNote(db: Queryable, owner: Address, orderRef: string): Promise<boolean> {
  const { changes } = await db.run("DELETE FROM order_notes WHERE owner = ? AND order_ref = ?", [
    owned(owner),
    orderRef,
  ]);
  return changes === 1;
}

export async function getLargePaymentFen(db: Queryable, owner: string): Promise<bigint> {
  const row = await db.get<{ large_payment_fen: string }>(
    "SELECT large_payment_fen FROM alert_settings WHERE owner = ?",
    [owner.toLowerCase()],
  );
  return row ? BigInt(row.large_payment_fen) : DEFAULT_LARGE_PAYMENT_FEN;
}

export async function putLargePaymentFen(db: Queryable, owner: Address, fen: bigint, now: number): Promise<void> {
  await db.run(
    `INSERT INTO alert_settings (owner, large_payment_fen, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (owner) DO UPDATE SET large_payment_fen = excluded.large_payment_fen, updated_at = excluded.updated_at`,
    [owned(owner), fen.toString(), now],
  );
}

type DeviceNameRow = {
  passkey: string;
  name: string;
  platform: string | null;
  added_at: number | null;
  updated_at: number;
};
const toDeviceName = (r: DeviceNameRow): DeviceName => ({
  passkey: r.passkey,
  name: r.name,
  platform: r.platform as DevicePlatform | null,
  addedAt: r.added_at === null ? null : Number(r.added_at),
  updatedAt: Number(r.updated_at),
});

/** The names of the account's devices (its passkeys), by public key. */
export async function listDeviceNames(db: Queryable, owner: Address): Promise<DeviceName[]> {
  const rows = await db.all<DeviceNameRow>(
    "SELECT passkey, name, platform, added_at, updated_at FROM device_names WHERE owner = ? ORDER BY added_at, passkey",
    [owned(owner)],
  );
  return rows.map(toDeviceName);
}

/** Names (or renames) a device of the account; the cap is checked under the owner's lock. */
export async function putDeviceName(
  db: Database,
  owner: Address,
  device: { passkey: string; name: string; platform: DevicePlatform | null; addedAt: number | null },
  now: number,
): Promise<DeviceName> {
  return db.transaction(async (tx) => {
    await tx.lock(`devices:${owned(owner)}`);
    const existing = await tx.get<DeviceNameRow>(
      "SELECT passkey, name, platform, added_at, updated_at FROM device_names WHERE owner = ? AND passkey = ?",
      [owned(owner), device.passkey],
    );
    if (existing === undefined) {
      const count = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM device_names WHERE owner = ?", [
        owned(owner),
      ]);
      if (Number(count?.n ?? 0) >= MAX_DEVICE_NAMES) {
        throw new ApiError(409, "too_many_devices", `At most ${MAX_DEVICE_NAMES} named devices per account`);
      }
    }
    // The day a device was added does not change with its name: the first one given is kept.
    const addedAt = existing?.added_at ?? device.addedAt;
    const platform = device.platform ?? (existing?.platform as DevicePlatform | null | undefined) ?? null;
    await tx.run(
      `INSERT INTO device_names (owner, passkey, name, platform, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, passkey) DO UPDATE SET name = excluded.name, platform = excluded.platform,
         added_at = excluded.added_at, updated_at = excluded.updated_at`,
      [owned(owner), device.passkey, device.name, platform, addedAt, now],
    );
    return {
      passkey: device.passkey,
      name: device.name,
      platform,
      addedAt: addedAt === null ? null : Number(addedAt),
      updatedAt: now,
    };
  });
}

export async function deleteDeviceName(db: Queryable, owner: Address, passkey: string): Promise<boolean> {
  const { changes } = await db.run("DELETE FROM device_names WHERE owner = ? AND passkey = ?", [owned(owner), passkey]);
  return changes === 1;
}
