// Connect an injected browser wallet (MetaMask, Rabby, … discovered through EIP-6963 or
// window.ethereum). Hidden when none is installed.
import { useConnect, useConnectors } from "wagmi";
import { walletMessages } from "../../i18n/messages/wallet";
import { useT } from "../../i18n/useT";
import { BUILT_IN_WALLET_ID } from "../../wallet/builtInConnector";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";

export function BrowserWallets() {
  const t = useT(walletMessages);
  const connectors = useConnectors().filter((c) => c.id !== BUILT_IN_WALLET_ID && c.id !== PASSKEY_WALLET_ID);
  const { mutate: connect, error, isPending } = useConnect();
  const hasProvider = typeof window !== "undefined" && "ethereum" in window;
  const usable = connectors.filter((c) => c.id !== "injected" || hasProvider);
  if (usable.length === 0) return null;
  return (
    <section className="card" aria-labelledby="browser-wallet-title">
      <h2 id="browser-wallet-title">{t("browserWallet")}</h2>
      <p className="hint">{t("browserWalletHint")}</p>
      <ul className="demo-list">
        {usable.map((c) => (
          <li key={c.uid}>
            <button type="button" className="secondary" disabled={isPending} onClick={() => connect({ connector: c })}>
              {t("connectWith", { name: c.name })}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {t("connectFailed", { message: (error as { shortMessage?: string }).shortMessage ?? error.message })}
        </p>
      )}
    </section>
  );
}
