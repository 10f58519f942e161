// The dApp's single wagmi config: one chain, explicit transports, the injected connector
// (MetaMask, Rabby), the resident's passkey account and the built-in passcode wallet.
import { createConfig, http, injected } from "wagmi";
import { cityChain } from "./chain";
import { builtInWallet } from "./wallet/builtInConnector";
import { passkeyWallet } from "./wallet/passkey/passkeyConnector";

export const wagmiConfig = createConfig({
  chains: [cityChain],
  connectors: [passkeyWallet(), builtInWallet(), injected({ shimDisconnect: true })],
  transports: {
    // Batching folds the home page's several reads into one HTTP request.
    [cityChain.id]: http(cityChain.rpcUrls.default.http[0], { batch: true, retryCount: 2 }),
  },
  // A local chain mines on demand, so a short poll keeps balances and receipts feeling instant.
  pollingInterval: cityChain.testnet ? 1_000 : 4_000,
  multiInjectedProviderDiscovery: true,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
