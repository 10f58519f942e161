// Claiming one voucher: its summary, then the one transaction. A residents-only campaign first asks
// the city service for a resident ticket (one verified resident, one allowance, whatever accounts
// she uses) and says in words why there is none yet.
import type { ReactNode } from "react";
import { vouchers } from "../../contracts";
import { commonMessages } from "../../i18n/messages/common";
import { VOUCHER_ERRORS, voucherMessages } from "../../i18n/messages/vouchers";
import { useT } from "../../i18n/useT";
import { getVoucherTicket } from "../../service/cityService";
import { useResidentTicket } from "../../service/useResidentTicket";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { CitySignIn } from "../settings/CitySignIn";
import type { CampaignWithHolding } from "./useVouchers";

export function ClaimVoucher({
  campaign,
  what,
  where,
  onClose,
}: {
  campaign: CampaignWithHolding;
  what: string;
  where: ReactNode;
  onClose: () => void;
}) {
  const t = useT(voucherMessages);
  const tc = useT(commonMessages);
  const ticket = useResidentTicket(campaign.residentsOnly ? campaign.campaignId : undefined, getVoucherTicket);
  const summary = [
    { label: t("claimCampaign"), value: `#${campaign.campaignId}` },
    { label: t("claimWhat"), value: what },
    { label: t("where"), value: where },
  ];
  const revertReasons = Object.fromEntries(VOUCHER_ERRORS.map((name) => [name, t(name)]));

  if (campaign.residentsOnly && !ticket.data) {
    return (
      <section className="card stack" aria-labelledby="voucher-ticket-title">
        <h2 id="voucher-ticket-title">{t("claimTitle")}</h2>
        <p className="hint">{t("residentsOnlyHint", { limit: campaign.perResidentLimit })}</p>
        {ticket.problem === "notSignedIn" ? (
          // The sign-in right here, not a pointer to 设置.
          <div data-testid="voucher-resident-problem">
            <CitySignIn why={t("residentsSignIn")} />
          </div>
        ) : ticket.problem ? (
          <p className="notice" role="alert" data-testid="voucher-resident-problem">
            {ticket.problem === "notVerified"
              ? t("residentsNotVerified")
              : t("residentsTicketFailed", { reason: ticket.problem })}
          </p>
        ) : (
          <p className="progress">{t("residentsChecking")}</p>
        )}
        <div className="button-row">
          <button type="button" className="secondary" onClick={onClose}>
            {tc("back")}
          </button>
        </div>
      </section>
    );
  }

  return (
    <TxConfirm
      title={t("claimTitle")}
      summary={summary}
      write={
        ticket.data
          ? contractWrite({
              address: vouchers.address,
              abi: vouchers.abi,
              functionName: "claimAsResident",
              args: [
                campaign.campaignId,
                [],
                ticket.data.nullifier,
                BigInt(ticket.data.deadline),
                ticket.data.signature,
              ],
            })
          : contractWrite({
              address: vouchers.address,
              abi: vouchers.abi,
              functionName: "claim",
              args: [campaign.campaignId, []],
            })
      }
      confirmLabel={t("claim")}
      revertReasons={revertReasons}
      onCancel={onClose}
      onDone={onClose}
    />
  );
}
