// The 转账延时到账 that concern me and are still waiting: the ones I sent (I can take them back
// until they are due) and the ones sent to me (到账中, with when), read on every block from the
// TransferDelayed logs (sender and receiver are indexed) and each transfer's status now.
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem } from "viem";
import { useBlock, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { delayedTransfers, deployment } from "../../contracts";
import { followLogs } from "../../hooks/followLogs";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";

/** IDelayedTransfers.Status.Pending. */
const PENDING = 1;

export type PendingTransfer = {
  id: bigint;
  sender: Address;
  receiver: Address;
  amount: bigint;
  /** Unix seconds (chain time) from which it can be released and no longer taken back. */
  releaseAt: number;
  outgoing: boolean;
};

const delayedEvent = getAbiItem({ abi: delayedTransfers.abi, name: "TransferDelayed" });

export function usePendingTransfers(me: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const query = useQuery({
    queryKey: ["pendingTransfers", me],
    enabled: Boolean(me && client && deployment),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<PendingTransfer[]> => {
      if (!me || !client) return [];
      const [sent, received] = await Promise.all([
        followLogs(client, `TransferDelayed:sender:${me}`, (range) =>
          client.getLogs({ address: delayedTransfers.address, event: delayedEvent, args: { sender: me }, ...range }),
        ),
        followLogs(client, `TransferDelayed:receiver:${me}`, (range) =>
          client.getLogs({ address: delayedTransfers.address, event: delayedEvent, args: { receiver: me }, ...range }),
        ),
      ]);
      const ids = [...new Set([...sent, ...received].map((log) => log.args.transferId as bigint))];
      const views = await Promise.all(
        ids.map((id) => client.readContract({ ...delayedTransfers, functionName: "transfer", args: [id] })),
      );
      return views
        .map((v, i) => ({ v, id: ids[i] as bigint }))
        .filter(({ v }) => v.status === PENDING)
        .map(({ v, id }) => ({
          id,
          sender: v.sender,
          receiver: v.receiver,
          amount: v.amount,
          releaseAt: Number(v.releaseAt),
          outgoing: v.sender.toLowerCase() === me.toLowerCase(),
        }))
        .sort((a, b) => a.releaseAt - b.releaseAt);
    },
  });
  useRefetchOnBlock(query.refetch, Boolean(me));
  return query;
}

/** Now on the chain's clock (a local chain can run ahead of the wall clock), in Unix seconds. */
export function useChainNow(): number {
  const { data: block } = useBlock({ chainId: cityChain.id, watch: true });
  return Math.max(Math.floor(Date.now() / 1000), Number(block?.timestamp ?? 0));
}
