// Real people behind the accounts (实名), without names on the chain. An identity is a person the
// bank vouched for: kept as a keyed hash of her ID number (HMAC-SHA256 under the service secret
// 'identity-id', or HCY_IDENTITY_KEY), a masked name (王*芳), the last 4 digits of each card the
// bank confirmed with the bank's token to debit it by, the consent she gave (its wording, version
// and time), and the addresses she linked — each from a session of that address (SIWE), so
// linking proves control of it. An address belongs to at most one identity; one identity owns
// several. The ID number, the full card number and the phone number are sent to the bank and
// never written anywhere.
//
// Limits are per identity per Hefei day and per level (core/identity.ts LEVEL_LIMITS), counted
// under the identity's lock so concurrent requests cannot all pass the check.
import { createHmac, randomUUID } from "node:crypto";
import type { Address } from "viem";
import {
  CONSENT_TEXT,
  CONSENT_VERSION,
  type IdentityLevel,
  type IdentityView,
  LEVEL_LIMITS,
  maskName,
  normalizeIdNumber,
  normalizePhone,
} from "../../../core/identity.js";
import { lazySecret } from "../auth/secrets.js";
import type { BankGateway, CardholderCheck } from "../bank/BankGateway.js";
import { ApiError } from "../errors.js";
import type { Database, Queryable, Transaction } from "../storage/Database.js";

export type IdentityRef = { id: string; level: IdentityLevel };

/**
 * The identity an address belongs to, and its level; undefined for an address no identity owns
 * (or whose identity was closed). The sponsorship quotas key on `id`: one person, however many
 * addresses.
 */
export async function identityOf(db: Queryable, address: string): Promise<IdentityRef | undefined> {
  const row = await db.get<{ id: string; level: IdentityLevel }>(
    `SELECT i.id, i.level FROM identity_addresses a JOIN identities i ON i.id = a.identity_id
     WHERE a.address = ? AND i.closed_at IS NULL`,
    [address.toLowerCase()],
  );
  return row === undefined ? undefined : { id: row.id, level: row.level };
}

/** The Hefei calendar day (UTC+8, no daylight saving) of a time: daily limits reset at its midnight. */
export const hefeiDay = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

export type UsageKind = "topup" | "cashout";

type IdentityRow = {
  id: string;
  id_hash: string | null;
  phone_last4: string | null;
  masked_name: string | null;
  level: IdentityLevel;
  consent_version: string | null;
  consent_text: string | null;
  consent_at: number | null;
  created_at: number;
  closed_at: number | null;
};

export class Identities {
  private readonly secret: () => Promise<Buffer>;

  constructor(
    private readonly db: Database,
    private readonly bank: BankGateway,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const key = env.HCY_IDENTITY_KEY?.trim();
    if (key !== undefined && key !== "" && !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
      throw new Error("HCY_IDENTITY_KEY must be 32 bytes of hex");
    }
    const fixed = key ? Buffer.from(key.replace(/^0x/, ""), "hex") : undefined;
    this.secret = fixed ? async () => fixed : lazySecret(db, "identity-id");
  }

  private async keyed(kind: "id" | "phone", value: string): Promise<string> {
    return createHmac("sha256", await this.secret())
      .update(`${kind}:${value}`)
      .digest("hex");
  }

  /**
   * Binds a card she holds (the bank confirms name, ID number, card number and phone) and links
   * the signed-in address to her identity, made now or found by her ID number's keyed hash.
   */
  async bindCard(address: Address, check: CardholderCheck, consentVersion: string, now: number): Promise<IdentityView> {
    if (consentVersion !== CONSENT_VERSION) {
      throw new ApiError(400, "consent_required", `Agree to the current consent (version ${CONSENT_VERSION}) first`);
    }
    const answer = await this.bank.verifyCardholder(check);
    if (!answer.ok) throw new ApiError(422, `cardholder_${answer.mismatch}`, answer.reason);
    const idHash = await this.keyed("id", normalizeIdNumber(check.idNumber));
    const phoneHash = await this.keyed("phone", normalizePhone(check.phone));
    const owner = address.toLowerCase();
    await this.db.transaction(async (tx) => {
      await tx.lock(`identity-address:${owner}`);
      await tx.lock(`identity:${idHash}`);
      const linked = await tx.get<{ id_hash: string | null }>(
        `SELECT i.id_hash FROM identity_addresses a JOIN identities i ON i.id = a.identity_id
         WHERE a.address = ? AND i.closed_at IS NULL`,
        [owner],
      );
      if (linked !== undefined && linked.id_hash !== idHash) {
        throw new ApiError(
          409,
          "address_of_another_identity",
          "This account already belongs to another verified person; an account belongs to one person only",
        );
      }
      const existing = await tx.get<{ id: string }>("SELECT id FROM identities WHERE id_hash = ?", [idHash]);
      const id = existing?.id ?? randomUUID();
      const fields = [phoneHash, answer.phoneLast4, maskName(check.name), CONSENT_VERSION, CONSENT_TEXT.zh, now, now];
      if (existing === undefined) {
        await tx.run(
          `INSERT INTO identities (id, id_hash, phone_hash, phone_last4, masked_name, level, consent_version, consent_text,
             consent_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'bank', ?, ?, ?, ?, ?)`,
          [
            id,
            idHash,
            phoneHash,
            answer.phoneLast4,
            maskName(check.name),
            CONSENT_VERSION,
            CONSENT_TEXT.zh,
            now,
            now,
            now,
          ],
        );
      } else {
        // Verifying again after closing is the same person: the row is reopened, not made anew.
        await tx.run(
          `UPDATE identities SET phone_hash = ?, phone_last4 = ?, masked_name = ?, level = 'bank', consent_version = ?,
             consent_text = ?, consent_at = ?, updated_at = ?, closed_at = NULL WHERE id = ?`,
          [...fields, id],
        );
      }
      await tx.run(
        `INSERT INTO identity_addresses (address, identity_id, linked_at) VALUES (?, ?, ?)
         ON CONFLICT (address) DO UPDATE SET identity_id = excluded.identity_id`,
        [owner, id, now],
      );
      await tx.run(
        "INSERT INTO identity_cards (id, identity_id, card_token, card_last4, bank, bound_at) VALUES (?, ?, ?, ?, ?, ?)",
        [randomUUID(), id, answer.cardToken, answer.cardLast4, answer.bank, now],
      );
    });
    return (await this.view(address, now)) as IdentityView;
  }

  /** Everything held about the identity the address belongs to (what she sees and exports). */
  async view(address: Address, now: number): Promise<IdentityView | undefined> {
    const ref = await identityOf(this.db, address);
    if (ref === undefined) return undefined;
    const row = (await this.db.get<IdentityRow>("SELECT * FROM identities WHERE id = ?", [ref.id])) as IdentityRow;
    const cards = await this.db.all<{ card_last4: string; bank: string; bound_at: number }>(
      "SELECT card_last4, bank, bound_at FROM identity_cards WHERE identity_id = ? ORDER BY bound_at, id",
      [ref.id],
    );
    const addresses = await this.db.all<{ address: string; linked_at: number }>(
      "SELECT address, linked_at FROM identity_addresses WHERE identity_id = ? ORDER BY linked_at, address",
      [ref.id],
    );
    const limits = LEVEL_LIMITS[row.level];
    return {
      level: row.level,
      maskedName: row.masked_name,
      phoneLast4: row.phone_last4,
      cards: dedupeCards(cards).map((c) => ({ last4: c.card_last4, bank: c.bank, boundAt: Number(c.bound_at) })),
      addresses: addresses.map((a) => ({ address: a.address, linkedAt: Number(a.linked_at) })),
      consent:
        row.consent_at === null
          ? null
          : { version: row.consent_version ?? "", text: row.consent_text ?? "", at: Number(row.consent_at) },
      limits: {
        topUpFenPerDay: limits.topUpFenPerDay.toString(),
        cashOutFenPerDay: limits.cashOutFenPerDay.toString(),
        balanceFen: limits.balanceFen.toString(),
      },
      usedToday: {
        topUpFen: (await this.used(this.db, ref.id, "topup", now)).toString(),
        cashOutFen: (await this.used(this.db, ref.id, "cashout", now)).toString(),
      },
      createdAt: Number(row.created_at),
    };
  }

  /**
   * Closes the identity: her name, phone, cards, consent and every linked address are erased.
   * The keyed hash stays (with closed_at), so verifying again is the same person — one share per
   * packet, the same day's limits — and nothing else about her remains.
   */
  async close(address: Address, now: number): Promise<boolean> {
    const ref = await identityOf(this.db, address);
    if (ref === undefined) return false;
    await this.db.transaction(async (tx) => {
      await tx.lock(`identity-id:${ref.id}`);
      await tx.run("DELETE FROM identity_addresses WHERE identity_id = ?", [ref.id]);
      await tx.run("DELETE FROM identity_cards WHERE identity_id = ?", [ref.id]);
      await tx.run(
        `UPDATE identities SET phone_hash = NULL, phone_last4 = NULL, masked_name = NULL, consent_version = NULL,
           consent_text = NULL, consent_at = NULL, level = 'none', closed_at = ?, updated_at = ? WHERE id = ?`,
        [now, now, ref.id],
      );
    });
    return true;
  }

  /** The bank's token of one of her cards (the one ending in `last4`, else the latest bound). */
  async card(identityId: string, last4?: string): Promise<{ token: string; last4: string } | undefined> {
    const row = await this.db.get<{ card_token: string; card_last4: string }>(
      `SELECT card_token, card_last4 FROM identity_cards WHERE identity_id = ? ${last4 === undefined ? "" : "AND card_last4 = ?"}
       ORDER BY bound_at DESC, id DESC LIMIT 1`,
      last4 === undefined ? [identityId] : [identityId, last4],
    );
    return row === undefined ? undefined : { token: row.card_token, last4: row.card_last4 };
  }

  private async used(q: Queryable, identityId: string, kind: UsageKind, now: number): Promise<bigint> {
    const row = await q.get<{ amount_fen: string }>(
      "SELECT amount_fen FROM identity_usage WHERE identity_id = ? AND day = ? AND kind = ?",
      [identityId, hefeiDay(now), kind],
    );
    return BigInt(row?.amount_fen ?? "0");
  }

  /** Refuses (409 daily_limit) when `amountFen` more today would pass the level's limit. */
  async checkLimit(q: Queryable, ref: IdentityRef, kind: UsageKind, amountFen: bigint, now: number): Promise<void> {
    const limits = LEVEL_LIMITS[ref.level];
    const limit = kind === "topup" ? limits.topUpFenPerDay : limits.cashOutFenPerDay;
    const used = await this.used(q, ref.id, kind, now);
    if (used + amountFen > limit) {
      throw new ApiError(
        409,
        "daily_limit",
        `Over today's ${kind === "topup" ? "top-up" : "cash-out"} limit for your verification level: ${limit - used} fen left of ${limit}`,
      );
    }
  }

  /** Counts `amountFen` against today's limit, in `tx` under the identity's lock (race-free). */
  async charge(tx: Transaction, ref: IdentityRef, kind: UsageKind, amountFen: bigint, now: number): Promise<void> {
    await tx.lock(`identity-id:${ref.id}`);
    await this.checkLimit(tx, ref, kind, amountFen, now);
    const total = (await this.used(tx, ref.id, kind, now)) + amountFen;
    await tx.run(
      `INSERT INTO identity_usage (identity_id, day, kind, amount_fen) VALUES (?, ?, ?, ?)
       ON CONFLICT (identity_id, day, kind) DO UPDATE SET amount_fen = excluded.amount_fen`,
      [ref.id, hefeiDay(now), kind, total.toString()],
    );
  }
}

/** Gives back what a request counted (a card debit the bank declined): its day's usage drops by `amountFen`. */
export async function releaseUsage(
  db: Database,
  identityId: string,
  kind: UsageKind,
  amountFen: bigint,
  at: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.lock(`identity-id:${identityId}`);
    const row = await tx.get<{ amount_fen: string }>(
      "SELECT amount_fen FROM identity_usage WHERE identity_id = ? AND day = ? AND kind = ?",
      [identityId, hefeiDay(at), kind],
    );
    if (row === undefined) return;
    const left = BigInt(row.amount_fen) - amountFen;
    await tx.run("UPDATE identity_usage SET amount_fen = ? WHERE identity_id = ? AND day = ? AND kind = ?", [
      (left > 0n ? left : 0n).toString(),
      identityId,
      hefeiDay(at),
      kind,
    ]);
  });
}

/** The same card bound twice (from two of her addresses) is shown once. */
function dedupeCards<T extends { card_last4: string; bank: string }>(cards: T[]): T[] {
  const seen = new Set<string>();
  return cards.filter((c) => {
    const key = `${c.bank}:${c.card_last4}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
