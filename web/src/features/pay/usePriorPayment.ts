// Was this order already paid? Before paying, the chain is asked for a PaymentMade with the same
// payer, payee and order reference (one indexed paymentId = keccak256(abi.encode(payer, payee,
// orderRef)), the contract's own definition), so a reload or a second scan of the same order
// code says "已付过" with when, instead of paying twice. A 亲属卡 payment is recorded as the
// funder's and emits FamilyCardPaid instead of PaymentMade: it counts too (her card, this shop,
// this order), so an order she paid with a card is not paid again from her balance.
import { useQuery } from "@tanstack/react-query";
import { type Address, encodeAbiParameters, type Hex, keccak256 } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, deployment, familyCards } from "../../contracts";

export type PriorPayment = { amount: bigint; timestamp: number };

/** The contract's payment id for (payer, payee, orderRef). */
export function paymentIdOf(payer: Address, payee: Address, orderRef: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "address" }, { type: "address" }, { type: "bytes32" }], [payer, payee, orderRef]),
  );
}

export function usePriorPayment(payer: Address | undefined, payee: Address, orderRef: Hex, enabled: boolean) {
  const client = usePublicClient({ chainId: cityChain.id });
  return useQuery({
    queryKey: ["prior-payment", payer, payee, orderRef],
    enabled: enabled && payer !== undefined && client !== undefined && cityYuan !== undefined,
    // Checked afresh each time the checkout opens: a payment may have landed a moment ago.
    staleTime: 0,
    queryFn: async (): Promise<PriorPayment | null> => {
      if (!client || !cityYuan || !payer) return null;
      const logs = await client.getContractEvents({
        address: cityYuan.address,
        abi: cityYuan.abi,
        eventName: "PaymentMade",
        args: { paymentId: paymentIdOf(payer, payee, orderRef) },
        fromBlock: BigInt(deployment?.deployBlock ?? 0),
        toBlock: "latest",
      });
      const byCard = (await cardPaymentsTo(client, payee)).filter(
        (l) =>
          l.args.holder?.toLowerCase() === payer.toLowerCase() &&
          l.args.orderRef?.toLowerCase() === orderRef.toLowerCase(),
      );
      return latest(client, [...logs, ...byCard]);
    },
  });
}

type PaymentLog = { blockNumber: bigint | null; logIndex: number | null; args: { amount?: bigint } };

/** The newest of the logs, with its block's time. */
async function latest(client: NonNullable<ReturnType<typeof usePublicClient>>, logs: PaymentLog[]) {
  const last = [...logs].sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? (a.logIndex ?? 0) - (b.logIndex ?? 0)
      : (a.blockNumber ?? 0n) < (b.blockNumber ?? 0n)
        ? -1
        : 1,
  )[logs.length - 1];
  if (!last?.blockNumber) return null;
  const block = await client.getBlock({ blockNumber: last.blockNumber });
  return { amount: last.args.amount ?? 0n, timestamp: Number(block.timestamp) };
}

/** Every 亲属卡 payment to this shop (the shop is indexed). */
function cardPaymentsTo(client: NonNullable<ReturnType<typeof usePublicClient>>, shop: Address) {
  return client.getContractEvents({
    address: familyCards.address,
    abi: familyCards.abi,
    eventName: "FamilyCardPaid",
    args: { shop },
    fromBlock: BigInt(deployment?.deployBlock ?? 0),
    toBlock: "latest",
  });
}

/**
 * Was this order reference already paid to this payee by anyone? A per-order code is for one
 * payment: a second payer scanning a reused or old code must not mix her money into another
 * customer's order. The payee is indexed, the reference is matched here.
 */
export function useOrderRefTaken(payee: Address, orderRef: Hex, enabled: boolean) {
  const client = usePublicClient({ chainId: cityChain.id });
  return useQuery({
    queryKey: ["order-ref-taken", payee, orderRef],
    enabled: enabled && client !== undefined && cityYuan !== undefined,
    staleTime: 0,
    queryFn: async (): Promise<PriorPayment | null> => {
      if (!client || !cityYuan) return null;
      const logs = await client.getContractEvents({
        address: cityYuan.address,
        abi: cityYuan.abi,
        eventName: "PaymentMade",
        args: { payee },
        fromBlock: BigInt(deployment?.deployBlock ?? 0),
        toBlock: "latest",
      });
      const byCard = await cardPaymentsTo(client, payee);
      const same = [...logs, ...byCard].filter((l) => l.args.orderRef?.toLowerCase() === orderRef.toLowerCase());
      return latest(client, same);
    },
  });
}
