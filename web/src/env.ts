// Where the dApp finds its chain and the city service. Read once from Vite env at build time, with
// the local system's defaults (`npm start`: Hardhat node on :8545, city service on :8787).

import { type Address, getAddress, isAddress } from "viem";

const env = import.meta.env;

function numberFrom(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** The chain every write must go to. */
export const expectedChainId: number = numberFrom(env.VITE_CHAIN_ID, 31337);
/** JSON-RPC over HTTP for reads and for the built-in wallet's raw transactions. */
export const rpcHttpUrl: string = env.VITE_RPC_URL || "http://127.0.0.1:8545";
/** JSON-RPC over WebSocket, for pages that want pushed events (merchant receipts). */
export const rpcWsUrl: string = env.VITE_RPC_WS_URL || rpcHttpUrl.replace(/^http/, "ws");
/**
 * A loopback service follows the page's own host name: a page opened on `localhost` (passkeys need a
 * host name, not an IP address) talks to `localhost`, so the service's cookie is same-site.
 */
function followPageHost(url: string): string {
  const page = typeof window !== "undefined" ? window.location.hostname : "";
  if (page !== "localhost") return url;
  const parsed = new URL(url);
  if (parsed.hostname !== "127.0.0.1") return url;
  parsed.hostname = "localhost";
  return parsed.toString();
}

/** The city service (SIWE, contacts, alerts, top-ups). */
export const serviceUrl: string = followPageHost(env.VITE_SERVICE_URL || "http://127.0.0.1:8787").replace(/\/$/, "");
/** The local development chain gets conveniences (demo residents) no real network may have. */
export const isLocalChain: boolean = expectedChainId === 31337;
/**
 * The city's chain charges no fees (Besu with zeroBaseFee and min-gas-price 0; the local node the
 * same), so residents need no ETH: writes are sent with zero fees. Off on chains that charge.
 */
export const gasless: boolean = (env.VITE_GASLESS ?? (isLocalChain ? "true" : "false")) === "true";
/**
 * The ERC-4337 bundler (Alto on the local system, `npm start`, HCY_BUNDLER_PORT) that carries the
 * passkey accounts' user operations to the chain.
 */
export const bundlerUrl: string = followPageHost(env.VITE_BUNDLER_URL || "http://127.0.0.1:4337").replace(/\/$/, "");
/**
 * The city's indexer (Ponder, `npm start` starts it on HCY_INDEXER_PORT): the history, the shop's
 * older receipts and the ledger's totals are read from it when it answers. Empty: none, everything
 * is read from the chain.
 */
export const indexerUrl: string | undefined = env.VITE_INDEXER_URL
  ? followPageHost(env.VITE_INDEXER_URL).replace(/\/$/, "")
  : undefined;
/**
 * The auditor whose signed checkpoints the ledger page's audit continues from, set when the dApp is
 * built (`npm start`: the local demo auditor). Deliberately not asked of the city service, which
 * publishes the checkpoints: a service that also named the auditor could vouch for itself. Unset or
 * not an address: no checkpoint is trusted and the page replays the whole ledger.
 */
export const trustedAuditor: Address | undefined = isAddress(env.VITE_AUDITOR_ADDRESS ?? "", { strict: false })
  ? getAddress(env.VITE_AUDITOR_ADDRESS as string)
  : undefined;
