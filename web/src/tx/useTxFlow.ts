// The one way the dApp sends a transaction: check the network right before sending, simulate
// (so a refusal costs nothing and says why), sign, wait for the receipt through a dropped
// connection, and never send the same plan twice.
import { useCallback, useRef, useState } from "react";
import type { Hash, TransactionReceipt } from "viem";
import { useConfig } from "wagmi";
import { getConnection, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { cityChain } from "../chain";
import { gasless } from "../env";
import { WalletLockedError } from "../wallet/cityWalletConnector";
import { PASSKEY_WALLET_ID } from "../wallet/passkey/passkeyConnector";
import { loadPasskey } from "../wallet/passkey/passkeyStore";
import type { ContractWrite } from "./contractWrite";
import { classifyTxError, type TxFailure } from "./txErrors";

export type TxStage =
  | { stage: "review" }
  | { stage: "checking" }
  /** `again`: the passkey is asked a second time, and why (passkeyAccount.ts `sendWithPasskey`). */
  | { stage: "signing"; again?: "accountOpened" }
  | { stage: "sent"; hash: Hash; nodeUnreachable: boolean }
  | { stage: "confirmed"; hash: Hash; receipt: TransactionReceipt }
  | { stage: "failed"; failure: TxFailure | { kind: "revertedOnChain" }; hash?: Hash };

export type TxCallbacks = {
  onSent?: (hash: Hash) => void;
  onConfirmed?: (receipt: TransactionReceipt) => void;
};

/** One write, or several that must happen together (a passkey account sends them as one operation). */
export type Writes = ContractWrite | readonly ContractWrite[];

const RECEIPT_RETRY_MS = 2_000;

function asCall(write: ContractWrite) {
  return { to: write.address, data: write.data };
}

export function useTxFlow() {
  const config = useConfig();
  const [state, setState] = useState<TxStage>({ stage: "review" });
  // A ref, not state: two clicks in the same frame both see the old state, never the ref.
  const inFlight = useRef(false);
  const sentOnce = useRef(false);

  // Once a hash exists the money may move, so a dropped node must never turn into "failed, pay
  // again": keep asking until the ledger answers.
  const waitForReceipt = useCallback(
    async (hash: Hash, onReachability: (unreachable: boolean) => void): Promise<TransactionReceipt> => {
      for (;;) {
        try {
          const receipt = await waitForTransactionReceipt(config, { hash, chainId: cityChain.id, timeout: 60_000 });
          onReachability(false);
          return receipt;
        } catch (error) {
          const failure = classifyTxError(error);
          if (failure.kind !== "network" && failure.kind !== "unknown") throw error;
          onReachability(true);
          await new Promise((resolve) => setTimeout(resolve, RECEIPT_RETRY_MS));
        }
      }
    },
    [config],
  );

  const send = useCallback(
    async (writes: Writes, callbacks: TxCallbacks = {}) => {
      const all: readonly ContractWrite[] = Array.isArray(writes) ? writes : [writes as ContractWrite];
      if (inFlight.current || sentOnce.current) return;
      inFlight.current = true;
      let hash: Hash | undefined;
      try {
        setState({ stage: "checking" });
        const connection = getConnection(config);
        if (!connection.isConnected || !connection.address)
          throw Object.assign(new Error("not connected"), { name: "ConnectorNotConnectedError" });
        // Checked right before sending: the wallet may have switched networks since the page loaded.
        if (connection.chainId !== cityChain.id) {
          setState({ stage: "failed", failure: { kind: "wrongNetwork" } });
          return;
        }
        if (connection.connector?.id === PASSKEY_WALLET_ID) {
          // A passkey account: one user operation through the bundler, paid by the city paymaster,
          // simulated first exactly as it will run; the passkey (fingerprint, face) is asked once.
          const passkey = loadPasskey();
          if (!passkey) throw new WalletLockedError();
          const { simulateWithPasskey, sendWithPasskey } = await import("../wallet/passkey/passkeyAccount");
          const calls = all.map(asCall);
          await simulateWithPasskey(passkey, calls);
          setState({ stage: "signing" });
          const sent = await sendWithPasskey(passkey, calls, {
            onAskAgain: (again) => setState({ stage: "signing", again }),
          });
          hash = sent.userOpHash;
          sentOnce.current = true;
          setState({ stage: "sent", hash, nodeUnreachable: false });
          const receipt = await sent.wait();
          hash = receipt.transactionHash;
          callbacks.onSent?.(hash);
          if (receipt.status === "success") {
            setState({ stage: "confirmed", hash, receipt });
            callbacks.onConfirmed?.(receipt);
          } else setState({ stage: "failed", failure: { kind: "revertedOnChain" }, hash });
          return;
        }
        const [write, ...more] = all;
        // Several writes together need an account that batches them (a passkey account).
        if (!write || more.length > 0) throw new Error("batched writes need a passkey account");
        // Simulated in the next block's context ("pending"), where the transaction will land: a
        // rule that depends on the block (a random red-packet share is drawn from the hash of an
        // earlier block than the one drawing it) must not refuse at "latest" what will pass.
        const { address, abi, functionName, args } = write;
        const { request } = await simulateContract(config, {
          address,
          abi,
          functionName,
          args,
          account: connection.address,
          chainId: cityChain.id,
          blockTag: "pending",
        } as Parameters<typeof simulateContract>[1]);
        setState({ stage: "signing" });
        // Without `account`, wagmi signs through the connector's own client: the built-in wallet's
        // local key, or the browser wallet. Passing the bare address instead would ask the node
        // to sign (eth_sendTransaction), which only a dev node with unlocked accounts would do.
        const { account: _simulatedAs, ...unsigned } = request as Record<string, unknown>;
        const fees = gasless ? { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } : {};
        hash = await writeContract(config, {
          ...unsigned,
          ...fees,
          chainId: cityChain.id,
        } as Parameters<typeof writeContract>[1]);
        sentOnce.current = true;
        setState({ stage: "sent", hash, nodeUnreachable: false });
        callbacks.onSent?.(hash);
        const receipt = await waitForReceipt(hash, (unreachable) => {
          if (hash) setState({ stage: "sent", hash, nodeUnreachable: unreachable });
        });
        if (receipt.status === "success") {
          setState({ stage: "confirmed", hash, receipt });
          callbacks.onConfirmed?.(receipt);
        } else setState({ stage: "failed", failure: { kind: "revertedOnChain" }, hash });
      } catch (error) {
        setState({ stage: "failed", failure: classifyTxError(error), hash });
      } finally {
        inFlight.current = false;
      }
    },
    [config, waitForReceipt],
  );

  /** Back to review, for a new attempt after a failure in which nothing was sent. */
  const reset = useCallback(() => {
    if (inFlight.current || sentOnce.current) return;
    setState({ stage: "review" });
  }, []);

  return {
    state,
    send,
    reset,
    busy: state.stage === "checking" || state.stage === "signing" || state.stage === "sent",
  };
}
