// The wagmi connector for the resident's passkey account (cityWalletConnector.ts). The account's
// address is known from this device's stored passkey; signing (Sign-In with Ethereum) and sending
// load passkeyAccount.ts on first use, so the first download stays small.
import { createClient, custom, getAddress, UserRejectedRequestError } from "viem";
import { cityWalletConnector, WalletLockedError } from "../cityWalletConnector";
import { loadPasskey, type StoredPasskey, subscribePasskey } from "./passkeyStore";

export const PASSKEY_WALLET_ID = "hcy-passkey";

function storedPasskey(): StoredPasskey {
  const passkey = loadPasskey();
  if (!passkey) throw new WalletLockedError();
  return passkey;
}

export function passkeyWallet() {
  return cityWalletConnector({
    id: PASSKEY_WALLET_ID,
    name: "Hefei City Wallet (passkey)",
    type: "passkey",
    address: () => loadPasskey()?.address ?? null,
    subscribe: (listener) => subscribePasskey((passkey) => listener(passkey?.address ?? null)),
    async signMessage(raw) {
      const { signMessageWithPasskey } = await import("./passkeyAccount");
      return signMessageWithPasskey(storedPasskey(), { raw });
    },
    async sendCall(call) {
      // For callers outside the one send path: one user operation, answered with the hash of the
      // transaction that carried it once it is on the chain.
      const { to } = call;
      if (!to || call.value !== 0n)
        throw new UserRejectedRequestError(new Error("the city account sends only calls without value"));
      const { sendWithPasskey } = await import("./passkeyAccount");
      const sent = await sendWithPasskey(storedPasskey(), [{ to, data: call.data }]);
      return (await sent.wait()).transactionHash;
    },
    client: (chain, provider) =>
      createClient({ account: getAddress(storedPasskey().address), chain, transport: custom(provider) }),
  });
}
