// API keys of shops: `hcy_live_<id>_<secret>`, the id public (it names the key in lists and
// logs), the secret 256 random bits. Only the SHA-256 of the whole key is stored: a high-entropy
// secret needs no slow hash, and a database leak gives no usable key. Shown once at creation.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Address } from "viem";
import type { Queryable } from "../storage/Database.js";

export const API_SCOPES = ["receipts:read", "requests:write", "refunds:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Live keys a shop may hold at once (revoked ones do not count). */
export const MAX_KEYS_PER_SHOP = 20;

const KEY_FORMAT = /^hcy_live_([0-9a-f]{16})_([0-9a-f]{64})$/;

export interface ApiKeyInfo {
  id: string;
  label: string;
  scopes: ApiScope[];
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

interface KeyRow {
  id: string;
  shop: string;
  secret_hash: string;
  scopes: string;
  label: string;
  created_at: number | string;
  revoked_at: number | string | null;
  last_used_at: number | string | null;
}

const hashOf = (key: string): string => createHash("sha256").update(key).digest("hex");

const infoOf = (row: KeyRow): ApiKeyInfo => ({
  id: row.id,
  label: row.label,
  scopes: row.scopes.split(" ").filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
  createdAt: Number(row.created_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

/** Makes a key for `shop`; the returned `key` is the only time its secret exists outside the caller. */
export async function createKey(
  db: Queryable,
  shop: Address,
  label: string,
  scopes: ApiScope[],
  now: number,
): Promise<ApiKeyInfo & { key: string }> {
  const id = randomBytes(8).toString("hex");
  const key = `hcy_live_${id}_${randomBytes(32).toString("hex")}`;
  const sorted = API_SCOPES.filter((s) => scopes.includes(s));
  await db.run(
    `INSERT INTO merchant_api_keys (id, shop, secret_hash, scopes, label, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [id, shop.toLowerCase(), hashOf(key), sorted.join(" "), label, now],
  );
  return { id, key, label, scopes: sorted, createdAt: now, revokedAt: null, lastUsedAt: null };
}

export async function liveKeyCount(db: Queryable, shop: Address): Promise<number> {
  const row = await db.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM merchant_api_keys WHERE shop = ? AND revoked_at IS NULL",
    [shop.toLowerCase()],
  );
  return Number(row?.n ?? 0);
}

export async function listKeys(db: Queryable, shop: Address): Promise<ApiKeyInfo[]> {
  const rows = await db.all<KeyRow>("SELECT * FROM merchant_api_keys WHERE shop = ? ORDER BY created_at DESC, id", [
    shop.toLowerCase(),
  ]);
  return rows.map(infoOf);
}

/** Revokes key `id` of `shop`; false when the shop has no such key. Revoking twice keeps the first time. */
export async function revokeKey(db: Queryable, shop: Address, id: string, now: number): Promise<ApiKeyInfo | null> {
  await db.run("UPDATE merchant_api_keys SET revoked_at = ? WHERE id = ? AND shop = ? AND revoked_at IS NULL", [
    now,
    id,
    shop.toLowerCase(),
  ]);
  const row = await db.get<KeyRow>("SELECT * FROM merchant_api_keys WHERE id = ? AND shop = ?", [
    id,
    shop.toLowerCase(),
  ]);
  return row === undefined ? null : infoOf(row);
}

export type KeyCheck =
  | { ok: true; id: string; shop: Address; scopes: ApiScope[] }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" };

/** Who a presented key acts for, read from the database on every request (a revocation holds at once). */
export async function checkKey(db: Queryable, presented: string): Promise<KeyCheck> {
  const m = KEY_FORMAT.exec(presented);
  if (m === null) return { ok: false, reason: "malformed" };
  const row = await db.get<KeyRow>("SELECT * FROM merchant_api_keys WHERE id = ?", [m[1] as string]);
  if (row === undefined) return { ok: false, reason: "unknown" };
  const want = Buffer.from(row.secret_hash, "hex");
  const got = Buffer.from(hashOf(presented), "hex");
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: "unknown" };
  if (row.revoked_at !== null) return { ok: false, reason: "revoked" };
  return { ok: true, id: row.id, shop: row.shop as Address, scopes: infoOf(row).scopes };
}

/** Records use, at most once a minute per key (a write per request would be needless load). */
export async function touchKey(db: Queryable, id: string, now: number): Promise<void> {
  await db.run(
    "UPDATE merchant_api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    [now, id, now - 60_000],
  );
}
