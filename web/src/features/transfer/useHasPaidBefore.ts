// Whether I ever sent money to an address, asked of the ledger itself (Transfer logs with both
// parties indexed), so "first payment to a new address" holds on any device.
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, deployment } from "../../contracts";

export function useHasPaidBefore(from: Address | undefined, to: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  return useQuery({
    queryKey: ["hasPaidBefore", from, to],
    enabled: Boolean(from && to && client && cityYuan && deployment),
    staleTime: 60_000,
    queryFn: async () => {
      if (!from || !to || !client || !cityYuan || !deployment) return false;
      const logs = await client.getLogs({
        address: cityYuan.address,
        event: getAbiItem({ abi: cityYuan.abi, name: "Transfer" }),
        args: { from, to },
        fromBlock: BigInt(deployment.deployBlock),
        toBlock: "latest",
      });
      return logs.some((log) => (log.args as { value?: bigint }).value !== 0n);
    },
  });
}
