// Names and categories of the merchants an account dealt with, read from the MerchantRegistry in
// one batched round (one merchantOf per distinct counterparty), remembered for the session. The
// history labels, categorises and searches with it; vouchers rank from the categories.
import type { Address, PublicClient } from "viem";
import { merchantRegistryAbi } from "../../generated/contracts.js";
import { categoryFromIndex, type MerchantCategory } from "../enums.js";

export type MerchantRecord = { name: string; category: MerchantCategory; active: boolean };
/** Lower-case address -> the registry's record, or null when the address is not a merchant. */
export type MerchantDirectory = ReadonlyMap<string, MerchantRecord | null>;

const known = new Map<string, MerchantRecord | null>();

export async function readMerchants(
  client: PublicClient,
  registry: Address,
  addresses: Iterable<Address>,
): Promise<MerchantDirectory> {
  const wanted = [...new Set([...addresses].map((a) => a.toLowerCase()))].filter((a) => !known.has(`${registry}:${a}`));
  await Promise.all(
    wanted.map(async (address) => {
      try {
        const record = (await client.readContract({
          address: registry,
          abi: merchantRegistryAbi,
          functionName: "merchantOf",
          args: [address as Address],
        })) as { name: string; category: number; active: boolean; registeredAt: bigint };
        known.set(
          `${registry}:${address}`,
          record.registeredAt === 0n || record.name === ""
            ? null
            : { name: record.name, category: categoryFromIndex(Number(record.category)), active: record.active },
        );
      } catch {
        // Not knowing a name is not an error worth showing: the address is shown instead.
      }
    }),
  );
  const directory = new Map<string, MerchantRecord | null>();
  for (const [key, value] of known)
    if (key.startsWith(`${registry}:`)) directory.set(key.slice(registry.length + 1), value);
  return directory;
}
