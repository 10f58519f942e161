// The people and shops a resident knows, for the look-alike check before paying: her contacts,
// the city's registered shops, and everyone she has paid before (from her own Transfer logs).
// An address one character away from one of these is stopped; one with the same ends is warned.
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../chain";
import { useContacts } from "../contacts/contactsStore";
import { cityYuan, deployment, merchantRegistry } from "../contracts";

export type KnownPayee = { address: Address; name?: string; kind: "contact" | "shop" | "paid" };

export function useKnownPayees(me: Address | undefined): KnownPayee[] {
  return useKnownPayeeList(me).payees;
}

/** The same list, and whether the shops and past payees are still being read (a name typed meanwhile is not "not found"). */
export function useKnownPayeeList(me: Address | undefined): { payees: KnownPayee[]; isLoading: boolean } {
  const contacts = useContacts(me);
  const client = usePublicClient({ chainId: cityChain.id });
  const onChain = useQuery({
    queryKey: ["knownPayees", me],
    enabled: Boolean(me && client && deployment),
    staleTime: 60_000,
    queryFn: async (): Promise<KnownPayee[]> => {
      if (!me || !client || !deployment) return [];
      const fromBlock = BigInt(deployment.deployBlock);
      const [registered, updated, paid] = await Promise.all([
        client.getLogs({
          address: merchantRegistry.address,
          event: getAbiItem({ abi: merchantRegistry.abi, name: "MerchantRegistered" }),
          fromBlock,
        }),
        client.getLogs({
          address: merchantRegistry.address,
          event: getAbiItem({ abi: merchantRegistry.abi, name: "MerchantUpdated" }),
          fromBlock,
        }),
        client.getLogs({
          address: cityYuan.address,
          event: getAbiItem({ abi: cityYuan.abi, name: "Transfer" }),
          args: { from: me },
          fromBlock,
        }),
      ]);
      const shops = new Map<string, KnownPayee>();
      for (const log of [...registered, ...updated]) {
        const { merchant, name } = log.args as { merchant?: Address; name?: string };
        if (merchant) shops.set(merchant.toLowerCase(), { address: merchant, name, kind: "shop" });
      }
      const paidTo = new Map<string, KnownPayee>();
      for (const log of paid) {
        const { to } = log.args as { to?: Address };
        if (to && !shops.has(to.toLowerCase())) paidTo.set(to.toLowerCase(), { address: to, kind: "paid" });
      }
      return [...shops.values(), ...paidTo.values()];
    },
  });
  const named: KnownPayee[] = contacts.map((c) => ({ address: c.address, name: c.name, kind: "contact" }));
  return { payees: [...named, ...(onChain.data ?? [])], isLoading: onChain.isLoading };
}
