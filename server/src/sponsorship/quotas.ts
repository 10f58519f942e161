// Sponsorship quotas, kept in the database (issue 22). The city pays fees only for a verified
// person: an account that belongs to an open identity of level phone or bank (identityOf); an
// account nobody verified — or whose identity was closed — can receive money and is sponsored
// nothing. Quotas are per identity, never per address: operations per identity and Hefei day, and
// accounts whose creation is sponsored per identity, all her accounts together (a new account
// starts no fresh quota; closing and verifying again is the same identity, so the same count).
// One transaction per decision, holding a lock on the identity, so two requests at the quota's
// edge — from one account or from two of hers — run one after the other and only one wins
// (SQLite: one writer at a time; PostgreSQL: an advisory lock).
import type { Address } from "viem";
import type { IdentityLevel } from "../../../core/identity.js";
import { hefeiDay, type IdentityRef, identityOf } from "../identity/identities.js";
import type { Database, Queryable } from "../storage/Database.js";

/** The levels the city sponsors: she verified her phone or her bank card. `none` only receives. */
export const SPONSORED_LEVELS: readonly IdentityLevel[] = ["phone", "bank"];

/** The verified identity that owns the address, if it is one the city sponsors (open, level phone or bank). */
export async function sponsoredIdentity(db: Queryable, sender: Address): Promise<IdentityRef | undefined> {
  const identity = await identityOf(db, sender);
  return identity !== undefined && SPONSORED_LEVELS.includes(identity.level) ? identity : undefined;
}

/** Whom a sponsorship counts against: the identity (one person's several addresses share one quota). */
export const sponsorshipSubject = (identity: IdentityRef): string => `identity:${identity.id}`;

export { hefeiDay };

export type SponsorshipLimits = { operationsPerDay: number; accountsPerPerson: number };

export type SponsorshipRequest = {
  sender: Address;
  nonce: bigint;
  /** The operation deploys its account (it carries initCode). */
  createsAccount: boolean;
  now: number;
};

/**
 * granted: counted now; again: this very operation (sender, nonce) was sponsored before, not
 * counted twice; not_verified: no open identity of a sponsored level owns the sender.
 */
export type QuotaDecision = "granted" | "again" | "not_verified" | "daily_quota_used" | "new_accounts_used";

/**
 * Decides whether the operation may be sponsored and, when `record` is true and it may, counts it.
 * `record: false` only looks (the ERC-7677 stub: tell her before her fingerprint is asked).
 */
export async function decideSponsorship(
  db: Database,
  request: SponsorshipRequest,
  limits: SponsorshipLimits,
  record: boolean,
): Promise<QuotaDecision> {
  const sender = request.sender.toLowerCase();
  const nonce = request.nonce.toString();
  return db.transaction(async (tx) => {
    const identity = await sponsoredIdentity(tx, request.sender);
    if (identity === undefined) return "not_verified";
    const subject = sponsorshipSubject(identity);
    await tx.lock(`sponsorship:${subject}`);
    // Read again under the lock: the identity may have been closed (or the address moved to
    // another) while this request waited behind another of hers.
    const still = await sponsoredIdentity(tx, request.sender);
    if (still === undefined || still.id !== identity.id) return "not_verified";
    const seen = await tx.get("SELECT 1 AS one FROM sponsorships WHERE sender = ? AND nonce = ?", [sender, nonce]);
    if (seen !== undefined) return "again";
    const day = hefeiDay(request.now);
    const today = await tx.get<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM sponsorships WHERE subject = ? AND day = ?",
      [subject, day],
    );
    if (Number(today?.n ?? 0) >= limits.operationsPerDay) return "daily_quota_used";
    if (request.createsAccount) {
      const made = await tx.get<{ n: number | string }>(
        "SELECT COUNT(DISTINCT sender) AS n FROM sponsorships WHERE subject = ? AND creates_account = 1 AND sender <> ?",
        [subject, sender],
      );
      if (Number(made?.n ?? 0) >= limits.accountsPerPerson) return "new_accounts_used";
    }
    if (record) {
      await tx.run(
        "INSERT INTO sponsorships (sender, nonce, subject, day, creates_account, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [sender, nonce, subject, day, request.createsAccount ? 1 : 0, request.now],
      );
    }
    return "granted";
  });
}
