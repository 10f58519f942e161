// `npm run audit -- --rpc <url> [--chain-id N] [--block N] [--full] [--auditor 0x…] [--checkpoints dir]`:
// replays every ledger event of the deployment on that chain (addresses from generated/contracts.ts)
// and proves, item by item, that balances, supply, issued − redeemed and both escrows match the
// contracts' own figures. Prints progress on stderr and a clear PASS or the first mismatch; exit
// code 0 on pass, 1 on a mismatch, 2 when the check could not run (bad arguments, unreachable node,
// no deployment, a checkpoint refused).
//
// Checkpoints: with HCY_AUDITOR_KEY (the auditor's private key, from the environment, never a file
// in the repo) a passing audit signs a checkpoint of what it proved and stores it in the checkpoints
// directory; the next run verifies it (signed by the trusted auditor: --auditor, or the key's own
// address; its state matches its signature; the chain still has its block) and replays only what is
// new. --full replays from the deployment whatever checkpoint there is.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Address, getAddress, type Hex, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type AuditCheckpoint,
  CheckpointRefused,
  checkpointFileName,
  signCheckpoint,
} from "../core/audit/checkpoint.js";
import {
  CHECK_GROUPS,
  checkGroup,
  describeCoverage,
  describeEscrows,
  describeMismatch,
} from "../core/audit/describe.js";
import { type AuditProgress, type AuditReport, runAudit } from "../core/audit/runAudit.js";
import { deploymentFor } from "../generated/contracts.js";

const USAGE =
  "usage: npm run audit -- --rpc <url> [--chain-id <id>] [--block <number>] [--full] [--auditor <address>] [--checkpoints <dir>]";
const DEFAULT_CHECKPOINTS = path.resolve(import.meta.dirname, "..", ".data", "audit-checkpoints");

class UsageError extends Error {}

function progressLine(progress: AuditProgress): string {
  switch (progress.phase) {
    case "head":
      return `auditing the ledger as of block ${progress.block}`;
    case "logs":
      return `reading events: block ${progress.blocksRead} of ${progress.blocksTotal}, ${progress.events} events`;
    case "figures":
      return `reading the contracts' figures: ${progress.read} of ${progress.total}`;
    case "checking":
      return `comparing ${progress.events} events and ${progress.accounts} accounts`;
  }
}

/** On a terminal, progress rewrites one line; in a log file, one line per phase change. */
function progressReporter(): (progress: AuditProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPhase = "";
  let lastWrite = 0;
  return (progress) => {
    const line = progressLine(progress);
    if (tty) {
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastWrite < 100) return;
      lastWrite = now;
      process.stderr.write(`\r\x1b[2K${line}`);
      if (progress.phase === "checking") process.stderr.write("\n");
    } else if (progress.phase !== lastPhase) {
      process.stderr.write(`${line}\n`);
    }
    lastPhase = progress.phase;
  };
}

function printReport(report: AuditReport) {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const group of CHECK_GROUPS) {
    const items = report.checks.filter((check) => checkGroup(check) === group);
    const passed = items.filter((check) => check.ok).length;
    out(`  ${passed === items.length ? "ok  " : "FAIL"} ${group.padEnd(10)} ${passed}/${items.length} items match`);
  }
  for (const line of describeEscrows(report, "en")) out(`  ${line}`);
  out(`  ${describeCoverage(report, "en").text}`);
  const seconds = (report.timings.totalMs / 1000).toFixed(2);
  if (report.ok) {
    out(
      `PASS: all ${report.checks.length} items match (${report.eventCount} events, ${report.accountCount} accounts, ` +
        `blocks ${report.fromBlock}-${report.block}, ${seconds} s)`,
    );
  } else if (report.firstMismatch) {
    out(describeMismatch(report.firstMismatch, "en"));
    const more = report.checks.filter((check) => !check.ok).length - 1;
    if (more > 0) out(`(${more} more item${more === 1 ? "" : "s"} do not match)`);
  }
}

async function rpc(rpcUrl: string, method: string, params: unknown[]): Promise<string> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const reply = (await response.json()) as { result?: string };
  if (typeof reply.result !== "string") throw new Error(`${rpcUrl} did not answer ${method}`);
  return reply.result;
}

async function chainIdOf(rpcUrl: string): Promise<number> {
  return Number(BigInt(await rpc(rpcUrl, "eth_chainId", [])));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      "chain-id": { type: "string" },
      block: { type: "string" },
      full: { type: "boolean" },
      auditor: { type: "string" },
      checkpoints: { type: "string" },
    },
    strict: true,
  });
  const key = process.env.HCY_AUDITOR_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key))
    throw new UsageError("HCY_AUDITOR_KEY must be a 32-byte private key in hex (0x followed by 64 hex digits)");
  const signer = key ? privateKeyToAccount(key as Hex) : undefined;
  if (values.auditor !== undefined && !isAddress(values.auditor))
    throw new UsageError(`--auditor must be an address\n${USAGE}`);
  const trustedAuditor: Address | undefined = values.auditor ? getAddress(values.auditor) : signer?.address;
  if (!values.rpc) throw new UsageError(`--rpc is required\n${USAGE}`);
  const rpcUrl = values.rpc;
  let actualChainId: number;
  try {
    actualChainId = await chainIdOf(rpcUrl);
  } catch (error) {
    throw new Error(`cannot reach ${rpcUrl}: ${(error as Error).message}`);
  }
  const chainId = values["chain-id"] === undefined ? actualChainId : Number(values["chain-id"]);
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new UsageError(`--chain-id must be a positive integer\n${USAGE}`);
  if (chainId !== actualChainId) throw new Error(`--chain-id ${chainId}, but ${rpcUrl} is chain ${actualChainId}`);
  const deployment = deploymentFor(chainId);
  if (!deployment) throw new Error(`generated/contracts.ts knows no deployment on chain ${chainId}`);
  const atBlock = values.block === undefined ? undefined : BigInt(values.block);
  // A node of the right chain id may still hold no Hefei City Yuan (a fresh `hardhat node`, another
  // network's fork): say so instead of failing later on an empty call.
  const code = await rpc(rpcUrl, "eth_getCode", [deployment.contracts.CityYuan, "latest"]);
  if (code === "0x" || code === "")
    throw new Error(
      `chain ${chainId} at ${rpcUrl} has no Hefei City Yuan: there is no contract code at ` +
        `${deployment.contracts.CityYuan} (the generated deployment). Start the system with \`npm start\`, ` +
        "or point --rpc at the chain the contracts were deployed on.",
    );

  const directory = values.checkpoints ?? DEFAULT_CHECKPOINTS;
  const file = path.join(directory, checkpointFileName(chainId, deployment.contracts.CityYuan));
  let checkpoint: AuditCheckpoint | undefined;
  if (!values.full && existsSync(file)) {
    if (trustedAuditor === undefined)
      process.stderr.write(
        `a checkpoint exists (${file}) but no auditor to trust was named (--auditor, or HCY_AUDITOR_KEY): replaying the whole ledger\n`,
      );
    else checkpoint = JSON.parse(readFileSync(file, "utf8")) as AuditCheckpoint;
  }

  process.stderr.write(
    `chain ${chainId}, CityYuan ${deployment.contracts.CityYuan}, from ${checkpoint ? `the checkpoint at block ${checkpoint.claim.block}` : `block ${deployment.deployBlock}`}\n`,
  );
  let report: AuditReport;
  try {
    report = await runAudit({
      rpcUrl,
      contracts: deployment.contracts,
      deployBlock: deployment.deployBlock,
      atBlock,
      onProgress: progressReporter(),
      checkpoint: checkpoint && trustedAuditor && { file: checkpoint, chainId, trustedAuditor },
    });
  } catch (error) {
    if (!(error instanceof CheckpointRefused)) throw error;
    throw new Error(
      `checkpoint refused: ${error.message}. Nothing was audited from it. Run \`npm run audit -- --rpc ${rpcUrl} --full\` ` +
        "to replay the whole ledger (with HCY_AUDITOR_KEY set, a passing full audit signs a new checkpoint).",
    );
  }
  if (report.checkpointBlock !== undefined)
    process.stdout.write(
      `  continued from the checkpoint at block ${report.checkpointBlock} signed by ${trustedAuditor}: ` +
        `${report.eventCount} new events, ${report.accountCount} accounts moved since (a full replay: --full)\n`,
    );
  printReport(report);
  if (report.ok && signer) {
    const signed = await signCheckpoint(signer, {
      chainId,
      cityYuan: deployment.contracts.CityYuan,
      replay: report.replay,
      block: report.block,
      blockHash: report.blockHash,
    });
    mkdirSync(directory, { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(signed, null, 1)}\n`);
    renameSync(`${file}.tmp`, file);
    process.stdout.write(`  signed a checkpoint at block ${report.block} as ${signer.address}: ${file}\n`);
  }
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\naudit could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
