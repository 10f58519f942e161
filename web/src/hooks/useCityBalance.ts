// My HCY balance in fen, refreshed on every new block.
import { type Address, zeroAddress } from "viem";
import { useReadContract } from "wagmi";
import { cityChain } from "../chain";
import { cityYuan } from "../contracts";
import { useRefetchOnBlock } from "./useRefetchOnBlock";

export function useCityBalance(owner: Address | undefined) {
  const query = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "balanceOf",
    args: [owner ?? zeroAddress],
    chainId: cityChain.id,
    query: { enabled: Boolean(owner) },
  });
  useRefetchOnBlock(query.refetch, Boolean(owner));
  return {
    fen: query.data,
    isLoading: query.isLoading,
    isError: query.isError && query.data === undefined,
  };
}
