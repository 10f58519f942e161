// The home page's latest few movements, read straight from recent Transfer logs (in and out).
// Deliberately small: the full history (all kinds, categories, 10,000 entries) is the History page's.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { type Address, getAbiItem, type Hash, zeroAddress } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, deployment } from "../../contracts";

export type Movement = {
  hash: Hash;
  logIndex: number;
  blockNumber: bigint;
  direction: "in" | "out";
  counterparty: Address;
  fen: bigint;
  kind: "transfer" | "topUp" | "redeem";
};

/** How far back the home page looks; older movements are the History page's job. */
const LOOKBACK_BLOCKS = 20_000n;

export function useRecentMovements(owner: Address | undefined, limit = 5) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  const query = useQuery({
    queryKey: ["recentMovements", owner, limit],
    enabled: Boolean(owner && client && cityYuan && deployment),
    queryFn: async (): Promise<Movement[]> => {
      if (!owner || !client || !cityYuan || !deployment) return [];
      const latest = await client.getBlockNumber();
      const start = BigInt(deployment.deployBlock);
      const fromBlock = latest > start + LOOKBACK_BLOCKS ? latest - LOOKBACK_BLOCKS : start;
      const event = getAbiItem({ abi: cityYuan.abi, name: "Transfer" });
      const [outgoing, incoming] = await Promise.all([
        client.getLogs({ address: cityYuan.address, event, args: { from: owner }, fromBlock, toBlock: latest }),
        client.getLogs({ address: cityYuan.address, event, args: { to: owner }, fromBlock, toBlock: latest }),
      ]);
      const movements: Movement[] = [];
      for (const log of [...outgoing, ...incoming]) {
        const { from, to, value } = log.args as { from: Address; to: Address; value: bigint };
        // Zero-value transfers are how address poisoning plants look-alikes: never show them.
        if (value === 0n || log.blockNumber === null || log.transactionHash === null) continue;
        const out = from.toLowerCase() === owner.toLowerCase();
        movements.push({
          hash: log.transactionHash,
          logIndex: log.logIndex ?? 0,
          blockNumber: log.blockNumber,
          direction: out ? "out" : "in",
          counterparty: out ? to : from,
          fen: value,
          kind: from === zeroAddress ? "topUp" : to === zeroAddress ? "redeem" : "transfer",
        });
      }
      movements.sort((a, b) =>
        a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
      );
      return movements.slice(0, limit);
    },
  });
  const { refetch } = query;
  useEffect(() => {
    if (block !== undefined) void refetch();
  }, [block, refetch]);
  return query;
}
