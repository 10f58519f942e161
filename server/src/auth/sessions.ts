// Single-use SIWE nonces and sign-in sessions. A session id is 32 random bytes handed to the
// browser once in an httpOnly cookie; the database keeps only its SHA-256, so a leaked database
// does not leak live sessions.
import { createHash, randomBytes } from "node:crypto";
import type { Address } from "viem";
import type { Queryable } from "../storage/Database.js";

export type NonceCheck = "ok" | "unknown" | "expired" | "used";

export interface Session {
  address: Address;
  chainId: number;
  expiresAt: number;
}

export function newNonce(): string {
  // 96 bits, alphanumeric as EIP-4361 requires (at least 8 characters, [a-zA-Z0-9]).
  return randomBytes(12).toString("hex");
}

export async function storeNonce(db: Queryable, nonce: string, expiresAt: number): Promise<void> {
  await db.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES (?, ?)", [nonce, expiresAt]);
}

/** Deletes nonces that expired before `before`: a message carrying one is refused either way. */
export async function purgeExpiredNonces(db: Queryable, before: number): Promise<void> {
  await db.run("DELETE FROM siwe_nonces WHERE expires_at <= ?", [before]);
}

/** Spends a nonce. The conditional UPDATE is atomic, so of two concurrent uses only one wins. */
export async function consumeNonce(db: Queryable, nonce: string, now: number): Promise<NonceCheck> {
  const { changes } = await db.run(
    "UPDATE siwe_nonces SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?",
    [now, nonce, now],
  );
  if (changes === 1) return "ok";
  const row = await db.get<{ expires_at: number; used_at: number | null }>(
    "SELECT expires_at, used_at FROM siwe_nonces WHERE nonce = ?",
    [nonce],
  );
  if (row === undefined) return "unknown";
  if (row.used_at !== null) return "used";
  return "expired";
}

const hashId = (id: string): string => createHash("sha256").update(id).digest("hex");

export async function startSession(db: Queryable, session: Session, now: number): Promise<{ id: string }> {
  const id = randomBytes(32).toString("base64url");
  await db.run("INSERT INTO sessions (id_hash, address, chain_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", [
    hashId(id),
    session.address,
    session.chainId,
    now,
    session.expiresAt,
  ]);
  return { id };
}

export async function findSession(db: Queryable, id: string, now: number): Promise<Session | undefined> {
  // Cookie values are ours (43 base64url chars); anything else cannot be a session.
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const row = await db.get<{ address: Address; chain_id: number; expires_at: number }>(
    "SELECT address, chain_id, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
    [hashId(id), now],
  );
  return row && { address: row.address, chainId: row.chain_id, expiresAt: row.expires_at };
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await db.run("DELETE FROM sessions WHERE id_hash = ?", [hashId(id)]);
}

/** Deletes expired nonces and sessions; run now and then so the tables stay small. */
export async function sweepExpired(db: Queryable, now: number): Promise<void> {
  await db.run("DELETE FROM siwe_nonces WHERE expires_at <= ?", [now]);
  await db.run("DELETE FROM sessions WHERE expires_at <= ?", [now]);
}
