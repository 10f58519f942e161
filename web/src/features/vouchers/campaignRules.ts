// Which campaigns a resident may claim, and the voucher she could claim and use in the same
// checkout when she holds none that applies: the rules Vouchers.claim and Vouchers.redeem check
// (window, shop or category, minimum spend, budget), over the active campaigns the Vouchers page
// lists. A passkey account claims and redeems in one user operation (one fingerprint); other
// wallets claim first on the Vouchers page. Pure, so the choice is pinned by tests.

import { CAMPAIGN_STATUS, DISCOUNT_KIND } from "@core/enums";
import type { Address } from "viem";
import type { CampaignView, CampaignWithHolding } from "./useVouchers";

/** Basis points of a percentage discount (Vouchers._BPS). */
const BPS = 10_000n;
const ZERO_ROOT = `0x${"0".repeat(64)}`;

export function isOpenToAll(c: CampaignView): boolean {
  return c.eligibleRoot.toLowerCase() === ZERO_ROOT;
}

export function canClaim(c: CampaignWithHolding): boolean {
  return (
    isOpenToAll(c) &&
    c.claimed < c.totalVouchers &&
    c.mineClaimed < c.perResidentLimit &&
    (c.status === CAMPAIGN_STATUS.scheduled || c.status === CAMPAIGN_STATUS.active)
  );
}

export type ClaimableOffer = { campaign: CampaignWithHolding; discount: bigint };

/** What `c` takes off `price` (Vouchers._discount). */
export function discountOf(c: Pick<CampaignWithHolding, "kind" | "discount" | "maxDiscount">, price: bigint): bigint {
  if (c.kind === DISCOUNT_KIND.fixed) return c.discount;
  const share = (price * c.discount) / BPS;
  return share < c.maxDiscount ? share : c.maxDiscount;
}

function acceptsShop(c: CampaignWithHolding, merchant: Address, category: number): boolean {
  if (c.merchants.length > 0) return c.merchants.some((m) => m.toLowerCase() === merchant.toLowerCase());
  return ((c.categoryMask >> category) & 1) === 1;
}

/**
 * The open campaign (no list, no resident ticket) that takes the most off `price` at `merchant`
 * (an active shop of `category`) at `nowSeconds`, and that discount; the one ending soonest on a tie.
 */
export function bestClaimableOffer(
  campaigns: readonly CampaignWithHolding[],
  merchant: Address,
  category: number,
  price: bigint,
  nowSeconds: number,
): ClaimableOffer | null {
  let best: ClaimableOffer | null = null;
  for (const c of campaigns) {
    if (!canClaim(c) || c.residentsOnly || c.status !== CAMPAIGN_STATUS.active) continue;
    if (nowSeconds < c.startsAt || nowSeconds >= c.endsAt || price < c.minSpend) continue;
    if (!acceptsShop(c, merchant, category)) continue;
    const discount = discountOf(c, price);
    if (discount === 0n || discount > c.remainingBudget || discount > price) continue;
    if (!best || discount > best.discount || (discount === best.discount && c.endsAt < best.campaign.endsAt))
      best = { campaign: c, discount };
  }
  return best;
}
