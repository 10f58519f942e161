// Says when the wallet is on the wrong network (and offers to switch), when the contracts are not
// deployed on the configured chain, and when the ledger node cannot be reached.
import { useConnection, useSwitchChain } from "wagmi";
import { cityChain } from "../chain";
import { deployment } from "../contracts";
import { useChainReachable } from "../hooks/useChainReachable";
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";

export function NetworkBanner() {
  const t = useT(commonMessages);
  const { isConnected, chainId } = useConnection();
  const { mutate: switchChain, isPending, error } = useSwitchChain();
  // The dApp's heartbeat (every page): a node that stops answering is said within seconds.
  const reachable = useChainReachable();
  const expected = `${cityChain.name} (${cityChain.id})`;

  if (!deployment)
    return (
      <div className="banner danger" role="alert">
        {t("notDeployed", { chainId: cityChain.id })}
      </div>
    );
  if (isConnected && chainId !== undefined && chainId !== cityChain.id)
    return (
      <div className="banner danger" role="alert">
        <p>
          <span aria-hidden="true">⚠ </span>
          {t("wrongNetwork", { actual: chainId, expected })}
        </p>
        <button
          type="button"
          className="primary"
          disabled={isPending}
          onClick={() => switchChain({ chainId: cityChain.id })}
        >
          {isPending ? t("switching") : t("switchNetwork", { expected })}
        </button>
        {error && <p>{t("switchFailed", { expected })}</p>}
      </div>
    );
  if (!reachable)
    return (
      <div className="banner warning chain-unreachable" role="status">
        <span aria-hidden="true">⚠ </span>
        {t("ledgerUnreachable")}
      </div>
    );
  return null;
}
