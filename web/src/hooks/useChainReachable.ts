// The dApp's heartbeat: asks the chain's node for its latest block every few seconds, on every
// page, so "the city network cannot be reached" is said within seconds wherever the resident is,
// and everything shown is read again the moment the node answers again.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { rpcHttpUrl } from "../env";

const HEARTBEAT_MS = 3_000;
const TIMEOUT_MS = 4_000;
const KEY = ["chain-heartbeat"] as const;

async function latestBlock(): Promise<string> {
  const response = await fetch(rpcHttpUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const reply = (await response.json()) as { result?: string; error?: { message: string } };
  if (typeof reply.result !== "string") throw new Error(reply.error?.message ?? "no block number");
  return reply.result;
}

/** False while the node does not answer; on its return, every other query is refreshed. */
export function useChainReachable(): boolean {
  const queryClient = useQueryClient();
  const heartbeat = useQuery({
    queryKey: KEY,
    queryFn: latestBlock,
    refetchInterval: HEARTBEAT_MS,
    refetchOnWindowFocus: "always",
    retry: 0,
    staleTime: 0,
  });
  const reachable = !heartbeat.isError;
  const wasReachable = useRef(true);
  useEffect(() => {
    if (reachable && !wasReachable.current) {
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== KEY[0] });
    }
    wasReachable.current = reachable;
  }, [reachable, queryClient]);
  return reachable;
}
