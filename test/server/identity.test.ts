// Real-name identities on SQLite and PostgreSQL: the bank's four-element check through the
// service (each mismatch, a bad ID check digit refused before the bank is asked), consent
// recorded, one identity owning several addresses and an address belonging to one identity,
// what is held (seen, exported, closed), limits per identity per day across her addresses; a
// top-up or cash-out from an address no identity owns is refused (not_verified), so throwaway
// addresses never multiply a limit.
import { afterEach, describe, expect, it } from "vitest";
import { CONSENT_VERSION, type IdentityView, idCheckCharacter, LEVEL_LIMITS } from "../../core/identity.js";
import { identityOf } from "../../server/src/identity/identities.js";
import {
  account,
  bindCard,
  call,
  DATABASES,
  freshPhone,
  randomAccount,
  signIn,
  signInVerified,
  startTestService,
  type TestService,
  verifyPhone,
  WANG,
  WANG_XIUYING,
} from "./helpers.js";

const [first, second, third, other] = [account(6), account(7), account(8), account(9)];

describe.each(DATABASES)("identities on %s", (database) => {
  let service: TestService;
  afterEach(async () => service?.close());

  it("binds her card: level bank, masked name, last 4 digits, consent with its time and wording", async () => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    const before = await call(service.app, "GET", "/identity", { cookie });
    expect(before.json).toMatchObject({ level: "none", consentToGive: { version: CONSENT_VERSION } });
    const bound = await bindCard(service, cookie, WANG);
    expect(bound.status).toBe(201);
    expect(bound.json).toMatchObject({
      level: "bank",
      maskedName: "王*芳",
      phoneLast4: "0006",
      cards: [{ last4: "6206", bank: "中国工商银行（演示）" }],
      addresses: [{ address: first.address.toLowerCase() }],
      consent: { version: CONSENT_VERSION, at: service.clock.now() },
      limits: { topUpFenPerDay: LEVEL_LIMITS.bank.topUpFenPerDay.toString() },
    });
    expect((bound.json.consent as { text: string }).text).toContain("我同意");
    expect(await identityOf(service.db, first.address)).toMatchObject({ level: "bank" });
    expect(await identityOf(service.db, other.address)).toBeUndefined();
  });

  it.each([
    ["name", { name: "王秀英" }],
    ["idNumber", { idNumber: "340104195808230020" }],
    ["cardNumber", { cardNumber: "6217000010036214" }],
    ["phone", { phone: "13855100007" }],
  ] as const)("refuses a mismatch in %s with its own error, and holds nothing", async (element, change) => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    const res = await bindCard(service, cookie, { ...WANG, ...change });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe(`cardholder_${element}`);
    expect(await identityOf(service.db, first.address)).toBeUndefined();
    expect((await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM identities"))?.n).toBe(0);
  });

  it("refuses a bad ID check digit before the bank is asked, and bad forms, without repeating them", async () => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    const first17 = WANG.idNumber.slice(0, 17);
    const wrong = idCheckCharacter(first17) === "1" ? "2" : "1";
    const res = await bindCard(service, cookie, { ...WANG, idNumber: first17 + wrong });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe("id_number_check_digit");
    expect(JSON.stringify(res.json)).not.toContain(first17);
    const cases = [
      [{ idNumber: "3401041956" }, "id_number_format"],
      [{ name: "Wang" }, "invalid_field"],
      [{ cardNumber: "1234" }, "invalid_field"],
      [{ phone: "555-0100" }, "invalid_field"],
    ] as const;
    for (const [change, error] of cases) {
      expect((await bindCard(service, cookie, { ...WANG, ...change })).json.error).toBe(error);
    }
    const noConsent = await call(service.app, "POST", "/identity/card", { cookie, body: WANG });
    expect(noConsent.json.error).toBe("consent_required");
    const oldConsent = await call(service.app, "POST", "/identity/card", {
      cookie,
      body: { ...WANG, consentVersion: "2020-old" },
    });
    expect(oldConsent.json.error).toBe("consent_required");
  });

  it("one identity owns her addresses; an address of another person's identity is refused", async () => {
    service = await startTestService({ database });
    const a = await signIn(service, first);
    const b = await signIn(service, second);
    expect((await bindCard(service, a.cookie, WANG)).status).toBe(201);
    // Her second account proves itself (its own session) and her identity (the four elements again).
    const joined = await bindCard(service, b.cookie, WANG);
    expect(joined.status).toBe(201);
    expect((joined.json.addresses as unknown[]).length).toBe(2);
    expect((joined.json.cards as unknown[]).length).toBe(1);
    const [idA, idB] = [await identityOf(service.db, first.address), await identityOf(service.db, second.address)];
    expect(idA?.id).toBe(idB?.id);
    // Another person with the same last 4 digits is another identity.
    const c = await signIn(service, third);
    expect((await bindCard(service, c.cookie, WANG_XIUYING)).status).toBe(201);
    expect((await identityOf(service.db, third.address))?.id).not.toBe(idA?.id);
    // Her account cannot be taken over into the other person's identity.
    const takeover = await bindCard(service, b.cookie, WANG_XIUYING);
    expect(takeover.status).toBe(409);
    expect(takeover.json.error).toBe("address_of_another_identity");
    expect((await identityOf(service.db, second.address))?.id).toBe(idA?.id);
  });

  it("binds one person from three accounts at once into one identity; two people racing for one account: one wins", async () => {
    service = await startTestService({ database });
    const cookies = await Promise.all([first, second, third].map(async (a) => (await signIn(service, a)).cookie));
    const bound = await Promise.all(cookies.map((cookie) => bindCard(service, cookie, WANG)));
    expect(bound.map((r) => r.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all([first, second, third].map((a) => identityOf(service.db, a.address)));
    expect(new Set(ids.map((i) => i?.id)).size).toBe(1);
    const contested = (await signIn(service, other)).cookie;
    const race = await Promise.all([bindCard(service, contested, WANG), bindCard(service, contested, WANG_XIUYING)]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("exports what is held, and closing erases it; verifying again is the same person", async () => {
    service = await startTestService({ database });
    const a = await signIn(service, first);
    await bindCard(service, a.cookie, WANG);
    const id = (await identityOf(service.db, first.address))?.id;
    const exported = await call(service.app, "GET", "/identity/export", { cookie: a.cookie });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toContain("attachment");
    expect(exported.json.identity).toMatchObject({ maskedName: "王*芳", cards: [{ last4: "6206" }] });
    expect((await call(service.app, "POST", "/identity/close", { cookie: a.cookie })).json).toEqual({ closed: true });
    expect(await identityOf(service.db, first.address)).toBeUndefined();
    expect((await call(service.app, "GET", "/identity", { cookie: a.cookie })).json.level).toBe("none");
    const left = await service.db.get<Record<string, unknown>>("SELECT * FROM identities WHERE id = ?", [id as string]);
    expect(left).toMatchObject({ masked_name: null, phone_hash: null, phone_last4: null, consent_text: null });
    expect((await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM identity_cards"))?.n).toBe(0);
    expect((await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM identity_addresses"))?.n).toBe(0);
    expect((await call(service.app, "POST", "/identity/close", { cookie: a.cookie })).status).toBe(404);
    await bindCard(service, a.cookie, WANG);
    expect((await identityOf(service.db, first.address))?.id).toBe(id);
  });

  it("limits top-ups per identity per day across all her addresses, and resets the next Hefei day", async () => {
    service = await startTestService({
      database,
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    const a = await signIn(service, first);
    const b = await signIn(service, second);
    await bindCard(service, a.cookie, WANG);
    await bindCard(service, b.cookie, WANG);
    const limit = LEVEL_LIMITS.bank.topUpFenPerDay;
    const topUp = (cookie: string, fen: bigint) =>
      call(service.app, "POST", "/topups", { cookie, body: { amountFen: fen.toString(), cardLast4: "6206" } });
    expect((await topUp(a.cookie, limit - 100n)).status).toBe(201);
    const over = await topUp(b.cookie, 101n);
    expect(over.status).toBe(409);
    expect(over.json.error).toBe("daily_limit");
    expect((await topUp(b.cookie, 100n)).status).toBe(201);
    // An address nobody verified is nobody's: refused, not given a limit of its own.
    expect((await topUp((await signIn(service, other)).cookie, 100n)).json.error).toBe("not_verified");
    service.clock.advance(24 * 3600_000);
    expect((await topUp((await signIn(service, second)).cookie, 100n)).status).toBe(201);
  });

  it("counts concurrent requests at the limit edge once: exactly the limit is accepted", async () => {
    service = await startTestService({
      database,
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    const a = await signIn(service, first);
    await bindCard(service, a.cookie, WANG);
    const share = LEVEL_LIMITS.bank.cashOutFenPerDay / 4n;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(service.app, "POST", "/cashouts", {
          cookie: a.cookie,
          body: { amountFen: share.toString(), cardLast4: "6206" },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201).length).toBe(4);
    expect(results.filter((r) => r.json.error === "daily_limit").length).toBe(6);
  });

  it("refuses a top-up or cash-out from an address no open identity owns: 403 not_verified, nothing stored", async () => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    const ask = (path: string) =>
      call(service.app, "POST", path, { cookie, body: { amountFen: "100", cardLast4: "6206" } });
    for (const path of ["/topups", "/cashouts"]) {
      const refused = await ask(path);
      expect(refused.status, path).toBe(403);
      expect(refused.json.error, path).toBe("not_verified");
      expect(refused.json.message, path).toMatch(/^Verify who you are first \(实名认证/);
    }
    // Verified, she may; once she closes her identity, the address is nobody's again.
    await bindCard(service, cookie, WANG);
    expect((await ask("/topups")).status).toBe(201);
    expect((await ask("/cashouts")).status).toBe(201);
    await call(service.app, "POST", "/identity/close", { cookie });
    for (const path of ["/topups", "/cashouts"]) expect((await ask(path)).json.error, path).toBe("not_verified");
    await service.bank.settled();
    const stored = async (table: string) =>
      Number((await service.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
    expect([await stored("topups"), await stored("cashouts")]).toEqual([1, 1]);
    // Each request names the person it was counted against.
    const person = await service.db.get<{ identity_id: string }>("SELECT identity_id FROM topups");
    expect(person?.identity_id).toEqual(expect.any(String));
  });

  it("fresh addresses linked to one identity share its one daily limit, for top-ups and for cash-outs", async () => {
    service = await startTestService({
      database,
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    // Eight throwaway addresses, each linked to 王阿姨 (her card, from a session of each).
    const cookies = await Promise.all(
      Array.from({ length: 8 }, async () => (await signInVerified(service, randomAccount(), WANG)).cookie),
    );
    const ids = new Set(
      (await service.db.all<{ identity_id: string }>("SELECT identity_id FROM identity_addresses")).map(
        (r) => r.identity_id,
      ),
    );
    expect(ids.size).toBe(1);
    for (const [path, limit] of [
      ["/topups", LEVEL_LIMITS.bank.topUpFenPerDay],
      ["/cashouts", LEVEL_LIMITS.bank.cashOutFenPerDay],
    ] as const) {
      const fifth = limit / 5n;
      const results = await Promise.all(
        cookies.map((cookie) =>
          call(service.app, "POST", path, { cookie, body: { amountFen: fifth.toString(), cardLast4: "6206" } }),
        ),
      );
      expect(results.filter((r) => r.status === 201).length, path).toBe(5);
      expect(results.filter((r) => r.json.error === "daily_limit").length, path).toBe(3);
    }
    const view = (await call(service.app, "GET", "/identity", { cookie: cookies[0] })).json as unknown as IdentityView;
    expect(view.usedToday).toEqual({
      topUpFen: LEVEL_LIMITS.bank.topUpFenPerDay.toString(),
      cashOutFen: LEVEL_LIMITS.bank.cashOutFenPerDay.toString(),
    });
  });

  it("a phone-level identity hits the phone limit for cash-outs across her addresses", async () => {
    service = await startTestService({
      database,
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    const phone = freshPhone();
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { cookie } = await signIn(service, randomAccount());
      expect((await verifyPhone(service, cookie, phone)).level).toBe("phone");
      cookies.push(cookie);
    }
    const limit = LEVEL_LIMITS.phone.cashOutFenPerDay;
    expect(limit).toBeLessThan(LEVEL_LIMITS.bank.cashOutFenPerDay);
    const cashOut = (cookie: string, fen: bigint) =>
      call(service.app, "POST", "/cashouts", { cookie, body: { amountFen: fen.toString(), cardLast4: "5678" } });
    expect((await cashOut(cookies[0] as string, limit / 2n)).status).toBe(201);
    expect((await cashOut(cookies[1] as string, limit / 2n)).status).toBe(201);
    const over = await cashOut(cookies[2] as string, 1n);
    expect(over.status).toBe(409);
    expect(over.json.error).toBe("daily_limit");
    expect(over.json.message).toContain(`0 fen left of ${limit}`);
  });

  it("an open identity at level none (which may do nothing a day) is refused with the limit error", async () => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    await bindCard(service, cookie, WANG);
    // No route leaves an open identity at level none today; should one exist, its limits are 0.
    await service.db.run("UPDATE identities SET level = 'none'");
    for (const path of ["/topups", "/cashouts"]) {
      const refused = await call(service.app, "POST", path, { cookie, body: { amountFen: "1", cardLast4: "6206" } });
      expect([refused.status, refused.json.error], path).toEqual([409, "daily_limit"]);
    }
  });
});
