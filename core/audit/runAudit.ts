// The audit, end to end: pin a block, read every ledger event from the deployment block up to it,
// replay them, read the contracts' own figures at that block, compare item by item. Used by the
// ledger page and by `npm run audit`; it reports progress and never needs a wallet.
import type { Address } from "viem";
import { type AuditVerdict, compareLedger } from "./checks.js";
import type { LedgerContracts } from "./ledgerEvents.js";
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
  escrows: { redPacket: EscrowSummary; vouchers: EscrowSummary };
  coverage: ReserveCoverage;
  fromBlock: bigint;
  block: bigint;
  eventCount: number;
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
  const fromBlock = BigInt(options.deployBlock);

  const events = await readLedgerLogs(rpc, {
    contracts: options.contracts,
    fromBlock,
    toBlock: block,
    rangeSize: options.rangeSize,
    onProgress: (p) => options.onProgress?.({ phase: "logs", ...p }),
  });
  const logsDone = performance.now();
  const replay = replayLedger(events);

  const accounts = [...replay.balances.keys()] as Address[];
  const figures = await readContractFigures(rpc, {
    contracts: options.contracts,
    block,
    accounts,
    onProgress: (p) => options.onProgress?.({ phase: "figures", ...p }),
  });
  const figuresDone = performance.now();
  options.onProgress?.({ phase: "checking", events: events.length, accounts: accounts.length });
  const verdict = compareLedger(replay, figures);
  return {
    ...verdict,
    escrows: {
      redPacket: escrowSummary(replay, replay.redPacket, figures.redPacketAddress),
      vouchers: escrowSummary(replay, replay.vouchers, figures.vouchersAddress),
    },
    coverage: reserveCoverage(replay, figures.totalSupply),
    fromBlock,
    block,
    eventCount: events.length,
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
