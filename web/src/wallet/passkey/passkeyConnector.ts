// A wagmi connector for the resident's passkey account (like builtInConnector.ts for the phrase
// wallet). The account's address is known from this device's stored passkey; signing (Sign-In with
// Ethereum) and sending load passkeyAccount.ts on first use, so the first download stays small.
import {
  type Address,
  createClient,
  custom,
  type EIP1193RequestFn,
  getAddress,
  type Hex,
  http,
  numberToHex,
  type TransactionRequest,
  UserRejectedRequestError,
} from "viem";
import { ChainNotConfiguredError, createConnector } from "wagmi";
import { WalletLockedError } from "../builtInConnector";
import { loadPasskey, type StoredPasskey, subscribePasskey } from "./passkeyStore";

export const PASSKEY_WALLET_ID = "hcy-passkey";

function storedPasskey(): StoredPasskey {
  const passkey = loadPasskey();
  if (!passkey) throw new WalletLockedError();
  return passkey;
}

export function passkeyWallet() {
  return createConnector((config) => {
    const chain = config.chains[0];
    const rpcClient = createClient({ chain, transport: http(chain.rpcUrls.default.http[0]) });
    let unsubscribe: (() => void) | null = null;
    let connected = false;

    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      const p = (params ?? []) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts": {
          const passkey = loadPasskey();
          return passkey ? [passkey.address] : [];
        }
        case "eth_chainId":
          return numberToHex(chain.id);
        case "personal_sign": {
          const { signMessageWithPasskey } = await import("./passkeyAccount");
          return signMessageWithPasskey(storedPasskey(), { raw: p[0] as Hex });
        }
        case "eth_sendTransaction": {
          // For callers outside the one send path: one user operation, answered with the hash of
          // the transaction that carried it once it is on the chain.
          const tx = p[0] as TransactionRequest;
          if (!tx.to || (tx.value !== undefined && BigInt(tx.value) !== 0n))
            throw new UserRejectedRequestError(new Error("the city account sends only calls without value"));
          const { sendWithPasskey } = await import("./passkeyAccount");
          const sent = await sendWithPasskey(storedPasskey(), [{ to: tx.to, data: tx.data ?? "0x" }]);
          return (await sent.wait()).transactionHash;
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
      id: PASSKEY_WALLET_ID,
      name: "Hefei City Wallet (passkey)",
      type: "passkey",
      async setup() {
        unsubscribe?.();
        unsubscribe = subscribePasskey((passkey) => {
          if (!connected) return;
          if (!passkey) {
            connected = false;
            config.emitter.emit("disconnect");
          } else config.emitter.emit("change", { accounts: [getAddress(passkey.address)] });
        });
      },
      async connect(parameters) {
        const passkey = storedPasskey();
        connected = true;
        const accounts = [getAddress(passkey.address)];
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
        return [getAddress(storedPasskey().address)];
      },
      async getChainId() {
        return chain.id;
      },
      async getProvider() {
        return { request };
      },
      async getClient() {
        return createClient({
          account: getAddress(storedPasskey().address),
          chain,
          transport: custom({ request }),
        }) as never;
      },
      async isAuthorized() {
        return loadPasskey() !== null;
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
