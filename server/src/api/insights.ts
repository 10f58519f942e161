// The merchant API's insights (GET /api/v1/insights): a shop's own receipts read from the chain
// exactly as the dApp's merchant page reads them (core/history/shopEvents.ts: payments, voucher
// checkouts, 亲属卡 payments, refunds), confirmed blocks only, and summed by core/insights.ts.
// Each shop's events are followed with core/followLogs.ts, as the dApp follows its filters: read
// once from the deployment block, then only the blocks since the last call (and the last few again),
// as long as the block pinned before those still has the same hash (a restarted or reorganised chain
// is read again from the start).
// No personal data leaves the service: payers go into the figures as per-shop pseudonyms, an HMAC
// of the address under a random salt the service keeps for that shop, so the same customer has
// another pseudonym at every other shop and none can be turned back into an address.
import { createHmac, randomBytes } from "node:crypto";
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, zeroAddress } from "viem";
import type { LedgerContracts, LedgerEvent } from "../../../core/audit/ledgerEvents.js";
import { createRpcClient, type RpcClient } from "../../../core/audit/rpc.js";
import { LogFollower } from "../../../core/followLogs.js";
import { readShopEvents } from "../../../core/history/shopEvents.js";
import { buildReceipts, netAmount } from "../../../core/history/shopReceipts.js";
import { type CampaignWindow, hefeiDate, type InsightReceipt, shopInsights } from "../../../core/insights.js";
import { merchantRegistryAbi, vouchersAbi } from "../../../generated/contracts.js";
import type { Queryable } from "../storage/Database.js";

export type InsightContracts = LedgerContracts & { FamilyCards: Address; MerchantRegistry?: Address };

/** What the insights read from the chain. */
export interface InsightsSource {
  head(): Promise<bigint>;
  blockTime(n: bigint): Promise<number>;
  /** The shop's receipts (net of refunds) up to block `to`, oldest first. */
  receipts(
    shop: Address,
    to: bigint,
  ): Promise<{ payer: Address; fen: bigint; timestamp: number; campaignId?: bigint }[]>;
  /** A voucher campaign's start and end (unix seconds); undefined when there is none. */
  campaign(id: bigint): Promise<{ start: number; end: number } | undefined>;
  /** When the shop was registered (unix seconds); undefined when not known. */
  registeredAt(shop: Address): Promise<number | undefined>;
}

export const NO_CONTRACT: Address = zeroAddress;

/** Shops whose events are kept between calls (the least recently asked is dropped first). */
const KEPT_SHOPS = 500;

/** An InsightsSource over JSON-RPC. Contracts the deployment lacks may be the zero address. */
export function chainInsightsSource(options: {
  rpcUrl: string;
  contracts: InsightContracts;
  deployBlock: bigint;
}): InsightsSource {
  const rpc: RpcClient = createRpcClient(options.rpcUrl);
  const { contracts, deployBlock } = options;
  const ethCall = async (to: Address, data: Hex) => rpc.call<Hex>("eth_call", [{ to, data }, "latest"]);
  const blockHash = async (n: bigint) =>
    (await rpc.call<{ hash: Hex } | null>("eth_getBlockByNumber", [`0x${n.toString(16)}`, false]))?.hash ?? undefined;
  const follower = new LogFollower({ maxKeys: KEPT_SHOPS });
  /** The shop's events up to block `to`, each with its block's time. */
  const shopEvents = (shop: Address, to: bigint): Promise<LedgerEvent[]> =>
    follower.logs(shop.toLowerCase(), deployBlock, {
      head: async () => to,
      blockHash,
      read: async (from, upTo) => {
        const { events, times } = await readShopEvents(rpc, contracts, shop, from, upTo);
        return events.map((e) => ({ ...e, blockTimestamp: times.get(e.blockNumber) ?? 0 }));
      },
    });
  return {
    head: async () => BigInt(await rpc.call<Hex>("eth_blockNumber", [])),
    blockTime: async (n) =>
      Number(
        BigInt((await rpc.call<{ timestamp: Hex }>("eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).timestamp),
      ),
    async receipts(shop, to) {
      if (to < deployBlock) return [];
      const events = await shopEvents(shop, to);
      const times = new Map(events.map((e) => [e.blockNumber, e.blockTimestamp ?? 0]));
      return buildReceipts(events, shop, (b) => times.get(b) ?? 0)
        .reverse()
        .map((r) => ({
          payer: r.payer,
          fen: netAmount(r),
          timestamp: r.timestamp,
          campaignId: r.voucher?.campaignId,
        }));
    },
    async campaign(id) {
      if (contracts.Vouchers === NO_CONTRACT) return undefined;
      try {
        const data = await ethCall(
          contracts.Vouchers,
          encodeFunctionData({ abi: vouchersAbi, functionName: "campaign", args: [id] }),
        );
        const view = decodeFunctionResult({ abi: vouchersAbi, functionName: "campaign", data });
        return { start: Number(view.startsAt), end: Number(view.endsAt) };
      } catch {
        return undefined;
      }
    },
    async registeredAt(shop) {
      if (contracts.MerchantRegistry === undefined || contracts.MerchantRegistry === NO_CONTRACT) return undefined;
      const data = await ethCall(
        contracts.MerchantRegistry,
        encodeFunctionData({ abi: merchantRegistryAbi, functionName: "merchantOf", args: [shop] }),
      );
      const record = decodeFunctionResult({ abi: merchantRegistryAbi, functionName: "merchantOf", data });
      return record.registeredAt === 0n ? undefined : Number(record.registeredAt);
    },
  };
}

/** The shop's pseudonym maker: `c_` and 12 hex of HMAC-SHA256(salt of the shop, payer address). */
export async function pseudonymsFor(db: Queryable, shop: Address, now: number): Promise<(payer: Address) => string> {
  const key = shop.toLowerCase();
  await db.run(
    "INSERT INTO merchant_insight_salts (shop, salt, created_at) VALUES (?, ?, ?) ON CONFLICT (shop) DO NOTHING",
    [key, randomBytes(32).toString("hex"), now],
  );
  const row = await db.get<{ salt: string }>("SELECT salt FROM merchant_insight_salts WHERE shop = ?", [key]);
  const salt = Buffer.from(row?.salt ?? "", "hex");
  return (payer) => `c_${createHmac("sha256", salt).update(payer.toLowerCase()).digest("hex").slice(0, 12)}`;
}

const fen = (n: bigint) => n.toString();

/** The insights of `shop` for the `weeks` Hefei weeks up to `now` (seconds), confirmed blocks only. */
export async function insightsOf(
  source: InsightsSource,
  db: Queryable,
  options: { shop: Address; weeks: number; confirmations: number; nowMs: number },
) {
  const { shop, weeks } = options;
  const confirmed = (await source.head()) - BigInt(options.confirmations);
  const read = confirmed < 0n ? [] : await source.receipts(shop, confirmed);
  // The chain's clock can run ahead of the service's (a test chain moved on): never drop a receipt
  // the chain has confirmed as "in the future".
  const chainNow = confirmed < 0n ? 0 : await source.blockTime(confirmed);
  const now = Math.max(Math.floor(options.nowMs / 1000), chainNow);
  const pseudonym = await pseudonymsFor(db, shop, options.nowMs);
  const receipts: InsightReceipt[] = read.map((r) => ({ ...r, payer: pseudonym(r.payer) }));
  const ids = [...new Set(read.flatMap((r) => (r.campaignId === undefined ? [] : [r.campaignId])))];
  const campaigns: CampaignWindow[] = [];
  for (const id of ids) {
    const window = await source.campaign(id);
    if (window !== undefined) campaigns.push({ id, ...window });
  }
  const i = shopInsights({
    receipts,
    now,
    weeks,
    historyStart: await source.registeredAt(shop),
    campaigns,
  });
  return {
    shop,
    timeZone: "Asia/Shanghai" as const,
    period: {
      weeks: i.period.weeks,
      start: i.period.start,
      end: i.period.end,
      from: hefeiDate(i.period.start),
      to: hefeiDate(i.period.end),
    },
    sales: { count: i.sales.count, totalFen: fen(i.sales.fen) },
    averageTicketFen: i.averageTicketFen === null ? null : fen(i.averageTicketFen),
    customers: i.customers,
    returningCustomers: i.returning.customers,
    returningFen: fen(i.returning.fen),
    returningSharePercent: i.returning.sharePercent,
    regulars: i.regulars.map((r) => ({ customer: r.payer, days: r.days, count: r.count, totalFen: fen(r.fen) })),
    busyHours: i.busyHours,
    busiest: i.busiest,
    campaigns: i.campaigns.map((c) => ({
      campaignId: c.id.toString(),
      start: c.start,
      end: c.end,
      from: hefeiDate(c.start),
      to: hefeiDate(c.end),
      running: c.running,
      days: c.days,
      sales: { count: c.sales.count, totalFen: fen(c.sales.fen) },
      before:
        c.before === null
          ? null
          : {
              weeks: c.before.weeks,
              start: c.before.start,
              end: c.before.end,
              from: hefeiDate(c.before.start),
              to: hefeiDate(c.before.end - 1),
              count: c.before.count,
              totalFen: fen(c.before.fen),
            },
      perDayFen: c.perDayFen,
      perDayBeforeFen: c.perDayBeforeFen,
      upliftPercent: c.upliftPercent,
    })),
  };
}
