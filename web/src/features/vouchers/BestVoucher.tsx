// Fills the Pay page's voucher slot: the best voucher I hold for this merchant and price
// (Vouchers.bestVoucher, checked by the contract itself: merchant, category, minimum spend, window,
// budget), shown with its saving. Choosing it signs an ERC-2612 permit for exactly my part
// (price − discount) to the Vouchers contract and hands the Pay page a redeemWithPermit write, so
// the checkout stays one transaction with no standing allowance. Any change of merchant or price
// drops the choice (the permit was for another amount).

import { formatFen } from "@core/money";
import { useEffect, useState } from "react";
import { useConfig, useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, vouchers } from "../../contracts";
import { VOUCHER_ERRORS, voucherMessages } from "../../i18n/messages/vouchers";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import type { VoucherSuggestionProps } from "../pay/VoucherSuggestion";
import { signExactPermit } from "../redpackets/exactPermit";
import { type CampaignView, offerLabel } from "./useVouchers";

export default function BestVoucher({ merchant, priceFen, orderRef, onSelect }: VoucherSuggestionProps) {
  const t = useT(voucherMessages);
  const failureText = useTxFailureText();
  const config = useConfig();
  const { address: me, connector } = useConnection();
  // A passkey account cannot sign a permit (HCY checks it by ECDSA), but batches: approve + redeem
  // in one operation, one fingerprint, for exactly my part.
  const batches = connector?.id === PASSKEY_WALLET_ID;
  const [selected, setSelected] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const best = useReadContract({
    address: vouchers.address,
    abi: vouchers.abi,
    functionName: "bestVoucher",
    args: me ? [me, merchant, priceFen] : undefined,
    chainId: cityChain.id,
    query: { enabled: Boolean(me && priceFen > 0n) },
  });
  const [campaignId, discount] = (best.data as readonly [bigint, bigint] | undefined) ?? [0n, 0n];
  const campaign = useReadContract({
    address: vouchers.address,
    abi: vouchers.abi,
    functionName: "campaign",
    args: [campaignId],
    chainId: cityChain.id,
    query: { enabled: Boolean(campaignId > 0n), staleTime: 60_000 },
  });

  // The choice (and its permit) belongs to one merchant, price and order.
  const choiceKey = `${merchant}:${priceFen}:${orderRef}:${campaignId}`;
  useEffect(() => {
    if (selected !== null && selected !== choiceKey) {
      setSelected(null);
      onSelect(null);
    }
  }, [choiceKey, selected, onSelect]);

  if (!vouchers || campaignId === 0n || discount === 0n || !campaign.data) return null;
  const label = offerLabel(campaign.data as CampaignView, t);
  const payFen = priceFen - discount;
  const using = selected === choiceKey;

  async function use() {
    setSigning(true);
    setError(null);
    try {
      const permit = batches ? null : await signExactPermit(config, vouchers.address, payFen);
      setSelected(choiceKey);
      onSelect({
        label,
        savingFen: discount,
        payFen,
        write: permit
          ? contractWrite({
              address: vouchers.address,
              abi: vouchers.abi,
              functionName: "redeemWithPermit",
              args: [campaignId, merchant, priceFen, orderRef, permit.deadline, permit.v, permit.r, permit.s],
            })
          : [
              contractWrite({
                address: cityYuan.address,
                abi: cityYuan.abi,
                functionName: "approve",
                args: [vouchers.address, payFen],
              }),
              contractWrite({
                address: vouchers.address,
                abi: vouchers.abi,
                functionName: "redeem",
                args: [campaignId, merchant, priceFen, orderRef],
              }),
            ],
        revertReasons: Object.fromEntries(VOUCHER_ERRORS.map((name) => [name, t(name)])),
      });
    } catch (e) {
      const reason = failureText(classifyTxError(e));
      setError(t("checkoutFailed", { reason }));
    } finally {
      setSigning(false);
    }
  }

  return (
    <section
      className="card stack voucher-suggestion"
      aria-labelledby="voucher-suggestion-title"
      data-testid="voucher-suggestion"
    >
      <h3 id="voucher-suggestion-title">
        <span aria-hidden="true">🎟 </span>
        {t("checkoutTitle")}
      </h3>
      {using ? (
        <p className="success" role="status">
          {t("checkoutUsing", { label, pay: formatFen(payFen) })}
        </p>
      ) : (
        <p>{t("checkoutBest", { label, saving: formatFen(discount) })}</p>
      )}
      <p className="hint">{t("checkoutPermitHint", { amount: formatFen(payFen) })}</p>
      {signing && (
        <p className="progress" role="status">
          {t("checkoutSigning", { amount: formatFen(payFen) })}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        {using ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSelected(null);
              onSelect(null);
            }}
          >
            {t("checkoutRemove")}
          </button>
        ) : (
          <button type="button" className="primary" disabled={signing} onClick={() => void use()}>
            {t("checkoutUse")}
          </button>
        )}
      </div>
    </section>
  );
}
