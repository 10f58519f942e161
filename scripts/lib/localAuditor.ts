// The local system's auditor: on the local chain only, `npm start` audits the ledger in the
// background as a city's auditor would run `npm run audit` with HCY_AUDITOR_KEY, and signs a
// checkpoint after each pass into the directory the city service publishes from, so the ledger
// page has a signed checkpoint to continue from. The key is account #20 of Hardhat's public test
// mnemonic (the node funds #0–#19, all of which hold a demo role; an auditor needs no ether): public
// knowledge, never a real auditor's key. It audits once the demo data is seeded, then again whenever
// the chain has moved (checked every `intervalMs`), continuing from its own last checkpoint and
// replaying the whole ledger every `fullEvery` audits; a checkpoint the chain no longer matches (a
// test's evm_revert) is refused and replaced by a full replay.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { HDAccount } from "viem/accounts";
import { type AuditCheckpoint, CheckpointRefused, checkpointFileName } from "../../core/audit/checkpoint.js";
import { describeMismatch } from "../../core/audit/describe.js";
import { type AuditReport, runAudit } from "../../core/audit/runAudit.js";
import type { deploymentFor } from "../../generated/contracts.js";
import { storeSignedCheckpoint } from "./checkpointFile.js";
import { localAccount } from "./demo-accounts.js";

/** Hardhat's public test mnemonic, account #20: the local demo auditor. */
export const LOCAL_AUDITOR_INDEX = 20;

export function localAuditor(): HDAccount {
  return localAccount(LOCAL_AUDITOR_INDEX);
}

export interface LocalAuditorOptions {
  rpcUrl: string;
  chainId: number;
  deployment: NonNullable<ReturnType<typeof deploymentFor>>;
  /** Where the checkpoint is written (the city service's HCY_AUDIT_CHECKPOINTS_DIR). */
  directory: string;
  /** How often it looks whether the chain moved (default 15 s). */
  intervalMs?: number;
  /** Every how many audits one replays the whole ledger instead of continuing (default 20). */
  fullEvery?: number;
  log: (line: string) => void;
}

export interface RunningAuditor {
  /** Settles after the first audit (passed or not). */
  firstAudit: Promise<void>;
  stop(): Promise<void>;
}

/** Removes the deployment's checkpoint: the local chain is new on every start, so an old one can only be refused. */
export function clearLocalCheckpoint(directory: string, chainId: number, cityYuan: `0x${string}`): void {
  rmSync(path.join(directory, checkpointFileName(chainId, cityYuan)), { force: true });
}

export function startLocalAuditor(options: LocalAuditorOptions): RunningAuditor {
  const { rpcUrl, chainId, deployment, directory, log } = options;
  const signer = localAuditor();
  const file = path.join(directory, checkpointFileName(chainId, deployment.contracts.CityYuan));
  let lastBlock: bigint | undefined;
  let signedAt: bigint | undefined;
  let passes = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const audit = (checkpoint: AuditCheckpoint | undefined): Promise<AuditReport> =>
    runAudit({
      rpcUrl,
      contracts: deployment.contracts,
      deployBlock: deployment.deployBlock,
      checkpoint: checkpoint && { file: checkpoint, chainId, trustedAuditor: signer.address },
    });

  const once = async () => {
    const head = await blockNumber(rpcUrl);
    if (lastBlock !== undefined && head === lastBlock) return;
    // Now and then the whole ledger: only a full replay sees a balance changed without an event.
    const full = passes++ % (options.fullEvery ?? 20) === 0;
    let checkpoint: AuditCheckpoint | undefined;
    try {
      if (!full) checkpoint = JSON.parse(readFileSync(file, "utf8")) as AuditCheckpoint;
    } catch {}
    let report: AuditReport;
    try {
      report = await audit(checkpoint);
    } catch (error) {
      if (!(error instanceof CheckpointRefused)) throw error;
      log(`local auditor: its checkpoint was refused (${error.message}); replaying the whole ledger`);
      report = await audit(undefined);
    }
    lastBlock = report.block;
    if (!report.ok) {
      // Nothing is signed over a ledger that does not add up; the next pass looks again.
      log(`local auditor: ${report.firstMismatch ? describeMismatch(report.firstMismatch, "en") : "mismatch"}`);
      return;
    }
    if (stopped) return;
    await storeSignedCheckpoint(signer, { chainId, cityYuan: deployment.contracts.CityYuan }, report, file);
    signedAt = report.block;
  };

  const pass = () => {
    running = once().catch((error: unknown) => {
      if (!stopped) log(`local auditor: the audit could not run (${(error as Error).message})`);
    });
    return running;
  };

  const firstAudit = pass().then(() => {
    if (signedAt !== undefined && !stopped)
      log(`local auditor ${signer.address} signed a checkpoint at block ${signedAt} (${file})`);
  });
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void pass().then(schedule), options.intervalMs ?? 15_000);
    timer.unref();
  };
  void firstAudit.then(schedule);

  return {
    firstAudit,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function blockNumber(rpcUrl: string): Promise<bigint> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  const body = (await response.json()) as { result?: string };
  if (typeof body.result !== "string") throw new Error(`${rpcUrl} did not answer eth_blockNumber`);
  return BigInt(body.result);
}
