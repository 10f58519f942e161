// The indexer killed (SIGKILL, as a power cut or the OOM killer would) in the middle of its backfill,
// twice, and started again on the same PGlite directory: what it then shows must equal the chain.
// The handlers add a block's balances, flows and shops' days up in memory and write them with the
// block's own event, and a Transfer waits in memory for the rest of its transaction; Ponder commits
// its backfill only at the end of whole blocks (a batch of events is whole blocks, the block event
// last, and the batch is one database transaction with its checkpoint), and a restart goes back to
// the last committed checkpoint and indexes from the next block. So a kill inside a block loses the
// block's sums with the block's rows, and both are made again. This test proves it on a chain of
// blocks of 2,000 events each, killed at event counts that are not block ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Address, createPublicClient, createTestClient, type Hex, http, parseEventLogs } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { INDEXED_CONTRACTS } from "../../indexer/contracts.js";
import { shanghaiDay } from "../../indexer/events.js";
import { seedPaymentLedger } from "../../scripts/bench/audit-replay.js";
import { localAccount, MERCHANTS } from "../../scripts/lib/demo-accounts.js";
import { type RunningIndexer, spawnIndexer, waitForIndexed } from "../../scripts/lib/indexer.js";
import { freePort } from "../../scripts/lib/processes.js";
import { type RunningSystem, startSystem } from "../../scripts/lib/system.js";

const EVENTS = 24_000;
const SCHEMA = "hcy";
const log = (line: string) => process.stderr.write(`[indexer crash test] ${line}\n`);

let system: RunningSystem;
let dir: string;
let indexer: RunningIndexer | undefined;
let publicClient: ReturnType<typeof createPublicClient>;

type Json = Record<string, unknown>;
async function api<T = Json>(route: string): Promise<T> {
  const response = await fetch(`${(indexer as RunningIndexer).url}${route}`);
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Events the indexer has handled so far (Ponder's own count, updated every few dozen events). */
async function handledEvents(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const match of metrics.matchAll(/^ponder_indexing_completed_events\{[^}]*\} (\d+)$/gm))
    total += Number(match[1]);
  return total;
}

async function start(keep: boolean) {
  const started = await spawnIndexer({
    rpcUrl: system.rpcUrl,
    port: await freePort(),
    dir,
    schema: SCHEMA,
    keep,
    quiet: true,
    log,
  });
  // A restart waits for the killed process's lock on the schema to expire (Ponder: 25 s).
  await started.ready;
  indexer = started;
  return started;
}

/** Kills the indexer with SIGKILL once it has handled at least `events` events; returns the count then. */
async function killAfter(events: number): Promise<number> {
  const running = indexer as RunningIndexer;
  for (;;) {
    const handled = await handledEvents(running.url).catch(() => 0);
    if (handled >= events) {
      process.kill(running.process.child.pid as number, "SIGKILL");
      await running.process.exited;
      indexer = undefined;
      return handled;
    }
    const status = (await (await fetch(`${running.url}/v1/status`)).json()) as { ready: boolean };
    if (status.ready) throw new Error(`the backfill finished before ${events} events`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  system = await startSystem({
    chainPort: await freePort(),
    seed: false,
    service: false,
    web: false,
    bundler: false,
    indexer: false,
    quiet: true,
    log,
  });
  // The test reads all 24,000 logs in one eth_getLogs (17 MB, over viem's default 10 MB).
  publicClient = createPublicClient({
    chain: hardhat,
    transport: http(system.rpcUrl, { maxResponseBodySize: 256 * 1024 * 1024, timeout: 120_000 }),
  });
  await seedPaymentLedger(system.rpcUrl, system.deployment.contracts.CityYuan, EVENTS, log, "CRASH-TEST-FUND");
  // Past Ponder's finality depth (30 blocks on this chain), so all of it is one backfill.
  const testClient = createTestClient({ mode: "hardhat", chain: hardhat, transport: http(system.rpcUrl) });
  for (let i = 0; i < 40; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
  dir = mkdtempSync(path.join(tmpdir(), "hcy-indexer-crash-"));
}, 600_000);

afterAll(async () => {
  await indexer?.stop();
  await system?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the indexer killed mid-backfill", () => {
  it("restarts where it committed and then equals the chain: totals, balances, daily flows, histories", async () => {
    const kills: number[] = [];
    await start(false);
    kills.push(await killAfter(EVENTS * 0.3));
    await start(true);
    // The restart indexes again from its last committed block, so its count starts near zero.
    kills.push(await killAfter(EVENTS * 0.45));
    await start(true);
    log(`killed after ${kills.join(" and ")} handled events (blocks of 2,000 payment events each)`);
    // Not at a block's end: the kill fell inside a block, with its sums still in memory.
    for (const handled of kills) expect(handled % 2_000).not.toBe(0);
    const head = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
    await waitForIndexed((indexer as RunningIndexer).url, head, 180_000);

    // The chain's own account, read here independently.
    const c = system.deployment.contracts;
    const addresses = Object.keys(INDEXED_CONTRACTS).map((name) => (c as Record<string, Address>)[name] as Address);
    const raw = await publicClient.getLogs({
      address: addresses,
      fromBlock: BigInt(system.deployment.deployBlock),
      toBlock: BigInt(head),
    });
    const logs = parseEventLogs({
      abi: cityYuanAbi,
      logs: raw.filter((l) => l.address.toLowerCase() === c.CityYuan.toLowerCase()),
    });
    const times = new Map<bigint, number>();
    for (const block of new Set(logs.map((l) => l.blockNumber))) {
      times.set(block, Number((await publicClient.getBlock({ blockNumber: block })).timestamp));
    }
    const dayOf = (l: { blockNumber: bigint }) => shanghaiDay(times.get(l.blockNumber) as number);

    const ledger = await api<{ supply: string; issued: string; events: number; escrows: Record<string, string> }>(
      "/v1/ledger",
    );
    const supply = await publicClient.readContract({
      address: c.CityYuan,
      abi: cityYuanAbi,
      functionName: "totalSupply",
    });
    expect(ledger.supply).toBe(supply.toString());
    expect(ledger.events).toBe(raw.length);
    let issued = 0n;
    for (const l of logs) if (l.eventName === "Issued") issued += l.args.amount;
    expect(ledger.issued).toBe(issued.toString());

    // Flows per day: payments (by category), transfers, issues, as the chain's logs add up.
    const flows = new Map<string, { count: number; amount: bigint }>();
    const addFlow = (day: string, flow: string, amount: bigint) => {
      const row = flows.get(`${day}|${flow}`) ?? { count: 0, amount: 0n };
      row.count += 1;
      row.amount += amount;
      flows.set(`${day}|${flow}`, row);
    };
    for (const l of logs) {
      if (l.eventName === "PaymentMade") addFlow(dayOf(l), "payment", l.args.amount);
      if (l.eventName === "Issued") addFlow(dayOf(l), "issue", l.args.amount);
      if (l.eventName === "Transfer" && BigInt(l.args.from) !== 0n && BigInt(l.args.to) !== 0n)
        addFlow(dayOf(l), "transfer", l.args.value);
    }
    const days = await api<{ days: { day: string; flows: Record<string, { count: number; amount: string }> }[] }>(
      "/v1/ledger/days",
    );
    const indexed = new Map<string, { count: number; amount: bigint }>();
    for (const { day, flows: dayFlows } of days.days) {
      for (const [flow, { count, amount }] of Object.entries(dayFlows)) {
        if (flow === "attestation") continue;
        const name = flow.startsWith("payment.") ? "payment" : flow;
        const row = indexed.get(`${day}|${name}`) ?? { count: 0, amount: 0n };
        row.count += count;
        row.amount += BigInt(amount);
        indexed.set(`${day}|${name}`, row);
      }
    }
    expect(Object.fromEntries(indexed)).toEqual(Object.fromEntries(flows));

    // Every shop: its days (payments and amounts) and its history, entry by entry.
    for (const m of MERCHANTS) {
      const shop = localAccount(m.index).address.toLowerCase() as Hex;
      const paid = logs.filter(
        (l): l is Extract<(typeof logs)[number], { eventName: "PaymentMade" }> =>
          l.eventName === "PaymentMade" && l.args.payee.toLowerCase() === shop,
      );
      const expectedDays = new Map<string, { payments: number; received: bigint }>();
      for (const l of paid) {
        const row = expectedDays.get(dayOf(l)) ?? { payments: 0, received: 0n };
        row.payments += 1;
        row.received += l.args.amount;
        expectedDays.set(dayOf(l), row);
      }
      const shopDays = await api<{ days: { day: string; payments: number; received: string }[] }>(
        `/v1/shops/${shop}/days`,
      );
      expect(
        Object.fromEntries(shopDays.days.map((d) => [d.day, { payments: d.payments, received: BigInt(d.received) }])),
      ).toEqual(Object.fromEntries(expectedDays));
      const entries: { id: string; kind: string; amount: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: { entries: typeof entries; next: string | null } = await api(
          `/v1/history/${shop}?limit=200${cursor ? `&cursor=${cursor}` : ""}`,
        );
        entries.push(...page.entries);
        cursor = page.next;
      } while (cursor);
      expect(entries.map((e) => `${e.id} ${e.kind} ${e.amount}`).reverse()).toEqual(
        paid.map((l) => `${l.transactionHash.toLowerCase()}:${l.logIndex} payment ${l.args.amount}`),
      );
    }

    // Every HCY balance the indexer keeps equals the chain's (read from its database once stopped).
    await (indexer as RunningIndexer).stop();
    indexer = undefined;
    const pg = new PGlite(dir);
    try {
      const { rows } = await pg.query<{ account: string; balance: string }>(
        `SELECT account, balance::text AS balance FROM "${SCHEMA}"."balance" WHERE balance <> 0`,
      );
      const holders = new Set<string>();
      for (const l of logs) {
        if (l.eventName !== "Transfer") continue;
        holders.add(l.args.from.toLowerCase());
        holders.add(l.args.to.toLowerCase());
      }
      holders.delete("0x0000000000000000000000000000000000000000");
      const chain: Record<string, string> = {};
      for (const holder of holders) {
        const balance = await publicClient.readContract({
          address: c.CityYuan,
          abi: cityYuanAbi,
          functionName: "balanceOf",
          args: [holder as Address],
        });
        if (balance !== 0n) chain[holder] = balance.toString();
      }
      expect(Object.fromEntries(rows.map((r) => [r.account.toLowerCase(), r.balance]))).toEqual(chain);
      expect(Object.keys(chain).length).toBeGreaterThan(MERCHANTS.length);
    } finally {
      await pg.close();
    }
  }, 600_000);
});
