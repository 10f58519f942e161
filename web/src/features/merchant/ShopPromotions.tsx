// The shop's own promotions: campaigns it sponsors (usable only at this shop), with claims,
// redemptions and remaining budget, and a form to create and fund a new one in one transaction:
// Vouchers.createCampaignWithPermit with an ERC-2612 permit for exactly the budget, so the shop
// never leaves a standing allowance behind.

import { vouchersAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, type Hex, pad, parseSignature, zeroHash } from "viem";
import { useBlockNumber, useConfig } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import { cityChain } from "../../chain";
import { Money } from "../../components/Money";
import { cityYuan, deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";
import { merchantMessages } from "../../i18n/messages/merchant";
import { moneyMessages } from "../../i18n/messages/money";
import { useLang, useT } from "../../i18n/useT";
import { ledgerTopic } from "../../lib/audit/ledgerEvents.js";
import { readLedgerLogs } from "../../lib/audit/readLedger.js";
import { createRpcClient } from "../../lib/audit/rpc.js";
import { formatFen, parseYuan } from "../../lib/money";
import { TxConfirm } from "../../tx/TxConfirm";
import type { Receipt } from "./receipts";

const DAY = 86_400;

type Draft = { discount: string; minSpend: string; total: string; perResident: string; days: string };

function positiveInt(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function ShopPromotions({ shop, receipts }: { shop: Address; receipts: Receipt[] }) {
  const t = useT(merchantMessages);
  const lang = useLang();
  const config = useConfig();
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  const campaigns = useQuery({
    queryKey: ["shopCampaigns", shop, block?.toString()],
    enabled: Boolean(deployment),
    queryFn: async () => {
      if (!deployment) return [];
      const rpc = createRpcClient(rpcHttpUrl);
      const created = await readLedgerLogs(rpc, {
        contracts: deployment.contracts,
        fromBlock: BigInt(deployment.deployBlock),
        toBlock: BigInt(await rpc.call<string>("eth_blockNumber", [])),
        only: ["Vouchers"],
        topics: [ledgerTopic("CampaignCreated"), null, pad(shop.toLowerCase() as Hex, { size: 32 })],
      });
      const ids = created.flatMap((e) => (e.kind === "CampaignCreated" ? [e.campaignId] : []));
      const views = await Promise.all(
        ids.map((id) =>
          readContract(config, {
            address: deployment?.contracts.Vouchers as Address,
            abi: vouchersAbi,
            functionName: "campaign",
            args: [id],
            chainId: cityChain.id,
          }),
        ),
      );
      return views.sort((a, b) => (a.campaignId > b.campaignId ? -1 : 1));
    },
  });
  const date = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium" });

  return (
    <section className="card" aria-labelledby="promotions-title">
      <h2 id="promotions-title">{t("promotionsTitle")}</h2>
      <p>{t("promotionsIntro")}</p>
      {campaigns.data && campaigns.data.length === 0 && <p>{t("noCampaigns")}</p>}
      {campaigns.data && campaigns.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("campaignId")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("discount")}</th>
                <th scope="col">{t("claims")}</th>
                <th scope="col">{t("redemptions")}</th>
                <th scope="col">{t("remaining")}</th>
                <th scope="col">{t("window")}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data.map((c) => (
                <tr key={c.campaignId.toString()} data-campaign={c.campaignId.toString()}>
                  <td>#{c.campaignId.toString()}</td>
                  <td>{t(`status_${c.status}` as "status_0")}</td>
                  <td>
                    <Money fen={BigInt(c.discount)} />
                  </td>
                  <td>
                    {c.claimed} / {c.totalVouchers}
                  </td>
                  <td>{receipts.filter((r) => r.voucher?.campaignId === c.campaignId).length}</td>
                  <td>
                    <Money fen={c.remainingBudget} /> / <Money fen={c.budget} />
                  </td>
                  <td>
                    {date.format(new Date(c.startsAt * 1000))} – {date.format(new Date(c.endsAt * 1000))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewCampaign shop={shop} onCreated={() => void campaigns.refetch()} />
    </section>
  );
}

function NewCampaign({ shop, onCreated }: { shop: Address; onCreated: () => void }) {
  const t = useT(merchantMessages);
  const tm = useT(moneyMessages);
  const config = useConfig();
  const [draft, setDraft] = useState<Draft>({
    discount: "5",
    minSpend: "30",
    total: "20",
    perResident: "1",
    days: "7",
  });
  const [signing, setSigning] = useState(false);
  const [permitError, setPermitError] = useState<string>();
  const [ready, setReady] = useState<{ args: readonly unknown[]; budget: bigint }>();

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
  if (!days) errors.days = t("invalidNumber");
  const budget = discount.ok && total ? discount.fen * BigInt(total) : undefined;
  const valid = Object.keys(errors).length === 0 && budget !== undefined;

  if (!deployment || !cityYuan) return null;
  const vouchers = deployment.contracts.Vouchers;
  const token = cityYuan;

  const prepare = async () => {
    if (!valid || !discount.ok || !minSpend.ok || !total || !perResident || !days || budget === undefined) return;
    setSigning(true);
    setPermitError(undefined);
    try {
      const now = Math.floor(Date.now() / 1000);
      const deadline = BigInt(now + 3_600);
      const nonce = await readContract(config, {
        ...token,
        functionName: "nonces",
        args: [shop],
        chainId: cityChain.id,
      });
      const signature = await signTypedData(config, {
        domain: { name: "Hefei City Yuan", version: "1", chainId: cityChain.id, verifyingContract: token.address },
        types: {
          Permit: [
            { name: "owner", type: "address" },
            { name: "spender", type: "address" },
            { name: "value", type: "uint256" },
            { name: "nonce", type: "uint256" },
            { name: "deadline", type: "uint256" },
          ],
        },
        primaryType: "Permit",
        message: { owner: shop, spender: vouchers, value: budget, nonce: nonce as bigint, deadline },
      });
      const { v, r, s, yParity } = parseSignature(signature);
      const terms = {
        kind: 0,
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
        expectedCampaignId: 0n,
      };
      setReady({ args: [terms, deadline, Number(v ?? BigInt(yParity + 27)), r, s], budget });
    } catch (error) {
      setPermitError(error instanceof Error ? error.message.split("\n")[0] : String(error));
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
          { label: t("remaining"), value: <Money fen={ready.budget} /> },
        ]}
        write={{ address: vouchers, abi: vouchersAbi, functionName: "createCampaignWithPermit", args: ready.args }}
        onConfirmed={onCreated}
        onCancel={() => setReady(undefined)}
        onDone={() => setReady(undefined)}
      />
    );
  }

  const field = (key: keyof Draft, label: string) => (
    <div className="field" key={key}>
      <label htmlFor={`campaign-${key}`}>{label}</label>
      <input
        id={`campaign-${key}`}
        inputMode="decimal"
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        aria-invalid={Boolean(errors[key])}
        aria-describedby={errors[key] ? `campaign-${key}-error` : undefined}
      />
      {errors[key] && (
        <p id={`campaign-${key}-error`} className="error">
          {errors[key]}
        </p>
      )}
    </div>
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
