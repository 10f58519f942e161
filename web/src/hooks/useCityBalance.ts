// My HCY balance in fen, refreshed on every new block.
import { useEffect } from "react";
import { type Address, zeroAddress } from "viem";
import { useBlockNumber, useReadContract } from "wagmi";
import { cityChain } from "../chain";
import { cityYuan } from "../contracts";

export function useCityBalance(owner: Address | undefined) {
  const query = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "balanceOf",
    args: [owner ?? zeroAddress],
    chainId: cityChain.id,
    query: { enabled: Boolean(owner) },
  });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  const { refetch } = query;
  useEffect(() => {
    if (block !== undefined) void refetch();
  }, [block, refetch]);
  return {
    fen: query.data,
    isLoading: query.isLoading,
    isError: query.isError && query.data === undefined,
  };
}
