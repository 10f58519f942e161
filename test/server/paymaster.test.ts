// Sponsorship the city signs (issue 22): the service's ERC-7677 methods on POST /paymaster. Only a
// signed-in resident's own account, a new account only from the city factory, only the account's
// next nonce, within the quotas per person and Hefei day, kept race-free in the database (both
// engines: SQLite always, PostgreSQL with HCY_TEST_PG_URL). The signature is checked against the
// key whose address the local deployment gave SPONSOR_SIGNER_ROLE; that the chain accepts it is
// the browser tests' part (passkey, bundler, wangAyi).
import { type Address, getAddress, type Hex, numberToHex, recoverTypedDataAddress, slice } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SPONSORSHIP_REFUSED_CODE, SPONSORSHIP_STUB_DATA, sponsorshipTypedData } from "../../core/sponsorship.js";
import { PAYMASTER_POST_OP_GAS, PAYMASTER_VERIFICATION_GAS } from "../../core/userOperationGas.js";
import { deploymentFor } from "../../generated/contracts.js";
import localhost from "../../ignition/parameters/localhost.json" with { type: "json" };
import { decideSponsorship, hefeiDay } from "../../server/src/sponsorship/quotas.js";
import { account, bindCard, call, DATABASES, signIn, startTestService, type TestService, WANG } from "./helpers.js";

const CHAIN_ID = 31337;
const deployment = deploymentFor(CHAIN_ID);
const PAYMASTER = getAddress(deployment?.contracts.CityPaymaster as string);
const FACTORY = getAddress(deployment?.contracts.CityAccountFactory as string);
const [alice, bob] = [account(6), account(7)];
/** Two addresses of one person (王秀芳), each signed in on its own. */
const [wangPhone, wangLaptop] = [account(8), account(9)];
const OPERATIONS_PER_DAY = 3;

/** The next nonce the "chain" reports: key << 64 for every key (sequence 0), unless a test sets it. */
let chainNonce: (sender: Address, key: bigint) => bigint = (_sender, key) => key << 64n;

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

async function usedToday(service: TestService, sender: Address): Promise<number> {
  const row = await service.db.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM sponsorships WHERE subject = ? AND day = ?",
    [sender.toLowerCase(), hefeiDay(service.clock.now())],
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
        deps: { accountNonce: async (sender, key) => chainNonce(sender, key) },
      });
      aliceCookie = (await signIn(service, alice)).cookie;
    });
    afterAll(async () => service.close());
    beforeEach(async () => {
      await service.db.run("DELETE FROM sponsorships");
      chainNonce = (_sender, key) => key << 64n;
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

    it("counts one person's addresses against one quota once her identity owns them", async () => {
      // 王秀芳 binds her card from two of her addresses: one identity, one daily quota.
      const phone = (await signIn(service, wangPhone)).cookie;
      const laptop = (await signIn(service, wangLaptop)).cookie;
      expect((await bindCard(service, phone, WANG)).status).toBe(201);
      expect([200, 201]).toContain((await bindCard(service, laptop, WANG)).status);
      for (let key = 0n; key < BigInt(OPERATIONS_PER_DAY); key++) {
        const answer = await sponsor(service, operation(wangPhone.address, { nonce: numberToHex(key << 64n) }), phone);
        expect(answer.result).toBeDefined();
      }
      expectRefused(await sponsor(service, operation(wangLaptop.address), laptop), "daily_quota_used");
      // Another person's account is not affected.
      expect(
        (await sponsor(service, operation(bob.address), (await signIn(service, bob)).cookie)).result,
      ).toBeDefined();
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
