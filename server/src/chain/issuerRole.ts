// Who may work the issuer's desk: whoever holds ISSUER_ROLE on CityYuan right now, as the chain
// says. Reads (the queue, the problems) may use an answer up to 15 s old so a busy desk does not
// call the node on every page; every state-changing desk request asks the chain afresh
// (`fresh: true`), so a revoked issuer cannot act even once after the revocation is mined.
import { type Address, decodeFunctionData, type Hex, type PublicClient } from "viem";
import { cityYuanAbi, ISSUER_ROLE } from "./cityYuan.js";

const CACHE_MS = 15_000;

export type IssuerCheck = (account: Address, options?: { fresh?: boolean }) => Promise<boolean>;

export function issuerRoleCheck(client: PublicClient, cityYuan: Address): IssuerCheck {
  const cache = new Map<string, { value: boolean; until: number }>();
  return async (account, options = {}) => {
    const key = account.toLowerCase();
    const hit = cache.get(key);
    if (options.fresh !== true && hit !== undefined && hit.until > Date.now()) return hit.value;
    const value = await client.readContract({
      address: cityYuan,
      abi: cityYuanAbi,
      functionName: "hasRole",
      args: [ISSUER_ROLE, account],
    });
    if (cache.size > 1000) cache.clear();
    cache.set(key, { value, until: Date.now() + CACHE_MS });
    return value;
  };
}

/**
 * Whether an `Issued` event under `bankRef` is on the chain at its head (confirmed or not): the
 * desk must not reject a request whose issue is already mined, however recent.
 */
export function issuedOnChainCheck(
  client: PublicClient,
  cityYuan: Address,
  fromBlock: bigint,
): (bankRef: Hex) => Promise<boolean> {
  const issued = cityYuanAbi.find((item) => item.type === "event" && item.name === "Issued");
  if (issued === undefined || issued.type !== "event") throw new Error("CityYuan ABI has no Issued event");
  return async (bankRef) => {
    const logs = await client.getLogs({
      address: cityYuan,
      event: issued,
      args: { bankRef },
      fromBlock,
      toBlock: "latest",
    });
    if (logs.length > 0) return true;
    return issuePending(client, cityYuan, bankRef);
  };
}

/**
 * An `issue(to, amount, bankRef)` sent but not yet mined: the node's pending block, where it shows
 * one (Hardhat, Geth, Besu do). Best effort: a node without a pending block answers "none".
 */
async function issuePending(client: PublicClient, cityYuan: Address, bankRef: Hex): Promise<boolean> {
  let pending: Awaited<ReturnType<typeof client.getBlock<true, "pending">>>;
  try {
    pending = await client.getBlock({ blockTag: "pending", includeTransactions: true });
  } catch {
    return false;
  }
  const ref = bankRef.toLowerCase();
  return pending.transactions.some((tx) => {
    if (tx.to?.toLowerCase() !== cityYuan.toLowerCase()) return false;
    try {
      const call = decodeFunctionData({ abi: cityYuanAbi, data: tx.input });
      return call.functionName === "issue" && String(call.args?.[2]).toLowerCase() === ref;
    } catch {
      return false;
    }
  });
}
