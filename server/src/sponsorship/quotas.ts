// Sponsorship quotas, kept in the database (issue 22): operations per person and Hefei day, and
// accounts whose creation is sponsored per person. One transaction per decision, holding a lock on
// the person, so two requests at the quota's edge run one after the other and only one wins
// (SQLite: one writer at a time; PostgreSQL: an advisory lock).
import type { Address } from "viem";
import { hefeiDay, identityOf } from "../identity/identities.js";
import type { Database, Queryable } from "../storage/Database.js";

/**
 * Whom a sponsorship counts against: the real-name identity that owns the address (one person's
 * several addresses share one quota), else the account itself (lower-case address).
 */
export async function sponsorshipSubject(db: Queryable, sender: Address): Promise<string> {
  const identity = await identityOf(db, sender);
  return identity ? `identity:${identity.id}` : sender.toLowerCase();
}

export { hefeiDay };

export type SponsorshipLimits = { operationsPerDay: number; accountsPerPerson: number };

export type SponsorshipRequest = {
  sender: Address;
  nonce: bigint;
  /** The operation deploys its account (it carries initCode). */
  createsAccount: boolean;
  now: number;
};

/** granted: counted now; again: this very operation (sender, nonce) was sponsored before, not counted twice. */
export type QuotaDecision = "granted" | "again" | "daily_quota_used" | "new_accounts_used";

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
    const subject = await sponsorshipSubject(tx, request.sender);
    await tx.lock(`sponsorship:${subject}`);
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
