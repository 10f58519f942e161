// The wagmi connector both of the city's own wallets are: the built-in (phrase) wallet and the
// passkey account. What differs is only who the account is, how it signs and sends, and the client
// wagmi signs through; the rest (accounts, chain, events, a minimal EIP-1193 provider that passes
// reads to the node) is here once.
import {
  type Address,
  type Chain,
  type Client,
  type EIP1193RequestFn,
  getAddress,
  type Hex,
  hexToBigInt,
  http,
  numberToHex,
  type RpcTransactionRequest,
  type Transport,
  UserRejectedRequestError,
} from "viem";
import { ChainNotConfiguredError, createConnector } from "wagmi";

/** Thrown when something asks a city wallet to act while it is locked (or has no passkey here). */
export class WalletLockedError extends Error {
  constructor() {
    super("the built-in wallet is locked");
    this.name = "WalletLockedError";
  }
}

/** A call the wallet is asked to send, from an EIP-1193 `eth_sendTransaction` (hex quantities). */
export type RequestedCall = { to: Address | undefined; data: Hex; value: bigint; gas: bigint | undefined };

export function requestedCall(rpc: RpcTransactionRequest): RequestedCall {
  return {
    to: rpc.to ?? undefined,
    data: rpc.data ?? "0x",
    value: rpc.value ? hexToBigInt(rpc.value) : 0n,
    gas: rpc.gas ? hexToBigInt(rpc.gas) : undefined,
  };
}

export type CityWallet = {
  id: string;
  name: string;
  type: string;
  /** The address the wallet acts for now, or null (locked, no passkey on this device). */
  address(): Address | null;
  /** Calls `listener` with the new address, or null, whenever it changes. */
  subscribe(listener: (address: Address | null) => void): () => void;
  signMessage(raw: Hex): Promise<Hex>;
  /** Signs typed data (eth_signTypedData_v4); absent when the wallet signs none. */
  signTypedData?: (json: string) => Promise<Hex>;
  /** Sends one call and answers with a transaction hash. */
  sendCall(call: RequestedCall, chain: Chain): Promise<Hex>;
  /** The viem client wagmi signs and sends through. */
  client(chain: Chain, provider: { request: EIP1193RequestFn }): Client<Transport, Chain>;
};

/** The address, or WalletLockedError. */
function required(wallet: CityWallet): Address {
  const address = wallet.address();
  if (!address) throw new WalletLockedError();
  return getAddress(address);
}

/**
 * wagmi's connect answer: the addresses, with (empty) capabilities when asked for them. The
 * overload keeps wagmi's conditional type on the outside without a cast inside.
 */
function connectedAccounts<withCapabilities extends boolean>(
  address: Address,
  withCapabilities: withCapabilities | boolean | undefined,
): withCapabilities extends true
  ? readonly { address: Address; capabilities: Record<string, unknown> }[]
  : readonly Address[];
function connectedAccounts(
  address: Address,
  withCapabilities: boolean | undefined,
): readonly Address[] | readonly { address: Address; capabilities: Record<string, unknown> }[] {
  return withCapabilities ? [{ address, capabilities: {} }] : [address];
}

export function cityWalletConnector(wallet: CityWallet) {
  return createConnector((config) => {
    const chain = config.chains[0];
    // The node's own transport, untyped by method: whatever the wallet does not answer goes there.
    const node = http(chain.rpcUrls.default.http[0])({ chain });
    let unsubscribe: (() => void) | null = null;
    let connected = false;

    // A minimal EIP-1193 provider for code that asks wagmi for one (e.g. SIWE signing helpers).
    const request = (async ({ method, params }: { method: string; params?: unknown }) => {
      const p = (params ?? []) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts": {
          const address = wallet.address();
          return address ? [address] : [];
        }
        case "eth_chainId":
          return numberToHex(chain.id);
        case "personal_sign":
          return wallet.signMessage(p[0] as Hex);
        case "eth_signTypedData_v4":
          if (!wallet.signTypedData) throw new UserRejectedRequestError(new Error("this wallet signs no typed data"));
          return wallet.signTypedData(p[1] as string);
        case "eth_sendTransaction":
          return wallet.sendCall(requestedCall(p[0] as RpcTransactionRequest), chain);
        case "wallet_switchEthereumChain":
          if (Number((p[0] as { chainId: string }).chainId) !== chain.id)
            throw new UserRejectedRequestError(new ChainNotConfiguredError());
          return null;
        default:
          return node.request({ method, params });
      }
    }) as EIP1193RequestFn;

    return {
      id: wallet.id,
      name: wallet.name,
      type: wallet.type,
      async setup() {
        unsubscribe?.();
        unsubscribe = wallet.subscribe((address) => {
          if (!connected) return;
          if (!address) {
            connected = false;
            config.emitter.emit("disconnect");
          } else config.emitter.emit("change", { accounts: [getAddress(address)] });
        });
      },
      async connect(parameters) {
        const address = required(wallet);
        connected = true;
        return { accounts: connectedAccounts(address, parameters?.withCapabilities), chainId: chain.id };
      },
      async disconnect() {
        connected = false;
      },
      async getAccounts(): Promise<readonly Address[]> {
        return [required(wallet)];
      },
      async getChainId() {
        return chain.id;
      },
      async getProvider() {
        return { request };
      },
      async getClient() {
        return wallet.client(chain, { request });
      },
      async isAuthorized() {
        return wallet.address() !== null;
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
