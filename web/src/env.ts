// Where the dApp finds its chain and the city service. Read once from Vite env at build time, with
// the local system's defaults (`npm start`: Hardhat node on :8545, city service on :8787).

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
/** The city service (SIWE, contacts, alerts, top-ups). */
export const serviceUrl: string = (env.VITE_SERVICE_URL || "http://127.0.0.1:8787").replace(/\/$/, "");
/** The local development chain gets conveniences (demo residents) no real network may have. */
export const isLocalChain: boolean = expectedChainId === 31337;
/**
 * The city's chain charges no fees (Besu with zeroBaseFee and min-gas-price 0; the local node the
 * same), so residents need no ETH: writes are sent with zero fees. Off on chains that charge.
 */
export const gasless: boolean = (env.VITE_GASLESS ?? (isLocalChain ? "true" : "false")) === "true";
