// Fills the Pay page's voucher slot: the best voucher I hold for this merchant and price
// (Vouchers.bestVoucher, checked by the contract itself: merchant, category, minimum spend, window,
// budget), shown with its saving. Choosing it signs an ERC-2612 permit for exactly my part
// (price − discount) to the Vouchers contract and hands the Pay page a redeemWithPermit write, so
// the checkout stays one transaction with no standing allowance. When I hold none that applies but
// an open campaign would, a passkey account claims and uses it in the same checkout (claim, approve
// my part, redeem: one user operation, one fingerprint); another wallet is told to claim it first on
// the Vouchers page. Any change of merchant or price drops the choice (the permit was for another
// amount).

import { formatFen } from "@core/money";
import { useEffect, useState } from "react";
import type { Hex } from "viem";
import { useBlock, useConfig, useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, merchantRegistry, vouchers } from "../../contracts";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";
import { VOUCHER_ERRORS, voucherMessages } from "../../i18n/messages/vouchers";
import { useT } from "../../i18n/useT";
import type { ContractWrite } from "../../tx/contractWrite";
import { contractWrite } from "../../tx/contractWrite";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import type { VoucherSuggestionProps } from "../pay/VoucherSuggestion";
import { signExactPermit } from "../redpackets/exactPermit";
import { bestClaimableOffer } from "./campaignRules";
import { type CampaignView, offerLabel, useCheckoutCampaigns } from "./useVouchers";

export default function BestVoucher({ merchant, priceFen, orderRef, balanceFen, onSelect }: VoucherSuggestionProps) {
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
    // What she holds now, not what a read from before her last claim said: read afresh when the
    // checkout opens and on every block (a voucher claimed a second ago must be offered).
    query: { enabled: Boolean(me && priceFen > 0n), refetchOnMount: "always" },
  });
  useRefetchOnBlock(best.refetch, Boolean(me && priceFen > 0n));
  const [heldId, heldDiscount] = best.data ?? [0n, 0n];
  const held = useReadContract({
    address: vouchers.address,
    abi: vouchers.abi,
    functionName: "campaign",
    args: [heldId],
    chainId: cityChain.id,
    query: { enabled: Boolean(heldId > 0n), staleTime: 60_000 },
  });
  // None held applies (read done): look for one to claim at this checkout.
  // Only a read made since this checkout opened decides (a cached one may predate her claim).
  const lookForClaimable = best.isFetchedAfterMount && best.isSuccess && heldId === 0n;
  const shop = useReadContract({
    address: merchantRegistry.address,
    abi: merchantRegistry.abi,
    functionName: "categoryOf",
    args: [merchant],
    chainId: cityChain.id,
    query: { enabled: lookForClaimable, staleTime: 60_000 },
  });
  const active = useCheckoutCampaigns(me, merchant, lookForClaimable && shop.data?.[1] === true);
  // The campaign's window is the chain's clock (block.timestamp), not this phone's.
  const chainTime = useBlock({ chainId: cityChain.id, query: { enabled: lookForClaimable } });
  const claimable =
    lookForClaimable && shop.data?.[1] && active.data && chainTime.data
      ? bestClaimableOffer(active.data, merchant, shop.data[0], priceFen, Number(chainTime.data.timestamp))
      : null;
  const campaignId = !best.isFetchedAfterMount ? 0n : heldId > 0n ? heldId : (claimable?.campaign.campaignId ?? 0n);
  const discount = heldId > 0n ? heldDiscount : (claimable?.discount ?? 0n);
  const campaign = heldId > 0n ? (held.data as CampaignView | undefined) : claimable?.campaign;
  const toClaim = heldId === 0n && claimable !== null;

  // The choice (and its permit) belongs to one merchant, price and order.
  const choiceKey = `${merchant}:${priceFen}:${orderRef}:${campaignId}:${toClaim}`;
  useEffect(() => {
    if (selected !== null && selected !== choiceKey) {
      setSelected(null);
      onSelect(null);
    }
  }, [choiceKey, selected, onSelect]);

  if (!vouchers || campaignId === 0n || discount === 0n || !campaign) return null;
  const label = offerLabel(campaign, t);
  const payFen = priceFen - discount;
  // Even with the voucher she could not pay this: offering it would only mislead.
  if (balanceFen !== undefined && payFen > balanceFen) return null;
  const using = selected === choiceKey;

  if (toClaim && !batches) {
    // Claiming and paying are two transactions from this wallet: claim on the Vouchers page first.
    return (
      <section className="card stack voucher-suggestion" aria-labelledby="voucher-claim-title">
        <h3 id="voucher-claim-title">
          <span aria-hidden="true">🎟 </span>
          {t("checkoutClaimableTitle")}
        </h3>
        <p data-testid="voucher-claim-first">{t("checkoutClaimFirst", { label, saving: formatFen(discount) })}</p>
        <p>
          <a href="#/vouchers">{t("checkoutGoClaim")}</a>
        </p>
      </section>
    );
  }

  async function use() {
    setSigning(true);
    setError(null);
    try {
      const permit = batches ? null : await signExactPermit(config, vouchers.address, payFen);
      const redeem: readonly ContractWrite[] = [
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
      ];
      const noProof: readonly Hex[] = [];
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
          : toClaim
            ? [
                contractWrite({
                  address: vouchers.address,
                  abi: vouchers.abi,
                  functionName: "claim",
                  args: [campaignId, noProof],
                }),
                ...redeem,
              ]
            : redeem,
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
        <p>{t(toClaim ? "checkoutClaimBest" : "checkoutBest", { label, saving: formatFen(discount) })}</p>
      )}
      <p className="hint">{t(toClaim ? "checkoutClaimHint" : "checkoutPermitHint", { amount: formatFen(payFen) })}</p>
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
            {t(toClaim ? "checkoutClaimUse" : "checkoutUse")}
          </button>
        )}
      </div>
    </section>
  );
}
