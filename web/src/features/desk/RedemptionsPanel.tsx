// Redemptions to process: every Redeemed event (account, amount, the bank account reference it
// is to be paid out to), newest first, read from the public ledger.

import { displayOrderRef } from "@core/orderRef";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { TableScroll } from "../../components/TableScroll";
import { deskMessages } from "../../i18n/messages/desk";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { useLedger } from "../ledger/useLedger";

export function RedemptionsPanel() {
  const t = useT(deskMessages);
  const ledger = useLedger();
  const fmt = useFormat();
  const redemptions = (ledger.data?.events ?? []).flatMap((e) => (e.kind === "Redeemed" ? [e] : [])).reverse();
  return (
    <section className="card" aria-labelledby="redemptions-title">
      <h2 id="redemptions-title">{t("redemptionsTitle")}</h2>
      {ledger.data && redemptions.length === 0 && <p>{t("redemptionsNone")}</p>}
      {redemptions.length > 0 && (
        <TableScroll labelledBy="redemptions-title">
          <table>
            <TableHead columns={[t("time"), t("account"), t("amount"), t("bankRef")]} />
            <tbody>
              {redemptions.map((r) => {
                const when = ledger.data?.times.get(r.blockNumber);
                return (
                  <tr key={`${r.transactionHash}:${r.logIndex}`}>
                    <td>{when ? fmt.shortDateTime(when * 1000) : "…"}</td>
                    <td>
                      <AddressText address={r.account} />
                    </td>
                    <td>
                      <Money fen={r.amount} />
                    </td>
                    <td>{displayOrderRef(r.bankRef)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
