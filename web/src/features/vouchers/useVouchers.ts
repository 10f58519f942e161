// Reading vouchers from the chain: the live campaigns (which ones: readCampaigns.ts), what I hold
// in each, and a campaign's offer in words. Shared by the Vouchers page and checkout.

import { DISCOUNT_KIND } from "@core/enums";
import { formatFen } from "@core/money";
import { useQuery } from "@tanstack/react-query";
import type { Address, Hex, PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { vouchers } from "../../contracts";
import type { voucherMessages } from "../../i18n/messages/vouchers";
import type { Translate } from "../../i18n/useT";
import { readCheckoutCampaigns, readListedCampaigns } from "./readCampaigns";

export type CampaignView = {
  campaignId: bigint;
  sponsor: Address;
  kind: number;
  discount: bigint;
  maxDiscount: bigint;
  minSpend: bigint;
  startsAt: number;
  endsAt: number;
  totalVouchers: number;
  claimed: number;
  perResidentLimit: number;
  categoryMask: number;
  merchants: readonly Address[];
  eligibleRoot: Hex;
  /** Claimed only with the city service's resident ticket, the limit counting per resident. */
  residentsOnly: boolean;
  budget: bigint;
  remainingBudget: bigint;
  status: number;
};

export type CampaignWithHolding = CampaignView & { mineClaimed: number; mineRedeemed: number };

/** What I hold in each of `campaigns` (nothing when no one is connected). */
async function withHoldings(
  client: PublicClient,
  resident: Address | undefined,
  campaigns: readonly CampaignView[],
): Promise<CampaignWithHolding[]> {
  const holdings = resident
    ? await Promise.all(
        campaigns.map(
          (c) =>
            client.readContract({ ...vouchers, functionName: "holdingOf", args: [c.campaignId, resident] }) as Promise<
              readonly [number, number]
            >,
        ),
      )
    : campaigns.map(() => [0, 0] as const);
  return campaigns.map((c, i) => ({
    ...c,
    mineClaimed: Number(holdings[i]?.[0] ?? 0),
    mineRedeemed: Number(holdings[i]?.[1] ?? 0),
  }));
}

/** The Vouchers page's campaigns: the city's first, then a few per shop (readCampaigns.ts). */
export function useActiveCampaigns(resident: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  return useQuery({
    queryKey: ["activeCampaigns", resident, block?.toString()],
    enabled: Boolean(client),
    placeholderData: (previous) => previous,
    queryFn: async () =>
      withHoldings(client as PublicClient, resident, await readListedCampaigns(client as PublicClient, vouchers)),
  });
}

/** What a checkout at `shop` could offer to claim: the city's campaigns and the shop's own. */
export function useCheckoutCampaigns(resident: Address | undefined, shop: Address, enabled: boolean) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: enabled });
  return useQuery({
    queryKey: ["checkoutCampaigns", resident, shop, block?.toString()],
    enabled: Boolean(client && enabled),
    placeholderData: (previous) => previous,
    queryFn: async () =>
      withHoldings(
        client as PublicClient,
        resident,
        await readCheckoutCampaigns(client as PublicClient, vouchers, shop),
      ),
  });
}

export type HeldVouchers = { campaign: CampaignView; claimed: number; redeemed: number; state: number };

export function useMyVouchers(resident: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  return useQuery({
    queryKey: ["myVouchers", resident, block?.toString()],
    enabled: Boolean(client && vouchers && resident),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<HeldVouchers[]> => {
      const c = client as PublicClient;
      if (!vouchers || !resident) return [];
      const held = (await c.readContract({
        ...vouchers,
        functionName: "vouchersOf",
        args: [resident, 0n, 100n],
      })) as readonly {
        campaignId: bigint;
        claimed: number;
        redeemed: number;
        state: number;
      }[];
      const campaigns = await Promise.all(
        held.map(
          (h) =>
            c.readContract({ ...vouchers, functionName: "campaign", args: [h.campaignId] }) as Promise<CampaignView>,
        ),
      );
      return held.map((h, i) => ({
        campaign: campaigns[i] as CampaignView,
        claimed: Number(h.claimed),
        redeemed: Number(h.redeemed),
        state: Number(h.state),
      }));
    },
  });
}

/** "满 30.00 减 5.00" / "10% off, at most ¥8.00": the offer in the resident's words. */
export function offerLabel(
  c: Pick<CampaignView, "kind" | "discount" | "maxDiscount" | "minSpend">,
  t: Translate<keyof (typeof voucherMessages)["zh"]>,
): string {
  if (c.kind === DISCOUNT_KIND.fixed) {
    return c.minSpend > c.discount
      ? t("fixed", { min: formatFen(c.minSpend), discount: formatFen(c.discount) })
      : t("fixedNoMin", { discount: formatFen(c.discount) });
  }
  const percent = Number(c.discount) / 100;
  return c.minSpend > 0n
    ? t("percentageMin", { min: formatFen(c.minSpend), percent, cap: formatFen(c.maxDiscount) })
    : t("percentage", { percent, cap: formatFen(c.maxDiscount) });
}
