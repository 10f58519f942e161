// The form that creates and funds one of the shop's own campaigns in a single transaction:
// Vouchers.createCampaignWithPermit with an ERC-2612 permit for exactly the budget (discount ×
// number of vouchers), usable only at this shop, so no standing allowance is ever left behind.

import { DISCOUNT_KIND } from "@core/enums";
import { formatFen, parseYuan } from "@core/money";
import { vouchersAbi } from "@generated/contracts";
import { useState } from "react";
import { type Address, zeroHash } from "viem";
import { useConfig } from "wagmi";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { contractAddresses } from "../../contracts";
import { merchantMessages } from "../../i18n/messages/merchant";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { type ContractWrite, contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import { signExactPermit } from "../redpackets/exactPermit";

const DAY = 86_400;
/** The contract keeps the per-resident limit in 8 bits. */
const MAX_PER_RESIDENT = 255;

type Draft = { discount: string; minSpend: string; total: string; perResident: string; days: string };

function positiveInt(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function NewCampaign({ shop, onCreated }: { shop: Address; onCreated: () => void }) {
  const t = useT(merchantMessages);
  const tm = useT(moneyMessages);
  const config = useConfig();
  const failureText = useTxFailureText();
  const [residentsOnly, setResidentsOnly] = useState(false);
  const [draft, setDraft] = useState<Draft>({
    discount: "5",
    minSpend: "30",
    total: "20",
    perResident: "1",
    days: "7",
  });
  const [signing, setSigning] = useState(false);
  const [permitError, setPermitError] = useState<string>();
  const [ready, setReady] = useState<{ write: ContractWrite; budget: bigint }>();

  const discount = parseYuan(draft.discount);
  const minSpend = parseYuan(draft.minSpend);
  const total = positiveInt(draft.total);
  const perResident = positiveInt(draft.perResident);
  const days = positiveInt(draft.days);
  const errors: Partial<Record<keyof Draft, string>> = {};
  if (!discount.ok) errors.discount = tm(discount.error);
  if (!minSpend.ok) errors.minSpend = tm(minSpend.error);
  if (discount.ok && minSpend.ok && discount.fen > minSpend.fen) errors.discount = t("discountOverMin");
  if (!total) errors.total = t("invalidNumber");
  if (!perResident) errors.perResident = t("invalidNumber");
  else if (perResident > MAX_PER_RESIDENT) errors.perResident = t("perResidentTooMany");
  if (!days) errors.days = t("invalidNumber");
  const budget = discount.ok && total ? discount.fen * BigInt(total) : undefined;
  const valid = Object.keys(errors).length === 0 && budget !== undefined;

  const vouchers = contractAddresses.Vouchers;

  const prepare = async () => {
    if (!valid || !discount.ok || !minSpend.ok || !total || !perResident || !days || budget === undefined) return;
    setSigning(true);
    setPermitError(undefined);
    try {
      const now = Math.floor(Date.now() / 1000);
      const { deadline, v, r, s } = await signExactPermit(config, vouchers, budget);
      const terms = {
        kind: DISCOUNT_KIND.fixed,
        discount: discount.fen,
        cap: 0n,
        minSpend: minSpend.fen,
        startsAt: now,
        endsAt: now + days * DAY,
        totalVouchers: total,
        perResidentLimit: perResident,
        categoryMask: 0,
        merchants: [shop],
        eligibleRoot: zeroHash,
        listSalt: zeroHash,
        residentsOnly,
      };
      setReady({
        write: contractWrite({
          address: vouchers,
          abi: vouchersAbi,
          functionName: "createCampaignWithPermit",
          args: [terms, deadline, v, r, s],
        }),
        budget,
      });
    } catch (error) {
      setPermitError(failureText(classifyTxError(error)));
    } finally {
      setSigning(false);
    }
  };

  if (ready) {
    return (
      <TxConfirm
        title={t("newCampaign")}
        summary={[
          { label: t("discount"), value: draft.discount },
          { label: t("totalVouchers"), value: draft.total },
          {
            label: t("whoCanClaim"),
            value: t(residentsOnly ? "whoResidents" : "whoEveryone", { limit: draft.perResident }),
          },
          { label: t("remaining"), value: <Money fen={ready.budget} /> },
        ]}
        write={ready.write}
        onConfirmed={onCreated}
        onCancel={() => setReady(undefined)}
        onDone={() => setReady(undefined)}
      />
    );
  }

  const field = (key: keyof Draft, label: string) => (
    <Field key={key} id={`campaign-${key}`} label={label} error={errors[key]}>
      <input {...AMOUNT_INPUT} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </Field>
  );
  return (
    <form
      className="new-campaign"
      aria-labelledby="new-campaign-title"
      onSubmit={(e) => {
        e.preventDefault();
        void prepare();
      }}
    >
      <h3 id="new-campaign-title">{t("newCampaign")}</h3>
      {field("discount", t("discount"))}
      {field("minSpend", t("minSpend"))}
      {field("total", t("totalVouchers"))}
      {field("perResident", t("perResident"))}
      {field("days", t("days"))}
      <label className="checkbox">
        <input type="checkbox" checked={residentsOnly} onChange={(e) => setResidentsOnly(e.target.checked)} />
        {t("residentsOnly")}
      </label>
      {budget !== undefined && <p>{t("budget", { amount: formatFen(budget) })}</p>}
      {signing && <p className="progress">{t("signingPermit")}</p>}
      {permitError && (
        <p className="error" role="alert">
          {t("permitFailed", { message: permitError })}
        </p>
      )}
      <button type="submit" className="primary" disabled={!valid || signing}>
        {t("createCampaign")}
      </button>
    </form>
  );
}
