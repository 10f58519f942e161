// One log follower for the page (see core/followLogs.ts): hooks that read a filter on every block
// read only the new blocks after their first read.

import { LogFollower, type LogPlace } from "@core/followLogs";
import type { PublicClient } from "viem";
import { deployBlock } from "../contracts";

const follower = new LogFollower();

/** The logs `read` finds from the deploy block to the head, read in full once and then block by block. */
export function followLogs<T extends LogPlace>(
  client: PublicClient,
  key: string,
  read: (range: { fromBlock: bigint; toBlock: bigint }) => Promise<T[]>,
): Promise<T[]> {
  return follower.logs(`${client.chain?.id ?? "?"}:${key}`, deployBlock, {
    head: () => client.getBlockNumber({ cacheTime: 0 }),
    blockHash: async (blockNumber) => {
      const block = await client.getBlock({ blockNumber }).catch(() => undefined);
      return block?.hash ?? undefined;
    },
    read: (fromBlock, toBlock) => read({ fromBlock, toBlock }),
  });
}
