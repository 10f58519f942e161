// 到账中: the delayed transfers still waiting, on History and Home. Her own: when it arrives and
// one tap “撤回” until then (after that anyone may let it arrive); one sent to her: “到账中” with
// when, and “收款” once it is due. Each action goes through <TxConfirm> with its own summary.
import { useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { delayedTransfers } from "../../contracts";
import { delayedMessages, familyMoneyRevertMessages } from "../../i18n/messages/familyMoney";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { type PendingTransfer, useChainNow, usePendingTransfers } from "./useDelayedTransfers";
import "../family/family.css";

type Action = { transfer: PendingTransfer; kind: "cancel" | "release" };

export function PendingTransfers({ me }: { me: Address }) {
  const t = useT(delayedMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const fmt = useFormat();
  const pending = usePendingTransfers(me);
  const now = useChainNow();
  const [action, setAction] = useState<Action | null>(null);
  const list = pending.data ?? [];
  if (list.length === 0 && !action) return null;

  if (action) {
    const { transfer, kind } = action;
    return (
      <section className="card" aria-label={t("pendingTitle")}>
        <TxConfirm
          key={`${kind}-${transfer.id}`}
          title={kind === "cancel" ? t("purposeCancel") : t("purposeRelease")}
          summary={[
            { label: tx("to"), value: <AddressText address={transfer.receiver} /> },
            { label: tx("amount"), value: <Money fen={transfer.amount} /> },
            { label: tx("purpose"), value: kind === "cancel" ? t("purposeCancel") : t("purposeRelease") },
          ]}
          write={contractWrite({ ...delayedTransfers, functionName: kind, args: [transfer.id] })}
          confirmLabel={kind === "cancel" ? t("confirmCancel") : t("confirmRelease")}
          revertReasons={familyMoneyRevertMessages[lang]}
          onCancel={() => setAction(null)}
          onDone={() => {
            setAction(null);
            void pending.refetch();
          }}
        />
      </section>
    );
  }

  return (
    <section className="card stack" aria-labelledby="pending-transfers-title" data-testid="pending-transfers">
      <h2 id="pending-transfers-title">{t("pendingTitle")}</h2>
      <ul className="family-payments">
        {list.map((p) => {
          const due = now >= p.releaseAt;
          return (
            <li key={p.id.toString()} data-testid="pending-transfer">
              <span>
                <strong>
                  {p.outgoing ? (
                    <>
                      <AddressText address={p.receiver} /> · {t("outgoing")}
                    </>
                  ) : (
                    <>
                      <AddressText address={p.sender} /> · {t("incoming")}
                    </>
                  )}
                </strong>
                <br />
                <span className="hint">{due ? t("due") : t("arrivesWhen", { when: fmt.chainTime(p.releaseAt) })}</span>
              </span>
              <Money fen={p.outgoing ? -p.amount : p.amount} signed />
              <span className="button-row">
                {p.outgoing && !due && (
                  <button type="button" className="primary" onClick={() => setAction({ transfer: p, kind: "cancel" })}>
                    {t("cancel")}
                  </button>
                )}
                {due && (
                  <button type="button" className="primary" onClick={() => setAction({ transfer: p, kind: "release" })}>
                    {p.outgoing ? t("releaseForThem") : t("release")}
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
