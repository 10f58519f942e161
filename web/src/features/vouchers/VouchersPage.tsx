// Vouchers (消费券): the active campaigns ranked for me from my own history (computed here, never
// sent anywhere), claim one, and the vouchers I hold with their state. The best one is applied at
// checkout by <BestVoucher> on the Pay page.

import { categoryName, type MerchantCategory } from "@core/enums";
import type { HistoryEntry } from "@core/history/assemble";
import { readMerchants } from "@core/history/merchantDirectory";
import { spendingByCategory } from "@core/history/summary";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Address, PublicClient } from "viem";
import { useConnection, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { deployment } from "../../contracts";
import { voucherMessages } from "../../i18n/messages/vouchers";
import { useLang, useT } from "../../i18n/useT";
import { useHistory } from "../history/useHistory";
import { useHistoryLabels } from "../history/useHistoryLabels";
import { ClaimVoucher } from "./ClaimVoucher";
import { categoriesInMask, rankCampaigns, type SpendingProfile } from "./ranking";
import "./vouchers.css";
import { useFormat } from "../../i18n/useFormat";
import { canClaim, isOpenToAll } from "./campaignRules";
import { type CampaignWithHolding, offerLabel, useActiveCampaigns, useMyVouchers } from "./useVouchers";

function merchantSpending(entries: readonly HistoryEntry[]): Map<string, bigint> {
  const byMerchant = new Map<string, bigint>();
  for (const e of entries) {
    if (!e.counterparty) continue;
    const key = e.counterparty.toLowerCase();
    if ((e.kind === "payment" || e.kind === "voucherPayment") && e.direction === "out")
      byMerchant.set(key, (byMerchant.get(key) ?? 0n) + e.amount);
    else if (e.kind === "refund" && e.direction === "in") byMerchant.set(key, (byMerchant.get(key) ?? 0n) - e.amount);
  }
  return byMerchant;
}

export default function VouchersPage() {
  const t = useT(voucherMessages);
  const lang = useLang();
  const client = usePublicClient({ chainId: cityChain.id });
  const { address: me } = useConnection();
  const history = useHistory(me);
  const labels = useHistoryLabels(me, history.entries);
  const active = useActiveCampaigns(me);
  const mine = useMyVouchers(me);
  const [claiming, setClaiming] = useState<CampaignWithHolding | null>(null);

  const campaignMerchants = useMemo(
    () => [...new Set((active.data ?? []).flatMap((c) => c.merchants))].sort(),
    [active.data],
  );
  const shops = useQuery({
    queryKey: ["campaignMerchants", campaignMerchants.join(",")],
    enabled: Boolean(client && deployment && campaignMerchants.length > 0),
    queryFn: () =>
      readMerchants(client as PublicClient, deployment?.contracts.MerchantRegistry as Address, campaignMerchants),
  });

  // Everything below is computed on this device from the history it already holds.
  const profile: SpendingProfile = useMemo(() => {
    const byCategory = spendingByCategory(history.entries, labels.category) as SpendingProfile["byCategory"];
    return { byCategory, byMerchant: merchantSpending(history.entries) };
  }, [history.entries, labels.category]);
  const ranked = useMemo(
    () =>
      rankCampaigns(
        (active.data ?? []).map((c) => ({ ...c, claimable: canClaim(c) })),
        profile,
        (m) =>
          shops.data?.get(m.toLowerCase())?.category ?? labels.merchants.get(m.toLowerCase())?.category ?? undefined,
      ),
    [active.data, profile, shops.data, labels.merchants],
  );

  const stateLabel = (s: number) => [t("stateUsable"), t("stateNotYetValid"), t("stateUsed"), t("stateVoid")][s] ?? "";
  const fmt = useFormat();
  const date = (seconds: number) => fmt.date(seconds * 1000);
  const where = (c: { categoryMask: number }) =>
    c.categoryMask !== 0
      ? categoriesInMask(c.categoryMask)
          .map((cat) => categoryName(cat, lang))
          .join("、")
      : null;

  if (claiming) {
    return (
      <ClaimVoucher
        key={claiming.campaignId.toString()}
        campaign={claiming}
        what={offerLabel(claiming, t)}
        where={where(claiming) ?? claiming.merchants.map((m) => <AddressText key={m} address={m} />)}
        onClose={() => setClaiming(null)}
      />
    );
  }

  return (
    <div className="stack">
      <h1>
        <span aria-hidden="true">🎟 </span>
        {t("title")}
      </h1>
      <p className="notice" role="note" data-testid="vouchers-privacy">
        {t("privacy")}
      </p>

      <section className="card stack" aria-labelledby="active-campaigns">
        <h2 id="active-campaigns">{t("activeTitle")}</h2>
        {active.isLoading && <p className="progress">{t("loading")}</p>}
        {active.isError && !active.data && <p className="error">{t("readFailed")}</p>}
        {active.data?.length === 0 && <p>{t("activeEmpty")}</p>}
        <ol className="voucher-list">
          {ranked.map(({ campaign: c, because }) => (
            <li key={c.campaignId.toString()} data-testid={`campaign-${c.campaignId}`}>
              <article className="stack voucher-card">
                <h3>{offerLabel(c, t)}</h3>
                <p>
                  {t("where")}:{" "}
                  {where(c) ?? (
                    <>
                      {t("whereMerchants")}
                      {c.merchants.map((m) => (
                        <AddressText key={m} address={m} />
                      ))}
                    </>
                  )}
                </p>
                <p className="hint">
                  {t("window", { start: date(c.startsAt), end: date(c.endsAt) })} ·{" "}
                  {t("left", { left: c.totalVouchers - c.claimed, total: c.totalVouchers })} ·{" "}
                  {t("perResident", { limit: c.perResidentLimit })}
                </p>
                {because.length > 0 && (
                  <p className="hint">
                    {t("because", {
                      categories: because.map((cat: MerchantCategory) => categoryName(cat, lang)).join("、"),
                    })}
                  </p>
                )}
                {!isOpenToAll(c) && <p className="hint">{t("inviteOnly")}</p>}
                {c.residentsOnly && <p className="hint">{t("residentsOnlyHint", { limit: c.perResidentLimit })}</p>}
                {c.mineClaimed > 0 && <p>{t("claimed", { count: c.mineClaimed })}</p>}
                {canClaim(c) ? (
                  <button
                    type="button"
                    className="primary"
                    onClick={() => setClaiming(c)}
                    aria-label={`${t("claim")} ${offerLabel(c, t)}`}
                  >
                    {t("claim")}
                  </button>
                ) : (
                  isOpenToAll(c) && (
                    <p className="hint">{c.claimed >= c.totalVouchers ? t("soldOut") : t("limitReached")}</p>
                  )
                )}
              </article>
            </li>
          ))}
        </ol>
      </section>

      <section className="card stack" aria-labelledby="my-vouchers">
        <h2 id="my-vouchers">{t("mineTitle")}</h2>
        {mine.data?.length === 0 && <p>{t("mineEmpty")}</p>}
        <ul className="voucher-list">
          {(mine.data ?? []).map((h) => (
            <li key={h.campaign.campaignId.toString()} data-testid={`my-voucher-${h.campaign.campaignId}`}>
              <p>
                <strong>{offerLabel(h.campaign, t)}</strong> <span className="tag">{stateLabel(h.state)}</span>
              </p>
              <p className="hint">
                {t("holding", { claimed: h.claimed, redeemed: h.redeemed })} ·{" "}
                {t("window", { start: date(h.campaign.startsAt), end: date(h.campaign.endsAt) })}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
