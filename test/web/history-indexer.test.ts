// The dApp's indexer client and the history loader's split between the indexer (the older part,
// page by page) and the chain (the blocks above what it indexed, and the last few below): against
// the whole local system's demo month on a real Hardhat node with the real Ponder indexer. The
// history read that way must equal the chain's own, also after a reorg of the last blocks; when the
// indexer is away or answers garbage (a stub HTTP server stands in for that, nothing else), the
// loader reads the chain and says why.
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  custom,
  type Hex,
  http,
  type PublicClient,
  stringToHex,
} from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryContracts, HistoryEntry } from "../../core/history/assemble";
import { BEHIND_NOTE_BLOCKS, HistoryLoader, type HistorySnapshot } from "../../core/history/historyLoader";
import { memoryHistoryStore } from "../../core/history/historyStore";
import {
  createIndexerClient,
  type IndexerClient,
  IndexerError,
  type IndexStatus,
  parseHistoryEntry,
} from "../../core/indexer/indexerClient";
import { cityYuanAbi } from "../../generated/contracts";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts";
import { waitForIndexed } from "../../scripts/lib/indexer";
import { freePort } from "../../scripts/lib/processes";
import { type RunningSystem, startSystem } from "../../scripts/lib/system";

let system: RunningSystem;
let client: PublicClient;
let contracts: HistoryContracts;
let indexerUrl: string;
let stub: Server;
let stubUrl: string;
/** What the stub answers next: a status code and a body. */
let stubAnswer: (path: string) => { status: number; body: string } | "hang" = () => ({ status: 200, body: "{}" });

const log = (line: string) => process.stderr.write(`[history-indexer test] ${line}\n`);
const resident = () => localAccount((RESIDENTS[0] as { index: number }).index).address;

function indexerFor(url: string, timeoutMs = 2_000): IndexerClient {
  return createIndexerClient({
    url,
    chainId: system.deployment.chainId,
    cityYuan: system.deployment.contracts.CityYuan,
    timeoutMs,
  });
}

function loader(
  account: Address,
  indexer?: IndexerClient,
  extra: { indexerPageSize?: number; firstRange?: bigint; client?: PublicClient } = {},
) {
  return new HistoryLoader({
    client,
    chainId: system.deployment.chainId,
    account,
    contracts,
    deployBlock: BigInt(system.deployment.deployBlock),
    store: memoryHistoryStore(),
    indexer,
    ...extra,
  });
}

function settled(l: HistoryLoader): Promise<HistorySnapshot> {
  return new Promise((resolve, reject) => {
    const check = (s: HistorySnapshot) => {
      if (s.error) reject(s.error);
      else if (s.complete && !s.loading) {
        unsubscribe();
        resolve(s);
      }
    };
    const unsubscribe = l.subscribe(check);
    check(l.snapshot);
  });
}

/** The history as the chain alone tells it (the loader's chain path, no indexer). */
async function chainHistory(account: Address): Promise<HistoryEntry[]> {
  const l = loader(account);
  void l.start();
  const s = await settled(l);
  l.stop();
  return s.entries;
}

/**
 * Entries with their addresses in lower case: the chain path spells an address as its log topic
 * does (lower case) or as the deployment does (checksummed, the escrows), the indexer as the chain
 * decodes it; pages compare addresses case-blind.
 */
function caseBlind(entries: HistoryEntry[]) {
  return entries.map((e) => ({
    ...e,
    counterparty: e.counterparty?.toLowerCase(),
    familyCard: e.familyCard && { ...e.familyCard, holder: e.familyCard.holder.toLowerCase() },
  }));
}

/** The resident paying the first shop, and the test client that snapshots, reverts and mines. */
function chainTools() {
  const shop = localAccount((MERCHANTS[0] as { index: number }).index).address;
  const testClient = createTestClient({ chain: hardhat, mode: "hardhat", transport: http(system.rpcUrl) });
  const payer = createWalletClient({
    chain: hardhat,
    transport: http(system.rpcUrl),
    account: localAccount((RESIDENTS[0] as { index: number }).index),
  });
  const pay = async (amount: bigint, ref: string) => {
    const hash = await payer.writeContract({
      address: system.deployment.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "pay",
      args: [shop, amount, stringToHex(ref, { size: 32 })],
    });
    await client.waitForTransactionReceipt({ hash });
    return hash;
  };
  const mine = async (blocks: number) => {
    for (let i = 0; i < blocks; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
  };
  return { testClient, pay, mine };
}

/** Counts the indexer's history pages, passing everything through to the real client. */
function counting(inner: IndexerClient) {
  const counted = { pages: 0, client: { ...inner } as IndexerClient };
  counted.client.history = (account, page) => {
    counted.pages++;
    return inner.history(account, page);
  };
  return counted;
}

beforeAll(async () => {
  system = await startSystem({
    chainPort: await freePort(),
    servicePort: await freePort(),
    webPort: await freePort(),
    indexerPort: await freePort(),
    bundler: false,
    web: false,
    dataDir: mkdtempSync(path.join(tmpdir(), "hcy-history-indexer-")),
    quiet: true,
    log,
  });
  indexerUrl = system.indexerUrl as string;
  client = createPublicClient({ chain: hardhat, transport: http(system.rpcUrl, { batch: true }) }) as PublicClient;
  const c = system.deployment.contracts;
  contracts = {
    cityYuan: c.CityYuan,
    redPacket: c.RedPacket,
    vouchers: c.Vouchers,
    familyCards: c.FamilyCards,
    delayedTransfers: c.DelayedTransfers,
  };
  await waitForIndexed(indexerUrl);
  stub = createServer((req, res) => {
    const answer = stubAnswer(req.url ?? "/");
    if (answer === "hang") return; // accepts the connection, never answers: a stopped process
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(answer.body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => stub.listen(port, "127.0.0.1", resolve));
  stubUrl = `http://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  stub?.closeAllConnections();
  stub?.close();
  await system?.stop();
});

const GOOD_ENTRY = {
  id: `0x${"ab".repeat(32)}:3`,
  kind: "payment",
  direction: "out",
  amount: "2800",
  counterparty: "0x3333333333333333333333333333333333333333",
  blockNumber: "41",
  logIndex: 3,
  txHash: `0x${"ab".repeat(32)}`,
  timestamp: 1_765_000_000,
  orderRef: `0x${"4f".repeat(32)}`,
  paymentId: `0x${"cd".repeat(32)}`,
  familyCard: { cardId: "7", holder: "0x2222222222222222222222222222222222222222" },
};

describe("the indexer client's checks", () => {
  it("turns an entry into the chain path's shape: bigint amounts, lower-case addresses", () => {
    const entry = parseHistoryEntry(GOOD_ENTRY);
    expect(entry).toEqual({
      id: `0x${"ab".repeat(32)}:3`,
      kind: "payment",
      direction: "out",
      amount: 2800n,
      counterparty: "0x3333333333333333333333333333333333333333",
      blockNumber: 41n,
      logIndex: 3,
      txHash: `0x${"ab".repeat(32)}`,
      timestamp: 1_765_000_000,
      orderRef: `0x${"4f".repeat(32)}`,
      paymentId: `0x${"cd".repeat(32)}`,
      familyCard: { cardId: 7n, holder: "0x2222222222222222222222222222222222222222" },
    });
    const checksummed = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a";
    expect(parseHistoryEntry({ ...GOOD_ENTRY, counterparty: checksummed }).counterparty).toBe(
      checksummed.toLowerCase(),
    );
  });

  it.each([
    ["an unknown kind", { kind: "gift" }],
    ["a negative amount", { amount: "-5" }],
    ["a fractional amount", { amount: "1.5" }],
    ["an amount as a float", { amount: 1.5 }],
    ["a direction other than in or out", { direction: "sideways" }],
    ["a counterparty that is not an address", { counterparty: "0x1234" }],
    ["an id that names another log", { id: `0x${"ab".repeat(32)}:4` }],
    ["a short transaction hash", { txHash: "0xabcd", id: "0xabcd:3" }],
    ["a delayed transfer in an unknown state", { delayed: { transferId: "1", state: "lost" } }],
  ])("refuses %s", (_what, patch) => {
    expect(() => parseHistoryEntry({ ...GOOD_ENTRY, ...patch })).toThrow();
  });

  const page = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      account: resident(),
      entries: [GOOD_ENTRY],
      next: null,
      indexed: { indexedBlock: 50, indexedTimestamp: 1, ready: true, chainHead: 50, behind: 0 },
      ...over,
    });

  it("says why when the indexer cannot be used", async () => {
    const reason = async (answer: typeof stubAnswer, call: (c: IndexerClient) => Promise<unknown>) => {
      stubAnswer = answer;
      try {
        await call(indexerFor(stubUrl, 500));
      } catch (error) {
        expect(error).toBeInstanceOf(IndexerError);
        return (error as IndexerError).reason;
      }
      return "answered";
    };
    const history = (c: IndexerClient) => c.history(resident());
    expect(await reason(() => ({ status: 200, body: page() }), history)).toBe("answered");
    expect(await reason(() => ({ status: 200, body: "<html>proxy error</html>" }), history)).toBe("invalid");
    expect(await reason(() => ({ status: 500, body: "{}" }), history)).toBe("http");
    expect(await reason(() => "hang", history)).toBe("timeout");
    // Another account's page, entries out of order, a cursor it would not give, a status without `ready`.
    const other = localAccount((RESIDENTS[1] as { index: number }).index).address;
    expect(await reason(() => ({ status: 200, body: page({ account: other }) }), history)).toBe("invalid");
    const older = { ...GOOD_ENTRY, id: `0x${"ee".repeat(32)}:1`, txHash: `0x${"ee".repeat(32)}`, logIndex: 1 };
    expect(await reason(() => ({ status: 200, body: page({ entries: [older, GOOD_ENTRY] }) }), history)).toBe(
      "invalid",
    );
    expect(await reason(() => ({ status: 200, body: page({ next: "drop table" }) }), history)).toBe("invalid");
    expect(await reason(() => ({ status: 200, body: page({ indexed: { indexedBlock: 5 } }) }), history)).toBe(
      "invalid",
    );
    // A page that starts above the cursor asked for.
    expect(
      await reason(
        () => ({ status: 200, body: page() }),
        (c) => c.history(resident(), { cursor: "41-3" }),
      ),
    ).toBe("invalid");
    // An indexer of another chain or deployment.
    const status = (chainId: number, cityYuan: string) => () => ({
      status: 200,
      body: JSON.stringify({ chainId, contracts: { CityYuan: cityYuan }, indexedBlock: 5, ready: true }),
    });
    const mine = system.deployment.contracts.CityYuan;
    expect(await reason(status(system.deployment.chainId, mine), (c) => c.status())).toBe("answered");
    expect(await reason(status(1, mine), (c) => c.status())).toBe("otherChain");
    expect(
      await reason(status(system.deployment.chainId, "0x9999999999999999999999999999999999999999"), (c) => c.status()),
    ).toBe("otherChain");
    // Nothing listening at all.
    const closed = await freePort();
    await expect(indexerFor(`http://127.0.0.1:${closed}`).status()).rejects.toMatchObject({ reason: "unreachable" });
  });

  it("accepts every page the real indexer gives for a resident", async () => {
    const indexer = indexerFor(indexerUrl);
    const status = await indexer.status();
    expect(status.ready).toBe(true);
    let cursor: string | undefined;
    let entries = 0;
    for (let i = 0; i < 100; i++) {
      const page = await indexer.history(resident(), { cursor, limit: 7 });
      entries += page.entries.length;
      if (!page.next) break;
      cursor = page.next;
    }
    expect(entries).toBeGreaterThan(7);
  });
});

describe("the history loader with the indexer", () => {
  it("reads the older part from the indexer page by page and equals the chain's history", async () => {
    for (const person of [RESIDENTS[0], RESIDENTS[1], MERCHANTS[0]]) {
      const account = localAccount((person as { index: number }).index).address;
      const fromChain = await chainHistory(account);
      expect(fromChain.length).toBeGreaterThan(5);
      const counted = counting(indexerFor(indexerUrl));
      // A first chain range of 2 blocks: the demo month is short, and the split must be exercised.
      const l = loader(account, counted.client, { indexerPageSize: 4, firstRange: 2n });
      void l.start();
      const s = await settled(l);
      l.stop();
      expect(s.indexer.state).toBe("used");
      // The newest range came from the chain, the rest from the indexer's pages.
      expect(counted.pages).toBeGreaterThan(1);
      expect(caseBlind(s.entries)).toEqual(caseBlind(fromChain));
    }
  });

  it("says the indexer is behind, takes from it only what it has indexed, and reads the rest from the chain", async () => {
    const account = resident();
    const fromChain = await chainHistory(account);
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const newest = fromChain[0]?.blockNumber as bigint;
    // An indexer that has come only to `lagging`: below the resident's newest entry and more than
    // BEHIND_NOTE_BLOCKS under the head. The real indexer answers; its progress is reported lower,
    // as an indexer that lags would report it (status and every page alike).
    const lagging = newest - 1n < head - BEHIND_NOTE_BLOCKS - 1n ? newest - 1n : head - BEHIND_NOTE_BLOCKS - 1n;
    expect(lagging).toBeGreaterThan(BigInt(system.deployment.deployBlock));
    const real = indexerFor(indexerUrl);
    const behind = (indexed: IndexStatus): IndexStatus => ({
      ...indexed,
      indexedBlock: lagging,
      behind: indexed.chainHead === null ? null : Number(indexed.chainHead - lagging),
    });
    const counted = counting({
      ...real,
      status: async () => behind(await real.status()),
      history: async (a, page) => {
        const answer = await real.history(a, page);
        // A lagging index has nothing above its block.
        const entries = answer.entries.filter((e) => e.blockNumber <= lagging);
        return { ...answer, entries, indexed: behind(answer.indexed) };
      },
    });
    const l = loader(account, counted.client, { indexerPageSize: 4, firstRange: 2n });
    void l.start();
    const s = await settled(l);
    l.stop();
    expect(s.indexer).toEqual({ state: "behind", indexedBlock: lagging, behind: head - lagging });
    expect(counted.pages).toBeGreaterThan(0);
    // The resident's newest entry lies above what the index has: it came from the chain.
    expect(caseBlind(s.entries)).toEqual(caseBlind(fromChain));
  });

  it("reads the chain instead, and says so, when the indexer is away or answers garbage", async () => {
    const account = resident();
    const fromChain = await chainHistory(account);
    const closed = await freePort();
    const away = loader(account, indexerFor(`http://127.0.0.1:${closed}`));
    void away.start();
    const a = await settled(away);
    away.stop();
    expect(a.entries).toEqual(fromChain);
    expect(a.indexer).toEqual({ state: "down", reason: "unreachable" });

    // A status that passes, then history pages that do not: the chain takes over mid-way.
    stubAnswer = (route) =>
      route.startsWith("/v1/status")
        ? {
            status: 200,
            body: JSON.stringify({
              chainId: system.deployment.chainId,
              contracts: { CityYuan: system.deployment.contracts.CityYuan },
              indexedBlock: Number(oldestBlock(fromChain)),
              ready: true,
              chainHead: null,
              behind: null,
            }),
          }
        : { status: 200, body: JSON.stringify({ account, entries: [{ kind: "payment", amount: "999999999" }] }) };
    const garbage = loader(account, indexerFor(stubUrl));
    void garbage.start();
    const g = await settled(garbage);
    garbage.stop();
    expect(g.entries).toEqual(fromChain);
    expect(g.indexer).toEqual({ state: "down", reason: "invalid" });
  });

  it("shows the new chain's history after a reorg of the last blocks", async () => {
    const account = resident();
    const { testClient, pay, mine } = chainTools();

    const snapshot = await testClient.snapshot();
    const gone = await pay(4_321n, "REORG-GONE");
    await mine(2);
    await waitForIndexed(indexerUrl, Number(await client.getBlockNumber({ cacheTime: 0 })));
    const l = loader(account, indexerFor(indexerUrl));
    void l.start();
    const before = await settled(l);
    expect(before.entries.map((e) => e.txHash)).toContain(gone);
    expect(before.indexer.state).toBe("used");

    await testClient.revert({ id: snapshot });
    const kept = await pay(1_234n, "REORG-NEW");
    await mine(4);
    // Right away, before the indexer may have followed: the page equals the new chain.
    await l.refresh();
    const after = await settled(l);
    expect(after.entries.map((e) => e.txHash)).not.toContain(gone);
    expect(after.entries.map((e) => e.txHash)).toContain(kept);
    expect(caseBlind(after.entries)).toEqual(caseBlind(await chainHistory(account)));
    l.stop();

    // And a fresh page once the indexer has followed the reorg.
    await waitForIndexed(indexerUrl, Number(await client.getBlockNumber({ cacheTime: 0 })));
    const fresh = loader(account, indexerFor(indexerUrl), { indexerPageSize: 5 });
    void fresh.start();
    const f = await settled(fresh);
    fresh.stop();
    expect(f.indexer.state).toBe("used");
    expect(caseBlind(f.entries)).toEqual(caseBlind(await chainHistory(account)));
  }, 180_000);
  it("shows the new chain whatever moment of a read the reorg comes at", async () => {
    const account = resident();
    const { testClient, pay, mine } = chainTools();
    // The node as the loader sees it: before its `moment`-th request after being armed, the chain
    // drops the newest blocks (with a payment) and grows another branch past them.
    const node = http(system.rpcUrl)({ chain: hardhat });
    let armed: { moment: number; calls: number; reorg: () => Promise<void> } | undefined;
    const watched = createPublicClient({
      chain: hardhat,
      transport: custom({
        async request(args) {
          if (armed && ++armed.calls === armed.moment) {
            const { reorg } = armed;
            armed = undefined;
            await reorg();
          }
          return node.request(args);
        },
      }),
    }) as PublicClient;

    for (let moment = 1; moment <= 5; moment++) {
      const snapshot = await testClient.snapshot();
      const gone = await pay(3_000n + BigInt(moment), `MID-READ-GONE-${moment}`);
      await mine(2);
      const l = loader(account, undefined, { client: watched });
      void l.start();
      expect((await settled(l)).entries.map((e) => e.txHash)).toContain(gone);

      let kept: Hex | undefined;
      const reorg = async () => {
        await testClient.revert({ id: snapshot });
        kept = await pay(2_000n + BigInt(moment), `MID-READ-KEPT-${moment}`);
        await mine(4);
      };
      await mine(1);
      armed = { moment, calls: 0, reorg };
      await l.refresh();
      // A read of fewer requests than `moment` ended before the reorg: it comes now, between reads.
      if (armed) {
        armed = undefined;
        await reorg();
      }
      await l.refresh();
      await l.refresh();
      const after = await settled(l);
      l.stop();
      expect(
        after.entries.map((e) => e.txHash),
        `reorg before request ${moment}`,
      ).not.toContain(gone);
      expect(
        after.entries.map((e) => e.txHash),
        `reorg before request ${moment}`,
      ).toContain(kept);
      expect(caseBlind(after.entries)).toEqual(caseBlind(await chainHistory(account)));
    }
  }, 180_000);
});

/** The block of the oldest entry the chain shows: a status naming it makes the loader ask the stub for pages. */
function oldestBlock(entries: HistoryEntry[]): bigint {
  return (entries.at(-1) as HistoryEntry).blockNumber;
}
