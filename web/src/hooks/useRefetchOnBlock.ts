// Refetches a chain read on every new block, for reads a person acts on (her balance, the voucher
// she holds at a checkout): a read that is a few seconds old can miss what she just did.
import { useEffect } from "react";
import { useBlockNumber } from "wagmi";
import { cityChain } from "../chain";

export function useRefetchOnBlock(refetch: (options?: { cancelRefetch?: boolean }) => unknown, enabled = true): void {
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: enabled });
  useEffect(() => {
    // A read already under way answers for this block too.
    if (enabled && block !== undefined) void refetch({ cancelRefetch: false });
  }, [block, refetch, enabled]);
}
