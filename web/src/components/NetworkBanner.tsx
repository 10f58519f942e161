// Says when the wallet is on the wrong network (and offers to switch), when the contracts are not
// deployed on the configured chain, and when the ledger node cannot be reached.
import { useBlockNumber, useConnection, useSwitchChain } from "wagmi";
import { cityChain } from "../chain";
import { deployment } from "../contracts";
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";

export function NetworkBanner() {
  const t = useT(commonMessages);
  const { isConnected, chainId } = useConnection();
  const { mutate: switchChain, isPending, error } = useSwitchChain();
  // Also the dApp's heartbeat: a failing block-number poll means the node is unreachable.
  const block = useBlockNumber({ chainId: cityChain.id, watch: true });
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
  if (block.isError)
    return (
      <div className="banner warning" role="status">
        <span aria-hidden="true">⚠ </span>
        {t("ledgerUnreachable")}
      </div>
    );
  return null;
}
