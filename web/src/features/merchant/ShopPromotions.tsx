// The shop's own promotions: campaigns it sponsors (usable only at this shop), with claims,
// redemptions and remaining budget, and the form to create and fund a new one (NewCampaign).

import { ledgerTopic } from "@core/audit/ledgerEvents";
import { readLedgerLogs } from "@core/audit/readLedger";
import { createRpcClient } from "@core/audit/rpc";
import { vouchersAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { type Address, type Hex, pad } from "viem";
import { useBlockNumber, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { cityChain } from "../../chain";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { TableScroll } from "../../components/TableScroll";
import { deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";
import { merchantMessages } from "../../i18n/messages/merchant";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { NewCampaign } from "./NewCampaign";
import type { Receipt } from "./receipts";

export function ShopPromotions({ shop, receipts }: { shop: Address; receipts: Receipt[] }) {
  const t = useT(merchantMessages);
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
  const fmt = useFormat();

  return (
    <section className="card" aria-labelledby="promotions-title">
      <h2 id="promotions-title">{t("promotionsTitle")}</h2>
      <p>{t("promotionsIntro")}</p>
      {campaigns.data && campaigns.data.length === 0 && <p>{t("noCampaigns")}</p>}
      {campaigns.data && campaigns.data.length > 0 && (
        <TableScroll labelledBy="promotions-title">
          <table>
            <TableHead
              columns={[
                t("campaignId"),
                t("status"),
                t("discount"),
                t("claims"),
                t("redemptions"),
                t("remaining"),
                t("window"),
              ]}
            />
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
                    {fmt.date(c.startsAt * 1000)} – {fmt.date(c.endsAt * 1000)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <NewCampaign shop={shop} onCreated={() => void campaigns.refetch()} />
    </section>
  );
}
