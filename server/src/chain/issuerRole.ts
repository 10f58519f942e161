// Who may work the issuer's desk: whoever holds ISSUER_ROLE on CityYuan right now, as the chain
// says. Answers are cached briefly so a busy desk does not call the node on every request.
import type { Address, PublicClient } from "viem";
import { cityYuanAbi, ISSUER_ROLE } from "./cityYuan.js";

const CACHE_MS = 15_000;

export function issuerRoleCheck(client: PublicClient, cityYuan: Address): (account: Address) => Promise<boolean> {
  const cache = new Map<string, { value: boolean; until: number }>();
  return async (account) => {
    const key = account.toLowerCase();
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > Date.now()) return hit.value;
    const value = await client.readContract({
      address: cityYuan,
      abi: cityYuanAbi,
      functionName: "hasRole",
      args: [ISSUER_ROLE, account],
    });
    cache.set(key, { value, until: Date.now() + CACHE_MS });
    return value;
  };
}
