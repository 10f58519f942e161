// Safety alerts (#/alerts): what the city service's chain watcher noticed on my account, in plain
// words with the amount and the other party, newest first; mark each read. Below, the amount from
// which a single payment counts as large.
import "./account.css";
import type { Alert } from "@core/api";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Money } from "../../components/Money";
import { accountMessages } from "../../i18n/messages/account";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { markAlertRead } from "../../service/cityService";
import { useCitySession } from "../../service/useCitySession";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { CitySignIn } from "../settings/CitySignIn";
import { alertWords, RECOVERY_KINDS } from "./alertWords";
import { ThresholdForm } from "./ThresholdForm";
import { useAlerts } from "./useAccountQueries";

export default function AlertsPage() {
  const t = useT(accountMessages);
  const { address, signedIn } = useCitySession();
  return (
    <div>
      <h1>{t("alertsTitle")}</h1>
      <p className="hint">{t("alertsHint")}</p>
      {address && signedIn ? (
        <>
          <AlertList owner={address} />
          <ThresholdForm owner={address} />
        </>
      ) : (
        <CitySignIn auto={t("signInForAlerts")} />
      )}
    </div>
  );
}

function AlertList({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const describe = useServiceErrorText();
  const alerts = useAlerts(owner, true);
  if (alerts.isError) {
    return (
      <p className="error" role="alert">
        {t("alertsLoadFailed", { reason: describe(alerts.error) })}
      </p>
    );
  }
  if (!alerts.data) return null;
  if (alerts.data.length === 0) return <p className="card">{t("alertsEmpty")}</p>;
  return (
    <ul className="alert-list">
      {alerts.data.map((alert) => (
        <AlertItem key={alert.id} owner={owner} alert={alert} />
      ))}
    </ul>
  );
}

function AlertItem({ owner, alert }: { owner: Address; alert: Alert }) {
  const t = useT(accountMessages);
  const fmt = useFormat();
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const words = alertWords(alert, fmt.chainTime);
  // 找回账户 alerts move no money: no amount line.
  const moneyMoved = !(RECOVERY_KINDS as readonly string[]).includes(alert.kind);
  const unread = alert.readAt === null;
  const titleId = `alert-${alert.id}`;

  const markRead = async () => {
    setBusy(true);
    setError(null);
    try {
      await markAlertRead(alert.id);
      await queryClient.invalidateQueries({ queryKey: ["cityService", "alerts", owner] });
    } catch (e) {
      setError(t("markReadFailed", { reason: describe(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`card alert ${unread ? "unread" : "read"}`} aria-labelledby={titleId} data-kind={alert.kind}>
      <h2 id={titleId}>
        <span aria-hidden="true">⚠ </span>
        {t(words.title)} <span className="badge">{unread ? t("unread") : t("read")}</span>
      </h2>
      <p>{t(words.description, words.vars)}</p>
      <dl className="tx-summary">
        {moneyMoved && (
          <div className="tx-summary-row">
            <dt>{t("amount")}</dt>
            <dd>
              <Money fen={BigInt(alert.amountFen)} />
            </dd>
          </div>
        )}
        <div className="tx-summary-row">
          <dt>{t("counterparty")}</dt>
          <dd>
            {alert.details?.actedBy === "desk" ? (
              t("actedByDesk")
            ) : alert.details?.actedBy === "city" ? (
              t("actedByCity")
            ) : (
              <AddressText address={alert.counterparty} />
            )}
          </dd>
        </div>
        <div className="tx-summary-row">
          <dt>{t("when")}</dt>
          <dd>{fmt.chainTime(alert.blockTime)}</dd>
        </div>
      </dl>
      {unread && (
        <button type="button" className="secondary small" disabled={busy} onClick={() => void markRead()}>
          {t("markRead")}
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
