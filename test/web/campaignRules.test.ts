// The voucher a resident can claim and use at checkout: the same rules Vouchers.redeem checks.
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { CAMPAIGN_STATUS, DISCOUNT_KIND } from "../../core/enums";
import { bestClaimableOffer, canClaim, discountOf } from "../../web/src/features/vouchers/campaignRules";
import type { CampaignWithHolding } from "../../web/src/features/vouchers/useVouchers";

const NOODLES = "0x3333333333333333333333333333333333333333" as Address;
const BOOKS = "0x6666666666666666666666666666666666666666" as Address;
const DINING = 0;
const EDUCATION = 4;
const NOW = 1_800_000_000;

function campaign(id: number, patch: Partial<CampaignWithHolding> = {}): CampaignWithHolding {
  return {
    campaignId: BigInt(id),
    sponsor: "0x1111111111111111111111111111111111111111",
    kind: DISCOUNT_KIND.fixed,
    discount: 500n,
    maxDiscount: 500n,
    minSpend: 2_000n,
    startsAt: NOW - 60,
    endsAt: NOW + 86_400,
    totalVouchers: 10,
    claimed: 0,
    perResidentLimit: 1,
    categoryMask: 1 << DINING,
    merchants: [],
    eligibleRoot: `0x${"0".repeat(64)}`,
    residentsOnly: false,
    budget: 5_000n,
    remainingBudget: 5_000n,
    status: CAMPAIGN_STATUS.active,
    mineClaimed: 0,
    mineRedeemed: 0,
    ...patch,
  };
}

const offer = (campaigns: CampaignWithHolding[], merchant = NOODLES, category = DINING, price = 3_000n) =>
  bestClaimableOffer(campaigns, merchant, category, price, NOW);

describe("discountOf", () => {
  it("takes a fixed amount, or a share of the price up to the cap", () => {
    expect(discountOf(campaign(1), 3_000n)).toBe(500n);
    const tenPercent = campaign(2, { kind: DISCOUNT_KIND.percentage, discount: 1_000n, maxDiscount: 250n });
    expect(discountOf(tenPercent, 2_000n)).toBe(200n);
    expect(discountOf(tenPercent, 9_999n)).toBe(250n);
  });
});

describe("bestClaimableOffer", () => {
  it("offers the open campaign that takes the most off at this shop", () => {
    const found = offer([
      campaign(1),
      campaign(2, { discount: 800n, maxDiscount: 800n, merchants: [NOODLES], categoryMask: 0 }),
      campaign(3, { discount: 900n, maxDiscount: 900n, categoryMask: 1 << EDUCATION }),
    ]);
    expect(found?.campaign.campaignId).toBe(2n);
    expect(found?.discount).toBe(800n);
  });

  it("on a tie, offers the one that ends soonest", () => {
    const found = offer([campaign(1, { endsAt: NOW + 500 }), campaign(2, { endsAt: NOW + 100 })]);
    expect(found?.campaign.campaignId).toBe(2n);
  });

  it("offers nothing another shop's list, category, window, minimum spend or budget rules out", () => {
    expect(offer([campaign(1, { merchants: [BOOKS], categoryMask: 0 })])).toBeNull();
    expect(offer([campaign(1)], BOOKS, EDUCATION)).toBeNull();
    expect(offer([campaign(1, { startsAt: NOW + 10, status: CAMPAIGN_STATUS.scheduled })])).toBeNull();
    expect(offer([campaign(1, { endsAt: NOW })])).toBeNull();
    expect(offer([campaign(1)], NOODLES, DINING, 1_999n)).toBeNull();
    expect(offer([campaign(1, { remainingBudget: 499n })])).toBeNull();
    expect(offer([campaign(1, { status: CAMPAIGN_STATUS.stopped })])).toBeNull();
  });

  it("offers nothing the resident may not claim here: sold out, her limit reached, a list or a resident ticket", () => {
    expect(offer([campaign(1, { claimed: 10 })])).toBeNull();
    expect(offer([campaign(1, { mineClaimed: 1 })])).toBeNull();
    expect(offer([campaign(1, { eligibleRoot: `0x${"ab".repeat(32)}` })])).toBeNull();
    expect(offer([campaign(1, { residentsOnly: true })])).toBeNull();
    expect(canClaim(campaign(1, { residentsOnly: true }))).toBe(true);
  });
});
