// The indexer's RPC transport: viem's http with two changes for a chain whose blocks are full.
// 1. viem refuses a response body over 10 MB by default (ResponseBodyTooLargeError). Ponder does
//    not recognise that error as "range too large", so a 100,000-event ledger in the first
//    eth_getLogs range (62 MB of logs) made the indexer give up its historical sync and exit.
// 2. eth_getLogs over a range wider than `logsBlockRange` blocks is asked as consecutive pieces of
//    that many blocks (a few at a time) and answered as one list, so no single answer grows with
//    the range Ponder chooses (it starts at 500 blocks and widens), and Ponder's own parsing and
//    storing of one piece overlaps the node's work on the next.
import { type EIP1193RequestFn, http, numberToHex, type Transport } from "viem";

export type CityTransportOptions = {
  /** Blocks per eth_getLogs request at most. */
  logsBlockRange: number;
  /** Pieces of one eth_getLogs asked at the same time. */
  concurrency?: number;
  /** The largest answer accepted, in bytes. */
  maxResponseBytes?: number;
};

type GetLogsParams = { fromBlock?: string; toBlock?: string; blockHash?: string; [key: string]: unknown };

export function cityTransport(url: string, options: CityTransportOptions): Transport {
  const inner = http(url, {
    maxResponseBodySize: options.maxResponseBytes ?? 512 * 1024 * 1024,
    timeout: 120_000,
  });
  const range = Math.max(1, Math.floor(options.logsBlockRange));
  const concurrency = Math.max(1, options.concurrency ?? 3);
  return (config) => {
    const base = inner(config);
    const request = (async (args: { method: string; params?: unknown }) => {
      if (args.method === "eth_getLogs") {
        const [filter] = (args.params ?? []) as [GetLogsParams];
        const from = typeof filter?.fromBlock === "string" ? filter.fromBlock : undefined;
        const to = typeof filter?.toBlock === "string" ? filter.toBlock : undefined;
        if (filter && !filter.blockHash && from?.startsWith("0x") && to?.startsWith("0x")) {
          const first = Number(BigInt(from));
          const last = Number(BigInt(to));
          if (last - first + 1 > range) {
            const pieces: [number, number][] = [];
            for (let start = first; start <= last; start += range)
              pieces.push([start, Math.min(last, start + range - 1)]);
            const results: unknown[][] = new Array(pieces.length);
            let next = 0;
            const worker = async () => {
              while (next < pieces.length) {
                const i = next++;
                const [a, b] = pieces[i] as [number, number];
                results[i] = (await base.request({
                  method: "eth_getLogs",
                  params: [{ ...filter, fromBlock: numberToHex(a), toBlock: numberToHex(b) }],
                } as never)) as unknown[];
              }
            };
            await Promise.all(Array.from({ length: Math.min(concurrency, pieces.length) }, worker));
            return results.flat();
          }
        }
      }
      return base.request(args as never);
    }) as EIP1193RequestFn;
    return { ...base, request };
  };
}
