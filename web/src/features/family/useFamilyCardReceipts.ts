// Which of a shop's receipts were paid with a 亲属卡: the FamilyCardPaid logs naming the shop (it
// is indexed), read on every block with the receipts. Keyed by transaction and payment id, the
// pair that identifies the receipt's PaymentMade in the same transaction.
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem, type Hex } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { deployment, familyCards } from "../../contracts";
import { followLogs } from "../../hooks/followLogs";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";

const paid = getAbiItem({ abi: familyCards.abi, name: "FamilyCardPaid" });

export const cardReceiptKey = (txHash: Hex, paymentId: Hex) => `${txHash.toLowerCase()}:${paymentId.toLowerCase()}`;

export function useFamilyCardReceipts(shop: Address | undefined): ReadonlySet<string> {
  const client = usePublicClient({ chainId: cityChain.id });
  const query = useQuery({
    queryKey: ["familyCardReceipts", shop],
    enabled: Boolean(shop && client && deployment),
    placeholderData: (previous) => previous,
    queryFn: async () => {
      if (!shop || !client) return new Set<string>();
      const logs = await followLogs(client, `FamilyCardPaid:shop:${shop}`, (range) =>
        client.getLogs({ address: familyCards.address, event: paid, args: { shop }, ...range }),
      );
      return new Set(logs.map((log) => cardReceiptKey(log.transactionHash, log.args.paymentId as Hex)));
    },
  });
  useRefetchOnBlock(query.refetch, Boolean(shop));
  return query.data ?? EMPTY;
}

const EMPTY: ReadonlySet<string> = new Set();
