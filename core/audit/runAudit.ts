// The audit, end to end: pin a block, read every ledger event that moves or holds money from the
// deployment block up to it (MONEY_EVENTS: a payment's receipt, a freeze or a voucher claim changes
// no figure checked, so they are not read), replay them, read the contracts' own figures at that block, compare item by item. Used by the
// ledger page and by `npm run audit`; it reports progress and never needs a wallet. From a signed
// checkpoint (see checkpoint.ts) it verifies the checkpoint, then reads only the events after it
// and only the balances they moved.
import type { Address, Hex } from "viem";
import { type AuditCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { type AuditVerdict, compareLedger } from "./checks.js";
import { type LedgerContracts, moneyTopics } from "./ledgerEvents.js";
import { readContractFigures, readLedgerLogs } from "./readLedger.js";
import { type EscrowReplay, escrowHolds, type LedgerReplay, replayLedger, reservesNow } from "./replay.js";
import { createRpcClient, type RpcClientOptions } from "./rpc.js";

export type AuditProgress =
  | { phase: "head"; block: bigint }
  | { phase: "logs"; blocksRead: bigint; blocksTotal: bigint; events: number }
  | { phase: "figures"; read: number; total: number }
  | { phase: "checking"; events: number; accounts: number };

export interface AuditOptions {
  rpcUrl: string;
  contracts: LedgerContracts;
  deployBlock: bigint | number;
  /** Audit the ledger as of this block (default: the latest). */
  atBlock?: bigint;
  onProgress?: (progress: AuditProgress) => void;
  rpc?: RpcClientOptions;
  /** Blocks per eth_getLogs. */
  rangeSize?: bigint;
  /** Continue from this checkpoint, if it verifies (else CheckpointRefused is thrown, saying why). */
  checkpoint?: { file: AuditCheckpoint; chainId: number; trustedAuditor: Address };
}

/** An escrow's money as the events tell it: what it owes, its excess now, and what was rescued. */
export interface EscrowSummary {
  owed: bigint;
  /** HCY sent to it directly and not yet rescued. */
  excess: bigint;
  /** Σ `ExcessRescued`: moved out by the admin, never a fen owed. */
  rescued: bigint;
}

/** Reserve coverage at the audited block: the latest attestation, less redemptions since, against the supply. */
export interface ReserveCoverage {
  /** Undefined before the first attestation. */
  reserves?: bigint;
  supply: bigint;
  /** Reserves / supply in basis points (10,000 = 100 %); undefined without an attestation or supply. */
  coverageBps?: bigint;
}

export interface AuditReport extends AuditVerdict {
  escrows: { redPacket: EscrowSummary; vouchers: EscrowSummary; delayed: EscrowSummary };
  coverage: ReserveCoverage;
  fromBlock: bigint;
  block: bigint;
  /** The audited block's hash (what a checkpoint signed after this audit names). */
  blockHash: Hex;
  /** The verified checkpoint this audit continued from, if any. */
  checkpointBlock?: bigint;
  /** Money events read by this run (after the checkpoint, if any); the replay counts all of them. */
  eventCount: number;
  /** The replayed ledger as of `block`: what a checkpoint after this audit stores. */
  replay: LedgerReplay;
  accountCount: number;
  /** Milliseconds spent reading logs, reading figures, and in total. */
  timings: { logsMs: number; figuresMs: number; totalMs: number };
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const started = performance.now();
  const rpc = createRpcClient(options.rpcUrl, options.rpc);
  const block = options.atBlock ?? BigInt(await rpc.call<string>("eth_blockNumber", []));
  options.onProgress?.({ phase: "head", block });
  // Without this, a chain where the contracts were never deployed reads as an empty, "honest" ledger.
  const code = await rpc.call<string>("eth_getCode", [options.contracts.CityYuan, `0x${block.toString(16)}`]);
  if (!code || code === "0x") throw new Error(`no CityYuan contract at ${options.contracts.CityYuan} on this chain`);
  const blockHashAt = async (n: bigint) =>
    (await rpc.call<{ hash: Hex } | null>("eth_getBlockByNumber", [`0x${n.toString(16)}`, false]))?.hash;
  const blockHash = await blockHashAt(block);
  if (!blockHash) throw new Error(`the node has no block ${block}`);
  const start = options.checkpoint
    ? await verifyCheckpoint(options.checkpoint.file, {
        chainId: options.checkpoint.chainId,
        cityYuan: options.contracts.CityYuan,
        trustedAuditor: options.checkpoint.trustedAuditor,
        blockHashAt,
        head: block,
      })
    : undefined;
  const fromBlock = start ? start.block + 1n : BigInt(options.deployBlock);

  const events = await readLedgerLogs(rpc, {
    contracts: options.contracts,
    fromBlock,
    toBlock: block,
    rangeSize: options.rangeSize,
    // Only what the replay counts: receipts, freezes and voucher claims move no money.
    topics: [moneyTopics()],
    onProgress: (p) => options.onProgress?.({ phase: "logs", ...p }),
  });
  const logsDone = performance.now();
  const replay = replayLedger(events, start?.replay);

  // After a checkpoint, only the accounts the new events moved are read from the contract.
  const moved = new Set<string>();
  if (start) {
    for (const e of events) {
      if (e.kind !== "Transfer") continue;
      moved.add(e.from.toLowerCase());
      moved.add(e.to.toLowerCase());
    }
    moved.delete("0x0000000000000000000000000000000000000000");
  }
  const accounts = (start ? [...moved] : [...replay.balances.keys()]) as Address[];
  const figures = await readContractFigures(rpc, {
    contracts: options.contracts,
    block,
    accounts,
    pendingTransfers: [...replay.delayed.remaining.keys()],
    onProgress: (p) => options.onProgress?.({ phase: "figures", ...p }),
  });
  const figuresDone = performance.now();
  options.onProgress?.({ phase: "checking", events: events.length, accounts: accounts.length });
  const verdict = compareLedger(replay, figures, start ? moved : undefined);
  return {
    ...verdict,
    escrows: {
      redPacket: escrowSummary(replay, replay.redPacket, figures.redPacketAddress),
      vouchers: escrowSummary(replay, replay.vouchers, figures.vouchersAddress),
      delayed: escrowSummary(replay, replay.delayed, figures.delayedAddress),
    },
    coverage: reserveCoverage(replay, figures.totalSupply),
    fromBlock,
    block,
    blockHash,
    checkpointBlock: start?.block,
    eventCount: events.length,
    replay,
    accountCount: accounts.length,
    timings: {
      logsMs: Math.round(logsDone - started),
      figuresMs: Math.round(figuresDone - logsDone),
      totalMs: Math.round(performance.now() - started),
    },
  };
}

function escrowSummary(replay: LedgerReplay, escrow: EscrowReplay, address: string): EscrowSummary {
  const owed = escrowHolds(escrow);
  return { owed, excess: (replay.balances.get(address) ?? 0n) - owed, rescued: escrow.rescued };
}

export function reserveCoverage(replay: LedgerReplay, supply: bigint): ReserveCoverage {
  const reserves = replay.latestAttestation ? reservesNow(replay) : undefined;
  const coverageBps = reserves === undefined || supply === 0n ? undefined : (reserves * 10_000n) / supply;
  return { reserves, supply, coverageBps };
}
