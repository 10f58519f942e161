// The wallet screens shown until a wallet is connected: unlock the one on this device, or create,
// restore, connect a browser wallet, or (local chain) pick a demo resident. A new resident first
// sees the language and 关怀模式 choices.
import { useState } from "react";
import { useConnection } from "wagmi";
import { isLocalChain } from "../../env";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { recoveryMessages } from "../../i18n/messages/recovery";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { navigate } from "../../router";
import type { PageProps } from "../../routes";
import { loadKeystore } from "../../wallet/keystore";
import { LostPhone, PENDING_RECOVERY_KEY } from "../recovery/LostPhone";
import { DisplayChoices } from "../settings/DisplayChoices";
import { BrowserWallets } from "./BrowserWallets";
import { CreateWallet } from "./CreateWallet";
import { DemoPicker } from "./DemoPicker";
import { JoinAccount, PENDING_JOIN_KEY } from "./JoinAccount";
import { PasskeyStart } from "./PasskeyStart";
import { RestoreWallet } from "./RestoreWallet";
import { UnlockWallet } from "./UnlockWallet";

type Mode = "start" | "create" | "restore" | "join" | "lost";

export default function WalletPage(_props: Partial<PageProps> & { lockedByIdle?: boolean }) {
  const t = useT(walletMessages);
  const tp = useT(passkeyMessages);
  const tr = useT(recoveryMessages);
  const { isConnected } = useConnection();
  const [keystore, setKeystore] = useState(loadKeystore);
  // A device that started joining an account (JoinAccount) comes back to its code.
  // So does a device removed from its account that chose to join again (#/wallet?join=1).
  // A new phone that started getting her account back (LostPhone) comes back to its request.
  const [mode, setMode] = useState<Mode>(() =>
    localStorage.getItem(PENDING_JOIN_KEY) || _props.query?.get("join") === "1"
      ? "join"
      : localStorage.getItem(PENDING_RECOVERY_KEY) || _props.query?.get("lost") === "1"
        ? "lost"
        : "start",
  );

  if (isConnected && _props.params) {
    // Reached #/wallet directly while connected: nothing to do here.
    navigate("/");
    return null;
  }
  if (mode === "create") return <CreateWallet onCancel={() => setMode("start")} />;
  if (mode === "restore") return <RestoreWallet onCancel={() => setMode("start")} />;
  if (mode === "join") return <JoinAccount onCancel={() => setMode("start")} />;
  if (mode === "lost") return <LostPhone onCancel={() => setMode("start")} />;

  return (
    <div className="stack">
      {keystore ? (
        <UnlockWallet
          keystore={keystore}
          lockedByIdle={_props.lockedByIdle ?? false}
          onForget={() => setKeystore(null)}
        />
      ) : (
        <>
          {/* Readable first: language and 关怀模式 before creating anything. */}
          <DisplayChoices />
          <section className="card" aria-labelledby="welcome-title">
            <h1 id="welcome-title">{t("welcomeTitle")}</h1>
            <p>{t("welcomeIntro")}</p>
            {/* The passkey account is the default; the recovery phrase is the advanced path. */}
            <PasskeyStart />
            <button type="button" className="secondary" onClick={() => setMode("join")}>
              {tp("joinAccount")}
            </button>
            <button type="button" className="secondary" onClick={() => setMode("lost")}>
              {tr("lostLink")}
            </button>
          </section>
          <details className="card">
            <summary>{tp("advanced")}</summary>
            <div className="stack">
              <p className="hint">{tp("advancedHint")}</p>
              <button type="button" className="secondary" onClick={() => setMode("create")}>
                {t("createWallet")}
              </button>
              <button type="button" className="secondary" onClick={() => setMode("restore")}>
                {t("restoreWallet")}
              </button>
              <p className="hint">{t("neverSent")}</p>
            </div>
          </details>
        </>
      )}
      {keystore && (
        <details className="card">
          <summary>{t("otherWays")}</summary>
          <div className="stack">
            <button type="button" className="secondary" onClick={() => setMode("restore")}>
              {t("restoreWallet")}
            </button>
          </div>
        </details>
      )}
      <BrowserWallets />
      {isLocalChain && <DemoPicker />}
    </div>
  );
}
