// Home: my balance in 元 (live), the big buttons, and the latest few movements. In large-text
// mode the page shows fewer things, bigger.

import { zeroAddress } from "viem";
import { useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { Money } from "../../components/Money";
import { cityYuan } from "../../contracts";
import { useCityBalance } from "../../hooks/useCityBalance";
import { homeMessages } from "../../i18n/messages/home";
import { useT } from "../../i18n/useT";
import { useSettings } from "../../settings/settingsStore";
import { AccountShortcuts } from "../account/AccountShortcuts";
import { HistoryRow } from "../history/HistoryRow";
import { useHistory } from "../history/useHistory";
import { useHistoryLabels } from "../history/useHistoryLabels";
import { RecoveryAlert } from "../recovery/RecoveryAlert";
import { PendingTransfers } from "../transfer/PendingTransfers";

export default function HomePage() {
  const t = useT(homeMessages);
  const { largeText } = useSettings();
  const { address } = useConnection();
  const balance = useCityBalance(address);
  // The same loader and cache as the History page: every kind of movement, labelled alike.
  const history = useHistory(address);
  const latest = history.entries.slice(0, largeText ? 3 : 5);
  const labels = useHistoryLabels(address, latest);
  const frozen = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "isFrozen",
    args: [address ?? zeroAddress],
    chainId: cityChain.id,
    query: { enabled: Boolean(address) },
  });

  const allActions = [
    { href: "#/pay", icon: "↗", label: t("pay"), primary: true },
    { href: "#/receive", icon: "↙", label: t("receive"), primary: true },
    { href: "#/transfer", icon: "⇄", label: t("transfer") },
    { href: "#/redpackets", icon: "✉", label: t("redPacket") },
    { href: "#/vouchers", icon: "％", label: t("vouchers") },
  ];
  // Large-text mode keeps the four everyday actions; vouchers stay one tap away in the nav.
  const actions = largeText ? allActions.slice(0, 4) : allActions;

  return (
    <div>
      <h1 className="visually-hidden">{t("title")}</h1>
      <section className="card" aria-labelledby="balance-label">
        <p id="balance-label" className="balance-label">
          {t("balance")}
        </p>
        <p className="balance" aria-live="polite" data-testid="balance">
          {balance.fen !== undefined ? (
            <Money fen={balance.fen} />
          ) : balance.isError ? (
            t("balanceError")
          ) : (
            t("balanceLoading")
          )}
        </p>
        {frozen.data === true && (
          <p className="error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t("frozen")}
          </p>
        )}
      </section>

      {/* Someone getting her account back comes before everything else she can do. */}
      {address && <RecoveryAlert key={address} me={address} />}

      <nav aria-label={t("actions")}>
        <div className="action-grid">
          {actions.map((a) => (
            <a key={a.href} href={a.href} className={a.primary ? "primary-action" : undefined}>
              <span className="action-icon" aria-hidden="true">
                {a.icon}
              </span>
              {a.label}
            </a>
          ))}
        </div>
      </nav>
      <AccountShortcuts />
      {address && <PendingTransfers me={address} />}

      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">{t("recent")}</h2>
        {Boolean(history.error) && latest.length === 0 && <p className="error">{t("recentError")}</p>}
        {history.complete && latest.length === 0 && <p className="hint">{t("recentEmpty")}</p>}
        {latest.length > 0 && (
          <ul className="movements">
            {latest.map((entry) => (
              <li key={entry.id}>
                <HistoryRow entry={entry} labels={labels} />
              </li>
            ))}
          </ul>
        )}
        <a href="#/history">{t("allHistory")}</a>
      </section>
    </div>
  );
}
