// History benchmark: a ledger of 100,000 CityYuan events on a separate local chain, 10,000 of them
// movements of one resident (payments, transfers in and out) spread over about a year of blocks,
// then the dApp's own history code (HistoryLoader, readMerchants, monthlyTotals) measures
//   - first screen: an empty cache to the first 20 entries on screen (newest first),
//   - full monthly summary: an empty cache to every entry read, categorised and totalled by month,
//   - refresh: one new payment mined to the loader showing it.
// Seeding uses the node's unlocked accounts and JSON-RPC batches with automine off (many
// transactions per block), which takes a minute or two instead of signing each in JavaScript.
// Run alone: `npx tsx scripts/bench/history.ts`.
import {
  type Address,
  createPublicClient,
  encodeFunctionData,
  getAbiItem,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  stringToHex,
  toEventSelector,
  toHex,
} from "viem";
import { categoryIndex } from "../../core/enums.js";
import { compareNewestFirst, type HistoryEntry } from "../../core/history/assemble.js";
import { HistoryLoader, type HistorySnapshot } from "../../core/history/historyLoader.js";
import { memoryHistoryStore } from "../../core/history/historyStore.js";
import { readMerchants } from "../../core/history/merchantDirectory.js";
import { categoryOf, monthlyTotals } from "../../core/history/summary.js";
import { cityYuanAbi, type Deployment, merchantRegistryAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "../lib/demo-accounts.js";
import { freePort } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { checkTarget, quickNote, sized } from "./mode.js";

export interface HistoryBench {
  firstScreenMs: number;
  monthlySummaryMs: number;
  refreshMs: number;
  /** Logs on the ledger (each payment writes two: Transfer and PaymentMade). */
  events: number;
  /** Logs that involve the resident. */
  residentEvents: number;
  /** History entries the resident sees (a payment's two logs are one entry). */
  residentEntries: number;
  /** First screen again, from the cache a previous visit left. */
  warmFirstScreenMs: number;
  months: number;
  blocks: number;
  seedSeconds: number;
}

const DEFAULT_EVENTS = 100_000;
const DEFAULT_RESIDENT_ENTRIES = 10_000;
const TX_PER_BLOCK = 25;
const YEAR = 365 * 24 * 3600;
const FIRST_SCREEN_ENTRIES = 20;

type Call = { method: string; params: unknown[] };

async function rpc(url: string, calls: Call[]): Promise<unknown[]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
  });
  const replies = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  const failed = replies.find((reply) => reply.error);
  if (failed) throw new Error(`RPC ${calls[failed.id]?.method} failed: ${failed.error?.message}`);
  return replies.sort((a, b) => a.id - b.id).map((reply) => reply.result);
}

/** Seeds the ledger; returns the number of logs written and of the resident's logs and entries. */
async function seed(
  rpcUrl: string,
  deployment: Deployment,
  size: { events: number; residentEntries: number },
  log: (line: string) => void,
) {
  const TOTAL_EVENTS = size.events;
  const RESIDENT_ENTRIES = size.residentEntries;
  const { CityYuan, MerchantRegistry } = deployment.contracts;
  const resident = localAccount(RESIDENTS[0].index).address;
  const issuer = localAccount(ROLE_HOLDERS.issuer.index).address;
  const attester = localAccount(ROLE_HOLDERS.attester.index).address;
  const registrar = localAccount(ROLE_HOLDERS.registrar.index).address;
  const merchants = MERCHANTS.map((m) => localAccount(m.index).address);
  const merchantIndices = new Set(MERCHANTS.map((m) => m.index));
  // The node unlocks the first 20 accounts of the test mnemonic: everyone who is neither a role
  // holder, the resident nor a merchant pays.
  const payers = Array.from({ length: 20 }, (_, i) => i)
    .filter((i) => i > RESIDENTS[0].index && !merchantIndices.has(i))
    .map((i) => localAccount(i).address);
  const tx = (from: Address, to: Address, data: Hex): Call => ({
    method: "eth_sendTransaction",
    params: [{ from, to, data, gas: toHex(150_000) }],
  });
  const ref = (text: string) => stringToHex(text, { size: 32 });

  // Issuing is bounded by the latest attested reserves (Secure Mint): the attester publishes
  // reserves covering every account's funding first, in a block of its own, then the issuer issues.
  const funded = [resident, ...payers];
  const funding = 100_000_000n;
  const [supply] = (await rpc(rpcUrl, [
    {
      method: "eth_call",
      params: [{ to: CityYuan, data: encodeFunctionData({ abi: cityYuanAbi, functionName: "totalSupply" }) }, "latest"],
    },
  ])) as Hex[];
  const attestation: Call = tx(
    attester,
    CityYuan,
    encodeFunctionData({
      abi: cityYuanAbi,
      functionName: "attestReserves",
      args: [
        BigInt(supply as Hex) + funding * BigInt(funded.length),
        keccak256(stringToHex("Hefei City Bank reserve report, history bench")),
        "https://reserves.hefei.example/reports/bench-history.pdf",
      ],
    }),
  );
  const setup: Call[] = [
    ...MERCHANTS.map((m, i) =>
      tx(
        registrar,
        MerchantRegistry,
        encodeFunctionData({
          abi: merchantRegistryAbi,
          functionName: "register",
          args: [merchants[i] as Address, m.name, categoryIndex(m.category)],
        }),
      ),
    ),
    ...funded.map((to, i) =>
      tx(
        issuer,
        CityYuan,
        encodeFunctionData({
          abi: cityYuanAbi,
          functionName: "issue",
          args: [to, funding, ref(`BENCH-FUND-${i}`)],
        }),
      ),
    ),
  ];
  let events = (1 + payers.length) * 2;
  let residentEvents = 2;
  let residentEntries = 1;

  // The resident's 10,000 entries: 80% payments (two logs each), 10% transfers out, 10% in.
  const residentPayments = Math.floor(RESIDENT_ENTRIES * 0.8);
  const residentTransfers = RESIDENT_ENTRIES - 1 - residentPayments;
  const residentLogs = residentPayments * 2 + residentTransfers;
  const otherPayments = Math.floor((TOTAL_EVENTS - events - residentLogs) / 2);
  const totalTx = residentPayments + residentTransfers + otherPayments;
  const blocks = Math.ceil(totalTx / TX_PER_BLOCK);
  const latest = (await rpc(rpcUrl, [{ method: "eth_getBlockByNumber", params: ["latest", false] }]))[0] as {
    timestamp: Hex;
  };
  let clock = Number(BigInt(latest.timestamp)) + 60;
  const step = Math.floor(YEAR / blocks);

  // The node does not always put every transaction of a batch in the block the batch mines: mine
  // one-second blocks until the pool is empty.
  const mineUntilEmpty = async (from: number): Promise<number> => {
    let at = from;
    for (let i = 0; i < 20; i++) {
      const [pending] = (await rpc(rpcUrl, [{ method: "eth_getBlockByNumber", params: ["pending", false] }])) as {
        transactions: unknown[];
      }[];
      if (!pending || pending.transactions.length === 0) break;
      at += 1;
      await rpc(rpcUrl, [{ method: "evm_mine", params: [toHex(at)] }]);
    }
    return at;
  };

  await rpc(rpcUrl, [{ method: "evm_setAutomine", params: [false] }]);
  try {
    // The setup must go through before any payment: a failed issue would only show much later,
    // as payments reverting for want of balance.
    const [attestHash] = (await rpc(rpcUrl, [attestation, { method: "evm_mine", params: [toHex(clock)] }])) as Hex[];
    clock = await mineUntilEmpty(clock);
    clock += 60;
    const setupHashes = (await rpc(rpcUrl, [...setup, { method: "evm_mine", params: [toHex(clock)] }])).slice(
      0,
      setup.length,
    ) as Hex[];
    clock = await mineUntilEmpty(clock);
    const receipts = (await rpc(
      rpcUrl,
      [attestHash as Hex, ...setupHashes].map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
    )) as ({ status: Hex } | null)[];
    const failed = receipts.findIndex((receipt) => receipt?.status !== "0x1");
    if (failed >= 0) {
      const what =
        failed === 0
          ? "the reserve attestation"
          : failed <= MERCHANTS.length
            ? `registering merchant ${MERCHANTS[failed - 1]?.nameEn}`
            : `issuing to ${funded[failed - 1 - MERCHANTS.length]}`;
      throw new Error(`seeding: ${what} did not go through: ${JSON.stringify(receipts[failed])}`);
    }
    let queued: Call[] = [];
    let mineDone = 0;
    let r = 0;
    let rt = 0;
    for (let n = 0; n < totalTx; n++) {
      // Spread the resident's transactions evenly through the year, as a real resident's would be.
      const residentDue = Math.floor(((n + 1) * (residentPayments + residentTransfers)) / totalTx) > r + rt;
      const merchant = merchants[n % merchants.length] as Address;
      const payer = payers[n % payers.length] as Address;
      const amount = BigInt(100 + ((n * 7919) % 9000));
      if (residentDue && r < residentPayments && (rt >= residentTransfers || n % 10 !== 0)) {
        queued.push(
          tx(
            resident,
            CityYuan,
            encodeFunctionData({ abi: cityYuanAbi, functionName: "pay", args: [merchant, amount, ref(`R-${n}`)] }),
          ),
        );
        r++;
        residentEvents += 2;
        residentEntries++;
        events += 2;
      } else if (residentDue) {
        const out = rt % 2 === 0;
        queued.push(
          tx(
            out ? resident : payer,
            CityYuan,
            encodeFunctionData({ abi: cityYuanAbi, functionName: "transfer", args: [out ? payer : resident, amount] }),
          ),
        );
        rt++;
        residentEvents += 1;
        residentEntries++;
        events += 1;
      } else {
        queued.push(
          tx(
            payer,
            CityYuan,
            encodeFunctionData({ abi: cityYuanAbi, functionName: "pay", args: [merchant, amount, ref(`O-${n}`)] }),
          ),
        );
        events += 2;
      }
      if (queued.length === TX_PER_BLOCK || n === totalTx - 1) {
        clock += step;
        await rpc(rpcUrl, [...queued, { method: "evm_mine", params: [toHex(clock)] }]);
        queued = [];
        mineDone++;
        if (mineDone % 500 === 0) log(`  ${mineDone} / ${blocks} blocks`);
      }
    }
    // The node may leave a few transactions of a batch for the next block: mine until the pool
    // is empty so the ledger holds everything before measuring.
    for (let i = 0; i < 20; i++) {
      const [pending] = (await rpc(rpcUrl, [{ method: "eth_getBlockByNumber", params: ["pending", false] }])) as {
        transactions: unknown[];
      }[];
      if (!pending || pending.transactions.length === 0) break;
      clock += step;
      await rpc(rpcUrl, [{ method: "evm_mine", params: [toHex(clock)] }]);
      mineDone++;
    }
    return { resident, events, residentEvents, residentEntries, blocks: mineDone };
  } finally {
    await rpc(rpcUrl, [{ method: "evm_setAutomine", params: [true] }]);
  }
}

function waitFor(loader: HistoryLoader, done: (s: HistorySnapshot) => boolean): Promise<HistorySnapshot> {
  return new Promise((resolve, reject) => {
    const check = (s: HistorySnapshot) => {
      if (s.error) reject(s.error);
      else if (done(s)) {
        unsubscribe();
        resolve(s);
      }
    };
    const unsubscribe = loader.subscribe(check);
    check(loader.snapshot);
  });
}

export async function benchHistory(
  options: { events?: number; residentEntries?: number; log?: (line: string) => void } = {},
): Promise<HistoryBench> {
  const size = {
    events: options.events ?? DEFAULT_EVENTS,
    residentEntries: options.residentEntries ?? DEFAULT_RESIDENT_ENTRIES,
  };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const system = await startSystem({
    // No indexer: this benchmark reads the chain (the `indexer` benchmark measures the indexer).
    indexer: false,
    chainPort: await freePort(),
    seed: false,
    service: false,
    web: false,
    // Plain accounts only: no bundler (its executor and utility accounts, 18 and 19, pay here).
    bundler: false,
    quiet: true,
    log,
  });
  try {
    const rpcUrl = system.rpcUrl;
    const deployment = system.deployment;
    log(
      `Seeding ${size.events.toLocaleString("en")} events (${size.residentEntries.toLocaleString("en")} for one resident)…`,
    );
    const seedStart = performance.now();
    const seeded = await seed(rpcUrl, deployment, size, log);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    log(`  seeded in ${seedSeconds.toFixed(0)} s: ${seeded.events} events in ${seeded.blocks} blocks`);

    // The same client shape as the dApp's wagmi transport: JSON-RPC batching on.
    const client = createPublicClient({ transport: http(rpcUrl, { batch: true }) }) as PublicClient;
    const contracts = {
      cityYuan: deployment.contracts.CityYuan,
      redPacket: deployment.contracts.RedPacket,
      vouchers: deployment.contracts.Vouchers,
    };
    const store = memoryHistoryStore();
    const newLoader = (s = store) =>
      new HistoryLoader({
        client,
        chainId: deployment.chainId,
        account: seeded.resident,
        contracts,
        deployBlock: BigInt(deployment.deployBlock),
        store: s,
      });

    // Warm the node and the HTTP connection once, as a page would already have done.
    await client.getBlockNumber();

    // 1. First screen from an empty cache.
    let t0 = performance.now();
    const first = newLoader(memoryHistoryStore());
    void first.start();
    await waitFor(first, (s) => s.entries.length >= FIRST_SCREEN_ENTRIES || s.complete);
    const firstScreenMs = performance.now() - t0;
    first.stop();

    // 2. Everything, categorised and totalled by month, from an empty cache.
    t0 = performance.now();
    const full = newLoader();
    void full.start();
    const done = await waitFor(full, (s) => s.complete && !s.loading);
    const counterparties = new Set<Address>();
    for (const e of done.entries) if (e.counterparty) counterparties.add(e.counterparty);
    const merchants = await readMerchants(client, deployment.contracts.MerchantRegistry, counterparties);
    const months = monthlyTotals(
      done.entries,
      (e) => categoryOf(e, (a) => merchants.get(a.toLowerCase())?.category),
      480,
    );
    const monthlySummaryMs = performance.now() - t0;
    // Ground truth straight from the node: every movement of the resident's money is one
    // Transfer from or to them (a payment's PaymentMade rides along with its Transfer).
    const me = `0x${"0".repeat(24)}${seeded.resident.slice(2).toLowerCase()}`;
    const transferTopic = toEventSelector(getAbiItem({ abi: cityYuanAbi, name: "Transfer" }));
    const [sent, received] = (await rpc(rpcUrl, [
      {
        method: "eth_getLogs",
        params: [{ address: contracts.cityYuan, fromBlock: "0x0", toBlock: "latest", topics: [transferTopic, me] }],
      },
      {
        method: "eth_getLogs",
        params: [
          { address: contracts.cityYuan, fromBlock: "0x0", toBlock: "latest", topics: [transferTopic, null, me] },
        ],
      },
    ])) as unknown[][];
    const onLedger = (sent?.length ?? 0) + (received?.length ?? 0);
    if (done.entries.length !== onLedger) {
      throw new Error(`history shows ${done.entries.length} entries, the ledger holds ${onLedger} movements`);
    }
    if (onLedger !== seeded.residentEntries) {
      log(`  note: ${seeded.residentEntries - onLedger} seeded transactions of the resident did not go through`);
    }
    const sorted = [...done.entries].sort(compareNewestFirst);
    if (sorted.some((e, i) => e !== done.entries[i])) throw new Error("history entries are not newest first");

    // 3. One new payment, then the refresh a new block triggers.
    const merchant = localAccount(MERCHANTS[0].index).address;
    const [newHash] = (await rpc(rpcUrl, [
      {
        method: "eth_sendTransaction",
        params: [
          {
            from: seeded.resident,
            to: deployment.contracts.CityYuan,
            data: encodeFunctionData({
              abi: cityYuanAbi,
              functionName: "pay",
              args: [merchant, 1234n, stringToHex("BENCH-NEW", { size: 32 })],
            }),
          },
        ],
      },
    ])) as Hex[];
    const [receipt] = (await rpc(rpcUrl, [{ method: "eth_getTransactionReceipt", params: [newHash] }])) as {
      status: Hex;
    }[];
    if (receipt?.status !== "0x1") throw new Error(`the benchmark's new payment failed: ${JSON.stringify(receipt)}`);
    t0 = performance.now();
    await full.refresh();
    const refreshMs = performance.now() - t0;
    const newest: HistoryEntry | undefined = full.snapshot.entries[0];
    if (newest?.amount !== 1234n || full.snapshot.entries.length !== onLedger + 1) {
      throw new Error(
        `the new payment did not appear after refresh: ${full.snapshot.entries.length} entries, newest ${newest?.amount}`,
      );
    }
    full.stop();

    // 4. Next visit: first screen from the cache the full load left.
    t0 = performance.now();
    const warm = newLoader();
    void warm.start();
    await waitFor(warm, (s) => s.entries.length >= FIRST_SCREEN_ENTRIES);
    const warmFirstScreenMs = performance.now() - t0;
    warm.stop();

    return {
      firstScreenMs: round(firstScreenMs),
      monthlySummaryMs: round(monthlySummaryMs),
      refreshMs: round(refreshMs),
      events: seeded.events,
      residentEvents: seeded.residentEvents,
      residentEntries: onLedger,
      warmFirstScreenMs: round(warmFirstScreenMs),
      months: months.length,
      blocks: seeded.blocks,
      seedSeconds: round(seedSeconds),
    };
  } finally {
    await system.stop();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

if (import.meta.url === `file://${process.argv[1]}`) {
  // HCY_BENCH_EVENTS / HCY_BENCH_RESIDENT_ENTRIES choose the ledger's size; a quick run uses a
  // small one.
  const result = await benchHistory({
    events: Number(process.env.HCY_BENCH_EVENTS) || sized(DEFAULT_EVENTS, 600),
    residentEntries: Number(process.env.HCY_BENCH_RESIDENT_ENTRIES) || sized(DEFAULT_RESIDENT_ENTRIES, 100),
  });
  const verdict = (value: number, target: number) => (value < target ? "ok" : "OVER TARGET");
  process.stdout.write(
    [
      `History of one resident: ${result.residentEntries.toLocaleString("en")} entries (${result.residentEvents.toLocaleString("en")} logs) on a ledger of ${result.events.toLocaleString("en")} events, ${result.blocks} blocks, ${result.months} months`,
      `  first screen (cold)    ${result.firstScreenMs} ms   target < 300 ms  ${verdict(result.firstScreenMs, 300)}`,
      `  full monthly summary   ${result.monthlySummaryMs} ms   target < 1000 ms ${verdict(result.monthlySummaryMs, 1000)}`,
      `  refresh after payment  ${result.refreshMs} ms   target < 50 ms   ${verdict(result.refreshMs, 50)}`,
      `  first screen (cached)  ${result.warmFirstScreenMs} ms`,
      "",
    ].join("\n") + quickNote(),
  );
  checkTarget(result.firstScreenMs < 300, `first screen ${result.firstScreenMs} ms < 300 ms`);
  checkTarget(result.monthlySummaryMs < 1000, `full monthly summary ${result.monthlySummaryMs} ms < 1000 ms`);
  checkTarget(result.refreshMs < 50, `refresh after payment ${result.refreshMs} ms < 50 ms`);
}
