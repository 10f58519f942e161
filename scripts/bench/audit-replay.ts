// Audit replay benchmark: seeds a ledger of 100,000 events on a local node of its own (automine
// off, 400 payments a block, see scripts/lib/large-ledger.ts), then times the full audit the
// ledger page and `npm run audit` run: every event read from the deployment block, replayed, and
// checked against the contracts' figures. Target: under 5 s.
// `benchAuditReplay()` feeds `npm run bench`; run alone with `npx tsx scripts/bench/audit-replay.ts`.
import { fileURLToPath } from "node:url";
import { runAudit } from "../../web/src/lib/audit/runAudit.js";
import { seedLargeLedger } from "../lib/large-ledger.js";
import { startSystem } from "../lib/system.js";

export interface AuditReplayFigures {
  events: number;
  blocks: number;
  accounts: number;
  seedSeconds: number;
  /** Each timed run of the whole audit, in ms. */
  runsMs: number[];
  medianMs: number;
  logsMs: number;
  figuresMs: number;
  passed: boolean;
  targetMs: number;
}

export async function benchAuditReplay(
  options: { events?: number; chainPort?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<AuditReplayFigures> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const system = await startSystem({
    chainPort: options.chainPort ?? 38545,
    seed: false,
    service: false,
    web: false,
    quiet: true,
    log: (line) => log(`[chain] ${line}`),
  });
  try {
    const seedStart = performance.now();
    await seedLargeLedger(system.rpcUrl, system.deployment, { events: options.events ?? 100_000, log });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const runs = options.runs ?? 3;
    const reports = [];
    for (let run = 0; run < runs; run++) {
      reports.push(
        await runAudit({
          rpcUrl: system.rpcUrl,
          contracts: system.deployment.contracts,
          deployBlock: system.deployment.deployBlock,
        }),
      );
      const last = reports[reports.length - 1];
      log(
        `audit run ${run + 1}: ${last.eventCount} events in ${last.timings.totalMs} ms (${last.ok ? "PASS" : "MISMATCH"})`,
      );
    }
    const sorted = [...reports].sort((a, b) => a.timings.totalMs - b.timings.totalMs);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      events: median.eventCount,
      blocks: Number(median.block - median.fromBlock + 1n),
      accounts: median.accountCount,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      runsMs: reports.map((r) => r.timings.totalMs),
      medianMs: median.timings.totalMs,
      logsMs: median.timings.logsMs,
      figuresMs: median.timings.figuresMs,
      passed: reports.every((r) => r.ok),
      targetMs: 5_000,
    };
  } finally {
    await system.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchAuditReplay();
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(
    `audit replay of ${figures.events} events: median ${figures.medianMs} ms (target < ${figures.targetMs} ms) ` +
      `${figures.medianMs < figures.targetMs && figures.passed ? "OK" : "MISSED"}\n`,
  );
  process.exit(0);
}
