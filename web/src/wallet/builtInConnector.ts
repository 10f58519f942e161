// The wagmi connector for the built-in wallet's in-memory viem account (cityWalletConnector.ts).
// Signing happens in the page with the unlocked key; only signed transactions leave it
// (eth_sendRawTransaction).
import { type Chain, createClient, http, type TypedDataDefinition } from "viem";
import { cityWalletConnector, WalletLockedError } from "./cityWalletConnector";
import { getSession, subscribeSession } from "./session";

export const BUILT_IN_WALLET_ID = "hcy-built-in";

function unlockedAccount() {
  const session = getSession();
  if (!session) throw new WalletLockedError();
  return session.account;
}

/** A bare client (no action decorators): wagmi calls tree-shakable actions on it, which keeps the first download small. */
function signingClient(chain: Chain) {
  return createClient({ account: unlockedAccount(), chain, transport: http(chain.rpcUrls.default.http[0]) });
}

export function builtInWallet() {
  return cityWalletConnector({
    id: BUILT_IN_WALLET_ID,
    name: "Hefei City Wallet",
    type: "builtIn",
    address: () => getSession()?.account.address ?? null,
    subscribe: (listener) => subscribeSession((session) => listener(session?.account.address ?? null)),
    signMessage: (raw) => unlockedAccount().signMessage({ message: { raw } }),
    signTypedData: (json) => unlockedAccount().signTypedData(JSON.parse(json) as TypedDataDefinition),
    async sendCall(call, chain) {
      // Loaded on first use: only callers that bypass wagmi's actions need this path.
      const { sendTransaction } = await import("viem/actions");
      return sendTransaction(signingClient(chain), { ...call, chain });
    },
    client: (chain) => signingClient(chain),
  });
}
