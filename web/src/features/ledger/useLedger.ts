// Reads the whole public ledger for the auditor's page: every ledger event from the deployment
// block (the audit module's fast reader), the block times of the blocks they are in, and the
// reserve attestations with their report URIs. No wallet needed: plain JSON-RPC. The flows per
// period come from the city's indexer (/v1/ledger/days) when it answers and is not behind
// (`useIndexedFlows`); otherwise the page adds them up from the chain's events, and says why.

import { type LedgerEvent, ledgerTopic } from "@core/audit/ledgerEvents";
import { readLedgerLogs } from "@core/audit/readLedger";
import { createRpcClient } from "@core/audit/rpc";
import { IndexerError, type IndexerFailure } from "@core/indexer/indexerClient";
import { cityYuanAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { decodeEventLog, type Hex } from "viem";
import { deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";
import { cityIndexer } from "../history/useHistory";

export interface Attestation {
  attestationId: bigint;
  attester: Hex;
  reserves: bigint;
  reportHash: Hex;
  uri: string;
  blockNumber: bigint;
}

export interface LedgerData {
  head: bigint;
  events: LedgerEvent[];
  times: Map<bigint, number>;
  attestations: Attestation[];
}

export function useLedger() {
  return useQuery({
    queryKey: ["publicLedger"],
    enabled: Boolean(deployment),
    staleTime: 10_000,
    queryFn: async (): Promise<LedgerData> => {
      if (!deployment) throw new Error("not deployed");
      const rpc = createRpcClient(rpcHttpUrl);
      const head = BigInt(await rpc.call<string>("eth_blockNumber", []));
      const from = BigInt(deployment.deployBlock);
      const events = await readLedgerLogs(rpc, { contracts: deployment.contracts, fromBlock: from, toBlock: head });
      // Attestations carry a URI (a string), which the fast reader leaves out: decode these few
      // logs in full.
      const raw = await rpc.call<
        {
          topics: [Hex, ...Hex[]];
          data: Hex;
          blockNumber: Hex;
          blockTimestamp?: Hex;
          logIndex: Hex;
          transactionHash: Hex;
          address: Hex;
        }[]
      >("eth_getLogs", [
        {
          address: deployment.contracts.CityYuan,
          topics: [ledgerTopic("ReservesAttested")],
          fromBlock: `0x${from.toString(16)}`,
          toBlock: `0x${head.toString(16)}`,
        },
      ]);
      // The time of every block shown (movements and attestations alike): from the logs when the
      // node gives it, otherwise from the block's header. A block number is not a time.
      const times = new Map<bigint, number>();
      for (const e of events) if (e.blockTimestamp !== undefined) times.set(e.blockNumber, e.blockTimestamp);
      for (const l of raw) if (l.blockTimestamp) times.set(BigInt(l.blockNumber), Number(BigInt(l.blockTimestamp)));
      const blocks = [
        ...new Set([...events.map((e) => e.blockNumber), ...raw.map((l) => BigInt(l.blockNumber))]),
      ].filter((b) => !times.has(b));
      const headers = await rpc.batch<{ timestamp: Hex }>(
        blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [`0x${b.toString(16)}`, false] })),
      );
      for (const [i, b] of blocks.entries()) times.set(b, Number(BigInt(headers[i].timestamp)));
      const attestations = raw.map((l) => ({
        ...decodeEventLog({ abi: cityYuanAbi, eventName: "ReservesAttested", topics: l.topics, data: l.data }).args,
        blockNumber: BigInt(l.blockNumber),
      }));
      return { head, events, times, attestations };
    },
  });
}

/** Issued and redeemed over the last `days` Asia/Shanghai calendar days (today included). */
export type IndexedFlows =
  | { state: "none" }
  | { state: "used"; indexedBlock: bigint; periods: Map<number, { issued: bigint; redeemed: bigint }> }
  | { state: "behind"; behind: number | null }
  | { state: "down"; reason: IndexerFailure };

/** The index lagging its view of the chain by more than this many blocks: the chain's events are used. */
const BEHIND_BLOCKS = 12;

/** The Asia/Shanghai calendar day of a Unix time, as the indexer keys its days. */
export function shanghaiDay(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

export function useIndexedFlows(periods: readonly number[]) {
  const longest = Math.max(...periods);
  return useQuery({
    queryKey: ["indexedFlows", longest],
    staleTime: 10_000,
    retry: false,
    queryFn: async (): Promise<IndexedFlows> => {
      const indexer = cityIndexer();
      if (!indexer) return { state: "none" };
      const now = Math.floor(Date.now() / 1000);
      try {
        const { days, indexed } = await indexer.ledgerDays({ from: shanghaiDay(now - (longest - 1) * 86_400) });
        if (
          !indexed.ready ||
          indexed.indexedBlock === null ||
          indexed.behind === null ||
          indexed.behind > BEHIND_BLOCKS
        )
          return { state: "behind", behind: indexed.behind };
        const sums = new Map<number, { issued: bigint; redeemed: bigint }>();
        for (const period of periods) {
          const first = shanghaiDay(now - (period - 1) * 86_400);
          let issued = 0n;
          let redeemed = 0n;
          for (const day of days) {
            if (day.day < first) continue;
            issued += day.flows.issue?.amount ?? 0n;
            redeemed += day.flows.redeem?.amount ?? 0n;
          }
          sums.set(period, { issued, redeemed });
        }
        return { state: "used", indexedBlock: indexed.indexedBlock, periods: sums };
      } catch (error) {
        return { state: "down", reason: error instanceof IndexerError ? error.reason : "unreachable" };
      }
    },
  });
}
