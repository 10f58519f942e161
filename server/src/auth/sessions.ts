// Single-use SIWE nonces and sign-in sessions. A nonce is random bits, its expiry and an HMAC of
// both under the service's own key: issuing one stores nothing (so asking for nonces cannot fill
// the database, and the per-client limit can be generous); a nonce is written down only when a
// sign-in spends it, which is what makes it single-use. A session id is 32 random bytes handed to
// the browser once in an httpOnly cookie; the database keeps only its SHA-256, so a leaked
// database does not leak live sessions.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Address, Hex } from "viem";
import type { Queryable } from "../storage/Database.js";

export type NonceCheck = "ok" | "unknown" | "expired" | "used";

export interface Session {
  address: Address;
  chainId: number;
  expiresAt: number;
  /** The account's signer that signed the sign-in (a passkey account's ERC-7913 signer bytes), else null. */
  signer?: Hex | null;
}

/** One of an account's sessions as its owner sees it (never the session id itself). */
export interface SessionInfo {
  id: string;
  createdAt: number;
  expiresAt: number;
  userAgent: string | null;
  current: boolean;
}

/** The MAC binds the nonce to the device (browser) it was issued to: another client cannot spend it. */
const nonceMac = (key: Buffer, body: string, device: string) =>
  createHmac("sha256", key).update(`siwe-nonce:${device}:${body}`).digest("hex").slice(0, 32);

/** 72 random bits, the expiry (12 hex digits of ms) and a 128-bit MAC: alphanumeric, as EIP-4361 requires. */
export function newNonce(key: Buffer, expiresAt: number, device: string): string {
  const body = `${randomBytes(9).toString("hex")}${expiresAt.toString(16).padStart(12, "0")}`;
  return `${body}${nonceMac(key, body, device)}`;
}

/** The nonce's expiry when we issued it to this device, else undefined. */
function nonceExpiry(key: Buffer, nonce: string, device: string): number | undefined {
  if (!/^[0-9a-f]{62}$/.test(nonce)) return undefined;
  const body = nonce.slice(0, 30);
  if (!timingSafeEqual(Buffer.from(nonceMac(key, body, device)), Buffer.from(nonce.slice(30)))) return undefined;
  return Number.parseInt(body.slice(18), 16);
}

/** Deletes nonces that expired before `before`: a message carrying one is refused either way. */
export async function purgeExpiredNonces(db: Queryable, before: number): Promise<void> {
  await db.run("DELETE FROM siwe_nonces WHERE expires_at <= ?", [before]);
}

/** Spends a nonce. The insert is atomic on the primary key, so of two concurrent uses only one wins. */
export async function consumeNonce(
  db: Queryable,
  key: Buffer,
  nonce: string,
  now: number,
  device: string,
): Promise<NonceCheck> {
  const expiresAt = nonceExpiry(key, nonce, device);
  if (expiresAt === undefined) return "unknown";
  if (expiresAt <= now) return "expired";
  const { changes } = await db.run(
    "INSERT INTO siwe_nonces (nonce, expires_at, used_at) VALUES (?, ?, ?) ON CONFLICT (nonce) DO NOTHING",
    [nonce, expiresAt, now],
  );
  return changes === 1 ? "ok" : "used";
}

const hashId = (id: string): string => createHash("sha256").update(id).digest("hex");

/** What the sessions list shows of a session: a prefix of the hash, which cannot be used to sign in. */
const publicIdOf = (idHash: string): string => idHash.slice(0, 16);

export async function startSession(
  db: Queryable,
  session: Session,
  now: number,
  userAgent: string | null = null,
): Promise<{ id: string }> {
  const id = randomBytes(32).toString("base64url");
  await db.run(
    `INSERT INTO sessions (id_hash, address, chain_id, created_at, expires_at, user_agent, signer)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [hashId(id), session.address, session.chainId, now, session.expiresAt, userAgent, session.signer ?? null],
  );
  return { id };
}

export async function listSessions(
  db: Queryable,
  address: Address,
  currentId: string,
  now: number,
): Promise<SessionInfo[]> {
  const current = hashId(currentId);
  const rows = await db.all<{ id_hash: string; created_at: number; expires_at: number; user_agent: string | null }>(
    `SELECT id_hash, created_at, expires_at, user_agent FROM sessions WHERE address = ? AND expires_at > ?
     ORDER BY created_at DESC LIMIT 100`,
    [address, now],
  );
  return rows.map((r) => ({
    id: publicIdOf(r.id_hash),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
    current: r.id_hash === current,
  }));
}

/** Ends one of the account's sessions by its public id; false when there is no such session. */
export async function endSessionOf(db: Queryable, address: Address, publicId: string): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(publicId)) return false;
  const { changes } = await db.run("DELETE FROM sessions WHERE address = ? AND substr(id_hash, 1, 16) = ?", [
    address,
    publicId,
  ]);
  return changes > 0;
}

/** Signs the account out everywhere: every session of the address ends. */
export async function endAllSessions(db: Queryable, address: Address): Promise<number> {
  return (await db.run("DELETE FROM sessions WHERE address = ?", [address])).changes;
}

export async function findSession(db: Queryable, id: string, now: number): Promise<Session | undefined> {
  // Cookie values are ours (43 base64url chars); anything else cannot be a session.
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const row = await db.get<{ address: Address; chain_id: number; expires_at: number; signer: Hex | null }>(
    "SELECT address, chain_id, expires_at, signer FROM sessions WHERE id_hash = ? AND expires_at > ?",
    [hashId(id), now],
  );
  return row && { address: row.address, chainId: row.chain_id, expiresAt: row.expires_at, signer: row.signer };
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await db.run("DELETE FROM sessions WHERE id_hash = ?", [hashId(id)]);
}

/** Ends every session of the account that this signer opened (the signer was removed from the account). */
export async function endSessionsOfSigner(db: Queryable, address: Address, signer: Hex): Promise<number> {
  return (await db.run("DELETE FROM sessions WHERE address = ? AND signer = ?", [address, signer])).changes;
}

/** Deletes expired nonces and sessions; run now and then so the tables stay small. */
export async function sweepExpired(db: Queryable, now: number): Promise<void> {
  await db.run("DELETE FROM siwe_nonces WHERE expires_at <= ?", [now]);
  await db.run("DELETE FROM sessions WHERE expires_at <= ?", [now]);
}
