// Indexer benchmark: a ledger of 100,000 events (real CityYuan.pay calls, seeded as the
// audit-replay bench seeds) on a local node of its own, then the city's indexer (Ponder on
// PGlite) started fresh against it. Figures: catch-up rate (events indexed per second, from the
// indexer's first answer until it has reached the chain's head) and, once caught up, a shop's
// history first page (`/v1/history/:account?limit=20`) under 200 requests/s for 10 s (autocannon).
// Beside it, Ponder alone on the same chain (its handlers only counting events): the floor under
// the catch-up on this machine. Targets: catch-up ≥ 5,000 events/s; history first page p99 < 50 ms at 200 req/s.
// Run alone: `npx tsx scripts/bench/indexer.ts` (HCY_BENCH_QUICK=1 for small counts).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
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
type AutocannonOptions = {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  requests: { method: string; path: string }[];
};
// The load runs in a process of its own (autocannon in a worker thread hands back raw histograms),
// so the collection of this process's garbage (the 100,000 events it seeded) does not count as
// the indexer's latency.
const LOADGEN = `
const [module, options] = JSON.parse(process.argv[1]);
require(module)(options).then(({ requests, latency, errors, timeouts, non2xx }) =>
  process.stdout.write(JSON.stringify({ requests, latency, errors, timeouts, non2xx })),
);`;
async function autocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  const module = createRequire(import.meta.url).resolve("autocannon");
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", LOADGEN, JSON.stringify([module, options])], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as AutocannonResult;
}

const EVENTS = Number(process.env.HCY_BENCH_INDEXER_EVENTS ?? sized(100_000, 600));
const RATE = 200;
const DURATION_S = sized(10, 2);
const CATCH_UP_TARGET = 5_000;
const P99_TARGET_MS = 50;

const out = (line = "") => process.stdout.write(`${line}\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** p50 and p99 (upper bucket bounds, ms) of a route in Ponder's request-duration histogram. */
function serverPercentiles(metrics: string, route: string) {
  const buckets = new Map<number, number>();
  for (const match of metrics.matchAll(/^ponder_http_server_request_duration_ms_bucket\{([^}]*)\} (\d+)$/gm)) {
    const labels = match[1] as string;
    if (!labels.includes(`path="${route}"`)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1] ?? "+Inf";
    const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  const at = (q: number) => sorted.find(([, count]) => count >= q * total)?.[0] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

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
const floorDir = mkdtempSync(path.join(tmpdir(), "hcy-bench-indexer-floor-"));
try {
  const seedStart = performance.now();
  await seedPaymentLedger(system.rpcUrl, system.deployment.contracts.CityYuan, EVENTS, log, "BENCH-FUND-INDEXER");
  // Past Ponder's finality depth for this chain (30 blocks), so the catch-up is one historical sync.
  // One evm_mine per block: hardhat_mine reserves blocks whose hashes the node settles later, which
  // an indexer that already read them sees as a reorganisation below its finality depth.
  const testClient = createTestClient({ mode: "hardhat", chain: hardhat, transport: http(system.rpcUrl) });
  for (let i = 0; i < 40; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ");
  // One start of the indexer on `dir` in `schema`: the time from its first answer until it has
  // indexed the chain's head, and where the time went (its own RPC timings, from Ponder's /metrics).
  // `handlersOff`: Ponder alone, its handlers only counting events (HCY_INDEXER_HANDLERS=off).
  const catchUp = async (schema: string, keep: boolean, on = { dir, handlersOff: false }) => {
    const spawned = performance.now();
    const indexer = await startIndexer({
      rpcUrl: system.rpcUrl,
      port: await freePort(),
      dir: on.dir,
      schema,
      keep,
      // The RPC cache on, so the second start re-indexes from what the first one fetched.
      env: { HCY_INDEXER_RPC_CACHE: "1", ...(on.handlersOff ? { HCY_INDEXER_HANDLERS: "off" } : {}) },
      quiet: process.env.HCY_INDEXER_LOG_LEVEL === undefined,
      log,
    });
    const answering = performance.now();
    try {
      for (;;) {
        // A busy indexer may drop a kept-alive connection (ECONNRESET): ask again, unless it exited.
        const s = await status(indexer.url).catch((error) => {
          if (indexer.process.child.exitCode !== null) throw new Error("the indexer exited during its catch-up");
          log(`status: ${String(error?.cause ?? error)}`);
          return undefined;
        });
        if (!s) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        if (s.ready && s.indexedBlock !== null && s.chainHead !== null && s.indexedBlock >= s.chainHead) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (performance.now() - answering) / 1000;
      const loadAtEnd = load();
      const ledger = (await (await fetch(`${indexer.url}/v1/ledger`)).json()) as { events: number };
      const metrics = await (await fetch(`${indexer.url}/metrics`)).text();
      const rpcSeconds = (method: string) =>
        Number(
          new RegExp(`ponder_rpc_request_duration_sum\\{method="${method}"[^}]*\\} ([0-9.e+]+)`).exec(metrics)?.[1] ??
            0,
        ) / 1000;
      // Where the indexer's own time went (histogram sums, ms; they overlap where work runs concurrently).
      const sums = new Map<string, number>();
      for (const match of metrics.matchAll(
        /^(ponder_(?:database_method_duration|indexing_cache_query_duration|indexing_function_duration))_sum\{([^}]*)\} ([0-9.e+]+)$/gm,
      )) {
        const labels = (match[2] as string).replace(/"/g, "");
        const kind = (match[1] as string).replace(/^ponder_|_duration$/g, "");
        const key = kind === "indexing_function" ? kind : `${kind} ${labels}`;
        sums.set(key, (sums.get(key) ?? 0) + Number(match[3]));
      }
      const where = [...sums]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8)
        .map(([key, ms]) => `${key} ${(ms / 1000).toFixed(1)} s`)
        .join("; ");
      return {
        where,
        indexer,
        events: ledger.events,
        seconds,
        rate: ledger.events / seconds,
        startSeconds: (answering - spawned) / 1000,
        getLogsSeconds: rpcSeconds("eth_getLogs"),
        getBlockSeconds: rpcSeconds("eth_getBlockByNumber"),
        load: loadAtEnd,
      };
    } catch (error) {
      await indexer.stop();
      throw error;
    }
  };

  const first = await catchUp("hcy", false);
  const { indexer } = first;
  try {
    // The history of the shops: each has thousands of receipts; requests rotate over them.
    const shops = MERCHANTS.map((m) => localAccount(m.index).address);
    const page = (await (await fetch(`${indexer.url}/v1/history/${shops[0]}?limit=20`)).json()) as {
      entries: unknown[];
    };
    if (page.entries.length === 0) throw new Error("the first shop's history is empty");
    // Five seconds first, so the load meets the indexer as it runs (following the head), not its
    // switch from backfill to following the chain.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const loadBefore = load();
    const history = await autocannon({
      url: indexer.url,
      connections: 10,
      overallRate: RATE,
      duration: DURATION_S,
      requests: shops.map((shop) => ({ method: "GET", path: `/v1/history/${shop}?limit=20` })),
    });
    const historyLoad = `${loadBefore} before, ${load()} after`;
    // The same requests as the indexer's own server timed them (Ponder's histogram, bucket bounds),
    // apart from the time they waited in this machine's queues before it read them.
    const served = serverPercentiles(await (await fetch(`${indexer.url}/metrics`)).text(), "/v1/history/:account");
    await indexer.stop();
    const failed = history.errors + history.timeouts + history.non2xx;

    // The same chain indexed again from the RPC cache the first start filled: indexing alone.
    const second = await catchUp("hcy_again", true);
    await second.indexer.stop();

    // Ponder alone on the same chain, from the chain into a directory of its own, its handlers
    // only counting: the floor under the first figure on this machine.
    const floor = await catchUp("hcy_floor", false, { dir: floorDir, handlersOff: true });
    await floor.indexer.stop();

    out(quickNote());
    out(`ledger: ${first.events.toLocaleString("en")} events indexed (seeded in ${seedSeconds.toFixed(0)} s)`);
    out(
      `catch-up from the chain: ${first.seconds.toFixed(2)} s from the indexer's first answer to the chain's head = ` +
        `${Math.round(first.rate).toLocaleString("en")} events/s (process start to answering: ${first.startSeconds.toFixed(1)} s; ` +
        `load average ${first.load} at the end)`,
    );
    out(
      `  of which the chain's RPC answering the indexer: eth_getLogs ${first.getLogsSeconds.toFixed(2)} s, ` +
        `eth_getBlockByNumber ${first.getBlockSeconds.toFixed(2)} s (summed over requests, which may overlap)`,
    );
    out(`  the indexer's time by part (summed): ${first.where}`);
    out(
      `indexing alone (the same chain again, from the indexer's RPC cache): ${second.events.toLocaleString("en")} events in ` +
        `${second.seconds.toFixed(2)} s = ${Math.round(second.rate).toLocaleString("en")} events/s (load average ${second.load} at the end)`,
    );
    out(`  the indexer's time by part (summed): ${second.where}`);
    out(
      `Ponder alone (the same chain from the chain, handlers off: each event only counted): ${floor.events.toLocaleString("en")} events in ` +
        `${floor.seconds.toFixed(2)} s = ${Math.round(floor.rate).toLocaleString("en")} events/s (load average ${floor.load} at the end); ` +
        `the city's handlers cost ${(first.seconds - floor.seconds).toFixed(2)} s of the catch-up's ${first.seconds.toFixed(2)} s`,
    );
    out(
      `history first page (limit 20, ${shops.length} shops with ~${Math.round(EVENTS / 2 / shops.length).toLocaleString("en")} receipts each) ` +
        `at ${RATE} req/s for ${DURATION_S} s: ${history.requests.total} requests, ${failed} failed, ` +
        `p50 ${history.latency.p50} ms, p90 ${history.latency.p90} ms, p99 ${history.latency.p99} ms, max ${history.latency.max} ms ` +
        `(load average ${historyLoad}); inside the indexer's server: p50 ≤ ${served.p50} ms, p99 ≤ ${served.p99} ms`,
    );
    if (failed > 0) throw new Error(`${failed} history requests failed`);
    if (second.events !== first.events)
      throw new Error(`the second start indexed ${second.events} events, the first ${first.events}`);
    if (floor.events !== first.events)
      throw new Error(`Ponder alone counted ${floor.events} events, the indexer ${first.events}`);
    checkTarget(first.rate >= CATCH_UP_TARGET, `catch-up ${Math.round(first.rate)} events/s ≥ ${CATCH_UP_TARGET}`);
    checkTarget(
      history.latency.p99 < P99_TARGET_MS,
      `history first page p99 ${history.latency.p99} ms < ${P99_TARGET_MS} ms`,
    );
  } finally {
    await indexer.stop();
  }
} finally {
  await system.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
}
