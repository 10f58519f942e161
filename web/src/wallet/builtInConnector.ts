// A wagmi connector around the built-in wallet's in-memory viem account. Signing happens in the
// page with the unlocked key; only signed transactions leave it (eth_sendRawTransaction).
import {
  type Address,
  createClient,
  type EIP1193RequestFn,
  getAddress,
  type Hex,
  http,
  numberToHex,
  type TransactionRequest,
  UserRejectedRequestError,
} from "viem";
import { ChainNotConfiguredError, createConnector } from "wagmi";
import { getSession, subscribeSession } from "./session";

export const BUILT_IN_WALLET_ID = "hcy-built-in";

/** Thrown when something asks the built-in wallet to act while it is locked. */
export class WalletLockedError extends Error {
  constructor() {
    super("the built-in wallet is locked");
    this.name = "WalletLockedError";
  }
}

function unlockedAccount() {
  const session = getSession();
  if (!session) throw new WalletLockedError();
  return session.account;
}

export function builtInWallet() {
  return createConnector((config) => {
    const chain = config.chains[0];
    const rpcUrl = chain.rpcUrls.default.http[0];
    // Bare clients (no action decorators): wagmi calls tree-shakable actions on them, which keeps
    // the first download small.
    const rpcClient = createClient({ chain, transport: http(rpcUrl) });
    let unsubscribe: (() => void) | null = null;
    let connected = false;

    const walletClient = () => createClient({ account: unlockedAccount(), chain, transport: http(rpcUrl) });

    // A minimal EIP-1193 provider for code that asks wagmi for one (e.g. SIWE signing helpers).
    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      const p = (params ?? []) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return getSession() ? [getSession()?.account.address] : [];
        case "eth_chainId":
          return numberToHex(chain.id);
        case "personal_sign":
          return unlockedAccount().signMessage({ message: { raw: p[0] as `0x${string}` } });
        case "eth_signTypedData_v4":
          return unlockedAccount().signTypedData(JSON.parse(p[1] as string));
        case "eth_sendTransaction": {
          // Loaded on first use: only callers that bypass wagmi's actions need this path.
          const { sendTransaction } = await import("viem/actions");
          return sendTransaction(walletClient(), { ...(p[0] as TransactionRequest), chain } as never) as Promise<Hex>;
        }
        case "wallet_switchEthereumChain":
          if (Number((p[0] as { chainId: string }).chainId) !== chain.id)
            throw new UserRejectedRequestError(new ChainNotConfiguredError());
          return null;
        default:
          return rpcClient.request({ method, params } as never);
      }
    }) as EIP1193RequestFn;

    return {
      id: BUILT_IN_WALLET_ID,
      name: "Hefei City Wallet",
      type: "builtIn",
      async setup() {
        unsubscribe?.();
        unsubscribe = subscribeSession((session) => {
          if (!connected) return;
          if (!session) {
            connected = false;
            config.emitter.emit("disconnect");
          } else config.emitter.emit("change", { accounts: [session.account.address] });
        });
      },
      async connect(parameters) {
        const account = unlockedAccount();
        connected = true;
        const accounts = [getAddress(account.address)];
        return {
          accounts: (parameters?.withCapabilities
            ? accounts.map((address) => ({ address, capabilities: {} }))
            : accounts) as never,
          chainId: chain.id,
        };
      },
      async disconnect() {
        connected = false;
      },
      async getAccounts(): Promise<readonly Address[]> {
        return [getAddress(unlockedAccount().address)];
      },
      async getChainId() {
        return chain.id;
      },
      async getProvider() {
        return { request };
      },
      async getClient() {
        return walletClient() as never;
      },
      async isAuthorized() {
        return getSession() !== null;
      },
      async switchChain({ chainId }) {
        if (chainId !== chain.id) throw new ChainNotConfiguredError();
        return chain;
      },
      onAccountsChanged(accounts) {
        if (accounts.length === 0) this.onDisconnect();
        else config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
      },
      onChainChanged(chainId) {
        config.emitter.emit("change", { chainId: Number(chainId) });
      },
      onDisconnect() {
        connected = false;
        config.emitter.emit("disconnect");
      },
    };
  });
}
