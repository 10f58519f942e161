// Sign-in routes: a nonce, the SIWE verification that starts a fresh session, sign-out (here, one
// other session, or everywhere), the account's sessions, and who am I.
import type { Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { clientAddress, DeviceIds, deviceOf, giveDeviceCookie } from "../auth/clients.js";
import { RateLimiter } from "../auth/rateLimit.js";
import { lazySecret } from "../auth/secrets.js";
import {
  endAllSessions,
  endSession,
  endSessionOf,
  listSessions,
  newNonce,
  purgeExpiredNonces,
  startSession,
} from "../auth/sessions.js";
import { verifySignIn } from "../auth/siwe.js";
import { ApiError, badField, missingField, tooLong } from "../errors.js";
import { type AppDeps, type AppEnv, readJson, requireSession, SESSION_COOKIE, sessionIdOf } from "../http.js";

const MAX_MESSAGE_CHARS = 4096;
const NONCE_GRACE_MS = 24 * 60 * 60 * 1000;
// 65-byte ECDSA signatures are 132 chars; contract wallets (EIP-1271) may send more.
const MAX_SIGNATURE_CHARS = 2 + 2 * 2048;
const MAX_USER_AGENT_CHARS = 200;

export function authRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const { config } = deps;
  const nonceLimiter = new RateLimiter(deps.db, "auth.nonce", config.nonceRatePerMinute, 60_000);
  const verifyLimiter = new RateLimiter(deps.db, "auth.verify", config.verifyRatePerMinute, 60_000);
  const nonceKey = lazySecret(deps.db, "siwe-nonce");
  const deviceKey = lazySecret(deps.db, "device-id");
  const secureOnly = !config.allowedOrigins.some((o) => o.startsWith("http:"));

  // First visits (browsers without a device id) per network address; everything else per device,
  // inside an outer allowance per network address (sized for many residents behind one NAT) that
  // no number of device cookies raises; a sign-in is also limited per account it is for.
  const newDevices = new RateLimiter(deps.db, "auth.newDevice", config.newDevicesPerAddressPerMinute, 60_000);
  const perAddress = new RateLimiter(deps.db, "auth.address", config.signInAttemptsPerAddressPerMinute, 60_000);
  const perAccount = new RateLimiter(deps.db, "auth.account", config.verifyRatePerMinute, 60_000);

  /**
   * The asking device, after counting this request against its allowances (429 beyond any of
   * them). A new browser's device cookie is set only on an admitted request.
   */
  const throttle = async (c: Context<AppEnv>, limiter: RateLimiter, at: number, account?: string): Promise<string> => {
    const refuse = (wait: number): never => {
      c.header("Retry-After", String(Math.max(1, Math.ceil(wait / 1000))));
      throw new ApiError(429, "rate_limited", "too many sign-in attempts; wait a minute and try again");
    };
    const client = await deviceOf(c, new DeviceIds(await deviceKey()), config.trustedProxyHops, newDevices, at);
    if ("wait" in client) return refuse(client.wait);
    // A device over its own allowance is refused before it touches its address's allowance.
    const own = await limiter.take(`device:${client.device}`, at);
    if (own > 0) return refuse(own);
    const address = await perAddress.take(`address:${clientAddress(c, config.trustedProxyHops)}`, at);
    if (address > 0) return refuse(address);
    const forAccount = account === undefined ? 0 : await perAccount.take(`account:${account}`, at);
    if (forAccount > 0) return refuse(forAccount);
    if (client.issued !== undefined) giveDeviceCookie(c, client.issued, secureOnly);
    return client.device;
  };

  app.get("/auth/nonce", async (c) => {
    const at = now();
    const device = await throttle(c, nonceLimiter, at);
    const expiresAt = at + config.nonceTtlMs;
    const nonce = newNonce(await nonceKey(), expiresAt, device);
    c.header("Cache-Control", "no-store");
    return c.json({ nonce, expiresAt });
  });

  app.post("/auth/verify", async (c) => {
    const at = now();
    const body = await readJson(c);
    // The account the message is for (checked properly once parsed): its own allowance, whatever
    // devices or addresses the attempts come from.
    const account = /\n(0x[0-9a-fA-F]{40})\n/.exec(typeof body.message === "string" ? body.message : "")?.[1];
    const device = await throttle(c, verifyLimiter, at, account?.toLowerCase() ?? "none");
    const { message, signature } = body;
    if (message === undefined || message === null || message === "") throw missingField("message");
    if (signature === undefined || signature === null || signature === "") throw missingField("signature");
    if (typeof message !== "string") throw badField("message", "must be a string");
    if (typeof signature !== "string") throw badField("signature", "must be a string");
    if (message.length > MAX_MESSAGE_CHARS) throw tooLong("message", MAX_MESSAGE_CHARS);
    if (signature.length > MAX_SIGNATURE_CHARS) throw tooLong("signature", MAX_SIGNATURE_CHARS);
    if (!/^0x([0-9a-fA-F]{2})+$/.test(signature)) throw badField("signature", "must be 0x-prefixed hex");

    const signedIn = await verifySignIn(
      { message, signature },
      config,
      deps.db,
      await nonceKey(),
      deps.provider,
      at,
      device,
    );
    // Spent nonces are kept until a day after they expire, so a replay is told apart from a made-up one.
    await purgeExpiredNonces(deps.db, at - NONCE_GRACE_MS);

    // Never keep a session id the browser arrived with (fixation): end it and issue a new one.
    const previous = sessionIdOf(c, config);
    if (previous !== undefined) await endSession(deps.db, previous);
    const expiresAt = Math.min(at + config.sessionTtlMs, signedIn.expiresAt);
    const userAgent = (c.req.header("user-agent") ?? "").slice(0, MAX_USER_AGENT_CHARS) || null;
    const { id } = await startSession(
      deps.db,
      { address: signedIn.address, chainId: signedIn.chainId, expiresAt, signer: signedIn.signer },
      at,
      userAgent,
    );
    const https = signedIn.origin.startsWith("https:");
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      secure: https,
      path: "/",
      maxAge: Math.max(1, Math.floor((expiresAt - at) / 1000)),
      ...(https ? { prefix: "host" as const } : {}),
    });
    return c.json({ address: signedIn.address, chainId: signedIn.chainId, expiresAt });
  });

  const signedIn = requireSession(deps);

  app.post("/auth/logout", signedIn, async (c) => {
    await endSession(deps.db, c.get("sessionId"));
    clearSessionCookies(c);
    return c.json({ signedOut: true });
  });

  /** Ends every session of the account, on every device, this one included. */
  app.post("/auth/logout-everywhere", signedIn, async (c) => {
    const ended = await endAllSessions(deps.db, c.get("session").address);
    clearSessionCookies(c);
    return c.json({ signedOut: true, sessionsEnded: ended });
  });

  app.get("/auth/sessions", signedIn, async (c) =>
    c.json({ sessions: await listSessions(deps.db, c.get("session").address, c.get("sessionId"), now()) }),
  );

  app.delete("/auth/sessions/:id", signedIn, async (c) => {
    if (!(await endSessionOf(deps.db, c.get("session").address, c.req.param("id")))) {
      throw new ApiError(404, "not_found", "No such session");
    }
    return c.json({ signedOut: true });
  });

  app.get("/auth/me", signedIn, async (c) => {
    const s = c.get("session");
    let issuer: boolean | null = null;
    try {
      issuer = await deps.isIssuer(s.address);
    } catch {
      issuer = null; // chain unreachable: unknown, not "no"
    }
    return c.json({ address: s.address, chainId: s.chainId, expiresAt: s.expiresAt, roles: { issuer } });
  });

  // Keeps "unknown route under /auth" from looking like a missing session.
  app.all("/auth/*", () => {
    throw new ApiError(404, "not_found", "No such route");
  });
}

function clearSessionCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, prefix: "host" });
}
