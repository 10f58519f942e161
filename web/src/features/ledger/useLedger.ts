// Reads the public ledger for the auditor's page. When the city's indexer answers, serves this
// chain and this CityYuan, is ready and at most 12 blocks behind, the page takes the reserve
// attestations and the movements from it, page by page (`useIndexedAttestations`,
// `useIndexedMovements`, every page bounded by the block the index had reached), the flows per
// period from its days (/v1/ledger/days), and reads from the chain only the blocks after that
// block, so the newest movements are never missing and opening the page never reads the whole
// chain. Otherwise (no indexer, away, of another chain, behind) it reads every ledger event from
// the deployment block as before (the audit module's fast reader), and the page says why.
// No wallet needed: plain JSON-RPC.

import { type LedgerEvent, ledgerTopic } from "@core/audit/ledgerEvents";
import type { MovementKind } from "@core/audit/ledgerMovements";
import { readLedgerLogs } from "@core/audit/readLedger";
import { createRpcClient, type RpcClient } from "@core/audit/rpc";
import { IndexerError, type IndexerFailure, type MovementQuery } from "@core/indexer/indexerClient";
import { cityYuanAbi } from "@generated/contracts";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { decodeEventLog, decodeFunctionResult, encodeFunctionData, type Hex } from "viem";
import { deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";
import { cityIndexer } from "../history/useHistory";
import { flowsOver, supplyAt } from "./ledgerModel";

export interface Attestation {
  attestationId: bigint;
  attester: Hex;
  reserves: bigint;
  reportHash: Hex;
  uri: string;
  blockNumber: bigint;
  logIndex: number;
  /** Unix seconds of its block (0 when unknown). */
  timestamp: number;
  /** The token's supply right after its block (Σ issued − Σ redeemed). */
  supply: bigint;
}

/** Where the page's movements, attestations and flows come from. */
export type LedgerSource =
  | { state: "used"; indexedBlock: bigint }
  | { state: "none" }
  | { state: "behind"; behind: number | null }
  | { state: "down"; reason: IndexerFailure };

export type Flow = { issued: bigint; redeemed: bigint };

export interface LedgerData {
  head: bigint;
  source: LedgerSource;
  /** The first block read from the chain: the deployment block, or the one after the index's. */
  fromBlock: bigint;
  /** The ledger events of blocks fromBlock..head, in chain order. */
  events: LedgerEvent[];
  times: Map<bigint, number>;
  /** The attestations of blocks fromBlock..head, oldest first. */
  attestations: Attestation[];
  /** Issued and redeemed over each period of days. */
  flows: Map<number, Flow>;
}

/** The index lagging its view of the chain by more than this many blocks: the chain's events are used. */
const BEHIND_BLOCKS = 12;

/** The Asia/Shanghai calendar day of a Unix time, as the indexer keys its days. */
export function shanghaiDay(seconds: number): string {
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** Asks the indexer whether the page can use it and, if so, for the flows over each period. */
async function askIndexer(
  periods: readonly number[],
  now: number,
): Promise<{ source: LedgerSource; flows?: Map<number, Flow> }> {
  const indexer = cityIndexer();
  if (!indexer) return { source: { state: "none" } };
  const longest = Math.max(...periods);
  try {
    const [status, { days }] = await Promise.all([
      indexer.status(),
      indexer.ledgerDays({ from: shanghaiDay(now - (longest - 1) * 86_400) }),
    ]);
    if (!status.ready || status.indexedBlock === null || status.behind === null || status.behind > BEHIND_BLOCKS)
      return { source: { state: "behind", behind: status.behind } };
    const flows = new Map<number, Flow>();
    for (const period of periods) {
      const first = shanghaiDay(now - (period - 1) * 86_400);
      let issued = 0n;
      let redeemed = 0n;
      for (const day of days) {
        if (day.day < first) continue;
        issued += day.flows.issue?.amount ?? 0n;
        redeemed += day.flows.redeem?.amount ?? 0n;
      }
      flows.set(period, { issued, redeemed });
    }
    return { source: { state: "used", indexedBlock: status.indexedBlock }, flows };
  } catch (error) {
    return { source: { state: "down", reason: error instanceof IndexerError ? error.reason : "unreachable" } };
  }
}

/** Σ issued − Σ redeemed as the token counted them at the end of `block`. */
async function supplyAtBlock(rpc: RpcClient, block: bigint): Promise<bigint> {
  if (!deployment) throw new Error("not deployed");
  const tag = `0x${block.toString(16)}`;
  const read = async (functionName: "totalIssued" | "totalRedeemed") => {
    const data = await rpc.call<Hex>("eth_call", [
      { to: deployment?.contracts.CityYuan, data: encodeFunctionData({ abi: cityYuanAbi, functionName }) },
      tag,
    ]);
    return decodeFunctionResult({ abi: cityYuanAbi, functionName, data }) as bigint;
  };
  const [issued, redeemed] = await Promise.all([read("totalIssued"), read("totalRedeemed")]);
  return issued - redeemed;
}

/**
 * The ledger for the page (`periods`: the flows' periods in days; the indexer is used when it can
 * be), or, without periods, every ledger event from the chain (the desk's redemptions list needs
 * every Redeemed event).
 */
export function useLedger(periods?: readonly number[]) {
  return useQuery({
    queryKey: ["publicLedger", periods?.join(",") ?? "chain"],
    enabled: Boolean(deployment),
    staleTime: 10_000,
    // A refetch moves the index's block and so starts the movement pages over: not on a mere focus.
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<LedgerData> => {
      if (!deployment) throw new Error("not deployed");
      const rpc = createRpcClient(rpcHttpUrl);
      const now = Math.floor(Date.now() / 1000);
      const [headHex, asked] = await Promise.all([
        rpc.call<string>("eth_blockNumber", []),
        periods ? askIndexer(periods, now) : { source: { state: "none" } as LedgerSource, flows: undefined },
      ]);
      const head = BigInt(headHex);
      const { source } = asked;
      const from = source.state === "used" ? source.indexedBlock + 1n : BigInt(deployment.deployBlock);
      const events =
        from > head
          ? []
          : await readLedgerLogs(rpc, { contracts: deployment.contracts, fromBlock: from, toBlock: head });
      // Attestations carry a URI (a string), which the fast reader leaves out: decode these few
      // logs in full.
      const raw =
        from > head
          ? []
          : await rpc.call<
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
      const headers =
        blocks.length === 0
          ? []
          : await rpc.batch<{ timestamp: Hex }>(
              blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [`0x${b.toString(16)}`, false] })),
            );
      for (const [i, b] of blocks.entries()) times.set(b, Number(BigInt((headers[i] as { timestamp: Hex }).timestamp)));
      // The supply before the first block read: none from the deployment block, the token's own
      // count at the index's block otherwise (only asked when an attestation needs it).
      const base = source.state === "used" && raw.length > 0 ? await supplyAtBlock(rpc, source.indexedBlock) : 0n;
      const attestations = raw.map((l): Attestation => {
        const blockNumber = BigInt(l.blockNumber);
        return {
          ...decodeEventLog({ abi: cityYuanAbi, eventName: "ReservesAttested", topics: l.topics, data: l.data }).args,
          blockNumber,
          logIndex: Number(BigInt(l.logIndex)),
          timestamp: times.get(blockNumber) ?? 0,
          supply: base + supplyAt(events, blockNumber),
        };
      });
      const timeOf = (block: bigint) => times.get(block) ?? 0;
      const flows =
        asked.flows ?? new Map((periods ?? []).map((days) => [days, flowsOver(events, days, now, timeOf)] as const));
      return { head, source, fromBlock: from, events, times, attestations, flows };
    },
  });
}

/** The page's filters as the indexer takes them. */
export type LedgerFilter = Omit<MovementQuery, "toBlock">;

/** The movements up to the index's block that pass the filters, `pageSize` at a time, newest first. */
export function useIndexedMovements(indexedBlock: bigint | undefined, filter: LedgerFilter, pageSize: number) {
  const key = {
    kind: filter.kind as MovementKind | undefined,
    account: filter.account?.toLowerCase(),
    minAmount: filter.minAmount?.toString(),
    maxAmount: filter.maxAmount?.toString(),
    fromTime: filter.fromTime,
    toTime: filter.toTime,
  };
  return useInfiniteQuery({
    queryKey: ["ledgerMovements", indexedBlock?.toString(), key, pageSize],
    enabled: indexedBlock !== undefined && cityIndexer() !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      indexerOrThrow().movements({ ...filter, toBlock: indexedBlock }, { cursor: pageParam, limit: pageSize }),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** Every movement up to the index's block that passes the filters (for the CSV file): all pages. */
export async function allIndexedMovements(indexedBlock: bigint, filter: LedgerFilter) {
  const indexer = indexerOrThrow();
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await indexer.movements({ ...filter, toBlock: indexedBlock }, { cursor, limit: 1000 });
    out.push(...page.movements);
    cursor = page.next ?? undefined;
  } while (cursor);
  return out;
}

const ATTESTATIONS_PAGE = 20;

/** The attestations up to the index's block, newest first, 20 a page. */
export function useIndexedAttestations(indexedBlock: bigint | undefined) {
  return useInfiniteQuery({
    queryKey: ["ledgerAttestations", indexedBlock?.toString()],
    enabled: indexedBlock !== undefined && cityIndexer() !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const page = await indexerOrThrow().attestations({
        cursor: pageParam,
        limit: ATTESTATIONS_PAGE,
        toBlock: indexedBlock,
      });
      return {
        next: page.next,
        attestations: page.attestations.map(
          (a): Attestation => ({
            attestationId: a.attestationId,
            attester: a.attester,
            reserves: a.reserves,
            reportHash: a.reportHash,
            uri: a.uri,
            blockNumber: a.blockNumber,
            logIndex: a.logIndex,
            timestamp: a.timestamp,
            supply: a.supply,
          }),
        ),
      };
    },
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/**
 * While the page reads the chain because the indexer was away or behind, asks it again every 10 s
 * and, once it can be used, reads the ledger again (from the indexer then, and the line goes).
 */
export function useIndexerReturn(source: LedgerSource | undefined, readAgain: () => unknown) {
  const waiting = source?.state === "down" || source?.state === "behind";
  return useQuery({
    queryKey: ["ledgerIndexerReturn"],
    enabled: waiting && cityIndexer() !== undefined,
    refetchInterval: 10_000,
    retry: false,
    queryFn: async () => {
      const status = await indexerOrThrow().status();
      const usable =
        status.ready && status.indexedBlock !== null && status.behind !== null && status.behind <= BEHIND_BLOCKS;
      if (usable) readAgain();
      return usable;
    },
  });
}

function indexerOrThrow() {
  const indexer = cityIndexer();
  if (!indexer) throw new Error("no indexer");
  return indexer;
}
