// Top-ups and cash-outs for residents, the problems the bank ledger found on their account, and
// the issuer's desk: its queue (paged, filtered, sorted) and every problem. The desk is whoever
// holds ISSUER_ROLE on chain; it issues from its own wallet, the service only tracks the requests.
import type { Context, Hono } from "hono";
import type { Address } from "viem";
import { DESK_SORTS, type DeskSort, MAX_PAGE, MAX_REQUEST_FEN, type TopUpState } from "../../../core/api.js";
import { clientAddress } from "../auth/clients.js";
import { RateLimiter } from "../auth/rateLimit.js";
import { ApiError, badField } from "../errors.js";
import { type AppDeps, type AppEnv, identitiesOf, readJson, requireSession } from "../http.js";
import { identityOf, type UsageKind } from "../identity/identities.js";
import type { Transaction } from "../storage/Database.js";
import { address, fen, onlyFields, text } from "../validate.js";

const TOPUP_STATES: readonly TopUpState[] = [
  "awaiting_deposit",
  "deposit_confirmed",
  "issued",
  "declined",
  "rejected",
  "expired",
  "mismatch",
];
const OPEN_STATES: readonly TopUpState[] = ["awaiting_deposit", "deposit_confirmed"];

export function bankRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const identities = identitiesOf(deps);

  // Creating requests is capped per person (a verified identity, all her addresses together) or
  // per account, and for the whole service. Accounts nobody verified (refused below as not_verified,
  // but each refusal still costs a lookup) also share an allowance per network address, so a client
  // signing in throwaway accounts cannot flood the service; a verified
  // resident is never counted against her network address, so such a flood from behind the same
  // NAT does not lock her out.
  const perAccount = new RateLimiter(deps.db, "bank.person", deps.config.requestRatePerAccountPerMinute, 60_000);
  const perClient = new RateLimiter(deps.db, "bank.client", deps.config.requestRatePerClientPerMinute, 60_000);
  const overall = new RateLimiter(deps.db, "bank.all", deps.config.requestRatePerMinute, 60_000);
  const admit = async (c: Context<AppEnv>) => {
    const at = now();
    const owner = c.get("session").address;
    const identity = await identityOf(deps.db, owner);
    const mine = await perAccount.take(identity ? `identity:${identity.id}` : `account:${owner.toLowerCase()}`, at);
    const network =
      mine > 0 || identity !== undefined ? 0 : await perClient.take(clientAddress(c, deps.config.trustedProxyHops), at);
    const all = mine > 0 || network > 0 ? 0 : await overall.take("all", at);
    if (mine > 0 || network > 0 || all > 0) {
      c.header("Retry-After", String(Math.ceil(Math.max(mine, network, all) / 1000)));
      throw new ApiError(
        429,
        all > 0 ? "service_busy" : "too_many_requests",
        mine > 0
          ? "Too many top-up or cash-out requests from your account; wait a minute and try again"
          : network > 0
            ? "Too many top-up or cash-out requests from this network; wait a minute and try again"
            : "The city bank desk is receiving too many requests; wait a minute and try again",
      );
    }
  };

  /**
   * Top-ups and cash-outs are limited per person a day (core/identity.ts LEVEL_LIMITS), so only an
   * address a verified person owns may ask for one: an address no open identity owns is refused
   * (403 not_verified), or a thousand throwaway addresses would each be a person with no limit.
   * The answer counts the request against her identity's daily limit for her level (all her
   * addresses together), inside the request's own transaction; a level that may do none (none: 0)
   * is refused there with daily_limit.
   */
  const dailyLimit = async (owner: Address, kind: UsageKind, amountFen: bigint) => {
    const identity = await identityOf(deps.db, owner);
    if (identity === undefined) {
      throw new ApiError(
        403,
        "not_verified",
        kind === "topup"
          ? "Verify who you are first (实名认证, by your phone or a bank card): top-ups are limited per person each day"
          : "Verify who you are first (实名认证, by your phone or a bank card): cash-outs are limited per person each day",
      );
    }
    return {
      identityId: identity.id,
      charge: (tx: Transaction) => identities.charge(tx, identity, kind, amountFen, now()),
    };
  };

  for (const path of ["/topups", "/topups/*", "/cashouts", "/bank-problems", "/desk/*"]) {
    app.use(path, requireSession(deps));
  }
  for (const path of ["/topups", "/topups/card", "/cashouts"]) {
    app.post(path, async (c, next) => {
      await admit(c);
      await next();
    });
  }

  // Public: where residents send the money for a top-up.
  app.get("/bank/account", (c) => c.json(deps.config.bankAccount));

  app.post("/topups", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["amountFen", "cardLast4"]);
    const amountFen = fen(body, "amountFen", 1n, MAX_REQUEST_FEN);
    const card = cardOf(body);
    const owner = c.get("session").address;
    const { identityId, charge } = await dailyLimit(owner, "topup", amountFen);
    return c.json(await deps.bank.requestTopUp(owner, amountFen, card, identityId, now(), charge), 201);
  });

  /** A top-up from her bound card: the bank sends a one-time code (the simulated bank shows it). */
  app.post("/topups/card", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["amountFen", "cardLast4"]);
    const amountFen = fen(body, "amountFen", 1n, MAX_REQUEST_FEN);
    const last4 = body.cardLast4 === undefined ? undefined : cardOf(body);
    const owner = c.get("session").address;
    const identity = await identityOf(deps.db, owner);
    if (identity?.level !== "bank") {
      throw new ApiError(
        403,
        "not_verified",
        "Bind your bank card first (实名认证): a card top-up debits a card the bank confirmed is yours",
      );
    }
    const card = await identities.card(identity.id, last4);
    if (card === undefined) throw new ApiError(409, "no_card", "No bound card ends in these digits");
    // Refused before the bank is asked when it is over today's limit (and counted, race-free, with the request).
    await identities.checkLimit(deps.db, identity, "topup", amountFen, now());
    const charge = (tx: Transaction) => identities.charge(tx, identity, "topup", amountFen, now());
    return c.json(await deps.bank.requestCardTopUp(owner, amountFen, card, identity.id, now(), charge), 201);
  });

  /** The one-time code from her phone: the card is debited and the deposit confirmed. */
  app.post("/topups/:id/code", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["code"]);
    const code = body.code;
    if (typeof code !== "string" || !/^\d{6}$/.test(code))
      throw badField("code", "must be the 6-digit code the bank sent");
    return c.json(await deps.bank.confirmCardTopUp(c.get("session").address, c.req.param("id"), code, now()));
  });

  app.get("/topups", async (c) => c.json({ topUps: await deps.bank.myTopUps(c.get("session").address) }));

  app.post("/cashouts", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["amountFen", "cardLast4"]);
    const amountFen = fen(body, "amountFen", 1n, MAX_REQUEST_FEN);
    const card = cardOf(body);
    const owner = c.get("session").address;
    const { identityId, charge } = await dailyLimit(owner, "cashout", amountFen);
    return c.json(await deps.bank.requestCashOut(owner, amountFen, card, identityId, now(), charge), 201);
  });

  app.get("/cashouts", async (c) => c.json({ cashOuts: await deps.bank.myCashOuts(c.get("session").address) }));

  /** The account's own problems (a burn of someone else's reference, a second issue, ...). */
  app.get("/bank-problems", async (c) => {
    const { offset, limit } = page(c);
    return c.json(await deps.bank.problems({ account: c.get("session").address, offset, limit }));
  });

  app.use("/desk/*", async (c, next) => {
    let issuer: boolean;
    try {
      // Reads may use a recent answer; a state-changing request asks the chain afresh, so a
      // revocation mined a second ago already stops the next reject or resolution.
      const write = c.req.method !== "GET" && c.req.method !== "HEAD";
      issuer = await deps.isIssuer(c.get("session").address, { fresh: write });
    } catch {
      throw new ApiError(503, "chain_unavailable", "Cannot check the issuer role: the chain node is unreachable");
    }
    if (!issuer) throw new ApiError(403, "not_issuer", "Only an account holding ISSUER_ROLE may use the desk");
    await next();
  });

  /** ?state=open|<state>[,<state>] &owner=0x… &sort=oldest|newest|amount_desc|amount_asc &offset &limit */
  app.get("/desk/topups", async (c) => {
    const rawState = c.req.query("state") ?? "open";
    const states =
      rawState === "open"
        ? OPEN_STATES
        : rawState.split(",").map((s) => {
            if (!(TOPUP_STATES as readonly string[]).includes(s)) {
              throw badField("state", `must be open or one of ${TOPUP_STATES.join(", ")}`);
            }
            return s as TopUpState;
          });
    const sort = (c.req.query("sort") ?? "oldest") as DeskSort;
    if (!DESK_SORTS.includes(sort)) throw badField("sort", `must be one of ${DESK_SORTS.join(", ")}`);
    const rawOwner = c.req.query("owner");
    const owner = rawOwner === undefined || rawOwner === "" ? undefined : address(rawOwner, "owner");
    return c.json(await deps.bank.deskTopUps({ states, owner, sort, ...page(c) }));
  });

  app.post("/desk/topups/:id/reject", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["reason"]);
    const reason = text(body, "reason", { min: 1, max: 200, required: true });
    const id = c.req.param("id");
    const topUp = await deps.bank.topUp(id);
    if (topUp === undefined) throw new ApiError(404, "not_found", "No such top-up request");
    // A reject must not race an issue already sent: another clerk's issue may be mined but not yet
    // confirmed (the watcher has not settled it), so the chain is asked at its head.
    if (deps.issuedOnChain === undefined) {
      throw new ApiError(503, "chain_unavailable", "Cannot check the chain for an issue under this reference");
    }
    let issued: boolean;
    try {
      issued = await deps.issuedOnChain(topUp.bankRef);
    } catch {
      throw new ApiError(
        503,
        "chain_unavailable",
        "Cannot check the chain for an issue: the chain node is unreachable",
      );
    }
    if (issued) {
      throw new ApiError(
        409,
        "issue_in_flight",
        "Tokens were already issued on chain under this request's reference; it cannot be rejected",
      );
    }
    return c.json(await deps.bank.rejectTopUp(id, reason, now()));
  });

  /** ?open=true for unresolved only. */
  app.get("/desk/problems", async (c) =>
    c.json(await deps.bank.problems({ open: c.req.query("open") === "true", ...page(c) })),
  );

  app.post("/desk/problems/:id/resolve", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["resolution"]);
    const resolution = text(body, "resolution", { min: 1, max: 500, required: true, multiline: true });
    return c.json(await deps.bank.resolveProblem(c.req.param("id"), c.get("session").address, resolution, now()));
  });
}

/** ?offset=&limit= (limit 1–100, default 50). */
function page(c: Context): { offset: number; limit: number } {
  const offset = Number(c.req.query("offset") ?? "0");
  const limit = Number(c.req.query("limit") ?? "50");
  if (!Number.isSafeInteger(offset) || offset < 0) throw badField("offset", "must be a whole number ≥ 0");
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw badField("limit", `must be a whole number from 1 to ${MAX_PAGE}`);
  }
  return { offset, limit };
}

/** The last 4 digits of the bank card a top-up is paid from or a cash-out paid to. */
function cardOf(body: Record<string, unknown>): string {
  const cardLast4 = text(body, "cardLast4", { min: 1, max: 4, required: true });
  if (!/^\d{4}$/.test(cardLast4)) throw badField("cardLast4", "must be the last 4 digits of the bank card");
  return cardLast4;
}
