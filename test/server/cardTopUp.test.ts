// Top-up by her bound card (快捷支付), on SQLite and PostgreSQL: amount → the bank's one-time code
// → deposit confirmed, then the desk issues as for any top-up; wrong codes, someone else's request,
// the daily limit checked before the bank is asked and given back when the bank declines; the
// bank-transfer path stays. Last, after a full flow (a mismatched bind, a bind, a card top-up, a
// ticket, an export, a cash-out, closing), the database and the logs hold no ID number, no full
// card number and no phone number.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LEVEL_LIMITS } from "../../core/identity.js";
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
  WANG_XIUYING,
} from "./helpers.js";

const [wang, stranger, issuer] = [account(6), account(7), account(1)];

describe.each(DATABASES)("card top-ups on %s", (database) => {
  let service: TestService;
  afterEach(async () => service?.close());

  const start = async () => {
    service = await startTestService({ database, isIssuer: async (a) => a === issuer.address });
    const cookie = (await signIn(service, wang)).cookie;
    return cookie;
  };
  const cardTopUp = (cookie: string, amountFen: bigint, cardLast4?: string) =>
    call(service.app, "POST", "/topups/card", { cookie, body: { amountFen: amountFen.toString(), cardLast4 } });
  const code = (cookie: string, id: string, value: string) =>
    call(service.app, "POST", `/topups/${id}/code`, { cookie, body: { code: value } });

  it("needs a bound card: an unverified account is told to verify first", async () => {
    const cookie = await start();
    const res = await cardTopUp(cookie, 5000n);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe("not_verified");
    await bindCard(service, cookie, WANG);
    const other = await cardTopUp(cookie, 5000n, "9999");
    expect(other.status).toBe(409);
    expect(other.json.error).toBe("no_card");
  });

  it("amount → one-time code → deposit confirmed, on the desk's queue; a wrong code is refused first", async () => {
    const cookie = await start();
    await bindCard(service, cookie, WANG);
    const started = await cardTopUp(cookie, 5000n);
    expect(started.status).toBe(201);
    const { topUp, code: sent } = started.json as {
      topUp: { id: string; state: string; method: string; cardLast4: string };
      code: { phoneLast4: string; shownCode: string };
    };
    expect(topUp).toMatchObject({ state: "awaiting_deposit", method: "card", cardLast4: "6206" });
    expect(sent.phoneLast4).toBe("0006");
    expect(sent.shownCode).toMatch(/^\d{6}$/);
    const wrong = await code(cookie, topUp.id, sent.shownCode === "000000" ? "000001" : "000000");
    expect(wrong.status).toBe(422);
    expect(wrong.json).toMatchObject({ error: "bank_declined", message: "The one-time code is wrong" });
    // Nobody else can confirm her request, even with the right code.
    const theirs = await code((await signIn(service, stranger)).cookie, topUp.id, sent.shownCode);
    expect(theirs.status).toBe(404);
    const ok = await code(cookie, topUp.id, sent.shownCode);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ id: topUp.id, state: "deposit_confirmed", method: "card" });
    expect((await code(cookie, topUp.id, sent.shownCode)).json.error).toBe("not_pending");
    const desk = (await signIn(service, issuer)).cookie;
    const queue = await call(service.app, "GET", "/desk/topups?state=deposit_confirmed", { cookie: desk });
    expect(queue.json).toMatchObject({ total: 1, topUps: [{ id: topUp.id, amountFen: "5000" }] });
    // The bank-transfer path stays for those who prefer it.
    const transfer = await call(service.app, "POST", "/topups", {
      cookie,
      body: { amountFen: "100", cardLast4: "6206" },
    });
    expect(transfer.status).toBe(201);
    expect(transfer.json.method).toBe("transfer");
  });

  it("declines after three wrong codes and gives today's limit back", async () => {
    const cookie = await start();
    await bindCard(service, cookie, WANG);
    const limit = LEVEL_LIMITS.bank.topUpFenPerDay;
    const started = await cardTopUp(cookie, limit);
    const { topUp, code: sent } = started.json as { topUp: { id: string }; code: { shownCode: string } };
    // The whole day's limit is held by this request: one more fen is refused before the bank is asked.
    const debitsBefore = await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM simulated_bank_debits");
    expect((await cardTopUp(cookie, 1n)).json.error).toBe("daily_limit");
    expect(await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM simulated_bank_debits")).toEqual(
      debitsBefore,
    );
    const wrong = sent.shownCode === "000000" ? "000001" : "000000";
    for (let i = 0; i < 3; i++) expect((await code(cookie, topUp.id, wrong)).status).toBe(422);
    const over = await code(cookie, topUp.id, sent.shownCode);
    expect(over.json).toMatchObject({ error: "bank_declined", message: "Too many wrong codes for this debit" });
    const mine = await call(service.app, "GET", "/topups", { cookie });
    expect((mine.json.topUps as { id: string; state: string }[]).find((t) => t.id === topUp.id)?.state).toBe(
      "declined",
    );
    expect((await cardTopUp(cookie, limit)).status).toBe(201);
  });
});

describe.each(DATABASES)("what is stored after a full flow on %s", (database) => {
  it("test_NoIdNumberNoFullCardNumberNoPhone_InTheDatabaseOrTheLogs", async () => {
    const temp = tempDir();
    const lines: string[] = [];
    const service = await startTestService({
      database,
      dataDir: temp.dir,
      log: (line) => lines.push(line),
      deps: { ticketTarget: async () => "open" },
    });
    try {
      const cookie = (await signIn(service, wang)).cookie;
      // A bind that fails (her name with the other person's ID and card), then hers.
      expect((await bindCard(service, cookie, { ...WANG_XIUYING, name: WANG.name })).status).toBe(422);
      expect((await bindCard(service, cookie, WANG)).status).toBe(201);
      const started = await call(service.app, "POST", "/topups/card", { cookie, body: { amountFen: "5000" } });
      const { topUp, code } = started.json as { topUp: { id: string }; code: { shownCode: string } };
      await call(service.app, "POST", `/topups/${topUp.id}/code`, { cookie, body: { code: code.shownCode } });
      expect((await call(service.app, "POST", "/redpackets/tickets", { cookie, body: { packetId: "1" } })).status).toBe(
        200,
      );
      expect((await call(service.app, "GET", "/identity/export", { cookie })).status).toBe(200);
      expect(
        (await call(service.app, "POST", "/cashouts", { cookie, body: { amountFen: "100", cardLast4: "6206" } }))
          .status,
      ).toBe(201);
      // 王秀英 verifies too, from another account; then 王阿姨 closes hers.
      const other = (await signIn(service, stranger)).cookie;
      expect((await bindCard(service, other, WANG_XIUYING)).status).toBe(201);
      expect((await call(service.app, "POST", "/identity/close", { cookie })).status).toBe(200);
      await service.bank.settled();

      const stored = database === "sqlite" ? sqliteFiles(temp.dir) : await postgresRows(service);
      expect(stored.length).toBeGreaterThan(1000);
      expect(stored).toContain("王*英"); // 王秀英's masked name is there: the search sees the data
      const logs = lines.join("\n");
      for (const person of [WANG, WANG_XIUYING]) {
        for (const secret of [person.idNumber, person.cardNumber, person.phone, person.name]) {
          expect(stored.includes(secret), `${secret} in the database`).toBe(false);
          expect(stored.includes(Buffer.from(secret, "utf8").toString("hex")), `${secret} as hex`).toBe(false);
          expect(logs.includes(secret), `${secret} in the logs`).toBe(false);
        }
      }
    } finally {
      await service.close();
      temp.remove();
    }
  });
});

/** Every byte of the SQLite database (the file and its write-ahead log), as text. */
function sqliteFiles(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith("city.db"))
    .map((f) => readFileSync(path.join(dir, f)).toString("utf8"))
    .join("\n");
}

/** Every row of every table in the test's PostgreSQL schema, as text. */
async function postgresRows(service: TestService): Promise<string> {
  const tables = await service.db.all<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    parts.push(JSON.stringify(await service.db.all(`SELECT * FROM ${table_name}`)));
  }
  return parts.join("\n");
}
