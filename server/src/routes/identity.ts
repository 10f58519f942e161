// Real-name verification (实名) for the signed-in resident: bind a bank card (the bank checks the
// four elements; her consent is recorded with its wording and time), see what is held about her,
// export it, close it. The four elements are checked for form here (a wrong ID check digit never
// reaches the bank) and are never stored or logged: see server/src/identity/identities.ts. The
// phone-verified level: a one-time code to her phone (POST /identity/phone, /identity/phone/code),
// sent by the SMS gateway (the simulated one shows it in the answer).
import type { Hono } from "hono";
import {
  CONSENT_TEXT,
  CONSENT_VERSION,
  cardNumberWellFormed,
  idNumberProblem,
  LEVEL_LIMITS,
  nameWellFormed,
  phoneWellFormed,
} from "../../../core/identity.js";
import { RateLimiter } from "../auth/rateLimit.js";
import type { CardholderCheck } from "../bank/BankGateway.js";
import { ApiError, badField, missingField } from "../errors.js";
import { type AppDeps, type AppEnv, identitiesOf, readJson, requireSession } from "../http.js";
import { SimulatedSmsGateway } from "../identity/SmsGateway.js";
import { type Body, onlyFields } from "../validate.js";

const ID_PROBLEMS = {
  format: ["id_number_format", "idNumber: must be an 18-digit resident ID number"],
  birthDate: ["id_number_birth_date", "idNumber: the date of birth in it does not exist"],
  checkDigit: ["id_number_check_digit", "idNumber: the last character (check digit) is wrong"],
} as const;

export function identityRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const identities = identitiesOf(deps);
  // Each check costs the bank a query and could probe whose card is whose: a few an hour per
  // account is plenty for a resident who mistypes.
  const checks = new RateLimiter(
    deps.db,
    "identity.cardChecks",
    deps.config.cardChecksPerAccountPerHour,
    60 * 60 * 1000,
  );

  app.use("/identity", requireSession(deps));
  app.use("/identity/*", requireSession(deps));

  /** Her level, limits and what is held; level none (and the consent to agree to) when unverified. */
  app.get("/identity", async (c) => {
    const view = await identities.view(c.get("session").address, now());
    if (view !== undefined) return c.json(view);
    const limits = LEVEL_LIMITS.none;
    return c.json({
      level: "none",
      limits: {
        topUpFenPerDay: limits.topUpFenPerDay.toString(),
        cashOutFenPerDay: limits.cashOutFenPerDay.toString(),
        balanceFen: limits.balanceFen.toString(),
      },
      consentToGive: { version: CONSENT_VERSION, text: CONSENT_TEXT },
    });
  });

  app.post("/identity/card", async (c) => {
    const address = c.get("session").address;
    const wait = await checks.take(address.toLowerCase(), now());
    if (wait > 0) {
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      throw new ApiError(429, "too_many_requests", "Too many card checks from this account in an hour; try later");
    }
    const body = await readJson(c);
    onlyFields(body, ["name", "idNumber", "cardNumber", "phone", "consentVersion"]);
    const check = cardholderOf(body);
    const consent = body.consentVersion;
    if (typeof consent !== "string") {
      throw new ApiError(400, "consent_required", "Agree to the consent before the bank is asked");
    }
    return c.json(await identities.bindCard(address, check, consent, now()), 201);
  });

  const sms = deps.sms ?? new SimulatedSmsGateway();

  /** Sends a one-time code to her phone (the phone-verified level); never repeats the number. */
  app.post("/identity/phone", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["phone"]);
    const phone = body.phone;
    if (phone === undefined || phone === null || phone === "") throw missingField("phone");
    if (typeof phone !== "string" || phone.length > 40 || !phoneWellFormed(phone)) {
      throw badField("phone", "must be an 11-digit mobile number");
    }
    return c.json(await identities.startPhone(c.get("session").address, phone, sms, now()), 201);
  });

  /** The code from her phone: this account joins the phone's identity (level phone). */
  app.post("/identity/phone/code", async (c) => {
    const body = await readJson(c);
    onlyFields(body, ["code"]);
    const code = body.code;
    if (typeof code !== "string" || !/^\d{6}$/.test(code)) {
      throw badField("code", "must be the 6-digit code sent to the phone");
    }
    return c.json(await identities.confirmPhone(c.get("session").address, code, now()));
  });

  /** Everything held about her, as a file. */
  app.get("/identity/export", async (c) => {
    const view = await identities.view(c.get("session").address, now());
    if (view === undefined) throw new ApiError(404, "no_identity", "No verified identity is held for this account");
    c.header("Content-Disposition", 'attachment; filename="hefei-wallet-identity.json"');
    return c.json({ exportedAt: now(), identity: view });
  });

  app.post("/identity/close", async (c) => {
    if (!(await identities.close(c.get("session").address, now()))) {
      throw new ApiError(404, "no_identity", "No verified identity is held for this account");
    }
    return c.json({ closed: true });
  });
}

/** The four elements, checked for form; the errors never repeat what was typed. */
export function cardholderOf(body: Body): CardholderCheck {
  for (const field of ["name", "idNumber", "cardNumber", "phone"]) {
    const value = body[field];
    if (value === undefined || value === null || value === "") throw missingField(field);
    if (typeof value !== "string" || value.length > 40) throw badField(field, "must be a short string");
  }
  const { name, idNumber, cardNumber, phone } = body as Record<string, string>;
  if (!nameWellFormed(name)) throw badField("name", "must be the name on the ID card, in Chinese characters");
  const problem = idNumberProblem(idNumber);
  if (problem !== undefined) throw new ApiError(400, ID_PROBLEMS[problem][0], ID_PROBLEMS[problem][1]);
  if (!cardNumberWellFormed(cardNumber)) throw badField("cardNumber", "must be the bank card's 16 to 19 digits");
  if (!phoneWellFormed(phone)) throw badField("phone", "must be an 11-digit mobile number");
  return { name: name.trim(), idNumber, cardNumber, phone };
}
