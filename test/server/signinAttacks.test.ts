// Sign-in and session attacks from issue 12, on SQLite and PostgreSQL: one client exhausting the
// nonce limit for everyone behind its address, /auth/verify throttled, a contract-wallet check
// against a hung node, sessions listed and ended everywhere, the __Host- cookie over HTTPS, and
// look-alike names made with invisible or text-direction characters.
import { createServer, type Server } from "node:net";
import { JsonRpcProvider, Network } from "ethers";
import { afterEach, describe, expect, it } from "vitest";
import {
  account,
  call,
  DATABASES,
  freePort,
  sessionCookie,
  signedMessage,
  signIn,
  startTestService,
  type TestService,
} from "./helpers.js";

const alice = account(6);
const bob = account(7);

const deviceCookieOf = (headers: Headers) => /hcy_device=[^;]+/.exec(headers.get("set-cookie") ?? "")?.[0];

describe.each(DATABASES)("sign-in attacks on %s", (database) => {
  let service: TestService;
  afterEach(async () => {
    await service?.close();
  });

  it("test_NonceFloodFromOneClient_DoesNotLockOutOthersBehindTheSameAddress", async () => {
    service = await startTestService({ database, config: { nonceRatePerMinute: 3, newDevicesPerAddressPerMinute: 5 } });
    const nonce = (device: string | null) => call(service.app, "GET", "/auth/nonce", { origin: null, device });
    // A resident's browser has been here before: it carries the device id it was given.
    const first = await nonce(null);
    const resident = deviceCookieOf(first.headers) as string;
    expect(resident).toBeDefined();
    // Another client behind the same NAT address keeps its own device id and asks in a loop: only
    // its own allowance runs out.
    const attacker = deviceCookieOf((await nonce(null)).headers) as string;
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await nonce(attacker)).status);
    expect(statuses.filter((s) => s === 200).length).toBe(2);
    expect(statuses.filter((s) => s === 429).length).toBe(18);
    // The resident still gets nonces and signs in; a browser here for the first time does too.
    const mine = await nonce(resident);
    expect(mine.status).toBe(200);
    const body = await signedMessage(service, alice, { nonce: mine.json.nonce as string });
    expect((await call(service.app, "POST", "/auth/verify", { body, device: resident })).status).toBe(200);
    expect((await nonce(null)).status).toBe(200);
    // Dropping its cookie, the client makes itself at most the address's first-visit allowance (5 a
    // minute, 3 used above), never a fresh allowance per request; known browsers are not affected.
    const dropped = [];
    for (let i = 0; i < 10; i++) dropped.push((await nonce(null)).status);
    expect(dropped).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429, 429]);
    expect((await nonce(resident)).status).toBe(200);
    // A forged device id counts as no device.
    expect((await nonce("hcy_device=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(429);
  });

  it("test_NonceFromAnotherClient_Refused", async () => {
    service = await startTestService({ database });
    const browser = async () => {
      const res = await call(service.app, "GET", "/auth/nonce", { origin: null, device: null });
      return { device: deviceCookieOf(res.headers) as string, nonce: res.json.nonce as string };
    };
    const [victim, thief] = [await browser(), await browser()];
    // A nonce the victim's browser was given (leaked, or read off a phishing page) is worthless to another client.
    const stolen = await signedMessage(service, alice, { nonce: victim.nonce });
    const refused = await call(service.app, "POST", "/auth/verify", { body: stolen, device: thief.device });
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe("siwe_unknown_nonce");
    const none = await call(service.app, "POST", "/auth/verify", {
      body: await signedMessage(service, alice, { nonce: thief.nonce }),
      device: null,
    });
    expect(none.json.error).toBe("siwe_unknown_nonce");
    // The browser it was issued to spends it.
    const own = await signedMessage(service, alice, { nonce: victim.nonce });
    expect((await call(service.app, "POST", "/auth/verify", { body: own, device: victim.device })).status).toBe(200);
  });

  it("test_BehindAReverseProxy_ClientsAreLimitedApart", async () => {
    service = await startTestService({ database, config: { newDevicesPerAddressPerMinute: 2, trustedProxyHops: 1 } });
    const nonce = (ip: string) =>
      call(service.app, "GET", "/auth/nonce", {
        origin: null,
        device: null,
        headers: { "x-forwarded-for": `10.9.9.9, ${ip}` },
      });
    expect((await nonce("198.51.100.1")).status).toBe(200);
    expect((await nonce("198.51.100.1")).status).toBe(200);
    expect((await nonce("198.51.100.1")).status).toBe(429);
    // The spoofable left part of X-Forwarded-For does not matter; the proxy's entry does.
    expect((await nonce("198.51.100.2")).status).toBe(200);
  });

  it("test_VerifyIsThrottled", async () => {
    service = await startTestService({ database, config: { verifyRatePerMinute: 3 } });
    const bad = async () => {
      const body = await signedMessage(service, alice);
      const signature = await bob.signMessage({ message: body.message });
      return call(service.app, "POST", "/auth/verify", { body: { ...body, signature } });
    };
    for (let i = 0; i < 3; i++) expect((await bad()).status).toBe(401);
    const refused = await bad();
    expect(refused.status).toBe(429);
    expect(refused.json.error).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    service.clock.advance(60_000);
    expect(
      (await call(service.app, "POST", "/auth/verify", { body: await signedMessage(service, alice) })).status,
    ).toBe(200);
  });

  it("test_HarvestedDeviceCookies_DoNotRaiseTheAccountsSignInLimit_NoCookieOn429", async () => {
    service = await startTestService({
      database,
      config: { verifyRatePerMinute: 3, newDevicesPerAddressPerMinute: 100 },
    });
    // A client collects ten device cookies, each with a nonce issued to it.
    const harvested = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(service.app, "GET", "/auth/nonce", { origin: null, device: null });
      harvested.push({ device: deviceCookieOf(res.headers) as string, nonce: res.json.nonce as string });
    }
    expect(new Set(harvested.map((h) => h.device)).size).toBe(10);
    // Wrong signatures for alice's account, one per cookie: the account's allowance is 3 however
    // many cookies carry them.
    const statuses = [];
    for (const { device, nonce } of harvested) {
      const body = await signedMessage(service, alice, { nonce });
      const forged = { ...body, signature: await bob.signMessage({ message: body.message }) };
      const res = await call(service.app, "POST", "/auth/verify", { body: forged, device });
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    // Bob's account, from the same client, has its own allowance.
    const own = await call(service.app, "GET", "/auth/nonce", { origin: null, device: harvested[0]?.device });
    const body = await signedMessage(service, bob, { nonce: own.json.nonce as string });
    expect((await call(service.app, "POST", "/auth/verify", { body, device: harvested[0]?.device })).status).toBe(200);
  });

  it("test_HarvestedDeviceCookies_DoNotRaiseTheAddressAllowance_OtherAddressesServed", async () => {
    service = await startTestService({
      database,
      config: { signInAttemptsPerAddressPerMinute: 12, newDevicesPerAddressPerMinute: 100, trustedProxyHops: 1 },
    });
    const nonce = (ip: string, device: string | null) =>
      call(service.app, "GET", "/auth/nonce", { origin: null, device, headers: { "x-forwarded-for": ip } });
    const responses = [];
    for (let i = 0; i < 30; i++) responses.push(await nonce("203.0.113.9", null));
    expect(responses.filter((r) => r.status === 200).length).toBe(12);
    for (const refused of responses.filter((r) => r.status === 429)) {
      expect(refused.headers.get("set-cookie")).toBeNull();
    }
    // A cookie it was given does not open a new allowance either.
    const cookie = deviceCookieOf(responses[0]?.headers as Headers) as string;
    expect((await nonce("203.0.113.9", cookie)).status).toBe(429);
    // Residents at other addresses are served; a minute later so is this one.
    expect((await nonce("198.51.100.20", null)).status).toBe(200);
    service.clock.advance(60_000);
    expect((await nonce("203.0.113.9", cookie)).status).toBe(200);
  });

  it("test_ContractWalletSignInAgainstAHungNode_AnswersWithinTheTimeout", async () => {
    // A "node" that accepts connections and never answers.
    const held: import("node:net").Socket[] = [];
    const hung: Server = createServer((socket) => held.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => hung.listen(port, "127.0.0.1", resolve));
    const provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, Network.from(31337), { staticNetwork: true });
    try {
      service = await startTestService({ database, provider, config: { erc1271TimeoutMs: 500 } });
      const body = await signedMessage(service, alice);
      // Signed by someone else: the service must ask the chain whether `alice` is a contract wallet.
      const signature = await bob.signMessage({ message: body.message });
      const started = Date.now();
      const res = await call(service.app, "POST", "/auth/verify", { body: { ...body, signature } });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("chain_unavailable");
      // An ordinary (EOA) sign-in never waits for the node.
      expect(
        (await call(service.app, "POST", "/auth/verify", { body: await signedMessage(service, alice) })).status,
      ).toBe(200);
    } finally {
      provider.destroy();
      for (const s of held) s.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it("test_SessionsListed_OneEnded_SignOutEverywhere", async () => {
    service = await startTestService({ database });
    const phone = await call(service.app, "POST", "/auth/verify", {
      body: await signedMessage(service, alice),
      headers: { "user-agent": "Mozilla/5.0 (iPhone) HefeiWallet" },
    });
    const phoneCookie = sessionCookie(phone.headers) as string;
    const laptop = (await signIn(service, alice)).cookie;
    const bobs = (await signIn(service, bob)).cookie;
    const list = await call(service.app, "GET", "/auth/sessions", { cookie: laptop });
    const sessions = list.json.sessions as { id: string; current: boolean; userAgent: string | null }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneSession = sessions.find((s) => s.userAgent?.includes("iPhone"));
    expect(phoneSession?.current).toBe(false);
    // Bob cannot end Alice's session.
    expect((await call(service.app, "DELETE", `/auth/sessions/${phoneSession?.id}`, { cookie: bobs })).status).toBe(
      404,
    );
    expect((await call(service.app, "GET", "/auth/me", { cookie: phoneCookie })).status).toBe(200);
    expect((await call(service.app, "DELETE", `/auth/sessions/${phoneSession?.id}`, { cookie: laptop })).status).toBe(
      200,
    );
    expect((await call(service.app, "GET", "/auth/me", { cookie: phoneCookie })).status).toBe(401);

    const tablet = (await signIn(service, alice)).cookie;
    const out = await call(service.app, "POST", "/auth/logout-everywhere", { cookie: laptop });
    expect(out.json).toEqual({ signedOut: true, sessionsEnded: 2 });
    expect((await call(service.app, "GET", "/auth/me", { cookie: tablet })).status).toBe(401);
    expect((await call(service.app, "GET", "/auth/me", { cookie: laptop })).status).toBe(401);
    expect((await call(service.app, "GET", "/auth/me", { cookie: bobs })).status).toBe(200);
  });

  it("test_OverHttps_SessionCookieHasTheHostPrefix_PlainCookieRefused", async () => {
    const origin = "https://wallet.hefei.example";
    service = await startTestService({
      database,
      config: { allowedOrigins: [origin], siweDomains: ["wallet.hefei.example"] },
    });
    const body = await signedMessage(service, alice, { domain: "wallet.hefei.example", uri: `${origin}/` });
    const res = await call(service.app, "POST", "/auth/verify", { body, origin });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    const value = /__Host-hcy_session=([^;]+)/.exec(setCookie)?.[1];
    expect(value).toBeDefined();
    expect(setCookie).toMatch(/__Host-hcy_session=[^;]+;[^,]*Secure/);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect((await call(service.app, "GET", "/auth/me", { origin, cookie: `__Host-hcy_session=${value}` })).status).toBe(
      200,
    );
    // A cookie without the prefix could have been set by a sibling host: not accepted over HTTPS.
    expect((await call(service.app, "GET", "/auth/me", { origin, cookie: `hcy_session=${value}` })).status).toBe(401);
  });

  it("test_RevertWhen_NameHasInvisibleOrBidiCharacters", async () => {
    service = await startTestService({ database });
    const cookie = (await signIn(service, alice)).cookie;
    const friend = bob.address;
    for (const name of [
      "王\u202E姨阿",
      "Ali\u200Bce",
      "\u2066Bob\u2069",
      "李\uFEFF明",
      "妈\u00ADmum",
      "a\u200Db",
      "\u3164",
    ]) {
      const contact = await call(service.app, "POST", "/contacts", { cookie, body: { name, address: friend } });
      expect(contact.status, JSON.stringify(name)).toBe(400);
      expect(contact.json.error).toBe("invisible_characters");
      expect(contact.json.message).toMatch(/^name must not contain invisible/);
      const profile = await call(service.app, "PUT", "/profile", { cookie, body: { displayName: name } });
      expect(profile.status, JSON.stringify(name)).toBe(400);
      expect(profile.json.error).toBe("invisible_characters");
    }
    // Ordinary names, and emoji sequences that need the zero-width joiner, are fine.
    for (const name of ["王阿姨", "Li Ming", "👨\u200D👩\u200D👧 家", "❤️ 妈妈"]) {
      expect((await call(service.app, "PUT", "/profile", { cookie, body: { displayName: name } })).status, name).toBe(
        200,
      );
    }
  });

  it("test_RevertWhen_NameHasCombiningOverlay", async () => {
    service = await startTestService({ database });
    const cookie = (await signIn(service, alice)).cookie;
    for (const name of ["王\u0336阿姨", "Ali\u0335ce", "李\u20DD明", "Bob\u0338", "a\u0489", "e\u0301\u0302\u0303x"]) {
      const contact = await call(service.app, "POST", "/contacts", { cookie, body: { name, address: bob.address } });
      expect(contact.status, JSON.stringify(name)).toBe(400);
      expect(contact.json.error).toBe("combining_marks");
      const profile = await call(service.app, "PUT", "/profile", { cookie, body: { displayName: name } });
      expect(profile.status, JSON.stringify(name)).toBe(400);
      expect(profile.json.error).toBe("combining_marks");
    }
    // Accents that compose (é typed as e + U+0301), pinyin tones and Devanagari vowel signs are names.
    for (const name of ["Re\u0301ne\u0301e", "Wáng Xiǎomíng", "नमिता", "Nguyễn"]) {
      const res = await call(service.app, "PUT", "/profile", { cookie, body: { displayName: name } });
      expect(res.status, name).toBe(200);
    }
  });
});
