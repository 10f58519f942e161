// Sign-in routes: a nonce, the SIWE verification that starts a fresh session, sign-out, and who
// am I.

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { RateLimiter } from "../auth/rateLimit.js";
import { endSession, newNonce, purgeExpiredNonces, startSession, storeNonce } from "../auth/sessions.js";
import { verifySignIn } from "../auth/siwe.js";
import { ApiError, badField, missingField, tooLong } from "../errors.js";
import { type AppDeps, type AppEnv, readJson, requireSession, SESSION_COOKIE } from "../http.js";

const MAX_MESSAGE_CHARS = 4096;
const NONCE_GRACE_MS = 24 * 60 * 60 * 1000;
// 65-byte ECDSA signatures are 132 chars; contract wallets (EIP-1271) may send more.
const MAX_SIGNATURE_CHARS = 2 + 2 * 2048;

export function authRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const nonceLimiter = new RateLimiter(deps.config.nonceRatePerMinute, 60_000);

  app.get("/auth/nonce", async (c) => {
    const at = now();
    const wait = nonceLimiter.take(clientOf(c), at);
    if (wait > 0) {
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      throw new ApiError(429, "rate_limited", "too many sign-in attempts; wait a minute and try again");
    }
    const nonce = newNonce();
    const expiresAt = at + deps.config.nonceTtlMs;
    await storeNonce(deps.db, nonce, expiresAt);
    // An expired nonce is refused whether or not its row exists, so old rows can go; a day's grace
    // keeps the clearer "expired" answer (rather than "unknown") for late sign-ins.
    await purgeExpiredNonces(deps.db, at - NONCE_GRACE_MS);
    c.header("Cache-Control", "no-store");
    return c.json({ nonce, expiresAt });
  });

  app.post("/auth/verify", async (c) => {
    const body = await readJson(c);
    const { message, signature } = body;
    if (message === undefined || message === null || message === "") throw missingField("message");
    if (signature === undefined || signature === null || signature === "") throw missingField("signature");
    if (typeof message !== "string") throw badField("message", "must be a string");
    if (typeof signature !== "string") throw badField("signature", "must be a string");
    if (message.length > MAX_MESSAGE_CHARS) throw tooLong("message", MAX_MESSAGE_CHARS);
    if (signature.length > MAX_SIGNATURE_CHARS) throw tooLong("signature", MAX_SIGNATURE_CHARS);
    if (!/^0x([0-9a-fA-F]{2})+$/.test(signature)) throw badField("signature", "must be 0x-prefixed hex");

    const at = now();
    const signedIn = await verifySignIn({ message, signature }, deps.config, deps.db, deps.provider, at);

    // Never keep a session id the browser arrived with (fixation): end it and issue a new one.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous !== undefined) await endSession(deps.db, previous);
    const expiresAt = Math.min(at + deps.config.sessionTtlMs, signedIn.expiresAt);
    const { id } = await startSession(deps.db, { address: signedIn.address, chainId: signedIn.chainId, expiresAt }, at);
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Strict",
      secure: signedIn.origin.startsWith("https:"),
      path: "/",
      maxAge: Math.max(1, Math.floor((expiresAt - at) / 1000)),
    });
    return c.json({ address: signedIn.address, chainId: signedIn.chainId, expiresAt });
  });

  app.post("/auth/logout", requireSession(deps), async (c) => {
    await endSession(deps.db, c.get("sessionId"));
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ signedOut: true });
  });

  app.get("/auth/me", requireSession(deps), async (c) => {
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

/** The client's address as the socket sees it (not a header a client could forge). */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // not served by @hono/node-server (tests call app.fetch directly)
  }
}
