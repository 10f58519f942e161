// The one chain the dApp talks to: the local Hardhat chain by default, or whatever VITE_CHAIN_ID /
// VITE_RPC_URL name (a city consortium chain, a public L2). Defined with viem's defineChain so
// wagmi and viem share it.
import { defineChain } from "viem";
import { expectedChainId, rpcHttpUrl, rpcWsUrl } from "./env";

export const cityChain = defineChain({
  id: expectedChainId,
  name:
    import.meta.env.VITE_CHAIN_NAME || (expectedChainId === 31337 ? "Hefei local chain" : `Chain ${expectedChainId}`),
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: {
    default: { http: [rpcHttpUrl], webSocket: [rpcWsUrl] },
  },
  testnet: expectedChainId === 31337,
});
