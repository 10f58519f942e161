// A top-up by bank transfer that brings no money gives its amount back to her daily limit, on
// SQLite and PostgreSQL: the bank declines the deposit, or no deposit arrives in time and the
// request expires. Before, only a declined card debit gave it back, and a resident whose transfer
// bounced could not top up again that day. A top-up whose deposit did arrive keeps its count.
import { afterEach, describe, expect, it } from "vitest";
import { LEVEL_LIMITS } from "../../core/identity.js";
import { BankDeclinedError, type DepositRequest } from "../../server/src/bank/BankGateway.js";
import { SimulatedBank } from "../../server/src/bank/SimulatedBank.js";
import { account, bindCard, call, DATABASES, signIn, startTestService, type TestService, WANG } from "./helpers.js";

const wang = account(6);

/** The simulated bank, told how to answer the next deposits: confirm, decline, or not answer at all. */
class ScriptedBank extends SimulatedBank {
  answer: "confirm" | "decline" | "unreachable" = "confirm";
  override async confirmDeposit(request: DepositRequest) {
    if (this.answer === "decline") throw new BankDeclinedError("The payer's bank returned the transfer");
    if (this.answer === "unreachable") throw new Error("connect ECONNREFUSED (the bank)");
    return super.confirmDeposit(request);
  }
}

describe.each(DATABASES)("a top-up that brings no money on %s", (database) => {
  let service: TestService;
  let bank: ScriptedBank;
  afterEach(async () => service?.close());

  const start = async () => {
    service = await startTestService({
      database,
      bankGateway: (db, now) => {
        bank = new ScriptedBank(db, 0, undefined, now);
        return bank;
      },
    });
    const { cookie } = await signIn(service, wang);
    expect((await bindCard(service, cookie, WANG)).status).toBe(201);
    return cookie;
  };
  const topUp = async (cookie: string, amountFen: bigint) => {
    const res = await call(service.app, "POST", "/topups", {
      cookie,
      body: { amountFen: amountFen.toString(), cardLast4: "6206" },
    });
    await service.bank.settled();
    return res;
  };
  const stateOf = async (id: string) => (await service.bank.topUp(id))?.state;
  /** What her identity has counted, over every day (so a test that crosses midnight still adds up). */
  const counted = async () => {
    const rows = await service.db.all<{ amount_fen: string }>(
      "SELECT amount_fen FROM identity_usage WHERE kind = 'topup'",
    );
    return rows.reduce((sum, row) => sum + BigInt(row.amount_fen), 0n);
  };

  it("declined by the bank: the request says so and today's whole limit is hers again", async () => {
    const cookie = await start();
    const limit = LEVEL_LIMITS.bank.topUpFenPerDay;
    bank.answer = "decline";
    const bounced = await topUp(cookie, limit);
    expect(bounced.status).toBe(201);
    const id = (bounced.json as { id: string }).id;
    expect(await service.bank.topUp(id)).toMatchObject({
      state: "declined",
      problem: "The payer's bank returned the transfer",
    });
    expect(await counted()).toBe(0n);
    // The same amount again, and this time the money arrives.
    bank.answer = "confirm";
    const again = await topUp(cookie, limit);
    expect(again.status).toBe(201);
    expect(await stateOf((again.json as { id: string }).id)).toBe("deposit_confirmed");
    expect(await counted()).toBe(limit);
    // Now the day's limit is used: one fen more is refused.
    const over = await topUp(cookie, 1n);
    expect(over.status).toBe(409);
    expect(over.json.error).toBe("daily_limit");
  });

  it("expired with no deposit: given back once; a confirmed top-up of the same day keeps its count", async () => {
    const cookie = await start();
    const kept = await topUp(cookie, 500_00n);
    expect(await stateOf((kept.json as { id: string }).id)).toBe("deposit_confirmed");
    bank.answer = "unreachable";
    const waiting = await topUp(cookie, 1_200_00n);
    const id = (waiting.json as { id: string }).id;
    expect(await stateOf(id)).toBe("awaiting_deposit");
    expect(await counted()).toBe(1_700_00n);

    // Not yet stale: nothing moves.
    expect((await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs)).topUps).toBe(0);
    service.clock.advance(service.config.requestTtlMs + 1);
    expect((await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs)).topUps).toBe(1);
    expect(await service.bank.topUp(id)).toMatchObject({ state: "expired", problem: "no deposit arrived in time" });
    expect(await counted()).toBe(500_00n);
    // A second sweep finds nothing and gives nothing back twice.
    expect((await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs)).topUps).toBe(0);
    expect(await counted()).toBe(500_00n);
  });
});
