// 设置 → 找回账户 (#/recovery): who can help her get her account back now and how many must agree,
// a change waiting with when it takes effect (cancel it, or make it take effect once due), the
// form to choose them, and the accounts she herself helps protect. Read from CityRecovery on every
// block; keyed by her account.
import { useState } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { AddressText } from "../../components/AddressText";
import { recoveryMessages, recoveryRevertMessages } from "../../i18n/messages/recovery";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import { useChainNow } from "../transfer/useDelayedTransfers";
import { GuardiansForm } from "./GuardiansForm";
import { RecoveryAlert } from "./RecoveryAlert";
import { cityRecovery, delayWords, type Guardians, useGuardedAccounts, useRecoverySettings } from "./useRecovery";
import "./recovery.css";

export default function RecoveryPage() {
  const { address } = useConnection();
  if (!address) return null;
  return <RecoveryFor key={address} me={address} />;
}

function GuardianList({ guardians }: { guardians: Guardians }) {
  const t = useT(recoveryMessages);
  return (
    <>
      <ul className="plain-list guardian-list" data-testid="guardian-list">
        {guardians.family.map((g) => (
          <li key={g}>
            <AddressText address={g} />
          </li>
        ))}
        {guardians.cityDesk && <li>{t("deskMember")}</li>}
      </ul>
      <p data-testid="guardian-threshold">{t("needs", { threshold: String(guardians.threshold) })}</p>
    </>
  );
}

type Action = "form" | "cancelChange" | "applyChange" | null;

function RecoveryFor({ me }: { me: Address }) {
  const t = useT(recoveryMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const f = useFormat();
  const now = useChainNow();
  const settings = useRecoverySettings(me);
  const guarded = useGuardedAccounts(me);
  const [action, setAction] = useState<Action>(null);
  const data = settings.data;
  const done = () => {
    setAction(null);
    void settings.refetch();
  };

  let body: React.ReactNode;
  if (!data) body = <p className="progress">{t("helpLoading")}</p>;
  else if (action === "form") {
    body = <GuardiansForm me={me} settings={data} onDone={done} onCancel={() => setAction(null)} />;
  } else if (action === "cancelChange" || action === "applyChange") {
    const cancel = action === "cancelChange";
    body = (
      <section className="card">
        <TxConfirm
          title={cancel ? t("cancelChange") : t("applyChange")}
          summary={[{ label: tx("purpose"), value: cancel ? t("purposeCancelChange") : t("purposeApply") }]}
          write={
            cancel
              ? contractWrite({ ...cityRecovery, functionName: "cancelGuardianChange", args: [] })
              : contractWrite({ ...cityRecovery, functionName: "applyGuardianChange", args: [me] })
          }
          confirmLabel={cancel ? t("cancelChange") : t("applyChange")}
          revertReasons={recoveryRevertMessages[lang]}
          onCancel={() => setAction(null)}
          onDone={done}
        />
      </section>
    );
  } else {
    const set = data.guardians.threshold > 0;
    const scheduled = data.scheduled;
    body = (
      <>
        <section className="card stack" aria-labelledby="recovery-current-title" data-testid="recovery-current">
          <h2 id="recovery-current-title">{t("current")}</h2>
          {set ? <GuardianList guardians={data.guardians} /> : <p className="notice">{t("none")}</p>}
          <button type="button" className="primary big" onClick={() => setAction("form")}>
            {set ? t("change") : t("settingsLink")}
          </button>
        </section>
        {scheduled && (
          <section className="card stack" aria-labelledby="recovery-scheduled-title" data-testid="recovery-scheduled">
            <h2 id="recovery-scheduled-title">{t("scheduledTitle")}</h2>
            <GuardianList guardians={scheduled} />
            <p className="notice">
              {now >= scheduled.effectiveAt
                ? t("scheduledDue")
                : t("scheduledWhen", { when: f.chainTime(scheduled.effectiveAt) })}
            </p>
            <div className="button-row">
              {now >= scheduled.effectiveAt && (
                <button type="button" className="primary" onClick={() => setAction("applyChange")}>
                  {t("applyChange")}
                </button>
              )}
              <button type="button" className="secondary" onClick={() => setAction("cancelChange")}>
                {t("cancelChange")}
              </button>
            </div>
          </section>
        )}
      </>
    );
  }

  return (
    <div className="stack">
      <h1>{t("title")}</h1>
      <p className="hint">{t("explain", { familyDelay: data ? delayWords(data.familyDelay, t) : "48" })}</p>
      <RecoveryAlert me={me} />
      {body}
      {(guarded.data?.length ?? 0) > 0 && (
        <section className="card stack" aria-labelledby="guarding-title" data-testid="guarding">
          <h2 id="guarding-title">{t("guardingTitle")}</h2>
          <ul className="plain-list">
            {guarded.data?.map((a) => (
              <li key={a}>
                <AddressText address={a} />
              </li>
            ))}
          </ul>
          <p className="hint">{t("guardingHint")}</p>
        </section>
      )}
    </div>
  );
}
