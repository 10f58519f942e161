// Reads a deployment's history and the contracts' own figures over JSON-RPC, fast: eth_getLogs
// over large block ranges, several ranges in flight, each log decoded once as it arrives; a range
// the node refuses (too many results) is split in half and read again. Every read is pinned to
// one block so the chain moving on during the audit cannot create a false mismatch.
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, toHex } from "viem";
import { cityYuanAbi, delayedTransfersAbi, redPacketAbi, vouchersAbi } from "../../generated/contracts.js";
import type { ContractFigures } from "./checks.js";
import type { RawLog } from "./fastDecoder.js";
import { type LedgerContracts, type LedgerEvent, ledgerDecoder, ledgerTopics } from "./ledgerEvents.js";
import { type RpcCall, type RpcClient, RpcError } from "./rpc.js";

export interface LogReadProgress {
  blocksRead: bigint;
  blocksTotal: bigint;
  events: number;
}

export interface ReadLogsOptions {
  contracts: LedgerContracts;
  fromBlock: bigint;
  toBlock: bigint;
  /** Most blocks per eth_getLogs (default 100,000); the span adapts below it. */
  rangeSize?: bigint;
  /** Ranges asked for in parallel (default 3). */
  parallel?: number;
  onProgress?: (progress: LogReadProgress) => void;
  /** Only these contracts' logs (default all four). */
  only?: (keyof LedgerContracts)[];
  /** A topics filter instead of "every ledger event" (e.g. one merchant's receipts). */
  topics?: (Hex | Hex[] | null)[];
}

interface Range {
  from: bigint;
  to: bigint;
}

/**
 * Logs per request the reader aims at: large enough that round trips do not dominate, small
 * enough that the node answers quickly, the JSON stays a few MB, and decoding one reply overlaps
 * the node preparing the next. Measured on Hardhat: one 100,000-log reply (70 MB) is slower than
 * twenty 5,000-log replies read two or three at a time.
 */
const TARGET_LOGS = 5_000;

export async function readLedgerLogs(rpc: RpcClient, options: ReadLogsOptions): Promise<LedgerEvent[]> {
  const { fromBlock, toBlock } = options;
  const parallel = options.parallel ?? 3;
  const decode = ledgerDecoder(options.contracts);
  const names = options.only ?? (["CityYuan", "RedPacket", "Vouchers", "DelayedTransfers"] as const);
  const address = names.map((name) => options.contracts[name]);
  const topics = options.topics ?? [ledgerTopics()];
  const blocksTotal = toBlock >= fromBlock ? toBlock - fromBlock + 1n : 0n;
  // Ranges are read several at a time and answer in any order; each range's logs come back in
  // chain order, so the ranges are put back in block order at the end. The replay depends on
  // order (an attestation marks the redemptions counted before it).
  const chunks: { from: bigint; events: LedgerEvent[] }[] = [];
  let eventCount = 0;
  let blocksRead = 0n;
  // Block span per request adapts to the density of the chain: it starts small (a busy chain
  // can hold thousands of logs in one block), doubles while replies are light and halves when
  // they are heavy or the node refuses them, capped by `rangeSize`.
  const maxSpan = options.rangeSize ?? 100_000n;
  let span = 16n < maxSpan ? 16n : maxSpan;
  let cursor = fromBlock;
  const retry: Range[] = [];
  let inFlight = 0;

  const nextRange = (): Range | undefined => {
    const again = retry.shift();
    if (again) return again;
    if (cursor > toBlock) return undefined;
    const to = cursor + span - 1n < toBlock ? cursor + span - 1n : toBlock;
    const range = { from: cursor, to };
    cursor = to + 1n;
    return range;
  };

  const worker = async () => {
    for (;;) {
      const range = nextRange();
      if (!range) {
        // Another worker may still split a refused range and push its halves back.
        if (inFlight === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      inFlight++;
      try {
        const call: RpcCall = {
          method: "eth_getLogs",
          params: [{ address, topics, fromBlock: toHex(range.from), toBlock: toHex(range.to) }],
        };
        const [reply] = await rpc.batchSettled([call]);
        if (!reply.ok) {
          if (range.from === range.to || !isTooManyResults(reply.error)) throw reply.error;
          const middle = (range.from + range.to) / 2n;
          retry.push({ from: range.from, to: middle }, { from: middle + 1n, to: range.to });
          span = span > 1n ? span / 2n : 1n;
          continue;
        }
        const logs = reply.result as RawLog[];
        const events: LedgerEvent[] = [];
        for (const log of logs) {
          const event = decode(log);
          if (event) events.push(event);
        }
        chunks.push({ from: range.from, events });
        eventCount += events.length;
        const width = range.to - range.from + 1n;
        if (logs.length < TARGET_LOGS / 2 && width >= span && span < maxSpan) span *= 2n;
        else if (logs.length > TARGET_LOGS * 2 && span > 1n) span /= 2n;
        blocksRead += width;
        options.onProgress?.({ blocksRead, blocksTotal, events: eventCount });
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  chunks.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return chunks.flatMap((chunk) => chunk.events);
}

/** Nodes word "too many logs" differently (geth, Erigon, Alchemy, Infura, Besu): match loosely. */
function isTooManyResults(error: RpcError): boolean {
  return (
    error.code === -32005 ||
    /too many|limit|exceed|range|10000|query returned more|response size|timeout/i.test(error.message)
  );
}

export interface FigureReadProgress {
  read: number;
  total: number;
}

export interface ReadFiguresOptions {
  contracts: LedgerContracts;
  block: bigint;
  /** Accounts whose balanceOf to read (lower-case or checksummed). */
  accounts: Address[];
  /** Delayed transfers the events say are pending, whose amounts to read. */
  pendingTransfers?: bigint[];
  onProgress?: (progress: FigureReadProgress) => void;
}

function ethCall(to: Address, data: Hex, block: Hex): RpcCall {
  return { method: "eth_call", params: [{ to, data }, block] };
}

export async function readContractFigures(rpc: RpcClient, options: ReadFiguresOptions): Promise<ContractFigures> {
  const { contracts } = options;
  const block = toHex(options.block);
  const token = contracts.CityYuan;
  const accounts = [...new Set(options.accounts.map((a) => a.toLowerCase() as Address))];
  const balanceCall = (account: Address) =>
    ethCall(token, encodeFunctionData({ abi: cityYuanAbi, functionName: "balanceOf", args: [account] }), block);
  const view = (to: Address, data: Hex) => ethCall(to, data, block);

  const head: RpcCall[] = [
    view(token, encodeFunctionData({ abi: cityYuanAbi, functionName: "totalSupply" })),
    view(token, encodeFunctionData({ abi: cityYuanAbi, functionName: "totalIssued" })),
    view(token, encodeFunctionData({ abi: cityYuanAbi, functionName: "totalRedeemed" })),
    view(token, encodeFunctionData({ abi: cityYuanAbi, functionName: "latestReserves" })),
    balanceCall(contracts.RedPacket),
    balanceCall(contracts.Vouchers),
    view(contracts.RedPacket, encodeFunctionData({ abi: redPacketAbi, functionName: "packetCount" })),
    view(contracts.Vouchers, encodeFunctionData({ abi: vouchersAbi, functionName: "campaignCount" })),
    balanceCall(contracts.DelayedTransfers),
    view(contracts.DelayedTransfers, encodeFunctionData({ abi: delayedTransfersAbi, functionName: "transferCount" })),
    view(contracts.DelayedTransfers, encodeFunctionData({ abi: delayedTransfersAbi, functionName: "totalPending" })),
  ];
  const [
    totalSupply,
    totalIssued,
    totalRedeemed,
    latestReserves,
    redPacketBalance,
    vouchersBalance,
    packetCount,
    campaignCount,
    delayedBalance,
    transferCount,
    totalPending,
  ] = (await rpc.batch<Hex>(head)).map((word) => BigInt(word));
  const pendingIds = options.pendingTransfers ?? [];

  const total = head.length + accounts.length + Number(packetCount) + Number(campaignCount) + pendingIds.length;
  let read = head.length;
  const progress = (n: number) => {
    read += n;
    options.onProgress?.({ read, total });
  };
  progress(0);

  const balances = new Map<string, bigint>();
  const balanceWords = await rpc.batch<Hex>(accounts.map(balanceCall));
  accounts.forEach((account, i) => {
    balances.set(account, BigInt(balanceWords[i]));
  });
  progress(accounts.length);

  const ids = (count: bigint) => Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const packetIds = ids(packetCount);
  const packetWords = await rpc.batch<Hex>(
    packetIds.map((id) =>
      view(contracts.RedPacket, encodeFunctionData({ abi: redPacketAbi, functionName: "packet", args: [id] })),
    ),
  );
  const packetRemaining = new Map<bigint, bigint>();
  packetIds.forEach((id, i) => {
    const packet = decodeFunctionResult({ abi: redPacketAbi, functionName: "packet", data: packetWords[i] });
    packetRemaining.set(id, packet.remaining);
  });
  progress(packetIds.length);

  const campaignIds = ids(campaignCount);
  const campaignWords = await rpc.batch<Hex>(
    campaignIds.map((id) =>
      view(contracts.Vouchers, encodeFunctionData({ abi: vouchersAbi, functionName: "campaign", args: [id] })),
    ),
  );
  const campaignRemaining = new Map<bigint, bigint>();
  campaignIds.forEach((id, i) => {
    const campaign = decodeFunctionResult({ abi: vouchersAbi, functionName: "campaign", data: campaignWords[i] });
    campaignRemaining.set(id, campaign.remainingBudget);
  });
  progress(campaignIds.length);

  // A transfer that is not pending on chain holds nothing for it; an id beyond the contract's count
  // (the events name one it never made) holds nothing either and is not asked for (it would revert).
  const known = pendingIds.filter((id) => id >= 1n && id <= transferCount);
  const transferWords = await rpc.batch<Hex>(
    known.map((id) =>
      view(
        contracts.DelayedTransfers,
        encodeFunctionData({ abi: delayedTransfersAbi, functionName: "transfer", args: [id] }),
      ),
    ),
  );
  const pendingTransfers = new Map<bigint, bigint>(pendingIds.map((id) => [id, 0n]));
  known.forEach((id, i) => {
    const transfer = decodeFunctionResult({
      abi: delayedTransfersAbi,
      functionName: "transfer",
      data: transferWords[i],
    });
    // Status 1 is Pending (IDelayedTransfers.Status).
    pendingTransfers.set(id, transfer.status === 1 ? transfer.amount : 0n);
  });
  progress(pendingIds.length);

  return {
    block: options.block,
    totalSupply,
    totalIssued,
    totalRedeemed,
    latestReserves,
    balances,
    redPacketAddress: contracts.RedPacket.toLowerCase(),
    vouchersAddress: contracts.Vouchers.toLowerCase(),
    redPacketBalance,
    vouchersBalance,
    packetCount,
    packetRemaining,
    campaignCount,
    campaignRemaining,
    delayedAddress: contracts.DelayedTransfers.toLowerCase(),
    delayedBalance,
    transferCount,
    totalPending,
    pendingTransfers,
  };
}

export { RpcError };
