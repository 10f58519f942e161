// Ranks the active voucher campaigns for one resident from their own spending, in the browser:
// a campaign ranks by what the resident spent where it applies (its categories, or the categories
// of its merchants, with a bonus for a shop they actually use), then by what it can take off, then
// by the soonest end. Nothing about the spending is sent anywhere; this is plain arithmetic over
// the history the page already holds. Pure, so the order is pinned by tests.

import { MERCHANT_CATEGORIES, type MerchantCategory } from "@core/enums";
import type { Address } from "viem";

export type CampaignForRanking = {
  campaignId: bigint;
  /** bit i set = IMerchantRegistry.Category(i) accepted; 0 for a merchant-list campaign. */
  categoryMask: number;
  merchants: readonly Address[];
  /** The most one voucher takes off, in fen. */
  maxDiscount: bigint;
  /** Unix seconds. */
  endsAt: bigint | number;
  /** Vouchers left to claim in the campaign, and whether this resident may claim another. */
  claimable: boolean;
};

export type SpendingProfile = {
  byCategory: Partial<Record<MerchantCategory, bigint>>;
  /** Lower-case merchant address -> what the resident paid there. */
  byMerchant: ReadonlyMap<string, bigint>;
};

export type RankedCampaign<C extends CampaignForRanking> = {
  campaign: C;
  /** Fen of the resident's own spending this campaign would have applied to. */
  relevantSpending: bigint;
  /** The categories that made it relevant, biggest first (for "because you spend on …"). */
  because: MerchantCategory[];
};

export function categoriesInMask(mask: number): MerchantCategory[] {
  return MERCHANT_CATEGORIES.filter((_, i) => (mask & (1 << i)) !== 0);
}

export function rankCampaigns<C extends CampaignForRanking>(
  campaigns: readonly C[],
  profile: SpendingProfile,
  merchantCategory: (merchant: Address) => MerchantCategory | undefined,
): RankedCampaign<C>[] {
  const ranked = campaigns.map((campaign) => {
    const categories = new Set<MerchantCategory>(
      campaign.categoryMask !== 0
        ? categoriesInMask(campaign.categoryMask)
        : campaign.merchants.map(merchantCategory).filter((c): c is MerchantCategory => c !== undefined),
    );
    let relevantSpending = 0n;
    for (const c of categories) {
      const spent = profile.byCategory[c] ?? 0n;
      if (spent > 0n) relevantSpending += spent;
    }
    // A shop the resident already uses counts twice: they will surely be back there.
    for (const m of campaign.merchants) relevantSpending += profile.byMerchant.get(m.toLowerCase()) ?? 0n;
    const because = [...categories]
      .filter((c) => (profile.byCategory[c] ?? 0n) > 0n)
      .sort((a, b) => cmpDesc(profile.byCategory[a] ?? 0n, profile.byCategory[b] ?? 0n));
    return { campaign, relevantSpending, because };
  });
  return ranked.sort(
    (a, b) =>
      Number(b.campaign.claimable) - Number(a.campaign.claimable) ||
      cmpDesc(a.relevantSpending, b.relevantSpending) ||
      cmpDesc(a.campaign.maxDiscount, b.campaign.maxDiscount) ||
      -cmpDesc(BigInt(a.campaign.endsAt), BigInt(b.campaign.endsAt)) ||
      (a.campaign.campaignId < b.campaign.campaignId ? -1 : 1),
  );
}

function cmpDesc(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
