// Sponsorship the city signs (issue 22): the service's ERC-7677 methods on POST /paymaster. Only a
// signed-in resident's own account, only an account a verified person owns (an open identity of
// level phone or bank: she binds her card through the service's real identity route and the
// simulated bank), a new account only from the city factory, only the account's next nonce, within
// the quotas per identity and Hefei day, kept race-free in the database (both engines: SQLite
// always, PostgreSQL with HCY_TEST_PG_URL). The signature is checked against the
// key whose address the local deployment gave SPONSOR_SIGNER_ROLE; that the chain accepts it is
// the browser tests' part (passkey, bundler, wangAyi).
import { type Address, getAddress, type Hex, numberToHex, recoverTypedDataAddress, slice } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SPONSORSHIP_REFUSED_CODE, SPONSORSHIP_STUB_DATA, sponsorshipTypedData } from "../../core/sponsorship.js";
import { PAYMASTER_POST_OP_GAS, PAYMASTER_VERIFICATION_GAS } from "../../core/userOperationGas.js";
import { deploymentFor } from "../../generated/contracts.js";
import localhost from "../../ignition/parameters/localhost.json" with { type: "json" };
import { SIMULATED_CUSTOMERS, type SimulatedCustomer } from "../../server/src/bank/simulatedCustomers.js";
import { identityOf } from "../../server/src/identity/identities.js";
import { decideSponsorship, hefeiDay } from "../../server/src/sponsorship/quotas.js";
import { account, bindCard, call, DATABASES, signIn, startTestService, type TestService, WANG } from "./helpers.js";

const CHAIN_ID = 31337;
const deployment = deploymentFor(CHAIN_ID);
const PAYMASTER = getAddress(deployment?.contracts.CityPaymaster as string);
const FACTORY = getAddress(deployment?.contracts.CityAccountFactory as string);
const [alice, bob] = [account(6), account(7)];
/** Two addresses of one person (王秀芳), each signed in on its own; a third she opens later. */
const [wangPhone, wangLaptop, wangTablet] = [account(8), account(9), account(13)];
/** An account nobody verified: it can receive money, nothing of it is sponsored. */
const stranger = account(10);
/** 陈静's account: she verifies, is sponsored, closes her identity, verifies again. */
const chen = account(11);
/** An account the tests set to the phone level (the level another route grants). */
const phoneOnly = account(12);
const OPERATIONS_PER_DAY = 3;

/** The simulated bank's customer, as the four elements she types. */
function person(name: string) {
  const c = SIMULATED_CUSTOMERS.find((x) => x.name === name) as SimulatedCustomer;
  return { name: c.name, idNumber: c.idNumber, cardNumber: c.cards[0]?.number as string, phone: c.phone };
}
const [LI_MING, ZHANG_WEI, CHEN_JING, LIU_YANG] = ["李明", "张伟", "陈静", "刘洋"].map(person);

/** Signs the account in and binds the person's card (实名认证): her identity now owns the account. */
async function verified(service: TestService, signer: typeof alice, who: typeof WANG): Promise<string> {
  const { cookie } = await signIn(service, signer);
  expect([200, 201]).toContain((await bindCard(service, cookie, who)).status);
  return cookie;
}

/** The next nonce the "chain" reports: key << 64 for every key (sequence 0), unless a test sets it. */
let chainNonce: (sender: Address, key: bigint) => bigint = (_sender, key) => key << 64n;
/** The chain's clock the paymaster route reads (seconds); undefined: unknown, the service's clock alone. */
let chainSeconds: number | undefined;

function operation(sender: Address, over: Record<string, unknown> = {}) {
  return {
    sender,
    nonce: "0x0",
    callData: "0xe9ae5c53",
    callGasLimit: numberToHex(120_000),
    verificationGasLimit: numberToHex(400_000),
    preVerificationGas: numberToHex(50_000),
    maxFeePerGas: "0x0",
    maxPriorityFeePerGas: "0x0",
    paymasterVerificationGasLimit: numberToHex(PAYMASTER_VERIFICATION_GAS),
    paymasterPostOpGasLimit: numberToHex(PAYMASTER_POST_OP_GAS),
    ...over,
  };
}

async function rpc(
  service: TestService,
  method: string,
  params: unknown[],
  cookie?: string,
): Promise<{ result?: Record<string, string>; error?: { code: number; message: string; data?: { reason: string } } }> {
  const res = await call(service.app, "POST", "/paymaster", {
    cookie,
    body: { jsonrpc: "2.0", id: 1, method, params },
  });
  expect(res.status).toBe(200);
  return res.json as never;
}

const sponsor = (service: TestService, op: object, cookie?: string) =>
  rpc(service, "pm_getPaymasterData", [op, entryPoint08Address, numberToHex(CHAIN_ID), null], cookie);
const stub = (service: TestService, op: object, cookie?: string) =>
  rpc(service, "pm_getPaymasterStubData", [op, entryPoint08Address, numberToHex(CHAIN_ID), null], cookie);

function expectRefused(answer: Awaited<ReturnType<typeof rpc>>, reason: string) {
  expect(answer.result).toBeUndefined();
  expect(answer.error?.code).toBe(SPONSORSHIP_REFUSED_CODE);
  expect(answer.error?.data?.reason).toBe(reason);
}

/** Operations sponsored today for the identity that owns `sender` (0 when none does), or for `sender` itself. */
async function usedToday(service: TestService, sender: Address): Promise<number> {
  const identity = await identityOf(service.db, sender);
  const row = await service.db.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM sponsorships WHERE (subject = ? OR sender = ?) AND day = ?",
    [identity ? `identity:${identity.id}` : "-", sender.toLowerCase(), hefeiDay(service.clock.now())],
  );
  return Number(row?.n ?? 0);
}

for (const database of DATABASES) {
  describe(`POST /paymaster (ERC-7677) on ${database}`, () => {
    let service: TestService;
    let aliceCookie: string;

    beforeAll(async () => {
      service = await startTestService({
        database,
        config: { sponsoredOperationsPerDay: OPERATIONS_PER_DAY, sponsoredAccountsPerPerson: 1 },
        deps: { accountNonce: async (sender, key) => chainNonce(sender, key), chainTime: async () => chainSeconds },
      });
      aliceCookie = await verified(service, alice, LI_MING);
      await verified(service, bob, ZHANG_WEI);
    });
    afterAll(async () => service.close());
    beforeEach(async () => {
      await service.db.run("DELETE FROM sponsorships");
      chainNonce = (_sender, key) => key << 64n;
      chainSeconds = undefined;
    });

    it("keeps the window open on the chain's clock too when the chain runs ahead of the service's", async () => {
      const ahead = Math.floor(service.clock.now() / 1000) + 86_400;
      chainSeconds = ahead;
      const { result } = await sponsor(service, operation(alice.address), aliceCookie);
      const data = result?.paymasterData as Hex;
      // From the service's clock (the bundler refuses an operation not valid yet by its own clock)
      // to the chain's plus the lifetime (the EntryPoint checks the block's time).
      const nowSeconds = Math.floor(service.clock.now() / 1000);
      expect(Number(slice(data, 0, 6))).toBe(nowSeconds - service.config.clockSkewMs / 1000);
      expect(Number(slice(data, 6, 12))).toBe(ahead + service.config.sponsorshipLifetimeMs / 1000);
      // A chain behind the service's clock (an idle node's last block) changes nothing.
      await service.db.run("DELETE FROM sponsorships");
      chainSeconds = Math.floor(service.clock.now() / 1000) - 3_600;
      const behind = await sponsor(service, operation(alice.address), aliceCookie);
      const now = Math.floor(service.clock.now() / 1000);
      expect(Number(slice(behind.result?.paymasterData as Hex, 6, 12))).toBe(
        now + service.config.sponsorshipLifetimeMs / 1000,
      );
    });

    it("signs the signed-in resident's own operation for CityPaymaster with the city's key, for a short window", async () => {
      const op = operation(alice.address);
      const { result } = await sponsor(service, op, aliceCookie);
      expect(result?.paymaster).toBe(PAYMASTER);
      const data = result?.paymasterData as Hex;
      expect((data.length - 2) / 2).toBe(77);
      const window = { validAfter: Number(slice(data, 0, 6)), validUntil: Number(slice(data, 6, 12)) };
      const now = Math.floor(service.clock.now() / 1000);
      expect(window.validAfter).toBe(now - service.config.clockSkewMs / 1000);
      expect(window.validUntil).toBe(now + service.config.sponsorshipLifetimeMs / 1000);
      const signer = await recoverTypedDataAddress({
        ...sponsorshipTypedData(
          CHAIN_ID,
          PAYMASTER,
          {
            sender: alice.address,
            nonce: 0n,
            callData: op.callData as Hex,
            callGasLimit: 120_000n,
            verificationGasLimit: 400_000n,
            preVerificationGas: 50_000n,
            maxFeePerGas: 0n,
            maxPriorityFeePerGas: 0n,
            paymasterVerificationGasLimit: PAYMASTER_VERIFICATION_GAS,
            paymasterPostOpGasLimit: PAYMASTER_POST_OP_GAS,
          },
          window,
        ),
        signature: slice(data, 12),
      });
      expect(signer).toBe(getAddress(localhost.CityAccounts.sponsorSigner));
      expect(await usedToday(service, alice.address)).toBe(1);
    });

    it("answers a stub that no key signed, without counting it", async () => {
      const { result } = await stub(service, operation(alice.address), aliceCookie);
      expect(result).toMatchObject({
        paymaster: PAYMASTER,
        paymasterData: SPONSORSHIP_STUB_DATA,
        paymasterVerificationGasLimit: numberToHex(PAYMASTER_VERIFICATION_GAS),
        paymasterPostOpGasLimit: numberToHex(PAYMASTER_POST_OP_GAS),
        isFinal: false,
      });
      expect(await usedToday(service, alice.address)).toBe(0);
    });

    it("refuses without a session, and with an expired one", async () => {
      expectRefused(await stub(service, operation(alice.address)), "not_signed_in");
      expectRefused(await sponsor(service, operation(alice.address)), "not_signed_in");
      const { cookie } = await signIn(service, bob);
      service.clock.advance(service.config.sessionTtlMs + 1);
      try {
        expectRefused(await sponsor(service, operation(bob.address), cookie), "not_signed_in");
      } finally {
        service.clock.advance(-(service.config.sessionTtlMs + 1));
      }
      expect(await usedToday(service, bob.address)).toBe(0);
    });

    it("refuses another sender's operation", async () => {
      expectRefused(await sponsor(service, operation(bob.address), aliceCookie), "not_your_account");
      expectRefused(await stub(service, operation(bob.address), aliceCookie), "not_your_account");
      expect(await usedToday(service, bob.address)).toBe(0);
    });

    it("refuses a new account from another factory, and sponsors one from the city's", async () => {
      const foreign = operation(alice.address, { factory: bob.address, factoryData: "0x12345678" });
      expectRefused(await sponsor(service, foreign, aliceCookie), "foreign_factory");
      const city = operation(alice.address, { factory: FACTORY, factoryData: "0x12345678" });
      expect((await sponsor(service, city, aliceCookie)).result?.paymaster).toBe(PAYMASTER);
    });

    it("refuses a replayed operation: a nonce the account already used", async () => {
      chainNonce = () => 5n;
      expectRefused(await sponsor(service, operation(alice.address, { nonce: "0x4" }), aliceCookie), "nonce_used");
      expectRefused(await sponsor(service, operation(alice.address, { nonce: "0x6" }), aliceCookie), "invalid_request");
      expect((await sponsor(service, operation(alice.address, { nonce: "0x5" }), aliceCookie)).result).toBeDefined();
      expect(await usedToday(service, alice.address)).toBe(1);
    });

    it("counts the same operation asked for twice (a retry) once", async () => {
      await sponsor(service, operation(alice.address), aliceCookie);
      const again = await sponsor(
        service,
        operation(alice.address, { callGasLimit: numberToHex(130_000) }),
        aliceCookie,
      );
      expect(again.result?.paymasterData).toMatch(/^0x[0-9a-f]{154}$/);
      expect(await usedToday(service, alice.address)).toBe(1);
    });

    it("refuses over the daily quota (the stub says so before the fingerprint), and sponsors again the next Hefei day", async () => {
      for (let key = 0n; key < BigInt(OPERATIONS_PER_DAY); key++) {
        const answer = await sponsor(
          service,
          operation(alice.address, { nonce: numberToHex(key << 64n) }),
          aliceCookie,
        );
        expect(answer.result).toBeDefined();
      }
      const over = operation(alice.address, { nonce: numberToHex(9n << 64n) });
      expectRefused(await stub(service, over, aliceCookie), "daily_quota_used");
      expectRefused(await sponsor(service, over, aliceCookie), "daily_quota_used");
      const dayMs = 24 * 60 * 60 * 1000;
      service.clock.advance(dayMs);
      try {
        const { cookie } = await signIn(service, alice);
        expect((await sponsor(service, over, cookie)).result).toBeDefined();
      } finally {
        service.clock.advance(-dayMs);
      }
    });

    it("lets one of two concurrent requests at the quota's edge win", async () => {
      for (let key = 0n; key < BigInt(OPERATIONS_PER_DAY - 1); key++) {
        await sponsor(service, operation(alice.address, { nonce: numberToHex(key << 64n) }), aliceCookie);
      }
      const racing = [20n, 21n, 22n, 23n].map((key) =>
        sponsor(service, operation(alice.address, { nonce: numberToHex(key << 64n) }), aliceCookie),
      );
      const answers = await Promise.all(racing);
      expect(answers.filter((a) => a.result !== undefined)).toHaveLength(1);
      for (const refused of answers.filter((a) => a.result === undefined)) expectRefused(refused, "daily_quota_used");
      expect(await usedToday(service, alice.address)).toBe(OPERATIONS_PER_DAY);
    });

    /** 王秀芳's phone and laptop, each signed in and linked to her identity (bound once per service). */
    let wang: { phone: string; laptop: string } | undefined;
    async function wangSignedIn() {
      wang ??= { phone: await verified(service, wangPhone, WANG), laptop: await verified(service, wangLaptop, WANG) };
      return wang;
    }
    const nonceKey = (key: bigint) => numberToHex(key << 64n);
    const creating = (sender: Address, key = 0n) =>
      operation(sender, { nonce: nonceKey(key), factory: FACTORY, factoryData: "0x12345678" });

    it("refuses an account no verified person owns, in the stub already, and counts nothing", async () => {
      const { cookie } = await signIn(service, stranger);
      expect(await identityOf(service.db, stranger.address)).toBeUndefined();
      expectRefused(await stub(service, operation(stranger.address), cookie), "not_verified");
      expectRefused(await sponsor(service, operation(stranger.address), cookie), "not_verified");
      // Her first operation, the one that creates her account: not sponsored either.
      expectRefused(await stub(service, creating(stranger.address), cookie), "not_verified");
      expectRefused(await sponsor(service, creating(stranger.address), cookie), "not_verified");
      const answer = await sponsor(service, operation(stranger.address), cookie);
      expect(answer.error?.message).toMatch(/verif/i);
      const rows = await service.db.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM sponsorships", []);
      expect(Number(rows?.n)).toBe(0);
      const direct = await decideSponsorship(
        service.db,
        { sender: stranger.address, nonce: 0n, createsAccount: false, now: service.clock.now() },
        { operationsPerDay: 100, accountsPerPerson: 100 },
        true,
      );
      expect(direct).toBe("not_verified");
    });

    it("sponsors her first operation (the one creating her account) once she bound her card; a phone level is enough, no level is not", async () => {
      const { cookie } = await signIn(service, phoneOnly);
      expectRefused(await sponsor(service, creating(phoneOnly.address), cookie), "not_verified");
      expect((await bindCard(service, cookie, LIU_YANG)).status).toBe(201);
      expect((await sponsor(service, creating(phoneOnly.address), cookie)).result?.paymaster).toBe(PAYMASTER);
      const identity = await identityOf(service.db, phoneOnly.address);
      await service.db.run("UPDATE identities SET level = 'phone' WHERE id = ?", [identity?.id as string]);
      expect(
        (await sponsor(service, operation(phoneOnly.address, { nonce: nonceKey(1n) }), cookie)).result,
      ).toBeDefined();
      await service.db.run("UPDATE identities SET level = 'none' WHERE id = ?", [identity?.id as string]);
      try {
        expectRefused(
          await stub(service, operation(phoneOnly.address, { nonce: nonceKey(2n) }), cookie),
          "not_verified",
        );
        // Not even a retry of an operation signed before: nothing more is signed for her.
        expectRefused(
          await sponsor(service, operation(phoneOnly.address, { nonce: nonceKey(1n) }), cookie),
          "not_verified",
        );
      } finally {
        await service.db.run("UPDATE identities SET level = 'bank' WHERE id = ?", [identity?.id as string]);
      }
    });

    it("counts one person's addresses against one quota, and a new account of hers starts no fresh one", async () => {
      // 王秀芳 binds her card from two of her addresses: one identity, one daily quota.
      const { phone, laptop } = await wangSignedIn();
      for (let key = 0n; key < BigInt(OPERATIONS_PER_DAY); key++) {
        const answer = await sponsor(service, operation(wangPhone.address, { nonce: nonceKey(key) }), phone);
        expect(answer.result).toBeDefined();
      }
      expectRefused(await sponsor(service, operation(wangLaptop.address), laptop), "daily_quota_used");
      // A third account she verifies today shares the same day's count.
      const tablet = await verified(service, wangTablet, WANG);
      expectRefused(await stub(service, operation(wangTablet.address), tablet), "daily_quota_used");
      expectRefused(await sponsor(service, creating(wangTablet.address), tablet), "daily_quota_used");
      expect(await usedToday(service, wangTablet.address)).toBe(OPERATIONS_PER_DAY);
      // Another person's account is not affected.
      expect(
        (await sponsor(service, operation(bob.address), (await signIn(service, bob)).cookie)).result,
      ).toBeDefined();
    });

    it("sponsors a few account creations per identity, whichever of her accounts asks, not per day", async () => {
      // This service opens 1 account per person (sponsoredAccountsPerPerson).
      const { phone, laptop } = await wangSignedIn();
      expect((await sponsor(service, creating(wangPhone.address), phone)).result).toBeDefined();
      // The same account again (another operation carrying its initCode) is not a second account.
      expect((await sponsor(service, creating(wangPhone.address, 1n), phone)).result).toBeDefined();
      expectRefused(await stub(service, creating(wangLaptop.address), laptop), "new_accounts_used");
      expectRefused(await sponsor(service, creating(wangLaptop.address), laptop), "new_accounts_used");
      // Her laptop's account, once it exists, is sponsored: only its creation was refused.
      expect((await sponsor(service, operation(wangLaptop.address), laptop)).result).toBeDefined();
      const dayMs = 24 * 60 * 60 * 1000;
      service.clock.advance(dayMs);
      try {
        const fresh = (await signIn(service, wangLaptop)).cookie;
        expectRefused(await sponsor(service, creating(wangLaptop.address, 5n), fresh), "new_accounts_used");
      } finally {
        service.clock.advance(-dayMs);
      }
    });

    it("sponsors nothing once her identity is closed, and verifying again does not reset her day", async () => {
      const cookie = await verified(service, chen, CHEN_JING);
      for (const key of [0n, 1n]) {
        expect(
          (await sponsor(service, operation(chen.address, { nonce: nonceKey(key) }), cookie)).result,
        ).toBeDefined();
      }
      const closed = await call(service.app, "POST", "/identity/close", { cookie });
      expect(closed.json).toEqual({ closed: true });
      expectRefused(await stub(service, operation(chen.address, { nonce: nonceKey(2n) }), cookie), "not_verified");
      expectRefused(await sponsor(service, operation(chen.address, { nonce: nonceKey(2n) }), cookie), "not_verified");
      // The same person verifies again: the same identity, so the same day's count (2 of 3).
      expect((await bindCard(service, cookie, CHEN_JING)).status).toBe(201);
      expect((await sponsor(service, operation(chen.address, { nonce: nonceKey(2n) }), cookie)).result).toBeDefined();
      expectRefused(
        await sponsor(service, operation(chen.address, { nonce: nonceKey(3n) }), cookie),
        "daily_quota_used",
      );
    });

    it("lets one of concurrent requests from two of her accounts at the quota's edge win", async () => {
      const { phone, laptop } = await wangSignedIn();
      for (let key = 0n; key < BigInt(OPERATIONS_PER_DAY - 1); key++) {
        await sponsor(service, operation(wangPhone.address, { nonce: nonceKey(key) }), phone);
      }
      const answers = await Promise.all([
        sponsor(service, operation(wangPhone.address, { nonce: nonceKey(20n) }), phone),
        sponsor(service, operation(wangLaptop.address, { nonce: nonceKey(21n) }), laptop),
        sponsor(service, operation(wangPhone.address, { nonce: nonceKey(22n) }), phone),
        sponsor(service, operation(wangLaptop.address, { nonce: nonceKey(23n) }), laptop),
      ]);
      expect(answers.filter((a) => a.result !== undefined)).toHaveLength(1);
      for (const refused of answers.filter((a) => a.result === undefined)) expectRefused(refused, "daily_quota_used");
      expect(await usedToday(service, wangLaptop.address)).toBe(OPERATIONS_PER_DAY);
    });

    it("lets one of two of her accounts created concurrently at the creations' edge win", async () => {
      const { phone, laptop } = await wangSignedIn();
      const answers = await Promise.all([
        sponsor(service, creating(wangPhone.address), phone),
        sponsor(service, creating(wangLaptop.address), laptop),
      ]);
      expect(answers.filter((a) => a.result !== undefined)).toHaveLength(1);
      expectRefused(answers.find((a) => a.result === undefined) as never, "new_accounts_used");
    });

    it("decides concurrent requests at the quota's edge one after the other (the database, directly)", async () => {
      const limits = { operationsPerDay: 1, accountsPerPerson: 1 };
      const now = service.clock.now();
      const decisions = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          decideSponsorship(
            service.db,
            { sender: bob.address, nonce: BigInt(i), createsAccount: false, now },
            limits,
            true,
          ),
        ),
      );
      expect(decisions.filter((d) => d === "granted")).toHaveLength(1);
      expect(decisions.filter((d) => d === "daily_quota_used")).toHaveLength(7);
      expect(await usedToday(service, bob.address)).toBe(1);
    });

    it("refuses another chain and another EntryPoint", async () => {
      expectRefused(
        await rpc(
          service,
          "pm_getPaymasterData",
          [operation(alice.address), entryPoint08Address, "0x1", null],
          aliceCookie,
        ),
        "wrong_chain",
      );
      expectRefused(
        await rpc(
          service,
          "pm_getPaymasterData",
          [operation(alice.address), bob.address, numberToHex(CHAIN_ID), null],
          aliceCookie,
        ),
        "invalid_request",
      );
    });

    it("answers malformed requests with JSON-RPC errors, not a signature", async () => {
      expectRefused(await sponsor(service, { sender: "nope" }, aliceCookie), "invalid_request");
      expectRefused(
        await sponsor(service, operation(alice.address, { callData: "0x123" }), aliceCookie),
        "invalid_request",
      );
      const unknown = await rpc(service, "pm_sign", [], aliceCookie);
      expect(unknown.error?.code).toBe(-32601);
      const proto = await rpc(service, "__proto__", [], aliceCookie);
      expect(proto.error?.code).toBe(-32601);
      expect(await usedToday(service, alice.address)).toBe(0);
    });
  });
}

describe("POST /paymaster without a chain node", () => {
  let service: TestService;
  afterEach(async () => service.close());

  it("refuses to sign when it cannot read the account's nonce", async () => {
    service = await startTestService();
    const { cookie } = await signIn(service, alice);
    expectRefused(await sponsor(service, operation(alice.address), cookie), "unavailable");
  });
});
