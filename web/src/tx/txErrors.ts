// Turns whatever a write threw (viem, wagmi, a wallet, the built-in wallet) into one of a few
// kinds the resident can act on, with the contract's custom error name when the ledger refused.
import {
  BaseError,
  ChainMismatchError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  TimeoutError,
  UserRejectedRequestError,
  WebSocketRequestError,
} from "viem";
import { WalletLockedError } from "../wallet/cityWalletConnector";

export type TxFailure =
  | { kind: "cancelled" }
  | { kind: "network" }
  | { kind: "wrongNetwork" }
  | { kind: "notDeployed" }
  | { kind: "locked" }
  | { kind: "notConnected" }
  | { kind: "notEnoughGas" }
  | { kind: "passkeyNotConfirmed" }
  | { kind: "reverted"; errorName: string }
  | { kind: "unknown"; message: string };

const NAMED: Record<string, TxFailure["kind"]> = {
  ConnectorNotConnectedError: "notConnected",
  ConnectorChainMismatchError: "wrongNetwork",
  ChainMismatchError: "wrongNetwork",
  WalletLockedError: "locked",
};

function isNetworkFailure(e: unknown): boolean {
  if (e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WebSocketRequestError) return true;
  // fetch() itself rejects with a TypeError ("Failed to fetch" / "fetch failed") when the node is gone.
  return e instanceof TypeError && /fetch|network|load failed/i.test(e.message);
}

export function classifyTxError(error: unknown): TxFailure {
  const chain: unknown[] = [];
  let cursor: unknown = error;
  // Walk `cause` ourselves as well as BaseError.walk: wallets wrap errors in plain Errors too.
  for (let depth = 0; cursor && depth < 12; depth++) {
    chain.push(cursor);
    cursor = (cursor as { cause?: unknown }).cause;
  }
  for (const e of chain) {
    if (e instanceof UserRejectedRequestError) return { kind: "cancelled" };
    if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === 4001) return { kind: "cancelled" };
    if (e instanceof WalletLockedError) return { kind: "locked" };
    if (e instanceof ChainMismatchError) return { kind: "wrongNetwork" };
    if (e instanceof ContractFunctionRevertedError) {
      const name = e.data?.errorName ?? e.reason ?? "unknown";
      return { kind: "reverted", errorName: name };
    }
    if (e instanceof InsufficientFundsError) return { kind: "notEnoughGas" };
  }
  for (const e of chain) {
    const name = (e as { name?: unknown })?.name;
    // The bundler or the city paymaster refused a passkey account's operation (passkeyAccount.ts).
    if (name === "UserOperationRefusedError")
      return { kind: "reverted", errorName: String((e as { errorName?: unknown }).errorName) };
    // The fingerprint or face was cancelled or failed, or this device has no passkey for the account.
    if (name === "NotAllowedError") return { kind: "passkeyNotConfirmed" };
    if (typeof name === "string" && name in NAMED) return { kind: NAMED[name] } as TxFailure;
    if (isNetworkFailure(e)) return { kind: "network" };
  }
  const message =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return { kind: "unknown", message };
}
