// `npm run audit -- --rpc <url> [--chain-id N] [--block N]`: replays every ledger event of the
// deployment on that chain (addresses from generated/contracts.ts) and proves, item by item, that
// balances, supply, issued − redeemed and both escrows match the contracts' own figures.
// Prints progress on stderr and a clear PASS or the first mismatch; exit code 0 on pass, 1 on a
// mismatch, 2 when the check could not run (bad arguments, unreachable node, no deployment).
import { parseArgs } from "node:util";
import {
  CHECK_GROUPS,
  checkGroup,
  describeCoverage,
  describeEscrows,
  describeMismatch,
} from "../core/audit/describe.js";
import { type AuditProgress, type AuditReport, runAudit } from "../core/audit/runAudit.js";
import { deploymentFor } from "../generated/contracts.js";

const USAGE = "usage: npm run audit -- --rpc <url> [--chain-id <id>] [--block <number>]";

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

async function chainIdOf(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  const reply = (await response.json()) as { result?: string };
  if (!reply.result) throw new Error(`${rpcUrl} did not answer eth_chainId`);
  return Number(BigInt(reply.result));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { rpc: { type: "string" }, "chain-id": { type: "string" }, block: { type: "string" } },
    strict: true,
  });
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

  process.stderr.write(
    `chain ${chainId}, CityYuan ${deployment.contracts.CityYuan}, from block ${deployment.deployBlock}\n`,
  );
  const report = await runAudit({
    rpcUrl,
    contracts: deployment.contracts,
    deployBlock: deployment.deployBlock,
    atBlock,
    onProgress: progressReporter(),
  });
  printReport(report);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\naudit could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
