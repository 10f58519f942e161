// Voucher campaign uplift in GET /api/v1/insights, for real: a hardhat node with CityYuan, the
// MerchantRegistry and the Vouchers contract, a city campaign for two shops, and sales at chosen
// times (the next blocks' timestamps are set) — plain payments and voucher checkouts before,
// during and after the campaign, one checkout refunded. The answer's figures are the ones a person
// works out by hand from the list below. The answer names no payer: no address but the shop's own.
// Runs on SQLite and on PostgreSQL.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Address, type Hex, keccak256, toHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOUNT_KIND } from "../../core/enums.js";
import { hefeiDate, hefeiWeekStart } from "../../core/insights.js";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi, vouchersAbi } from "../../generated/contracts.js";
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
import { responseChecker } from "./openApiCheck.js";

const SHOP = account(5);
const OTHER = account(6);
const P1 = account(7);
const P2 = account(8);
const P3 = account(9);
const OFFICE = account(10);
const DAY = 86_400;
const HOUR = 3600;

let node: HardhatNode;
let deployed: Deployed;
let registry: Address;
let vouchers: Address;
/** The campaign's start (a Hefei Monday 00:00 at least three weeks after the shops registered) and end. */
let S = 0;
let E = 0;
let NOW = 0;
let campaignId = 0n;

const artifact = (name: string) =>
  JSON.parse(readFileSync(path.join(ROOT, `artifacts/contracts/${name}.sol/${name}.json`), "utf8")) as {
    abi: readonly unknown[];
    bytecode: Hex;
  };

async function at(timestamp: number) {
  await publicClientFor(node.url).request({
    method: "evm_setNextBlockTimestamp" as never,
    params: [timestamp] as never,
  });
}

async function write(
  signer: typeof P1,
  address: Address,
  abi: readonly unknown[],
  functionName: string,
  args: unknown[],
) {
  const hash = await walletFor(node.url, signer).writeContract({ address, abi, functionName, args });
  const receipt = await publicClientFor(node.url).waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
}

let seq = 0;
/** A plain CityYuan payment at `timestamp`. */
async function payAt(timestamp: number, payer: typeof P1, shop: Address, fen: bigint) {
  await at(timestamp);
  await send(node.url, deployed, payer, "pay", [shop, fen, toOrderRef(`C-${++seq}`)]);
}
/** A voucher checkout at `timestamp`: the payer approves her part a minute before. Returns its order ref. */
async function redeemAt(timestamp: number, payer: typeof P1, shop: Address, price: bigint) {
  await at(timestamp - 60);
  await write(payer, deployed.cityYuan, cityYuanAbi, "approve", [vouchers, price]);
  await at(timestamp);
  const ref = toOrderRef(`C-${++seq}`);
  await write(payer, vouchers, vouchersAbi, "redeem", [campaignId, shop, price, ref]);
  return ref;
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  deployed = await deployCityYuan(node.url);
  const client = publicClientFor(node.url);
  const admin = walletFor(node.url, account(0));
  const deploy = async (name: string, args: unknown[]) => {
    const { abi, bytecode } = artifact(name);
    const hash = await admin.deployContract({ abi, bytecode, args });
    return (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
  };
  const registryAbi = artifact("MerchantRegistry").abi;
  registry = await deploy("MerchantRegistry", [account(0).address, 0]);
  await write(account(0), registry, registryAbi, "grantRole", [keccak256(toHex("REGISTRAR_ROLE")), account(0).address]);
  await write(account(0), registry, registryAbi, "register", [SHOP.address, "包子铺", 0]);
  await write(account(0), registry, registryAbi, "register", [OTHER.address, "药店", 0]);
  const registered = Number((await client.getBlock()).timestamp);
  vouchers = await deploy("Vouchers", [deployed.cityYuan, registry, account(0).address, 0]);
  await write(account(0), vouchers, vouchersAbi, "grantRole", [keccak256(toHex("CITY_SPONSOR_ROLE")), OFFICE.address]);
  for (const p of [P1, P2, P3, OFFICE])
    await send(node.url, deployed, account(1), "issue", [p.address, 1_000_000n, keccak256(toHex(`dep-${p.address}`))]);

  S = hefeiWeekStart(registered, -4); // 21 to 28 days after the registration
  E = S + 10 * DAY;
  NOW = E + 2 * DAY;

  // More than two weeks before the campaign: outside the weeks it is compared with.
  await payAt(S - 20 * DAY, P1, SHOP.address, 9900n);
  // The city's voucher office opens the campaign for both shops: 5.00 off a spend of 20.00.
  await at(S - 15 * DAY);
  await write(OFFICE, deployed.cityYuan, cityYuanAbi, "approve", [vouchers, 10n * 500n]);
  await write(OFFICE, vouchers, vouchersAbi, "createCampaign", [
    {
      kind: DISCOUNT_KIND.fixed,
      discount: 500n,
      cap: 0n,
      minSpend: 2000n,
      startsAt: S,
      endsAt: E,
      totalVouchers: 10,
      perResidentLimit: 2,
      categoryMask: 0,
      merchants: [SHOP.address, OTHER.address],
      eligibleRoot: `0x${"0".repeat(64)}`,
      listSalt: `0x${"0".repeat(64)}`,
      residentsOnly: false,
    },
  ]);
  campaignId = (await client.readContract({
    address: vouchers,
    abi: vouchersAbi,
    functionName: "campaignCount",
  })) as bigint;
  for (const p of [P1, P2, P3])
    for (let i = 0; i < 2; i++) await write(p, vouchers, vouchersAbi, "claim", [campaignId, []]);

  // The two weeks before: 50.00 + 40.00 + 50.00 = 140.00, 10.00 a day.
  await payAt(S - 13 * DAY + 10 * HOUR, P1, SHOP.address, 5000n);
  await payAt(S - 6 * DAY + 12 * HOUR, P2, SHOP.address, 4000n);
  await payAt(S - DAY + 9 * HOUR, P3, SHOP.address, 5000n);
  // The campaign's ten days: 30.00 paid, 60.00 and 40.00 with vouchers (the shop receives the
  // whole price), 35.00 paid = 165.00, 16.50 a day; a voucher checkout at the other shop; a
  // 20.00 checkout here refunded in full (no sale).
  await payAt(S + DAY + 12 * HOUR, P1, SHOP.address, 3000n);
  await redeemAt(S + 2 * DAY + 18 * HOUR, P2, SHOP.address, 6000n);
  await redeemAt(S + 3 * DAY, P1, OTHER.address, 2500n);
  await redeemAt(S + 5 * DAY + 9 * HOUR, P3, SHOP.address, 4000n);
  const refunded = await redeemAt(S + 6 * DAY, P2, SHOP.address, 2000n);
  await at(S + 6 * DAY + HOUR);
  await write(SHOP, deployed.cityYuan, cityYuanAbi, "approve", [vouchers, 2000n]);
  await write(SHOP, vouchers, vouchersAbi, "refundSale", [campaignId, P2.address, refunded, 2000n]);
  await payAt(S + 9 * DAY + 20 * HOUR, P3, SHOP.address, 3500n);
  // After the campaign: not counted in it.
  await payAt(E + DAY, P1, SHOP.address, 7000n);
  await at(NOW);
  await client.request({ method: "evm_mine" as never, params: [] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
}, 180_000);

afterAll(async () => {
  await node?.stop();
});

type Campaign = Record<string, unknown>;

for (const database of DATABASES) {
  describe(`voucher campaign uplift in /api/v1/insights (${database})`, () => {
    it("test_CampaignUplift: sales per day during a real campaign against the two weeks before, refunds and other shops left out", async () => {
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
              Vouchers: vouchers,
              DelayedTransfers: zeroAddress,
              FamilyCards: zeroAddress,
              MerchantRegistry: registry,
            },
          }),
        },
      });
      try {
        const insightsOf = async (shop: typeof SHOP) => {
          const { cookie } = await signIn(service, shop);
          const made = await call(service.app, "POST", "/merchant/keys", {
            cookie,
            body: { label: "BI", scopes: ["receipts:read"] },
          });
          expect(made.status, JSON.stringify(made.json)).toBe(201);
          const res = await call(service.app, "GET", "/api/v1/insights?weeks=4", {
            headers: { authorization: `Bearer ${made.json.key}` },
            origin: null,
            device: null,
          });
          expect(res.status, JSON.stringify(res.json)).toBe(200);
          // The answer is what /openapi.json documents.
          const doc = await call(service.app, "GET", "/openapi.json", { origin: null });
          (await responseChecker(doc.json))("get", "/api/v1/insights", 200, res.json);
          return res.json as { campaigns: Campaign[] } & Record<string, unknown>;
        };

        const mine = await insightsOf(SHOP);
        expect(mine.campaigns).toEqual([
          {
            campaignId: campaignId.toString(),
            start: S,
            end: E,
            from: hefeiDate(S),
            to: hefeiDate(E),
            running: false,
            days: 10,
            sales: { count: 4, totalFen: "16500" },
            before: {
              weeks: 2,
              start: S - 14 * DAY,
              end: S,
              from: hefeiDate(S - 14 * DAY),
              to: hefeiDate(S - 1),
              count: 3,
              totalFen: "14000",
            },
            perDayFen: 1650,
            perDayBeforeFen: 1000,
            upliftPercent: 65,
          },
        ]);

        // The other shop: one checkout in the campaign and nothing before it — no uplift to tell.
        const theirs = await insightsOf(OTHER);
        expect(theirs.campaigns).toEqual([
          expect.objectContaining({
            campaignId: campaignId.toString(),
            sales: { count: 1, totalFen: "2500" },
            before: expect.objectContaining({ weeks: 2, count: 0, totalFen: "0" }),
            perDayFen: 250,
            perDayBeforeFen: 0,
            upliftPercent: null,
          }),
        ]);

        // No payer in either answer: the only address in it is the asking shop's own.
        for (const [answer, shop] of [
          [mine, SHOP],
          [theirs, OTHER],
        ] as const) {
          const text = JSON.stringify(answer);
          const addresses = [...new Set(text.match(/0x[0-9a-fA-F]{40}/g) ?? [])];
          expect(addresses).toEqual([shop.address]);
          for (const p of [P1, P2, P3, OFFICE])
            expect(text.toLowerCase()).not.toContain(p.address.slice(2).toLowerCase());
        }
      } finally {
        await service.close();
      }
    }, 120_000);
  });
}
