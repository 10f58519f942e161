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
import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Address } from "viem";
import {
  CONSENT_TEXT,
  CONSENT_VERSION,
  type IdentityLevel,
  type IdentityView,
  LEVEL_LIMITS,
  lastFour,
  maskName,
  normalizeIdNumber,
  normalizePhone,
} from "../../../core/identity.js";
import { lazySecret } from "../auth/secrets.js";
import type { BankGateway, CardholderCheck } from "../bank/BankGateway.js";
import { ApiError } from "../errors.js";
import type { Database, Queryable, Transaction } from "../storage/Database.js";
import type { SmsGateway } from "./SmsGateway.js";

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

/** How long a phone code is good for, how many wrong tries it survives, how many codes an hour. */
export const PHONE_CODE_TTL_MS = 5 * 60 * 1000;
export const PHONE_CODE_TRIES = 3;
export const PHONE_CODES_PER_HOUR = 5;

/** A code sent to her phone: where it went (last 4 digits), until when, and (simulated only) the code. */
export type PhoneCodeSent = { phoneLast4: string; expiresAt: number; shownCode?: string };

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

  private async keyed(kind: "id" | "phone" | "code", value: string): Promise<string> {
    return createHmac("sha256", await this.secret())
      .update(`${kind}:${value}`)
      .digest("hex");
  }

  /** The keyed hash of an ID number: what her identity is known by (never the number itself). */
  async idHash(idNumber: string): Promise<string> {
    return this.keyed("id", normalizeIdNumber(idNumber));
  }

  /** The keyed hash of a one-time code of request `id` (stored instead of the code). */
  async codeHash(id: string, code: string): Promise<string> {
    return this.keyed("code", `${id}:${code}`);
  }

  /** The open identity known by the keyed hash of an ID number, if any. */
  async byIdHash(q: Queryable, idHash: string): Promise<string | undefined> {
    const row = await q.get<{ id: string }>("SELECT id FROM identities WHERE id_hash = ? AND closed_at IS NULL", [
      idHash,
    ]);
    return row?.id;
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
      const linked = await tx.get<{ id: string; id_hash: string | null }>(
        `SELECT i.id, i.id_hash FROM identity_addresses a JOIN identities i ON i.id = a.identity_id
         WHERE a.address = ? AND i.closed_at IS NULL`,
        [owner],
      );
      // A phone-only identity of this address is this person at a lower level: the bank's answer
      // upgrades it (merged below). Any other bank identity is another person.
      const phoneOnly = linked !== undefined && linked.id_hash === null ? linked.id : undefined;
      if (linked !== undefined && phoneOnly === undefined && linked.id_hash !== idHash) {
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
      if (phoneOnly !== undefined) await this.mergePhoneIdentity(tx, phoneOnly, id, now);
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
        // A phone-only identity is known by its phone's keyed hash alone: that stays, like the ID
        // number's keyed hash of a bank identity, so closing and verifying again is the same person.
        `UPDATE identities SET phone_hash = CASE WHEN id_hash IS NULL THEN phone_hash ELSE NULL END, phone_last4 = NULL,
           masked_name = NULL, consent_version = NULL, consent_text = NULL, consent_at = NULL, level = 'none',
           closed_at = ?, updated_at = ? WHERE id = ?`,
        [now, now, ref.id],
      );
    });
    return true;
  }

  /**
   * Moves a phone-only identity into the bank identity the same person just became: its addresses
   * and today's (and every day's) usage go to `bankId`, and it stays closed with its phone's keyed
   * hash and `merged_into`, so that phone verified again later is known to be this person.
   */
  private async mergePhoneIdentity(tx: Transaction, phoneId: string, bankId: string, now: number): Promise<void> {
    if (phoneId === bankId) return;
    await tx.lock(`identity-id:${phoneId}`);
    await tx.lock(`identity-id:${bankId}`);
    await tx.run("UPDATE identity_addresses SET identity_id = ? WHERE identity_id = ?", [bankId, phoneId]);
    const usage = await tx.all<{ day: string; kind: UsageKind; amount_fen: string }>(
      "SELECT day, kind, amount_fen FROM identity_usage WHERE identity_id = ?",
      [phoneId],
    );
    for (const row of usage) {
      const into = await tx.get<{ amount_fen: string }>(
        "SELECT amount_fen FROM identity_usage WHERE identity_id = ? AND day = ? AND kind = ?",
        [bankId, row.day, row.kind],
      );
      const total = BigInt(into?.amount_fen ?? "0") + BigInt(row.amount_fen);
      await tx.run(
        `INSERT INTO identity_usage (identity_id, day, kind, amount_fen) VALUES (?, ?, ?, ?)
         ON CONFLICT (identity_id, day, kind) DO UPDATE SET amount_fen = excluded.amount_fen`,
        [bankId, row.day, row.kind, total.toString()],
      );
    }
    await tx.run("DELETE FROM identity_usage WHERE identity_id = ?", [phoneId]);
    await tx.run(
      `UPDATE identities SET level = 'none', phone_last4 = NULL, merged_into = ?, closed_at = ?, updated_at = ?
       WHERE id = ?`,
      [bankId, now, now, phoneId],
    );
  }

  /**
   * Sends a one-time code to `phone` (the phone-verified level). At most PHONE_CODES_PER_HOUR codes
   * per account and per phone an hour, counted in the database so every instance sees one count:
   * a thousand throwaway accounts cannot flood one phone, nor one account a thousand phones.
   */
  async startPhone(address: Address, phone: string, sms: SmsGateway, now: number): Promise<PhoneCodeSent> {
    const number = normalizePhone(phone);
    const phoneHash = await this.keyed("phone", number);
    const owner = address.toLowerCase();
    const linked = await identityOf(this.db, owner);
    if (linked?.level === "bank") {
      throw new ApiError(409, "already_verified", "This account is verified with a bank card already");
    }
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const expiresAt = now + PHONE_CODE_TTL_MS;
    await this.db.transaction(async (tx) => {
      await tx.lock(`phone-code:${owner}`);
      await tx.lock(`phone-code:${phoneHash}`);
      const since = now - 60 * 60 * 1000;
      const byAccount = await tx.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM phone_challenges WHERE address = ? AND created_at > ?",
        [owner, since],
      );
      const byPhone = await tx.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM phone_challenges WHERE phone_hash = ? AND created_at > ?",
        [phoneHash, since],
      );
      if (Number(byAccount?.n ?? 0) >= PHONE_CODES_PER_HOUR || Number(byPhone?.n ?? 0) >= PHONE_CODES_PER_HOUR) {
        throw new ApiError(429, "too_many_requests", "Too many phone codes in an hour; try again later");
      }
      // A new code replaces any earlier one still waiting: only the latest can be typed.
      await tx.run("UPDATE phone_challenges SET expires_at = 0 WHERE address = ? AND verified_at IS NULL", [owner]);
      await tx.run(
        `INSERT INTO phone_challenges (id, address, phone_hash, phone_last4, code_hash, tries_left, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          owner,
          phoneHash,
          lastFour(number),
          await this.keyed("code", `${id}:${code}`),
          PHONE_CODE_TRIES,
          expiresAt,
          now,
        ],
      );
    });
    let sent: Awaited<ReturnType<SmsGateway["sendCode"]>>;
    try {
      sent = await sms.sendCode(number, code);
    } catch {
      // Nothing to type: the code can never be used.
      await this.db.run("UPDATE phone_challenges SET tries_left = 0 WHERE id = ?", [id]);
      throw new ApiError(503, "service_busy", "The text message could not be sent; try again shortly");
    }
    return { phoneLast4: lastFour(number), expiresAt, ...(sent.shownCode ? { shownCode: sent.shownCode } : {}) };
  }

  /**
   * The code she received: her latest code, if still good, makes or finds the phone identity (one
   * per phone, however many accounts verify it) and links this address to it. A phone that belongs
   * to a bank-verified person (the phone the bank holds for her card, or a phone identity she since
   * upgraded) is refused: she binds her card on this account instead, so a phone never gives a
   * second, lesser identity to the same person, nor bank rights to whoever reads a text message.
   */
  async confirmPhone(address: Address, code: string, now: number): Promise<IdentityView> {
    const owner = address.toLowerCase();
    const challenge = await this.db.get<{
      id: string;
      phone_hash: string;
      phone_last4: string;
      code_hash: string;
      expires_at: number;
      verified_at: number | null;
    }>(
      `SELECT id, phone_hash, phone_last4, code_hash, expires_at, verified_at FROM phone_challenges
       WHERE address = ? AND verified_at IS NULL ORDER BY expires_at DESC, created_at DESC LIMIT 1`,
      [owner],
    );
    if (challenge === undefined || challenge.verified_at !== null) {
      throw new ApiError(404, "no_phone_code", "No phone code is waiting for this account; ask for one first");
    }
    if (Number(challenge.expires_at) <= now) {
      throw new ApiError(422, "phone_code_expired", "The code has expired; ask for a new one");
    }
    // A try is spent before the code is compared, in one statement that commits on its own.
    const spent = await this.db.run(
      "UPDATE phone_challenges SET tries_left = tries_left - 1 WHERE id = ? AND tries_left > 0 AND verified_at IS NULL",
      [challenge.id],
    );
    if (spent.changes === 0) {
      throw new ApiError(422, "phone_code_tries", "Too many wrong codes; ask for a new one");
    }
    const typed = Buffer.from(await this.keyed("code", `${challenge.id}:${code}`), "hex");
    if (!timingSafeEqual(typed, Buffer.from(challenge.code_hash, "hex"))) {
      throw new ApiError(422, "phone_code_wrong", "The code is wrong");
    }
    const phoneHash = challenge.phone_hash;
    await this.db.transaction(async (tx) => {
      await tx.lock(`identity-address:${owner}`);
      await tx.lock(`identity-phone:${phoneHash}`);
      // Good once: a replay of the same code (or a race with it) finds it used.
      const used = await tx.run("UPDATE phone_challenges SET verified_at = ? WHERE id = ? AND verified_at IS NULL", [
        now,
        challenge.id,
      ]);
      if (used.changes === 0) {
        throw new ApiError(404, "no_phone_code", "No phone code is waiting for this account; ask for one first");
      }
      const linked = await tx.get<{ id: string; level: IdentityLevel; phone_hash: string | null }>(
        `SELECT i.id, i.level, i.phone_hash FROM identity_addresses a JOIN identities i ON i.id = a.identity_id
         WHERE a.address = ? AND i.closed_at IS NULL`,
        [owner],
      );
      if (linked?.level === "bank") {
        throw new ApiError(409, "already_verified", "This account is verified with a bank card already");
      }
      if (linked !== undefined && linked.phone_hash === phoneHash) return;
      if (linked !== undefined) {
        throw new ApiError(
          409,
          "address_of_another_identity",
          "This account is verified with another phone; an account belongs to one person only",
        );
      }
      const rows = await tx.all<{
        id: string;
        id_hash: string | null;
        closed_at: number | null;
        merged_into: string | null;
      }>("SELECT id, id_hash, closed_at, merged_into FROM identities WHERE phone_hash = ?", [phoneHash]);
      if (rows.some((r) => (r.id_hash !== null && r.closed_at === null) || r.merged_into !== null)) {
        throw new ApiError(
          409,
          "phone_of_verified_person",
          "This phone belongs to a person verified with a bank card: verify this account with the bank card too",
        );
      }
      const mine = rows.find((r) => r.id_hash === null);
      const id = mine?.id ?? randomUUID();
      if (mine === undefined) {
        await tx.run(
          `INSERT INTO identities (id, id_hash, phone_hash, phone_last4, masked_name, level, created_at, updated_at)
           VALUES (?, NULL, ?, ?, NULL, 'phone', ?, ?)`,
          [id, phoneHash, challenge.phone_last4, now, now],
        );
      } else {
        // Verifying again after closing is the same person: the row is reopened, not made anew.
        await tx.run(
          "UPDATE identities SET level = 'phone', phone_last4 = ?, closed_at = NULL, updated_at = ? WHERE id = ?",
          [challenge.phone_last4, now, id],
        );
      }
      await tx.run(
        `INSERT INTO identity_addresses (address, identity_id, linked_at) VALUES (?, ?, ?)
         ON CONFLICT (address) DO UPDATE SET identity_id = excluded.identity_id`,
        [owner, id, now],
      );
    });
    return (await this.view(address, now)) as IdentityView;
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

/** Gives back what a request counted (a top-up that brought no money): its day's usage drops by
 * `amountFen`, inside the caller's transaction `tx` under the identity's lock. */
export async function releaseUsage(
  tx: Transaction,
  identityId: string,
  kind: UsageKind,
  amountFen: bigint,
  at: number,
): Promise<void> {
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
