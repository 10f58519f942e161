// Draws the packet's waiting 拼手气 share as soon as the page sees it, so an honest claimer never
// meets the late rule (a share drawn more than 256 blocks after its claim pays 1 fen). Anyone may
// draw any waiting share and the draw is the same whoever sends it, so on the city's gasless chain
// the page sends `settle` from a throwaway key it makes itself: no prompt, no fee, no one's money,
// and it works for every visitor of the packet, signed in or not. Where transactions cost gas the
// page cannot pay for the visitor; it says so and the claim page keeps its 现在开奖 button.
import { useEffect, useMemo, useRef, useState } from "react";
import { createWalletClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { redPacket } from "../../contracts";
import { gasless, rpcHttpUrl } from "../../env";
import type { PacketClaim } from "./claims";
import { revertName } from "./usePackets";

/** `off`: not on a gasless chain (the visitor draws with the button); `idle`: nothing waits;
 * `drawing`: a share waits and the page draws it; `failed`: the page could not (the button stays). */
export type AutoDrawState = "off" | "idle" | "drawing" | "failed";

export function useAutoDraw(packetId: bigint, waiting: PacketClaim | undefined, head: bigint): AutoDrawState {
  const client = usePublicClient({ chainId: cityChain.id });
  // One throwaway key per page: it holds nothing and only ever sends settle.
  const drawer = useMemo(
    () =>
      createWalletClient({
        account: privateKeyToAccount(generatePrivateKey()),
        chain: cityChain,
        transport: http(rpcHttpUrl),
      }),
    [],
  );
  const [failed, setFailed] = useState<string | null>(null);
  // Which share (packet:index) was sent for, so one share is drawn once however often we render.
  const sentFor = useRef<string | null>(null);
  const share = waiting ? `${packetId}:${waiting.index}` : null;
  const claimBlock = waiting?.blockNumber;

  useEffect(() => {
    // Its claim's block must be known and sealed (the head, or older); a new head retries after a
    // RedPacketDrawPending.
    if (!gasless || !client || !share || claimBlock === undefined || head < claimBlock) return;
    if (sentFor.current === share) return;
    sentFor.current = share;
    void (async () => {
      try {
        // Estimated where it will land (the next block), as every write of the dApp is simulated:
        // at "latest" the claim's own block would still be current and refuse the draw.
        const settle = {
          address: redPacket.address,
          abi: redPacket.abi,
          functionName: "settle",
          args: [packetId],
        } as const;
        const gas = await client.estimateContractGas({ ...settle, account: drawer.account, blockTag: "pending" });
        const hash = await drawer.writeContract({ ...settle, gas, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n });
        await client.waitForTransactionReceipt({ hash });
      } catch (error) {
        const reason = revertName(error);
        // Someone else drew it first: nothing to do, the next read shows the amount.
        if (reason === "RedPacketNothingToSettle") return;
        // Its block is still the one being built: try again when the next block is seen.
        if (reason === "RedPacketDrawPending") sentFor.current = null;
        else setFailed(share);
      }
    })();
  }, [client, drawer, packetId, share, claimBlock, head]);

  if (!gasless) return "off";
  if (!share) return "idle";
  return failed === share ? "failed" : "drawing";
}
