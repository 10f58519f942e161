// Sign-In with Ethereum: every way a sign-in must fail, and sessions that start fresh, end on
// sign-out and expire. Real SQLite, real signatures from viem local accounts, the app via fetch.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  account,
  call,
  getNonce,
  sessionCookie,
  signedMessage,
  signIn,
  startTestService,
  type TestService,
} from "./helpers.js";

const alice = account(6);
const bob = account(7);
let service: TestService;

beforeEach(async () => {
  service = await startTestService();
});
afterEach(async () => {
  await service.close();
});

async function verify(body: unknown, cookie?: string) {
  return call(service.app, "POST", "/auth/verify", { body, cookie });
}

describe("SIWE sign-in", () => {
  it("signs in an EOA with a strict, httpOnly session cookie", async () => {
    const res = await verify(await signedMessage(service, alice));
    expect(res.status).toBe(200);
    expect(res.json.address).toBe(alice.address);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // the dev origin is http
    const me = await call(service.app, "GET", "/auth/me", { cookie: sessionCookie(res.headers) });
    expect(me.status).toBe(200);
    expect(me.json.address).toBe(alice.address);
  });

  it("test_RevertWhen_MessageReplayed", async () => {
    const body = await signedMessage(service, alice);
    expect((await verify(body)).status).toBe(200);
    const again = await verify(body);
    expect(again.status).toBe(401);
    expect(again.json.error).toBe("siwe_replayed_nonce");
  });

  it("test_RevertWhen_NonceUnknown", async () => {
    const res = await verify(await signedMessage(service, alice, { nonce: "madeUpNonce1234567" }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_unknown_nonce");
  });

  it("test_RevertWhen_NonceExpired", async () => {
    const nonce = await getNonce(service);
    service.clock.advance(service.config.nonceTtlMs + 1);
    const res = await verify(await signedMessage(service, alice, { nonce }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_expired_nonce");
  });

  it("test_RevertWhen_NonceReusedAfterFailedAttempt", async () => {
    const nonce = await getNonce(service);
    const bad = await signedMessage(service, alice, { nonce });
    bad.signature = (await bob.signMessage({ message: bad.message })) as `0x${string}`;
    expect((await verify(bad)).status).toBe(401);
    const res = await verify(await signedMessage(service, alice, { nonce }));
    expect(res.json.error).toBe("siwe_replayed_nonce");
  });

  it("test_RevertWhen_AnotherDomain", async () => {
    const res = await verify(await signedMessage(service, alice, { domain: "evil.example" }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_wrong_domain");
  });

  it("test_RevertWhen_AnotherChainId", async () => {
    const res = await verify(await signedMessage(service, alice, { chainId: 1 }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_wrong_chain");
  });

  it("test_RevertWhen_UriFromAnotherOrigin", async () => {
    const res = await verify(await signedMessage(service, alice, { uri: "https://evil.example/login" }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_wrong_uri");
  });

  it("test_RevertWhen_MessageExpired", async () => {
    const now = service.clock.now();
    const res = await verify(
      await signedMessage(service, alice, { issuedAt: new Date(now - 60_000), expirationTime: new Date(now - 1000) }),
    );
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_expired");
  });

  it("test_RevertWhen_NotYetValid", async () => {
    const res = await verify(
      await signedMessage(service, alice, { notBefore: new Date(service.clock.now() + 10 * 60_000) }),
    );
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_not_yet_valid");
  });

  it("test_RevertWhen_ExpirationTimeMissing", async () => {
    const res = await verify(await signedMessage(service, alice, { expirationTime: null }));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_no_expiry");
  });

  it("test_RevertWhen_ExpirationTooFar", async () => {
    const res = await verify(
      await signedMessage(service, alice, { expirationTime: new Date(service.clock.now() + 30 * 24 * 3600_000) }),
    );
    expect(res.json.error).toBe("siwe_expiry_too_far");
  });

  it("test_RevertWhen_IssuedAtTooOld", async () => {
    const res = await verify(
      await signedMessage(service, alice, { issuedAt: new Date(service.clock.now() - 10 * 60_000) }),
    );
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_stale");
  });

  it("test_RevertWhen_IssuedAtInTheFuture", async () => {
    const res = await verify(
      await signedMessage(service, alice, { issuedAt: new Date(service.clock.now() + 10 * 60_000) }),
    );
    expect(res.json.error).toBe("siwe_bad_issued_at");
  });

  it("test_RevertWhen_SignatureTampered", async () => {
    const body = await signedMessage(service, alice);
    // Flip one bit in r: still a well-formed signature, recovering some other address.
    const flipped = (Number.parseInt(body.signature.slice(10, 12), 16) ^ 1).toString(16).padStart(2, "0");
    const res = await verify({
      ...body,
      signature: `${body.signature.slice(0, 10)}${flipped}${body.signature.slice(12)}`,
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_bad_signature");
  });

  it("test_RevertWhen_MessageClaimsAnotherAddress", async () => {
    // Bob signs a message that names Alice: the signature is valid, but not Alice's.
    const body = await signedMessage(service, bob, { address: alice.address });
    const res = await verify(body);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_bad_signature");
  });

  it("test_RevertWhen_VerifyFromForeignOrigin", async () => {
    const body = await signedMessage(service, alice);
    const res = await call(service.app, "POST", "/auth/verify", { body, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe("forbidden_origin");
  });

  it("test_RevertWhen_VerifyFieldsMissingOrMalformed", async () => {
    expect((await verify({ signature: "0x00" })).json.error).toBe("missing_field");
    expect((await verify({ message: "hello", signature: "zz" })).json.error).toBe("invalid_field");
    expect((await verify({ message: "not a siwe message", signature: "0x00" })).json.error).toBe("siwe_malformed");
  });
});

describe("sessions", () => {
  it("test_SessionFixation_SignInIssuesNewSessionId", async () => {
    const first = await signIn(service, alice);
    // Signing in again while carrying a session cookie must not keep that id.
    const second = await signIn(service, alice, first.cookie);
    expect(second.cookie).not.toBe(first.cookie);
    expect((await call(service.app, "GET", "/auth/me", { cookie: first.cookie })).status).toBe(401);
    expect((await call(service.app, "GET", "/auth/me", { cookie: second.cookie })).status).toBe(200);
    // A cookie value the service never issued is no session.
    expect((await call(service.app, "GET", "/auth/me", { cookie: "hcy_session=attacker-chosen" })).status).toBe(401);
  });

  it("test_Logout_EndsSession", async () => {
    const { cookie } = await signIn(service, alice);
    const out = await call(service.app, "POST", "/auth/logout", { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/hcy_session=;/);
    const me = await call(service.app, "GET", "/auth/me", { cookie });
    expect(me.status).toBe(401);
    expect(me.json.error).toBe("not_signed_in");
  });

  it("test_SessionExpires", async () => {
    const { cookie } = await signIn(service, alice);
    expect((await call(service.app, "GET", "/contacts", { cookie })).status).toBe(200);
    // The session ends at the message's expirationTime (1 h here) at the latest.
    service.clock.advance(3_600_000 + 1);
    const res = await call(service.app, "GET", "/contacts", { cookie });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("not_signed_in");
  });
});

describe("nonce requests", () => {
  it("test_RevertWhen_TooManyNonceRequests_ThenAllowedAfterAMinute", async () => {
    const limited = await startTestService({ config: { nonceRatePerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await call(limited.app, "GET", "/auth/nonce")).status).toBe(200);
      const refused = await call(limited.app, "GET", "/auth/nonce");
      expect(refused.status).toBe(429);
      expect(refused.json.error).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      limited.clock.advance(60_000);
      expect((await call(limited.app, "GET", "/auth/nonce")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("test_NonceIssuanceStoresNothing_SpentNoncesArePurgedAfterADay", async () => {
    for (let i = 0; i < 5; i++) await getNonce(service);
    const count = async () => Number((await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM siwe_nonces"))?.n);
    expect(await count()).toBe(0);
    await signIn(service, alice);
    expect(await count()).toBe(1);
    service.clock.advance(service.config.nonceTtlMs + 24 * 60 * 60 * 1000 + 1);
    await signIn(service, bob);
    expect(await count()).toBe(1);
  });
});
