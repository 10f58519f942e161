// Connecting, locking and the local demo residents, in terms of wagmi actions so every page sees
// one connection state.
import type { Config } from "wagmi";
import { connect, disconnect, getConnection } from "wagmi/actions";
import { isLocalChain } from "../env";
import { BUILT_IN_WALLET_ID } from "./builtInConnector";
import { PASSKEY_WALLET_ID } from "./passkey/passkeyConnector";
import { type StoredPasskey, savePasskey } from "./passkey/passkeyStore";
import { closeSession, openSession } from "./session";

const DEMO_KEY = "hcy.demo.v1";

function builtInConnector(config: Config) {
  const connector = config.connectors.find((c) => c.id === BUILT_IN_WALLET_ID);
  if (!connector) throw new Error("built-in wallet connector missing from the wagmi config");
  return connector;
}

/** After the session was opened (unlock, create, restore, demo), connect wagmi to it. */
export async function connectBuiltIn(config: Config): Promise<void> {
  await connect(config, { connector: builtInConnector(config), chainId: config.chains[0].id });
}

export async function selectDemoAccount(config: Config, index: number): Promise<void> {
  if (!isLocalChain) throw new Error("demo accounts exist only on the local chain");
  const { demoAccountAt } = await import("./demoAccounts");
  openSession({ account: await demoAccountAt(index), source: "demo" });
  // The demo keys are public; remembering which one was picked just spares a click on reload.
  localStorage.setItem(DEMO_KEY, String(index));
  await connectBuiltIn(config);
}

/** On start: pick the remembered demo resident again (local chain only). */
export async function restoreDemoAccount(config: Config): Promise<boolean> {
  const stored = localStorage.getItem(DEMO_KEY);
  if (!isLocalChain || stored === null) return false;
  const index = Number(stored);
  if (!Number.isSafeInteger(index) || index < 0) return false;
  await selectDemoAccount(config, index);
  return true;
}

/** Locks the built-in wallet (drops the key from memory) or disconnects a browser wallet. */
export async function lockWallet(config: Config): Promise<void> {
  localStorage.removeItem(DEMO_KEY);
  closeSession();
  const { connector } = getConnection(config);
  if (connector) await disconnect(config, { connector }).catch(() => undefined);
}

/** Remembers this device's passkey account and connects wagmi to it. */
export async function connectPasskey(config: Config, passkey: StoredPasskey): Promise<void> {
  localStorage.removeItem(DEMO_KEY);
  closeSession();
  savePasskey(passkey);
  const connector = config.connectors.find((c) => c.id === PASSKEY_WALLET_ID);
  if (!connector) throw new Error("passkey connector missing from the wagmi config");
  await connect(config, { connector, chainId: config.chains[0].id });
}
