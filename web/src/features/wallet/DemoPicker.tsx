// Local chain only: act as one of the demo residents, merchants or city offices that
// `npm start` sets up, without creating a wallet.
import { useState } from "react";
import { useConfig } from "wagmi";
import { walletMessages } from "../../i18n/messages/wallet";
import { useLang, useT } from "../../i18n/useT";
import { type DemoAccount, demoAccounts } from "../../wallet/demoAccounts";
import { selectDemoAccount } from "../../wallet/walletActions";

export function DemoPicker() {
  const t = useT(walletMessages);
  const lang = useLang();
  const config = useConfig();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const pick = async (account: DemoAccount) => {
    if (busy !== null) return;
    setBusy(account.index);
    try {
      await selectDemoAccount(config, account.index);
    } catch (e) {
      setError(t("connectFailed", { message: (e as Error).message }));
      setBusy(null);
    }
  };

  const groups: [string, DemoAccount[]][] = [
    [t("demoResidents"), demoAccounts.filter((a) => a.kind === "resident")],
    [t("demoMerchants"), demoAccounts.filter((a) => a.kind === "merchant")],
    [t("demoOffice"), demoAccounts.filter((a) => a.kind !== "resident" && a.kind !== "merchant")],
  ];

  return (
    <section className="card" aria-labelledby="demo-title">
      <h2 id="demo-title">{t("demoTitle")}</h2>
      <p className="hint">{t("demoHint")}</p>
      {groups.map(([title, accounts]) => (
        <div key={title}>
          <h3>{title}</h3>
          <ul className="demo-list">
            {accounts.map((a) => (
              <li key={a.index}>
                <button type="button" className="secondary" disabled={busy !== null} onClick={() => void pick(a)}>
                  {t("demoUse", { name: a[lang] })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
