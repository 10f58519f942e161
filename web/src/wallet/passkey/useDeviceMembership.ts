// Whether this device's passkey still signs for the account it opens: asked when the app opens and
// on every new block (its removal is a transaction, so it arrives with a block). A device removed on another one (a lost phone) is told at
// once and shows nothing of the account (App.tsx puts DeviceRemoved in place of every page).
import { cityAccountAbi } from "@generated/contracts";
import { useRef } from "react";
import { useConnection, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";
import { PASSKEY_WALLET_ID } from "./passkeyConnector";
import { loadPasskey } from "./passkeyStore";

/** "other": not a passkey account here; "checking": the first answer is not in yet. */
export type Membership = "other" | "checking" | "member" | "removed";

export function useDeviceMembership(): Membership {
  const { address, connector, isConnected } = useConnection();
  const own = loadPasskey();
  const active = Boolean(
    isConnected &&
      connector?.id === PASSKEY_WALLET_ID &&
      own &&
      address &&
      own.address.toLowerCase() === address.toLowerCase(),
  );
  const check = useReadContract({
    address,
    abi: cityAccountAbi,
    functionName: "isPasskey",
    args: own ? [own.x, own.y] : undefined,
    chainId: cityChain.id,
    query: { enabled: active, retry: false },
  });
  useRefetchOnBlock(check.refetch, active);
  // Only the first answer is waited for: a page in the middle of a payment is never replaced by
  // "loading" while the next answer comes.
  const answered = useRef(false);
  if (check.data !== undefined || check.isError) answered.current = true;
  if (!active) return "other";
  if (check.data === false) return "removed";
  // An account not on the chain yet has no code to ask (only the passkey that made it signs for
  // it), and an unreachable node cannot say either way: the pages say what they can.
  return answered.current ? "member" : "checking";
}
