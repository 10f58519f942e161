// GET /api/v1/insights against a real hardhat node: payments made at chosen Hefei times (the next
// blocks' timestamps are set), one refunded in part, read back through a shop's API key as the
// figures a person can check by hand; a key reads only its own shop (shop A's key asking for shop
// B is refused, B's key sees none of A's sales); customers appear only as pseudonyms that differ
// from shop to shop and contain no address. Runs on SQLite and on PostgreSQL.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Address, type Hex, keccak256, toHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hefeiWeekStart } from "../../core/insights.js";
import { toOrderRef } from "../../core/orderRef.js";
import { chainInsightsSource } from "../../server/src/api/insights.js";
import { chainShopLedger } from "../../server/src/api/ledger.js";
import {
  account,
  call,
  DATABASES,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  send,
  signIn,
  startTestService,
  walletFor,
} from "./helpers.js";

const SHOP = account(5);
const OTHER = account(6);
const P1 = account(7);
const P2 = account(8);
const P3 = account(9);
const DAY = 86_400;
/** The parts of the answer read here. */
type Answer = {
  shop: string;
  timeZone: string;
  period: { weeks: number; start: number; end: number };
  sales: { count: number; totalFen: string };
  averageTicketFen: string | null;
  customers: number;
  returningCustomers: number;
  returningFen: string;
  returningSharePercent: number | null;
  regulars: { customer: string; days: number; count: number; totalFen: string }[];
  busyHours: number[][];
  busiest: unknown;
  campaigns: unknown[];
};

let node: HardhatNode;
let deployed: Deployed;
let registry: Address;
/** Monday 00:00 Hefei of the first week with sales, and of the second. */
let W1 = 0;
let W2 = 0;
let NOW = 0;

async function at(timestamp: number) {
  await publicClientFor(node.url).request({
    method: "evm_setNextBlockTimestamp" as never,
    params: [timestamp] as never,
  });
}
let seq = 0;
async function payAt(timestamp: number, payer: typeof P1, shop: Address, fen: bigint, ref = `I-${++seq}`) {
  await at(timestamp);
  await send(node.url, deployed, payer, "pay", [shop, fen, toOrderRef(ref)]);
  return ref;
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  deployed = await deployCityYuan(node.url);
  const { abi, bytecode } = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/MerchantRegistry.sol/MerchantRegistry.json"), "utf8"),
  ) as { abi: readonly unknown[]; bytecode: Hex };
  const client = publicClientFor(node.url);
  const admin = walletFor(node.url, account(0));
  const hash = await admin.deployContract({ abi, bytecode, args: [account(0).address, 0] });
  registry = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
  const write = async (functionName: string, args: readonly unknown[]) =>
    client.waitForTransactionReceipt({
      hash: await admin.writeContract({ address: registry, abi, functionName, args }),
    });
  await write("grantRole", [keccak256(toHex("REGISTRAR_ROLE")), account(0).address]);
  await write("register", [SHOP.address, "包子铺", 0]);
  await write("register", [OTHER.address, "药店", 0]);
  for (const p of [P1, P2, P3])
    await send(node.url, deployed, account(1), "issue", [p.address, 1_000_000n, keccak256(toHex(`dep-${p.address}`))]);

  // Two Hefei weeks that start at least a week after the shops were registered.
  const chainNow = Number((await client.getBlock()).timestamp);
  W1 = hefeiWeekStart(chainNow, -2);
  W2 = W1 + 7 * DAY;
  // Week 1: P1 on Tuesday 09:00, P2 on Wednesday 12:00; P1 at the other shop on Thursday.
  await payAt(W1 + DAY + 9 * 3600, P1, SHOP.address, 1000n);
  await payAt(W1 + 2 * DAY + 12 * 3600, P2, SHOP.address, 2000n);
  await payAt(W1 + 3 * DAY + 10 * 3600, P1, OTHER.address, 100n);
  // Week 2: P1 twice on Monday at 12 (30.00, of which 5.00 is refunded, and 5.00), P3 on Tuesday
  // 23:59:59 Hefei (15:59:59 UTC); P1 again at the other shop on Tuesday morning.
  const refunded = await payAt(W2 + 12 * 3600, P1, SHOP.address, 3000n);
  await payAt(W2 + 12 * 3600 + 600, P1, SHOP.address, 500n);
  await payAt(W2 + DAY + 8 * 3600, P1, OTHER.address, 100n);
  await payAt(W2 + 2 * DAY - 1, P3, SHOP.address, 1500n);
  await at(W2 + 2 * DAY + 9 * 3600);
  await send(node.url, deployed, SHOP, "refund", [P1.address, toOrderRef(refunded), 500n]);
  // Wednesday 10:00: "now" on the chain (one more block, so the refund is confirmed).
  NOW = W2 + 2 * DAY + 10 * 3600;
  await at(NOW);
  await client.request({ method: "evm_mine" as never, params: [] as never });
}, 180_000);

afterAll(async () => {
  await node?.stop();
});

for (const database of DATABASES) {
  describe(`GET /api/v1/insights (${database})`, () => {
    it("test_Insights: a shop's figures from its receipts on chain, its own shop only, customers as pseudonyms", async () => {
      const service = await startTestService({
        database,
        config: { confirmations: 1 },
        deps: {
          shopLedger: chainShopLedger({
            client: publicClientFor(node.url),
            chainId: 31337,
            cityYuan: deployed.cityYuan,
            merchantRegistry: registry,
            deployBlock: deployed.deployBlock,
            blockRange: 50,
          }),
          insightsSource: chainInsightsSource({
            rpcUrl: node.url,
            deployBlock: deployed.deployBlock,
            contracts: {
              CityYuan: deployed.cityYuan,
              RedPacket: zeroAddress,
              Vouchers: zeroAddress,
              DelayedTransfers: zeroAddress,
              FamilyCards: zeroAddress,
              MerchantRegistry: registry,
            },
          }),
        },
      });
      try {
        const keyOf = async (shop: typeof SHOP, scopes = ["receipts:read"]) => {
          const { cookie } = await signIn(service, shop);
          const res = await call(service.app, "POST", "/merchant/keys", { cookie, body: { label: "BI", scopes } });
          expect(res.status, JSON.stringify(res.json)).toBe(201);
          return res.json.key as string;
        };
        const get = (key: string, query = "") =>
          call(service.app, "GET", `/api/v1/insights${query}`, {
            headers: { authorization: `Bearer ${key}` },
            origin: null,
            device: null,
          });
        const key = await keyOf(SHOP);

        // This week (Monday W2 to Wednesday 09:00): 25.00 + 5.00 (P1) and 15.00 (P3).
        const week = await get(key);
        expect(week.status, JSON.stringify(week.json)).toBe(200);
        const w = week.json as unknown as Answer;
        expect(w.shop).toBe(SHOP.address);
        expect(w.timeZone).toBe("Asia/Shanghai");
        // Up to the newest confirmed block (one confirmation: the refund's, at 09:00).
        expect(w.period).toMatchObject({ weeks: 1, start: W2, end: NOW - 3600 });
        expect(w.sales).toEqual({ count: 3, totalFen: "4500" });
        expect(w.averageTicketFen).toBe("1500");
        expect(w.customers).toBe(2);
        // P1 bought on two Hefei days (last week's Tuesday and this Monday): returning; P3 once.
        expect(w.returningCustomers).toBe(1);
        expect(w.returningFen).toBe("3000");
        expect(w.returningSharePercent).toBe(67);
        expect(w.busyHours[0]?.[12]).toBe(2); // Monday 12h
        expect(w.busyHours[1]?.[23]).toBe(1); // Tuesday 23:59:59 Hefei, not Wednesday
        expect(w.busyHours.flat().reduce((s, n) => s + n, 0)).toBe(3);
        expect(w.busiest).toEqual({ weekday: 0, hour: 12, count: 2 });
        expect(w.campaigns).toEqual([]);
        expect(w.regulars).toHaveLength(1);
        expect(w.regulars[0]).toMatchObject({ days: 2, count: 2, totalFen: "3000" });
        const pseudonym = w.regulars[0]?.customer as string;
        expect(pseudonym).toMatch(/^c_[0-9a-f]{12}$/);
        // No payer's address anywhere in the answer: the only address in it is the asking shop's own.
        expect([...new Set(JSON.stringify(week.json).match(/0x[0-9a-fA-F]{40}/g))]).toEqual([SHOP.address]);
        const text = JSON.stringify(w).toLowerCase();
        for (const p of [P1, P2, P3]) expect(text).not.toContain(p.address.slice(2).toLowerCase());

        // Two weeks: 10.00 and 20.00 of week 1 join; P1's 40.00 of 75.00 is 53 %.
        const two = (await get(key, "?weeks=2")).json as unknown as Answer;
        expect(two.period).toMatchObject({ weeks: 2, start: W1 });
        expect(two.sales).toEqual({ count: 5, totalFen: "7500" });
        expect([two.customers, two.returningCustomers, two.returningSharePercent]).toEqual([3, 1, 53]);
        expect(two.regulars[0]?.customer).toBe(pseudonym); // stable at this shop

        // Naming its own shop is fine; naming another is refused.
        expect((await get(key, `?shop=${SHOP.address.toLowerCase()}`)).status).toBe(200);
        const refused = await get(key, `?shop=${OTHER.address}`);
        expect([refused.status, refused.json.error]).toEqual([403, "other_shop"]);
        expect((await get(key, "?weeks=13")).json.error).toBe("invalid_field");

        // The other shop's key sees its own sales only, and the same resident under another pseudonym.
        const other = (await get(await keyOf(OTHER))).json as unknown as Answer;
        expect(other.sales).toEqual({ count: 1, totalFen: "100" });
        expect(other.returningCustomers).toBe(1);
        expect(other.regulars[0]?.customer).toMatch(/^c_[0-9a-f]{12}$/);
        expect(other.regulars[0]?.customer).not.toBe(pseudonym);

        // A key without receipts:read, or none at all: refused.
        const writeOnly = await get(await keyOf(SHOP, ["requests:write"]));
        expect([writeOnly.status, writeOnly.json.error]).toEqual([403, "insufficient_scope"]);
        expect((await call(service.app, "GET", "/api/v1/insights", { origin: null, device: null })).status).toBe(401);
      } finally {
        await service.close();
      }
    }, 120_000);
  });
}
