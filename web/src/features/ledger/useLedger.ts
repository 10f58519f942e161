// Reads the whole public ledger for the auditor's page: every ledger event from the deployment
// block (the audit module's fast reader), the block times of the blocks they are in, and the
// reserve attestations with their report URIs. No wallet needed: plain JSON-RPC.

import { type LedgerEvent, ledgerTopic } from "@core/audit/ledgerEvents";
import { readLedgerLogs } from "@core/audit/readLedger";
import { createRpcClient } from "@core/audit/rpc";
import { cityYuanAbi } from "@generated/contracts";
import { useQuery } from "@tanstack/react-query";
import { decodeEventLog, type Hex } from "viem";
import { deployment } from "../../contracts";
import { rpcHttpUrl } from "../../env";

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
