// The campaigns the dApp offers, read from the chain. The city's own list (Vouchers.cityCampaigns)
// comes first: only the city's voucher office adds to it, so no shop, however many campaigns it
// opens, can push the city's out of sight. Shops' campaigns come from the id scan and from the
// shop's own list at its checkout, at most a few per shop, so one shop's flood of campaigns takes a
// few places, not the page. Pure over a viem client (no React), so a node test runs it against the
// real contract with 500 spam campaigns.

import type { Address, PublicClient } from "viem";
// A relative path, not the @generated alias, so the node test (outside Vite) can import this file.
import type { vouchersAbi } from "../../../../generated/contracts";

export type VouchersContract = { address: Address; abi: typeof vouchersAbi };

type Campaign = { campaignId: bigint; sponsor: Address };

/** Campaigns per page; the contract looks at most at 500 entries per call whatever is asked. */
const PAGE = 50n;
/** Pages of the id scan and of the city's list: 500 live campaigns each. */
export const MAX_PAGES = 10;
/** The newest live campaigns of one shop that are offered; the rest stay on the shop's own list. */
export const CAMPAIGNS_PER_SHOP = 3;

/** Every live campaign of the city, newest first (one read while the city runs fewer than 50). */
export async function readCityCampaigns(client: PublicClient, vouchers: VouchersContract) {
  const found = [];
  let cursor = 0n;
  for (let page = 0; page < MAX_PAGES; page++) {
    const [campaigns, next] = await client.readContract({
      ...vouchers,
      functionName: "cityCampaigns",
      args: [cursor, PAGE],
    });
    found.push(...campaigns);
    if (next === 0n) break;
    cursor = next;
  }
  return found;
}

/** A shop's own newest live campaigns (one read). */
export async function readShopCampaigns(client: PublicClient, vouchers: VouchersContract, shop: Address) {
  const [campaigns] = await client.readContract({
    ...vouchers,
    functionName: "sponsorCampaigns",
    args: [shop, 0n, BigInt(CAMPAIGNS_PER_SHOP)],
  });
  return campaigns;
}

/** Live campaigns by id, oldest first, up to {@link MAX_PAGES} pages. */
export async function readScannedCampaigns(client: PublicClient, vouchers: VouchersContract) {
  const found = [];
  let cursor = 1n;
  for (let page = 0; page < MAX_PAGES && cursor !== 0n; page++) {
    const [campaigns, next] = await client.readContract({
      ...vouchers,
      functionName: "activeCampaigns",
      args: [cursor, PAGE],
    });
    found.push(...campaigns);
    cursor = next;
  }
  return found;
}

/**
 * The city's campaigns, all of them and first, then the others with at most
 * {@link CAMPAIGNS_PER_SHOP} per sponsor (the newest), each campaign once.
 */
export function mergeCampaigns<C extends Campaign>(city: readonly C[], others: readonly C[]): C[] {
  const seen = new Set(city.map((c) => c.campaignId));
  const perSponsor = new Map<string, C[]>();
  for (const c of others) {
    if (seen.has(c.campaignId)) continue;
    seen.add(c.campaignId);
    const key = c.sponsor.toLowerCase();
    perSponsor.set(key, [...(perSponsor.get(key) ?? []), c]);
  }
  const newestFew = [...perSponsor.values()].flatMap((list) =>
    [...list].sort((a, b) => (a.campaignId > b.campaignId ? -1 : 1)).slice(0, CAMPAIGNS_PER_SHOP),
  );
  return [...city, ...newestFew];
}

/** What the Vouchers page lists: the city's campaigns, then shops' campaigns from the id scan. */
export async function readListedCampaigns(client: PublicClient, vouchers: VouchersContract) {
  const [city, scanned] = await Promise.all([
    readCityCampaigns(client, vouchers),
    readScannedCampaigns(client, vouchers),
  ]);
  return mergeCampaigns(city, scanned);
}

/** What a checkout at `shop` can offer to claim: the city's campaigns and the shop's own. */
export async function readCheckoutCampaigns(client: PublicClient, vouchers: VouchersContract, shop: Address) {
  const [city, own] = await Promise.all([
    readCityCampaigns(client, vouchers),
    readShopCampaigns(client, vouchers, shop),
  ]);
  return mergeCampaigns(city, own);
}
