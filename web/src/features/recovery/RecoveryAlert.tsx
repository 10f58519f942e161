// The warning on her Home (and 找回账户) while a recovery of her account is pending on the chain
// (RecoveryStarted in her current round, neither finished nor cancelled): who started it, how many
// agreed, when it would take effect, and one tap “不是我，取消” (CityRecovery.cancelRecoveries, an
// operation of this device: any of her devices can do it). Nothing shows when none is pending.
import { useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { recoveryMessages, recoveryRevertMessages } from "../../i18n/messages/recovery";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { cityRecovery, usePendingRecoveries } from "./useRecovery";
import "./recovery.css";

export function RecoveryAlert({ me }: { me: Address }) {
  const t = useT(recoveryMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const f = useFormat();
  const pending = usePendingRecoveries(me);
  const [cancelling, setCancelling] = useState(false);
  const list = pending.data ?? [];
  if (list.length === 0 && !cancelling) return null;

  if (cancelling) {
    return (
      <section className="card recovery-alert" aria-label={t("alertTitle")}>
        <TxConfirm
          title={t("alertCancel")}
          summary={[{ label: tx("purpose"), value: t("purposeCancel") }]}
          write={contractWrite({ ...cityRecovery, functionName: "cancelRecoveries", args: [] })}
          confirmLabel={t("confirmCancel")}
          revertReasons={recoveryRevertMessages[lang]}
          onCancel={() => setCancelling(false)}
          onDone={() => {
            setCancelling(false);
            void pending.refetch();
          }}
        />
      </section>
    );
  }

  return (
    <section
      className="card recovery-alert stack"
      role="alert"
      aria-labelledby="recovery-alert-title"
      data-testid="recovery-alert"
    >
      <h2 id="recovery-alert-title">
        <span aria-hidden="true">⚠ </span>
        {t("alertTitle")}
      </h2>
      <ul className="plain-list">
        {list.map((r) => (
          <li key={r.id}>
            {/* Who started it first (a contact's name, or 陌生账户 she can open), then what it does. */}
            {r.byDesk ? (
              <strong data-testid="recovery-alert-desk">{t("alertDesk")}</strong>
            ) : (
              <AddressText address={r.startedBy} />
            )}{" "}
            {t("alertBody", {
              n: String(r.approvals),
              threshold: String(r.threshold),
              when: r.readyAt > 0 ? t("alertWhen", { when: f.chainTime(r.readyAt) }) : t("alertWaiting"),
            })}
          </li>
        ))}
      </ul>
      <button type="button" className="primary big danger" onClick={() => setCancelling(true)}>
        {t("alertCancel")}
      </button>
    </section>
  );
}
