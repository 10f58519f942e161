// Voucher campaigns ranked for a resident from their own spending.
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import type { MerchantCategory } from "../../core/enums";
import {
  type CampaignForRanking,
  categoriesInMask,
  rankCampaigns,
  type SpendingProfile,
} from "../../web/src/features/vouchers/ranking";

const NOODLES = "0x3333333333333333333333333333333333333333" as Address;
const BOOKS = "0x6666666666666666666666666666666666666666" as Address;
const BUS = "0x4444444444444444444444444444444444444444" as Address;
const shops: Record<string, MerchantCategory> = {
  [NOODLES.toLowerCase()]: "dining",
  [BOOKS.toLowerCase()]: "education",
  [BUS.toLowerCase()]: "transport",
};
const categoryOfShop = (a: Address) => shops[a.toLowerCase()];

const bit = (c: MerchantCategory) =>
  1 << ["dining", "grocery", "transport", "medical", "education", "retail", "services", "other"].indexOf(c);

function campaign(id: number, patch: Partial<CampaignForRanking> = {}): CampaignForRanking {
  return {
    campaignId: BigInt(id),
    categoryMask: 0,
    merchants: [],
    maxDiscount: 500n,
    endsAt: 1000n,
    claimable: true,
    ...patch,
  };
}

const profile: SpendingProfile = {
  byCategory: { dining: 30_000n, grocery: 12_000n, transport: 2_000n },
  byMerchant: new Map([[NOODLES.toLowerCase(), 8_000n]]),
};

const ids = (ranked: { campaign: CampaignForRanking }[]) => ranked.map((r) => Number(r.campaign.campaignId));

describe("rankCampaigns", () => {
  it("puts the categories I spend most on first", () => {
    const ranked = rankCampaigns(
      [
        campaign(1, { categoryMask: bit("transport") }),
        campaign(2, { categoryMask: bit("dining") }),
        campaign(3, { categoryMask: bit("grocery") }),
      ],
      profile,
      categoryOfShop,
    );
    expect(ids(ranked)).toEqual([2, 3, 1]);
    expect(ranked[0]?.relevantSpending).toBe(30_000n);
    expect(ranked[0]?.because).toEqual(["dining"]);
  });

  it("adds up several categories and says which ones, biggest first", () => {
    const [multi] = rankCampaigns(
      [campaign(1, { categoryMask: bit("transport") | bit("grocery") })],
      profile,
      categoryOfShop,
    );
    expect(multi?.relevantSpending).toBe(14_000n);
    expect(multi?.because).toEqual(["grocery", "transport"]);
  });

  it("ranks a merchant campaign by its shops' categories, and more for a shop I use", () => {
    const ranked = rankCampaigns(
      [
        campaign(1, { categoryMask: bit("dining") }),
        campaign(2, { merchants: [NOODLES] }),
        campaign(3, { merchants: [BOOKS] }),
      ],
      profile,
      categoryOfShop,
    );
    expect(ids(ranked)).toEqual([2, 1, 3]);
    expect(ranked[0]?.relevantSpending).toBe(38_000n);
    expect(ranked[2]?.relevantSpending).toBe(0n);
  });

  it("breaks ties by the bigger discount, then the sooner end, then the id", () => {
    const ranked = rankCampaigns(
      [
        campaign(1, { categoryMask: bit("medical"), maxDiscount: 100n }),
        campaign(2, { categoryMask: bit("medical"), maxDiscount: 900n, endsAt: 5000n }),
        campaign(3, { categoryMask: bit("medical"), maxDiscount: 900n, endsAt: 2000n }),
        campaign(4, { categoryMask: bit("medical"), maxDiscount: 100n }),
      ],
      profile,
      categoryOfShop,
    );
    expect(ids(ranked)).toEqual([3, 2, 1, 4]);
  });

  it("puts campaigns I can no longer claim last, whatever my spending", () => {
    const ranked = rankCampaigns(
      [campaign(1, { categoryMask: bit("dining"), claimable: false }), campaign(2, { categoryMask: bit("education") })],
      profile,
      categoryOfShop,
    );
    expect(ids(ranked)).toEqual([2, 1]);
  });

  it("with no history keeps every campaign, biggest discount first", () => {
    const empty: SpendingProfile = { byCategory: {}, byMerchant: new Map() };
    const ranked = rankCampaigns(
      [campaign(1, { maxDiscount: 200n }), campaign(2, { maxDiscount: 800n })],
      empty,
      categoryOfShop,
    );
    expect(ids(ranked)).toEqual([2, 1]);
    expect(ranked.every((r) => r.because.length === 0)).toBe(true);
  });

  it("reads category masks bit by bit in the registry's enum order", () => {
    expect(categoriesInMask(0)).toEqual([]);
    expect(categoriesInMask(0b101)).toEqual(["dining", "transport"]);
    expect(categoriesInMask(1 << 7)).toEqual(["other"]);
  });
});
