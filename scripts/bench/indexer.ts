// Indexer benchmark: a ledger of 100,000 events (real CityYuan.pay calls, seeded as the
// audit-replay bench seeds) on a local node of its own, then the city's indexer (Ponder on
// PGlite) started fresh against it. Figures: catch-up rate (events indexed per second, from the
// indexer's first answer until it has reached the chain's head) and, once caught up, a shop's
// history first page (`/v1/history/:account?limit=20`) under 200 requests/s for 10 s (autocannon).
// Targets: catch-up ≥ 5,000 events/s; history first page p99 < 50 ms at 200 req/s.
// Run alone: `npx tsx scripts/bench/indexer.ts` (HCY_BENCH_QUICK=1 for small counts).
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestClient, http } from "viem";
import { hardhat } from "viem/chains";
import { localAccount, MERCHANTS } from "../lib/demo-accounts.js";
import { startIndexer } from "../lib/indexer.js";
import { freePort } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { seedPaymentLedger } from "./audit-replay.js";
import { checkTarget, quickNote, sized } from "./mode.js";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  requests: { method: string; path: string }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const EVENTS = Number(process.env.HCY_BENCH_INDEXER_EVENTS ?? sized(100_000, 600));
const RATE = 200;
const DURATION_S = sized(10, 2);
const CATCH_UP_TARGET = 5_000;
const P99_TARGET_MS = 50;

const out = (line = "") => process.stdout.write(`${line}\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function status(url: string) {
  return (await (await fetch(`${url}/v1/status`)).json()) as {
    indexedBlock: number | null;
    chainHead: number | null;
    ready: boolean;
  };
}

const system = await startSystem({
  chainPort: await freePort(),
  seed: false,
  service: false,
  web: false,
  bundler: false,
  indexer: false,
  quiet: true,
  log: (line) => log(`[chain] ${line}`),
});
const dir = mkdtempSync(path.join(tmpdir(), "hcy-bench-indexer-"));
try {
  const seedStart = performance.now();
  await seedPaymentLedger(system.rpcUrl, system.deployment.contracts.CityYuan, EVENTS, log, "BENCH-FUND-INDEXER");
  // Past Ponder's finality depth for this chain (30 blocks), so the catch-up is one historical sync.
  // One evm_mine per block: hardhat_mine reserves blocks whose hashes the node settles later, which
  // an indexer that already read them sees as a reorganisation below its finality depth.
  const testClient = createTestClient({ mode: "hardhat", chain: hardhat, transport: http(system.rpcUrl) });
  for (let i = 0; i < 40; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const spawned = performance.now();
  const indexer = await startIndexer({
    rpcUrl: system.rpcUrl,
    port: await freePort(),
    dir,
    quiet: process.env.HCY_INDEXER_LOG_LEVEL === undefined,
    log,
  });
  const answering = performance.now();
  try {
    let caughtUp = answering;
    for (;;) {
      const s = await status(indexer.url);
      if (s.ready && s.indexedBlock !== null && s.chainHead !== null && s.indexedBlock >= s.chainHead) {
        caughtUp = performance.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ledger = (await (await fetch(`${indexer.url}/v1/ledger`)).json()) as { events: number };
    const catchUpSeconds = (caughtUp - answering) / 1000;
    const rate = ledger.events / catchUpSeconds;
    // Where the time went: the indexer's own RPC timings (Ponder's /metrics), summed per method.
    const metrics = await (await fetch(`${indexer.url}/metrics`)).text();
    const rpcSeconds = (method: string) =>
      Number(
        new RegExp(`ponder_rpc_request_duration_sum\\{method="${method}"[^}]*\\} ([0-9.e+]+)`).exec(metrics)?.[1] ?? 0,
      ) / 1000;
    const getLogsSeconds = rpcSeconds("eth_getLogs");
    const getBlockSeconds = rpcSeconds("eth_getBlockByNumber");

    // The history of the shops: each has thousands of receipts; requests rotate over them.
    const shops = MERCHANTS.map((m) => localAccount(m.index).address);
    const first = (await (await fetch(`${indexer.url}/v1/history/${shops[0]}?limit=20`)).json()) as {
      entries: unknown[];
    };
    if (first.entries.length === 0) throw new Error("the first shop's history is empty");
    const load = await autocannon({
      url: indexer.url,
      connections: 10,
      overallRate: RATE,
      duration: DURATION_S,
      requests: shops.map((shop) => ({ method: "GET", path: `/v1/history/${shop}?limit=20` })),
    });
    const failed = load.errors + load.timeouts + load.non2xx;

    out(quickNote());
    out(`ledger: ${ledger.events.toLocaleString("en")} events indexed (seeded in ${seedSeconds.toFixed(0)} s)`);
    out(
      `catch-up: ${catchUpSeconds.toFixed(2)} s from the indexer's first answer to the chain's head = ` +
        `${Math.round(rate).toLocaleString("en")} events/s (process start to answering: ${((answering - spawned) / 1000).toFixed(1)} s)`,
    );
    out(
      `  of which the chain's RPC answering the indexer: eth_getLogs ${getLogsSeconds.toFixed(2)} s, ` +
        `eth_getBlockByNumber ${getBlockSeconds.toFixed(2)} s (summed over requests, which may overlap)`,
    );
    out(
      `history first page (limit 20, ${shops.length} shops with ~${Math.round(EVENTS / 2 / shops.length).toLocaleString("en")} receipts each) ` +
        `at ${RATE} req/s for ${DURATION_S} s: ${load.requests.total} requests, ${failed} failed, ` +
        `p50 ${load.latency.p50} ms, p90 ${load.latency.p90} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms`,
    );
    if (failed > 0) throw new Error(`${failed} history requests failed`);
    checkTarget(rate >= CATCH_UP_TARGET, `catch-up ${Math.round(rate)} events/s ≥ ${CATCH_UP_TARGET}`);
    checkTarget(
      load.latency.p99 < P99_TARGET_MS,
      `history first page p99 ${load.latency.p99} ms < ${P99_TARGET_MS} ms`,
    );
  } finally {
    await indexer.stop();
  }
} finally {
  await system.stop();
  rmSync(dir, { recursive: true, force: true });
}
