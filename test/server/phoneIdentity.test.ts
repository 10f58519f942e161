// The phone-verified level on SQLite and PostgreSQL: a one-time code sent by the SMS gateway (the
// simulated one shows it, a recording gateway here captures what a real one would send), a wrong
// code, an expired one, three wrong tries, a replayed code, codes per hour per account and per
// phone; one phone verified from two accounts is one identity; the phone level's limits; no
// resident tickets at the phone level; a later bank-card verification of the same person upgrades
// it (its accounts and today's usage join her bank identity), and the phone of a bank-verified
// person cannot make her a second, lesser identity. The phone number is never in the database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LEVEL_LIMITS } from "../../core/identity.js";
import { CARD_CODE_ABANDONED_MS } from "../../server/src/bank/requests.js";
import { identityOf, PHONE_CODE_TTL_MS, PHONE_CODES_PER_HOUR } from "../../server/src/identity/identities.js";
import { SimulatedSmsGateway, type SmsGateway } from "../../server/src/identity/SmsGateway.js";
import {
  account,
  bindCard,
  call,
  DATABASES,
  signIn,
  startTestService,
  type TestService,
  tempDir,
  WANG,
} from "./helpers.js";

const [first, second, third, other] = [account(6), account(7), account(8), account(9)];
const PHONE = "13912345678";

/** What a real gateway would send: the phone and the code, captured instead of a text message. */
class RecordingSms implements SmsGateway {
  readonly sent: { phone: string; code: string }[] = [];
  async sendCode(phone: string, code: string) {
    this.sent.push({ phone, code });
    return {};
  }
  last(): string {
    return this.sent.at(-1)?.code as string;
  }
}

const askCode = (service: TestService, cookie: string, phone = PHONE) =>
  call(service.app, "POST", "/identity/phone", { cookie, body: { phone } });
const sendCode = (service: TestService, cookie: string, code: string) =>
  call(service.app, "POST", "/identity/phone/code", { cookie, body: { code } });
const otherThan = (code: string) => (code === "000000" ? "111111" : "000000");

describe.each(DATABASES)("phone-verified identities on %s", (database) => {
  let service: TestService;
  let sms: RecordingSms;
  afterEach(async () => service?.close());
  const start = async (options: Parameters<typeof startTestService>[0] = {}) => {
    sms = new RecordingSms();
    service = await startTestService({ database, ...options, deps: { sms, ...options.deps } });
  };

  it("verifies her phone with the code: level phone, the phone level's limits, the last 4 digits only", async () => {
    await start();
    const { cookie } = await signIn(service, first);
    const asked = await askCode(service, cookie, "+86 139-1234-5678");
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ phoneLast4: "5678", expiresAt: service.clock.now() + PHONE_CODE_TTL_MS });
    // A real gateway sends the code; the answer does not show it.
    expect(asked.json.shownCode).toBeUndefined();
    expect(sms.sent).toEqual([{ phone: PHONE, code: expect.stringMatching(/^\d{6}$/) }]);
    const verified = await sendCode(service, cookie, sms.last());
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({
      level: "phone",
      maskedName: null,
      phoneLast4: "5678",
      cards: [],
      addresses: [{ address: first.address.toLowerCase() }],
      limits: {
        topUpFenPerDay: LEVEL_LIMITS.phone.topUpFenPerDay.toString(),
        cashOutFenPerDay: LEVEL_LIMITS.phone.cashOutFenPerDay.toString(),
        balanceFen: LEVEL_LIMITS.phone.balanceFen.toString(),
      },
    });
    expect(await identityOf(service.db, first.address)).toMatchObject({ level: "phone" });
    // Never the number in clear: not in any row the service keeps.
    for (const table of ["identities", "phone_challenges", "identity_addresses"]) {
      const rows = await service.db.all<Record<string, unknown>>(`SELECT * FROM ${table}`);
      expect(JSON.stringify(rows)).not.toContain(PHONE);
      expect(JSON.stringify(rows)).not.toContain("12345678");
    }
  });

  it("the simulated gateway shows the code in the answer", async () => {
    await start({ deps: { sms: new SimulatedSmsGateway() } });
    const { cookie } = await signIn(service, first);
    const asked = await askCode(service, cookie);
    expect(asked.json.shownCode).toMatch(/^\d{6}$/);
    expect((await sendCode(service, cookie, asked.json.shownCode as string)).json.level).toBe("phone");
  });

  it("refuses a wrong code (she may type again), three wrong tries end the code, an expired code, a replay", async () => {
    await start();
    const { cookie } = await signIn(service, first);
    await askCode(service, cookie);
    const right = sms.last();
    const wrong = await sendCode(service, cookie, otherThan(right));
    expect(wrong.status).toBe(422);
    expect(wrong.json.error).toBe("phone_code_wrong");
    expect(JSON.stringify(wrong.json)).not.toContain(right);
    // A mistyped code can be typed again: the right one still works after one wrong try.
    expect((await sendCode(service, cookie, right)).status).toBe(200);
    // Good once: the same code again is not waiting any more.
    const replay = await sendCode(service, cookie, right);
    expect(replay.status).toBe(404);
    expect(replay.json.error).toBe("no_phone_code");

    const b = await signIn(service, second);
    await askCode(service, b.cookie);
    const code = sms.last();
    for (let i = 0; i < 3; i++)
      expect((await sendCode(service, b.cookie, otherThan(code))).json.error).toBe("phone_code_wrong");
    const spent = await sendCode(service, b.cookie, code);
    expect(spent.status).toBe(422);
    expect(spent.json.error).toBe("phone_code_tries");
    expect(await identityOf(service.db, second.address)).toBeUndefined();

    // Guesses at once: however many arrive together, only three are ever compared.
    const c = await signIn(service, third);
    await askCode(service, c.cookie);
    const third_code = sms.last();
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sendCode(service, c.cookie, String(i).padStart(6, "9"))),
    );
    expect(guesses.filter((g) => g.json.error === "phone_code_wrong").length).toBeLessThanOrEqual(3);
    expect((await sendCode(service, c.cookie, third_code)).json.error).toBe("phone_code_tries");

    const d = await signIn(service, other);
    await askCode(service, d.cookie);
    service.clock.advance(PHONE_CODE_TTL_MS);
    const expired = await sendCode(service, d.cookie, sms.last());
    expect(expired.status).toBe(422);
    expect(expired.json.error).toBe("phone_code_expired");
    expect(await identityOf(service.db, other.address)).toBeUndefined();
    // A new code replaces it.
    await askCode(service, d.cookie);
    expect((await sendCode(service, d.cookie, sms.last())).status).toBe(200);
  });

  it("refuses a code never asked for, and bad forms without repeating them", async () => {
    await start();
    const { cookie } = await signIn(service, first);
    expect((await sendCode(service, cookie, "123456")).json.error).toBe("no_phone_code");
    const bad = await askCode(service, cookie, "555-0100");
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe("invalid_field");
    expect((await call(service.app, "POST", "/identity/phone", { cookie, body: {} })).json.error).toBe("missing_field");
    expect((await sendCode(service, cookie, "12345")).json.error).toBe("invalid_field");
    expect((await call(service.app, "POST", "/identity/phone", { body: { phone: PHONE } })).status).toBe(401);
    expect(sms.sent).toEqual([]);
  });

  it("sends at most a few codes an hour per account and per phone, whatever accounts ask", async () => {
    await start();
    const a = await signIn(service, first);
    for (let i = 0; i < PHONE_CODES_PER_HOUR; i++)
      expect((await askCode(service, a.cookie, `1391234${5000 + i}`)).status).toBe(201);
    const tooMany = await askCode(service, a.cookie, "13912349999");
    expect(tooMany.status).toBe(429);
    expect(tooMany.json.error).toBe("too_many_requests");
    // One phone flooded from many throwaway accounts: the phone's own count stops it.
    const victim = "13800000000";
    const accounts = [second, third, other, account(10), account(11), account(12)];
    const answers = [];
    for (const signer of accounts)
      answers.push((await askCode(service, (await signIn(service, signer)).cookie, victim)).status);
    expect(answers.filter((s) => s === 201).length).toBe(PHONE_CODES_PER_HOUR);
    expect(answers.at(-1)).toBe(429);
    expect(sms.sent.filter((m) => m.phone === victim).length).toBe(PHONE_CODES_PER_HOUR);
    service.clock.advance(60 * 60 * 1000 + 1);
    expect((await askCode(service, (await signIn(service, first)).cookie, "13912349999")).status).toBe(201);
  });

  it("one phone verified from two accounts is one identity; limits count both together", async () => {
    await start({
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    const a = await signIn(service, first);
    const b = await signIn(service, second);
    await askCode(service, a.cookie);
    await sendCode(service, a.cookie, sms.last());
    await askCode(service, b.cookie);
    const joined = await sendCode(service, b.cookie, sms.last());
    expect(joined.status).toBe(200);
    expect((joined.json.addresses as unknown[]).length).toBe(2);
    const [idA, idB] = [await identityOf(service.db, first.address), await identityOf(service.db, second.address)];
    expect(idA?.id).toBe(idB?.id);
    expect((await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM identities"))?.n).toBe(1);
    // The phone level's top-up limit, across both accounts.
    const limit = LEVEL_LIMITS.phone.topUpFenPerDay;
    const topUp = (cookie: string, fen: bigint) =>
      call(service.app, "POST", "/topups", { cookie, body: { amountFen: fen.toString(), cardLast4: "5678" } });
    expect((await topUp(a.cookie, limit - 100n)).status).toBe(201);
    const over = await topUp(b.cookie, 101n);
    expect(over.status).toBe(409);
    expect(over.json.error).toBe("daily_limit");
    // A card top-up needs a card the bank confirmed.
    const card = await call(service.app, "POST", "/topups/card", { cookie: a.cookie, body: { amountFen: "100" } });
    expect(card.json.error).toBe("not_verified");
    // Verifying the same account again with the same phone changes nothing; another phone is refused.
    await askCode(service, a.cookie);
    expect((await sendCode(service, a.cookie, sms.last())).status).toBe(200);
    await askCode(service, a.cookie, "13700000000");
    expect((await sendCode(service, a.cookie, sms.last())).json.error).toBe("address_of_another_identity");
  });

  it("gives no resident ticket at the phone level", async () => {
    await start({ deps: { ticketTarget: async () => "open" } });
    const { cookie } = await signIn(service, first);
    await askCode(service, cookie);
    await sendCode(service, cookie, sms.last());
    const ticket = await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "1" } });
    expect(ticket.status).toBe(403);
    expect(ticket.json.error).toBe("not_verified");
  });

  it("a bank-card verification of the same person upgrades her phone identity: its accounts and today's usage join", async () => {
    await start({
      config: { requestRatePerAccountPerMinute: 1000, requestRatePerClientPerMinute: 1000, requestRatePerMinute: 1000 },
    });
    // Her bank identity first, from one account (王阿姨, 10,000 元 topped up today).
    const bankAccount = await signIn(service, first);
    await bindCard(service, bankAccount.cookie, WANG);
    const topUp = (cookie: string, fen: bigint) =>
      call(service.app, "POST", "/topups", { cookie, body: { amountFen: fen.toString(), cardLast4: "6206" } });
    expect((await topUp(bankAccount.cookie, 10_000_00n)).status).toBe(201);
    const bankId = (await identityOf(service.db, first.address))?.id;
    // Two more accounts verified only by another phone of hers, 1,000 元 topped up there.
    const a = await signIn(service, second);
    const b = await signIn(service, third);
    for (const s of [a, b]) {
      await askCode(service, s.cookie);
      await sendCode(service, s.cookie, sms.last());
    }
    const phoneId = (await identityOf(service.db, second.address))?.id;
    expect(phoneId).not.toBe(bankId);
    expect((await topUp(a.cookie, 1_000_00n)).status).toBe(201);
    // One of them binds her card: the phone identity is her, and joins her bank identity whole.
    const upgraded = await bindCard(service, a.cookie, WANG);
    expect(upgraded.status).toBe(201);
    expect(upgraded.json).toMatchObject({ level: "bank", maskedName: "王*芳", usedToday: { topUpFen: "1100000" } });
    expect((upgraded.json.addresses as unknown[]).length).toBe(3);
    for (const signer of [first, second, third]) {
      expect(await identityOf(service.db, signer.address)).toEqual({ id: bankId, level: "bank" });
    }
    const merged = await service.db.get<Record<string, unknown>>(
      "SELECT level, merged_into, closed_at, phone_hash FROM identities WHERE id = ?",
      [phoneId as string],
    );
    expect(merged).toMatchObject({ level: "none", merged_into: bankId });
    expect(merged?.closed_at).not.toBeNull();
    expect(merged?.phone_hash).not.toBeNull();
    // That phone again, from a new account, does not make her a second (phone) identity.
    const c = await signIn(service, other);
    await askCode(service, c.cookie);
    const again = await sendCode(service, c.cookie, sms.last());
    expect(again.status).toBe(409);
    expect(again.json.error).toBe("phone_of_verified_person");
    expect(await identityOf(service.db, other.address)).toBeUndefined();
  });

  it("the phone the bank holds for a verified person gives no second, phone-level identity", async () => {
    await start();
    const a = await signIn(service, first);
    await bindCard(service, a.cookie, WANG);
    // A bank-verified account asking for a phone code is told it is verified already.
    expect((await askCode(service, a.cookie, WANG.phone)).json.error).toBe("already_verified");
    const b = await signIn(service, second);
    await askCode(service, b.cookie, WANG.phone);
    const refused = await sendCode(service, b.cookie, sms.last());
    expect(refused.json.error).toBe("phone_of_verified_person");
    expect(await identityOf(service.db, second.address)).toBeUndefined();
  });

  it("a bank identity upgraded from a phone-only account is a new person when nobody held that ID yet", async () => {
    await start();
    const a = await signIn(service, first);
    await askCode(service, a.cookie);
    await sendCode(service, a.cookie, sms.last());
    const phoneId = (await identityOf(service.db, first.address))?.id;
    const bound = await bindCard(service, a.cookie, WANG);
    expect(bound.json).toMatchObject({ level: "bank", addresses: [{ address: first.address.toLowerCase() }] });
    const now = await identityOf(service.db, first.address);
    expect(now?.level).toBe("bank");
    expect(now?.id).not.toBe(phoneId);
    expect(
      (await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM identities WHERE closed_at IS NULL"))?.n,
    ).toBe(1);
  });

  it("closing a phone identity keeps only its keyed hash: verifying the phone again is the same person", async () => {
    await start();
    const a = await signIn(service, first);
    await askCode(service, a.cookie);
    await sendCode(service, a.cookie, sms.last());
    const id = (await identityOf(service.db, first.address))?.id;
    expect((await call(service.app, "POST", "/identity/close", { cookie: a.cookie })).json).toEqual({ closed: true });
    expect(await identityOf(service.db, first.address)).toBeUndefined();
    const left = await service.db.get<Record<string, unknown>>("SELECT * FROM identities WHERE id = ?", [id as string]);
    expect(left).toMatchObject({ phone_last4: null, level: "none" });
    await askCode(service, a.cookie);
    await sendCode(service, a.cookie, sms.last());
    expect((await identityOf(service.db, first.address))?.id).toBe(id);
  });
});

describe("the phone number in the files", () => {
  it("is not in the SQLite database file after a full phone flow", async () => {
    const temp = tempDir();
    const sms = new RecordingSms();
    const service = await startTestService({ dataDir: temp.dir, deps: { sms } });
    try {
      const { cookie } = await signIn(service, first);
      await askCode(service, cookie);
      await sendCode(service, cookie, otherThan(sms.last()));
      await sendCode(service, cookie, sms.last());
      await service.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
      const file = readFileSync(path.join(temp.dir, "city.db"));
      expect(file.includes(Buffer.from(PHONE))).toBe(false);
    } finally {
      await service.close();
      temp.remove();
    }
  });
});

// Not the phone level, but the other code a resident may never type: the bank's one-time code of a
// card top-up she abandoned (cancelled on the page, closed it, the text never came).
describe.each(DATABASES)("an abandoned card top-up code on %s", (database) => {
  let service: TestService;
  afterEach(async () => service?.close());

  it("is declined by the sweeper once no bank takes the code, and gives its amount back to today's limit", async () => {
    service = await startTestService({ database });
    const { cookie } = await signIn(service, first);
    await bindCard(service, cookie, WANG);
    const started = await call(service.app, "POST", "/topups/card", { cookie, body: { amountFen: "10000" } });
    const { topUp, code } = started.json as { topUp: { id: string }; code: { shownCode: string } };
    const used = async () =>
      ((await call(service.app, "GET", "/identity", { cookie })).json.usedToday as { topUpFen: string }).topUpFen;
    expect(await used()).toBe("10000");
    // Within the bank's code life the sweeper leaves it alone.
    service.clock.advance(CARD_CODE_ABANDONED_MS - 1000);
    expect(await service.bank.declineAbandonedCardDebits(service.clock.now())).toBe(0);
    service.clock.advance(2000);
    expect(await service.bank.declineAbandonedCardDebits(service.clock.now())).toBe(1);
    expect(await used()).toBe("0");
    const mine = (await call(service.app, "GET", "/topups", { cookie })).json.topUps as { id: string; state: string }[];
    expect(mine.find((t) => t.id === topUp.id)?.state).toBe("declined");
    // The code typed now takes nothing: the request is over.
    const late = await call(service.app, "POST", `/topups/${topUp.id}/code`, {
      cookie,
      body: { code: code.shownCode },
    });
    expect(late.status).toBe(409);
    expect(await service.bank.declineAbandonedCardDebits(service.clock.now())).toBe(0);
  });
});
