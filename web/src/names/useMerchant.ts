// A merchant's registered name and category from the MerchantRegistry (cached per address for the
// session: registrations change rarely, and every address on screen asks).

import { categoryFromIndex, type MerchantCategory } from "@core/enums";
import { type Address, zeroAddress } from "viem";
import { useReadContract } from "wagmi";
import { cityChain } from "../chain";
import { merchantRegistry } from "../contracts";

export type MerchantInfo = { name: string; category: MerchantCategory; active: boolean };

export function useMerchant(address: Address | undefined): { merchant: MerchantInfo | null; isLoading: boolean } {
  const { data, isLoading } = useReadContract({
    address: merchantRegistry.address,
    abi: merchantRegistry.abi,
    functionName: "merchantOf",
    args: [address ?? zeroAddress],
    chainId: cityChain.id,
    query: { enabled: Boolean(address), staleTime: 5 * 60_000, gcTime: 30 * 60_000 },
  });
  const record = data as { name: string; category: number; active: boolean; registeredAt: bigint } | undefined;
  if (!record || record.registeredAt === 0n || record.name === "") return { merchant: null, isLoading };
  return {
    merchant: { name: record.name, category: categoryFromIndex(Number(record.category)), active: record.active },
    isLoading,
  };
}
