// 找回账户 through the city recovery desk, and the new phone finishing a recovery by itself.
//
// The desk (issue 23): she chose the city desk as a helper (CityRecovery.setGuardians, cityDesk),
// lost her phone, and on the new phone — which is signed in to nothing — she re-verifies with the
// bank: the same four-element check as 实名 (name, ID number, card number, the phone the bank holds),
// then a one-time code sent to that phone. The service then checks that the person the bank
// verified is the identity the account belongs to (the keyed hash of her ID number, issue 22; no
// name or ID number on chain or in clear), that the account chose the desk and that no desk
// recovery of it is pending; only then the desk's clerk key (server/src/chain/recoveryDesk.ts)
// starts the recovery for her new passkey on chain, or approves it for the desk when her family
// already started the same one. Every device and helper is told by the usual recovery alerts; any of
// her devices can cancel during the delay (7 days with the desk alone).
//
//   POST /recovery/desk               four elements + the new passkey (+ account) → a code is sent
//   POST /recovery/desk/:id/confirm   the code (+ removeLost) → the desk acts on chain
//   POST /recovery/finish             account, new passkey, lost → executeRecovery, relayed once
//
// Checks are limited per identity (the keyed hash of the ID number typed), never per network
// address or cookie, and overall per minute so nobody floods the bank with made-up numbers.
import { randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import { type Address, getAddress, type Hex } from "viem";
import { lastFour, normalizePhone } from "../../../core/identity.js";
import { clientAddress } from "../auth/clients.js";
import { RateLimiter } from "../auth/rateLimit.js";
import type { Passkey, RecoveryDeskChain } from "../chain/recoveryDesk.js";
import { ApiError, badField } from "../errors.js";
import { type AppDeps, type AppEnv, identitiesOf, readJson } from "../http.js";
import { identityOf } from "../identity/identities.js";
import { SimulatedSmsGateway } from "../identity/SmsGateway.js";
import { address, type Body, bytes32, onlyFields } from "../validate.js";
import { cardholderOf } from "./identity.js";

/** How long the desk's one-time code is good for, and how many wrong tries it survives. */
export const DESK_CODE_TTL_MS = 5 * 60 * 1000;
export const DESK_CODE_TRIES = 3;

export type DeskDevice = { passkey: string; name: string; platform: string | null };

type DeskRow = {
  id: string;
  account: string;
  identity_id: string;
  qx: string;
  qy: string;
  devices: string;
  phone_last4: string;
  code_hash: string;
  tries_left: number;
  expires_at: number;
  confirmed_at: number | null;
  recovery_id: string | null;
  tx_hash: string | null;
};

const keyOf = (passkey: string): Passkey => ({
  qx: `0x${passkey.slice(0, 64)}` as Hex,
  qy: `0x${passkey.slice(64, 128)}` as Hex,
});

function passkeyList(raw: unknown, field: string): Passkey[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 16) throw badField(field, "must be a list of at most 16 passkeys");
  return raw.map((item, i) => {
    if (typeof item !== "object" || item === null) throw badField(`${field}[${i}]`, "must be { qx, qy }");
    const k = item as Record<string, unknown>;
    return { qx: bytes32(k.qx, `${field}[${i}].qx`), qy: bytes32(k.qy, `${field}[${i}].qy`) };
  });
}

export function recoveryDeskRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const identities = identitiesOf(deps);
  const sms = deps.sms ?? new SimulatedSmsGateway();
  const perIdentity = new RateLimiter(
    deps.db,
    "recoveryDesk.identity",
    deps.config.deskChecksPerIdentityPerHour,
    60 * 60 * 1000,
  );
  const perNetwork = new RateLimiter(
    deps.db,
    "recoveryDesk.network",
    deps.config.deskChecksPerNetworkPerMinute,
    60_000,
  );
  const overall = new RateLimiter(deps.db, "recoveryDesk.all", deps.config.deskChecksPerMinute, 60_000);

  const deskOf = (): RecoveryDeskChain => {
    if (deps.recoveryDesk === undefined) {
      throw new ApiError(503, "desk_unavailable", "The city recovery desk is not available on this service");
    }
    return deps.recoveryDesk;
  };
  const chain = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(503, "chain_unavailable", "The chain node did not answer; try again shortly");
    }
  };

  /** Whether a desk recovery of `account` is pending on chain, or on its way there. */
  const deskPending = async (desk: RecoveryDeskChain, q: Pick<AppDeps["db"], "all">, account: string) => {
    const rows = await q.all<{ recovery_id: string | null; tx_hash: string | null; confirmed_at: number | null }>(
      "SELECT recovery_id, tx_hash, confirmed_at FROM recovery_desk_requests WHERE account = ? AND confirmed_at IS NOT NULL",
      [account],
    );
    for (const row of rows) {
      if (row.tx_hash === null) return true; // confirmed, its transaction on its way
      if (row.recovery_id !== null && (await chain(() => desk.isPending(row.recovery_id as Hex)))) return true;
    }
    return false;
  };

  /** Four elements and the new passkey: the bank checks her, the service checks she is the account's person, a code goes to her phone. */
  app.post("/recovery/desk", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["name", "idNumber", "cardNumber", "phone", "qx", "qy", "account"]);
    const check = cardholderOf(body);
    const key = { qx: bytes32(body.qx, "qx"), qy: bytes32(body.qy, "qy") };
    const named = body.account === undefined || body.account === null ? undefined : address(body.account, "account");
    const desk = deskOf();
    const at = now();
    const idHash = await identities.idHash(check.idNumber);
    await limit(
      c,
      await perIdentity.take(idHash, at),
      "too_many_requests",
      "Too many desk checks for this person in an hour; try again later",
    );
    // An outer guard per network address (many residents may share one): a client flooding the desk
    // with made-up ID numbers stops here instead of using up the whole service's allowance.
    await limit(
      c,
      await perNetwork.take(clientAddress(c, deps.config.trustedProxyHops), at),
      "too_many_requests",
      "Too many desk checks from this network; try again in a minute",
    );
    await limit(
      c,
      await overall.take("all", at),
      "service_busy",
      "The city recovery desk is busy; try again in a minute",
    );

    const answer = await deps.bank.bank.verifyCardholder(check);
    if (!answer.ok) throw new ApiError(422, `cardholder_${answer.mismatch}`, answer.reason);
    const person = await identities.byIdHash(deps.db, idHash);

    let account: Address;
    if (named !== undefined) {
      const owner = await identityOf(deps.db, named);
      if (person === undefined || owner?.id !== person) {
        throw new ApiError(
          403,
          "desk_other_person",
          "The bank verified a different person from the one this account belongs to",
        );
      }
      account = named;
    } else {
      const linked =
        person === undefined
          ? []
          : await deps.db.all<{ address: string }>(
              "SELECT address FROM identity_addresses WHERE identity_id = ? ORDER BY linked_at, address",
              [person],
            );
      if (linked.length === 0) {
        throw new ApiError(404, "desk_no_account", "No account of this person is known to the city service");
      }
      const chose: Address[] = [];
      for (const row of linked) {
        if (await chain(() => desk.choseDesk(row.address as Address))) chose.push(getAddress(row.address));
      }
      if (chose.length === 0) throw notChosen();
      if (chose.length > 1) {
        throw new ApiError(
          409,
          "desk_choose_account",
          `This person has ${chose.length} accounts that chose the desk: name one`,
        );
      }
      account = chose[0] as Address;
    }
    if (!(await chain(() => desk.choseDesk(account)))) throw notChosen();
    if (await chain(() => desk.isPasskey(account, key))) {
      throw new ApiError(409, "already_passkey", "This phone's passkey is on the account already");
    }
    const owner = account.toLowerCase();
    if (await deskPending(desk, deps.db, owner)) throw pendingError();

    // The devices whose names the account keeps and which are still its passkeys: what "remove the lost phones" removes.
    const named_ = await deps.db.all<{ passkey: string; name: string; platform: string | null }>(
      "SELECT passkey, name, platform FROM device_names WHERE owner = ? ORDER BY added_at, passkey",
      [owner],
    );
    const devices: DeskDevice[] = [];
    for (const d of named_) {
      const k = keyOf(d.passkey);
      if (k.qx === key.qx && k.qy === key.qy) continue;
      if (await chain(() => desk.isPasskey(account, k)))
        devices.push({ passkey: d.passkey, name: d.name, platform: d.platform });
    }

    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const expiresAt = at + DESK_CODE_TTL_MS;
    const phoneLast4 = lastFour(normalizePhone(check.phone));
    await deps.db.transaction(async (tx) => {
      await tx.lock(`recovery-desk:${owner}`);
      // A new code replaces any earlier one still waiting: only the latest can be typed.
      await tx.run("UPDATE recovery_desk_requests SET expires_at = 0 WHERE account = ? AND confirmed_at IS NULL", [
        owner,
      ]);
      await tx.run(
        `INSERT INTO recovery_desk_requests (id, account, identity_id, qx, qy, devices, phone_last4, code_hash, tries_left,
           expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          owner,
          person as string,
          key.qx,
          key.qy,
          JSON.stringify(devices),
          phoneLast4,
          await identities.codeHash(id, code),
          DESK_CODE_TRIES,
          expiresAt,
          at,
        ],
      );
    });
    let shownCode: string | undefined;
    try {
      shownCode = (await sms.sendCode(normalizePhone(check.phone), code)).shownCode;
    } catch {
      await deps.db.run("UPDATE recovery_desk_requests SET tries_left = 0 WHERE id = ?", [id]);
      throw new ApiError(503, "service_busy", "The text message could not be sent; try again shortly");
    }
    return c.json(
      {
        id,
        account,
        phoneLast4,
        expiresAt,
        devices,
        deskDelay: await chain(() => desk.deskDelay()),
        ...(shownCode ? { shownCode } : {}),
      },
      201,
    );
  });

  /** The code from her phone: the desk's clerk key starts (or approves) the recovery on chain. */
  app.post("/recovery/desk/:id/confirm", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["code", "removeLost"]);
    const code = body.code;
    if (typeof code !== "string" || !/^\d{6}$/.test(code))
      throw badField("code", "must be the 6-digit code sent to the phone");
    const removeLost = body.removeLost ?? true;
    if (typeof removeLost !== "boolean") throw badField("removeLost", "must be true or false");
    const desk = deskOf();
    const id = c.req.param("id");
    const row = await deps.db.get<DeskRow>("SELECT * FROM recovery_desk_requests WHERE id = ?", [id]);
    if (row === undefined) throw new ApiError(404, "no_desk_request", "No desk request with this id; start again");
    if (row.confirmed_at !== null) {
      throw new ApiError(409, "desk_already_confirmed", "This desk request was confirmed already");
    }
    if (Number(row.expires_at) <= now())
      throw new ApiError(422, "desk_code_expired", "The code has expired; start again");
    const spent = await deps.db.run(
      "UPDATE recovery_desk_requests SET tries_left = tries_left - 1 WHERE id = ? AND tries_left > 0 AND confirmed_at IS NULL",
      [id],
    );
    if (spent.changes === 0) throw new ApiError(422, "desk_code_tries", "Too many wrong codes; start again");
    const typed = Buffer.from(await identities.codeHash(id, code), "hex");
    if (!timingSafeEqual(typed, Buffer.from(row.code_hash, "hex"))) {
      throw new ApiError(422, "desk_code_wrong", "The code is wrong");
    }
    const account = getAddress(row.account);
    const key = { qx: row.qx as Hex, qy: row.qy as Hex };
    const devices = JSON.parse(row.devices) as DeskDevice[];
    const lost = removeLost ? devices.map((d) => keyOf(d.passkey)) : [];
    // Still hers, still chose the desk: both may have changed since the code was sent.
    const owner = await identityOf(deps.db, account);
    if (owner?.id !== row.identity_id) {
      throw new ApiError(
        403,
        "desk_other_person",
        "The bank verified a different person from the one this account belongs to",
      );
    }
    if (!(await chain(() => desk.choseDesk(account)))) throw notChosen();
    const recovery = await chain(() => desk.recovery(account, key, lost));
    await deps.db.transaction(async (tx) => {
      await tx.lock(`recovery-desk:${row.account}`);
      if (await deskPending(desk, tx, row.account)) throw pendingError();
      const used = await tx.run(
        "UPDATE recovery_desk_requests SET confirmed_at = ?, recovery_id = ? WHERE id = ? AND confirmed_at IS NULL",
        [now(), recovery.id, id],
      );
      if (used.changes === 0)
        throw new ApiError(409, "desk_already_confirmed", "This desk request was confirmed already");
    });
    let txHash: Hex;
    try {
      if (recovery.pending && recovery.deskApproved) {
        txHash = "0x" as Hex; // the desk agreed already (a retry after a lost answer)
      } else {
        txHash = (await desk.approveAsDesk(account, key, lost)).txHash;
      }
    } catch {
      // Nothing happened on chain: the request may be confirmed again (the code was right).
      await deps.db.run("UPDATE recovery_desk_requests SET confirmed_at = NULL, recovery_id = NULL WHERE id = ?", [id]);
      throw new ApiError(503, "chain_unavailable", "The desk could not reach the chain; try again shortly");
    }
    await deps.db.run("UPDATE recovery_desk_requests SET tx_hash = ? WHERE id = ?", [txHash, id]);
    const after = await chain(() => desk.recovery(account, key, lost));
    return c.json({
      account,
      recoveryId: after.id,
      txHash,
      approvals: after.approvals,
      threshold: after.threshold,
      readyAt: after.readyAt,
      lost,
      removed: removeLost ? devices : [],
    });
  });

  /** The new phone finishes a recovery that is ready on chain: the service sends executeRecovery, once. */
  app.post("/recovery/finish", async (c) => {
    const body: Body = await readJson(c);
    onlyFields(body, ["account", "qx", "qy", "lost"]);
    const account = address(body.account, "account");
    const key = { qx: bytes32(body.qx, "qx"), qy: bytes32(body.qy, "qy") };
    const lost = passkeyList(body.lost, "lost");
    const desk = deskOf();
    const recovery = await chain(() => desk.recovery(account, key, lost));
    if (!recovery.pending) {
      if (await chain(() => desk.isPasskey(account, key))) return c.json({ done: true, recoveryId: recovery.id });
      throw new ApiError(
        409,
        "recovery_not_pending",
        "No such recovery is waiting: it was cancelled, or never started",
      );
    }
    if (recovery.approvals < recovery.threshold || recovery.readyAt === 0) {
      throw new ApiError(409, "recovery_not_ready", "Not enough helpers have agreed yet");
    }
    const chainNow = await chain(() => desk.chainTime());
    if (chainNow < recovery.readyAt) {
      throw new ApiError(
        409,
        "recovery_not_ready",
        `The waiting time is not over: it can be finished from ${recovery.readyAt}`,
      );
    }
    const claimed = await deps.db.run(
      `INSERT INTO recovery_relays (recovery_id, account, tx_hash, created_at) VALUES (?, ?, NULL, ?)
       ON CONFLICT (recovery_id) DO NOTHING`,
      [recovery.id, account.toLowerCase(), now()],
    );
    if (claimed.changes === 0) {
      const sent = await deps.db.get<{ tx_hash: string | null }>(
        "SELECT tx_hash FROM recovery_relays WHERE recovery_id = ?",
        [recovery.id],
      );
      return c.json({ sending: true, recoveryId: recovery.id, txHash: sent?.tx_hash ?? null }, 202);
    }
    let txHash: Hex;
    try {
      txHash = (await desk.execute(account, key, lost)).txHash;
    } catch {
      await deps.db.run("DELETE FROM recovery_relays WHERE recovery_id = ? AND tx_hash IS NULL", [recovery.id]);
      throw new ApiError(503, "chain_unavailable", "The recovery could not be sent to the chain; try again shortly");
    }
    await deps.db.run("UPDATE recovery_relays SET tx_hash = ? WHERE recovery_id = ?", [txHash, recovery.id]);
    return c.json({ done: true, recoveryId: recovery.id, txHash });
  });
}

async function limit(
  c: Context<AppEnv>,
  wait: number,
  code: "too_many_requests" | "service_busy",
  message: string,
): Promise<void> {
  if (wait <= 0) return;
  c.header("Retry-After", String(Math.ceil(wait / 1000)));
  throw new ApiError(429, code, message);
}

const notChosen = () =>
  new ApiError(409, "desk_not_chosen", "This account did not choose the city desk as a helper for 找回账户");
const pendingError = () =>
  new ApiError(409, "desk_recovery_pending", "A recovery of this account through the desk is already waiting");
