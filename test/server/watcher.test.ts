// The chain watcher against a real `hardhat node` child process: alerts for a resident, top-ups
// and cash-outs settled from Issued / Redeemed, a watcher killed mid-stream (in-process crash
// before commit, and a SIGKILLed service process) resuming with nothing missed or doubled.
import { spawn } from "node:child_process";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { JsonRpcProvider, Network } from "ethers";
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainWatcher } from "../../server/src/chain/ChainWatcher.js";
import { issuerRoleCheck } from "../../server/src/chain/issuerRole.js";
import { putContact, putLargePaymentFen } from "../../server/src/privateData.js";
import type { Database } from "../../server/src/storage/Database.js";
import { openDatabase } from "../../server/src/storage/open.js";
import {
  account,
  call,
  customer,
  DATABASES,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  send,
  signedMessage,
  signIn,
  signInVerified,
  startTestService,
  type TestService,
  tempDir,
  testConfig,
} from "./helpers.js";

let node: HardhatNode;
let deployed: Deployed;

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  deployed = await deployCityYuan(node.url);
});
afterAll(async () => {
  await node?.stop();
});

const ref = (s: string) => keccak256(toHex(s));
const issuer = account(1);
const issue = (to: Address, fen: bigint) =>
  send(node.url, deployed, issuer, "issue", [to, fen, ref(`${to}-${fen}-${Math.random()}`)]);

function watcherFor(db: Database, extra: Partial<ConstructorParameters<typeof ChainWatcher>[0]> = {}) {
  return new ChainWatcher({
    db,
    client: publicClientFor(node.url),
    deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
    confirmations: 0,
    blockRange: 2000,
    pollIntervalMs: 50,
    log: () => {},
    ...extra,
  });
}

/** An address that shares the first and last 4 hex digits of `a` but is not `a`. */
function lookAlikeOf(a: Address): Address {
  const hex = a.slice(2).toLowerCase();
  const middle = hex.slice(4, 36) === "f".repeat(32) ? "e".repeat(32) : "f".repeat(32);
  return getAddress(`0x${hex.slice(0, 4)}${middle}${hex.slice(36)}`);
}

type AlertJson = {
  id: string;
  kind: string;
  counterparty: string;
  amountFen: string;
  details: Record<string, unknown>;
};

describe("alerts", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service.close();
  });

  it("raises large-payment, burst, first-payment and poisoning alerts for a resident", async () => {
    const wang = account(6);
    const noodles = account(12);
    const grocer = account(13);
    const poisoner = account(9);
    const mum = lookAlikeOf(poisoner.address);
    await issue(wang.address, 1_000_000n);
    await issue(poisoner.address, 1_000n);
    const cookie = (await signIn(service, wang)).cookie;
    expect(
      (await call(service.app, "PUT", "/settings/alerts", { cookie, body: { largePaymentFen: 50_000 } })).status,
    ).toBe(200);
    expect(
      (await call(service.app, "POST", "/contacts", { cookie, body: { name: "妈妈", address: mum } })).status,
    ).toBe(201);

    await send(node.url, deployed, wang, "pay", [noodles.address, 60_000n, ref("order-1")]); // large, first
    for (let i = 0; i < 5; i++) await send(node.url, deployed, wang, "transfer", [grocer.address, 100n]); // burst
    await send(node.url, deployed, poisoner, "transfer", [wang.address, 1n]); // dust from a look-alike
    await send(node.url, deployed, wang, "transfer", [poisoner.address, 200n]); // copied the poisoned address

    const watcher = watcherFor(service.db);
    await watcher.pollOnce();

    const res = await call(service.app, "GET", "/alerts", { cookie });
    const alerts = res.json.alerts as AlertJson[];
    const kinds = alerts.map((a) => a.kind).sort();
    expect(kinds).toEqual(
      [
        "address_poisoning",
        "first_payment",
        "first_payment",
        "large_payment",
        "payment_burst",
        "payment_to_look_alike",
      ].sort(),
    );
    const large = alerts.find((a) => a.kind === "large_payment") as AlertJson;
    expect(large).toMatchObject({
      counterparty: noodles.address,
      amountFen: "60000",
      details: { thresholdFen: "50000" },
    });
    expect(alerts.find((a) => a.kind === "address_poisoning")).toMatchObject({
      counterparty: poisoner.address,
      details: { contactName: "妈妈", dust: true },
    });
    expect(alerts.find((a) => a.kind === "payment_to_look_alike")?.details).toMatchObject({ contactName: "妈妈" });

    // Polling again finds nothing new and doubles nothing.
    await watcher.pollOnce();
    expect(((await call(service.app, "GET", "/alerts", { cookie })).json.alerts as AlertJson[]).length).toBe(6);

    // Marking read: only the owner can.
    const bobCookie = (await signIn(service, account(7))).cookie;
    expect((await call(service.app, "POST", `/alerts/${large.id}/read`, { cookie: bobCookie })).status).toBe(404);
    expect((await call(service.app, "POST", `/alerts/${large.id}/read`, { cookie })).status).toBe(200);
    const unread = (await call(service.app, "GET", "/alerts?unread=true", { cookie })).json.alerts as AlertJson[];
    expect(unread.map((a) => a.id)).not.toContain(large.id);
    expect(unread.length).toBe(5);
  });
});

describe("top-ups and cash-outs", () => {
  let service: TestService;
  beforeAll(async () => {
    const client = publicClientFor(node.url);
    service = await startTestService({ isIssuer: issuerRoleCheck(client, deployed.cityYuan) });
  });
  afterAll(async () => {
    await service.close();
  });

  it("tops up through the issuer's desk and cashes out through the bank", async () => {
    const li = account(7);
    const cookie = (await signInVerified(service, li, customer("李明"))).cookie;
    const requested = await call(service.app, "POST", "/topups", {
      cookie,
      body: { amountFen: 20_000, cardLast4: "6225" },
    });
    expect(requested.status).toBe(201);
    const bankRef = requested.json.bankRef as Hex;
    expect(bankRef).toBe(keccak256(toHex(requested.json.id as string)));
    await service.bank.settled();

    // Only an ISSUER_ROLE holder (checked on chain) sees the desk.
    expect((await call(service.app, "GET", "/desk/topups", { cookie })).status).toBe(403);
    const deskCookie = (await signIn(service, issuer)).cookie;
    const desk = await call(service.app, "GET", "/desk/topups", { cookie: deskCookie });
    expect(desk.status).toBe(200);
    expect(desk.json.topUps).toEqual([
      expect.objectContaining({ bankRef, state: "deposit_confirmed", owner: li.address }),
    ]);

    // The desk issues from its own wallet; the watcher completes the request.
    await send(node.url, deployed, issuer, "issue", [li.address, 20_000n, bankRef]);
    const watcher = watcherFor(service.db, { onRedeemed: () => service.bank.payOutRedeemed() });
    await watcher.pollOnce();
    const mine = await call(service.app, "GET", "/topups", { cookie });
    expect(mine.json.topUps).toEqual([expect.objectContaining({ bankRef, state: "issued" })]);
    expect((await call(service.app, "GET", "/desk/topups", { cookie: deskCookie })).json.topUps).toEqual([]);

    const cashOut = await call(service.app, "POST", "/cashouts", {
      cookie,
      body: { amountFen: "5000", cardLast4: "1234" },
    });
    expect(cashOut.status).toBe(201);
    const cashRef = cashOut.json.bankRef as Hex;
    await send(node.url, deployed, li, "redeem", [5_000n, cashRef]);
    await watcher.pollOnce();
    const cashOuts = await call(service.app, "GET", "/cashouts", { cookie });
    expect(cashOuts.json.cashOuts).toEqual([expect.objectContaining({ bankRef: cashRef, state: "paid" })]);
    expect(
      await service.db.get("SELECT amount_fen, card_last4 FROM simulated_bank_payouts WHERE bank_ref = ?", [cashRef]),
    ).toEqual({ amount_fen: "5000", card_last4: "1234" });
  });

  it("settles a top-up and a cash-out asked for while verified after she closed her identity; refuses new ones", async () => {
    const zhang = account(17);
    const cookie = (await signInVerified(service, zhang, customer("张伟"))).cookie;
    const topUp = await call(service.app, "POST", "/topups", { cookie, body: { amountFen: 3_000, cardLast4: "6208" } });
    const cashOut = await call(service.app, "POST", "/cashouts", {
      cookie,
      body: { amountFen: 1_000, cardLast4: "6208" },
    });
    expect([topUp.status, cashOut.status]).toEqual([201, 201]);
    await service.bank.settled();
    expect((await call(service.app, "POST", "/identity/close", { cookie })).json).toEqual({ closed: true });
    // No person owns the account any more: nothing new, for either.
    for (const path of ["/topups", "/cashouts"]) {
      const refused = await call(service.app, "POST", path, { cookie, body: { amountFen: 100, cardLast4: "6208" } });
      expect([refused.status, refused.json.error], path).toEqual([403, "not_verified"]);
    }
    // What she asked for while verified still completes: the bank has her money, the chain her burn.
    await send(node.url, deployed, issuer, "issue", [zhang.address, 3_000n, topUp.json.bankRef]);
    const watcher = watcherFor(service.db, { onRedeemed: () => service.bank.payOutRedeemed() });
    await watcher.pollOnce();
    expect((await service.bank.topUp(topUp.json.id as string))?.state).toBe("issued");
    await send(node.url, deployed, zhang, "redeem", [1_000n, cashOut.json.bankRef]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(cashOut.json.id as string))?.state).toBe("paid");
    expect((await call(service.app, "GET", "/bank-problems", { cookie })).json.problems).toEqual([]);
  });

  it("test_RevertWhen_TopUpFieldsInvalid", async () => {
    const cookie = (await signIn(service, account(8))).cookie;
    const post = (body: unknown) => call(service.app, "POST", "/topups", { cookie, body });
    expect((await post({ cardLast4: "6225" })).json.error).toBe("missing_field");
    expect((await post({ amountFen: 100, cardLast4: "62a5" })).json.error).toBe("invalid_field");
    expect((await post({ amountFen: 0, cardLast4: "6225" })).json.error).toBe("invalid_field");
    expect((await post({ amountFen: 100, cardLast4: "12345" })).json.error).toBe("field_too_long");
    const cashOut = (body: unknown) => call(service.app, "POST", "/cashouts", { cookie, body });
    expect((await cashOut({ amountFen: 100 })).json.error).toBe("missing_field");
    expect((await cashOut({ amountFen: 100, cardLast4: "12a4" })).json.error).toBe("invalid_field");
  });

  it("signs in through the node's provider (EIP-1271 path) and still refuses a forged signature", async () => {
    const provider = new JsonRpcProvider(node.url, Network.from(31337), { staticNetwork: true });
    const withProvider = await startTestService({ provider });
    try {
      const body = await signedMessage(withProvider, account(10));
      const forged = await account(11).signMessage({ message: body.message });
      const bad = await call(withProvider.app, "POST", "/auth/verify", { body: { ...body, signature: forged } });
      expect(bad.status).toBe(401);
      expect(bad.json.error).toBe("siwe_bad_signature");
      const good = await call(withProvider.app, "POST", "/auth/verify", {
        body: await signedMessage(withProvider, account(10)),
      });
      expect(good.status).toBe(200);
    } finally {
      provider.destroy();
      await withProvider.close();
    }
  });
});

describe("restarts", () => {
  type Row = { owner: string; kind: string; tx_hash: string; log_index: number };
  const alertKeys = async (db: Database) =>
    (await db.all<Row>("SELECT owner, kind, tx_hash, log_index FROM alerts"))
      .map((r) => `${r.owner}/${r.kind}/${r.tx_hash}/${r.log_index}`)
      .sort();

  /** Many small outgoing payments from several residents, one block each. */
  async function busyChain(): Promise<void> {
    const payers = [account(14), account(15), account(16)];
    for (const p of payers) await issue(p.address, 100_000n);
    for (let i = 0; i < 8; i++) {
      for (const p of payers)
        await send(node.url, deployed, p, "transfer", [account(17 + (i % 3)).address, 10n + BigInt(i)]);
    }
  }

  async function seedPrivateData(db: Database): Promise<void> {
    await putLargePaymentFen(db, account(14).address, 15n, 1);
    await putContact(db, account(15).address, { address: lookAlikeOf(account(16).address), name: "look" }, 1);
  }

  async function reference(): Promise<string[]> {
    const temp = tempDir();
    const db = await openDatabase(testConfig(temp.dir));
    await seedPrivateData(db);
    await watcherFor(db).pollOnce();
    const keys = await alertKeys(db);
    await db.close();
    temp.remove();
    return keys;
  }

  it("test_WatcherKilledMidStream_ResumesWithNothingMissedOrDoubled", async () => {
    await busyChain();
    const expected = await reference();
    expect(expected.length).toBeGreaterThan(10);
    const head = await publicClientFor(node.url).getBlockNumber();
    const crashAt = deployed.deployBlock + (head - deployed.deployBlock) / 2n;

    const temp = tempDir();
    const config = testConfig(temp.dir);
    let db = await openDatabase(config);
    await seedPrivateData(db);
    // Dies after writing a batch's alerts and before its commit: the worst moment.
    const crashing = watcherFor(db, {
      blockRange: 3,
      beforeCommit: (to) => {
        if (to >= crashAt) throw new Error("killed");
      },
    });
    await expect(crashing.pollOnce()).rejects.toThrow("killed");
    const cursor = await db.get<{ block_number: number }>("SELECT block_number FROM chain_cursor");
    expect(BigInt(cursor?.block_number ?? 0)).toBeLessThan(crashAt);
    const partial = await alertKeys(db);
    expect(partial.length).toBeLessThan(expected.length);
    await db.close();

    db = await openDatabase(config);
    await watcherFor(db, { blockRange: 3 }).pollOnce();
    expect(await alertKeys(db)).toEqual(expected);
    await db.close();
    temp.remove();
  });

  it("two instances watching one database process every block once, whoever gets there first", async () => {
    const expected = await reference();
    for (const kind of DATABASES) {
      const service = await startTestService({ database: kind });
      await seedPrivateData(service.db);
      const secondDb = await openDatabase(service.config);
      // Different batch sizes, so the two keep overlapping ranges and racing for the same cursor.
      const watchers = [watcherFor(service.db, { blockRange: 2 }), watcherFor(secondDb, { blockRange: 3 })];
      await Promise.all([...watchers, ...watchers].map((w) => w.pollOnce()));
      expect(await alertKeys(service.db), kind).toEqual(expected);
      const rows = await service.db.all<{ n: number | string }>(
        "SELECT COUNT(*) AS n FROM chain_transfers GROUP BY tx_hash, log_index HAVING COUNT(*) > 1",
      );
      expect(rows, kind).toEqual([]);
      // One that lost a race stopped where the winner had got to; its next poll reads on from there.
      for (const w of watchers) await w.pollOnce();
      const head = Number(await publicClientFor(node.url).getBlockNumber());
      expect(watchers.map((w) => w.status.lastBlock)).toEqual([head, head]);
      expect(await alertKeys(service.db), kind).toEqual(expected);
      await secondDb.close();
      await service.close();
    }
  });

  it("test_ServiceProcessSigkilled_ResumesWithNothingMissedOrDoubled", async () => {
    const expected = await reference();
    const head = await publicClientFor(node.url).getBlockNumber();
    const temp = tempDir();
    const config = testConfig(temp.dir);
    const seedDb = await openDatabase(config);
    await seedPrivateData(seedDb);
    await seedDb.close();

    const env = {
      ...process.env,
      HCY_DATA_DIR: temp.dir,
      HCY_SERVER_PORT: String(await freePort()),
      HCY_RPC_URL: node.url,
      HCY_CITY_YUAN_ADDRESS: deployed.cityYuan,
      HCY_DEPLOY_BLOCK: String(deployed.deployBlock),
      HCY_LOG_BLOCK_RANGE: "1",
      HCY_POLL_INTERVAL_MS: "50",
    };
    const file = path.join(temp.dir, "city.db");
    const cursorOf = () => {
      try {
        const reader = new DatabaseSync(file, { readOnly: true });
        try {
          const row = reader.prepare("SELECT block_number FROM chain_cursor").get() as
            | { block_number: number }
            | undefined;
          return BigInt(row?.block_number ?? -1);
        } finally {
          reader.close();
        }
      } catch {
        return -1n; // busy or not created yet
      }
    };
    // The service itself, not a tsx wrapper around it: SIGKILL to a wrapper would leave the real
    // service running as an orphan, and the test would not kill anything.
    const run = () =>
      spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], { cwd: ROOT, env, stdio: "ignore" });

    const first = run();
    const deadline = Date.now() + 60_000;
    while (cursorOf() < deployed.deployBlock + 3n && Date.now() < deadline) await sleep(5);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const atKill = cursorOf();
    expect(atKill).toBeGreaterThanOrEqual(deployed.deployBlock + 3n);
    expect(atKill).toBeLessThan(head); // killed mid-stream, not after the end

    const second = run();
    while (cursorOf() < head && Date.now() < deadline + 60_000) await sleep(50);
    second.kill("SIGTERM");
    await new Promise((resolve) => second.once("exit", resolve));
    const db = await openDatabase(config);
    expect(await alertKeys(db)).toEqual(expected);
    await db.close();
    temp.remove();
  });
});
