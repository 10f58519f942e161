// A merchant's registered name and category from the MerchantRegistry (cached per address for the
// session: registrations change rarely, and every address on screen asks).
//
// `status` says whether the answer is known: "loading" until the registry answered (and again
// while a failed read is retried), "ready" once it did. Only a "ready" read says an address is not
// a registered shop; before that a screen shows that it is still checking, never a verdict.

import { categoryFromIndex, type MerchantCategory } from "@core/enums";
import { type Address, zeroAddress } from "viem";
import { useReadContract } from "wagmi";
import { cityChain } from "../chain";
import { merchantRegistry } from "../contracts";

export type MerchantInfo = { name: string; category: MerchantCategory; active: boolean };
export type MerchantStatus = "none" | "loading" | "ready";

/** A failed read is tried again this often (a dropped connection must not leave "checking…" forever). */
const RETRY_AFTER_ERROR_MS = 5_000;

export function useMerchant(address: Address | undefined): {
  merchant: MerchantInfo | null;
  isLoading: boolean;
  /** none: no address asked; loading: not known yet (or the read failed and is being retried); ready: known. */
  status: MerchantStatus;
} {
  const { data } = useReadContract({
    address: merchantRegistry.address,
    abi: merchantRegistry.abi,
    functionName: "merchantOf",
    args: [address ?? zeroAddress],
    chainId: cityChain.id,
    query: {
      enabled: Boolean(address),
      staleTime: 5 * 60_000,
      gcTime: 30 * 60_000,
      refetchInterval: (query) => (query.state.status === "error" ? RETRY_AFTER_ERROR_MS : false),
    },
  });
  const status: MerchantStatus = !address ? "none" : data !== undefined ? "ready" : "loading";
  const record = data as { name: string; category: number; active: boolean; registeredAt: bigint } | undefined;
  if (!record || record.registeredAt === 0n || record.name === "")
    return { merchant: null, isLoading: status === "loading", status };
  return {
    merchant: { name: record.name, category: categoryFromIndex(Number(record.category)), active: record.active },
    isLoading: status === "loading",
    status,
  };
}
