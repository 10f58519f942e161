// Loads one account's history, newest first, so the first screen appears after the first small
// block range while older ranges keep arriving; resumes from the cache (checking that the chain was
// not reset under it), and appends new blocks as they come. With the city's indexer configured and
// answering, the older part comes from it page by page, and only the blocks above what it has
// indexed (and the last few below, which a reorg could still change) are read from the chain; when
// it is away, wrong or behind, the chain is read all the way down, as without it, and the snapshot
// says so. No React here: the page's hook and the benchmark drive the very same loader.
import type { Address, PublicClient } from "viem";
import { type IndexerClient, IndexerError, type IndexerFailure } from "../indexer/indexerClient.js";
import { assembleEntries, type HistoryContracts, type HistoryEntry, mergeEntries } from "./assemble.js";
import { CACHE_VERSION, type CachedHistory, type HistoryStore, historyCacheKey } from "./historyStore.js";
import { readAccountLogs } from "./readLogs.js";

export type HistorySnapshot = {
  entries: HistoryEntry[];
  /** Everything back to the deployment block has been read. */
  complete: boolean;
  /** Reading is under way (first load, older ranges, or new blocks). */
  loading: boolean;
  /** The last read failed (node away); reading resumes on the next refresh. */
  error: unknown;
  /** Where the older part comes from: what the page says about the indexer. */
  indexer: IndexerUse;
};

export type IndexerUse =
  /** No indexer configured: everything is read from the chain. */
  | { state: "none" }
  | { state: "checking" }
  /** Blocks up to `indexedBlock` (less the reorg margin) come from the indexer, newer ones from the chain. */
  | { state: "used"; indexedBlock: bigint }
  /** The index lags the chain by `behind` blocks (or is still catching up): those come from the chain. */
  | { state: "behind"; indexedBlock: bigint | null; behind: bigint }
  /** The indexer is away or gave an answer that failed the checks: the chain is read instead. */
  | { state: "down"; reason: IndexerFailure };

export type HistoryLoaderOptions = {
  client: PublicClient;
  chainId: number;
  account: Address;
  contracts: HistoryContracts;
  deployBlock: bigint;
  store: HistoryStore;
  /** The city's indexer, when configured: the older part is read from it. */
  indexer?: IndexerClient;
  /** The newest blocks always read from the chain even when indexed: a reorg may still change them. */
  reorgDepth?: bigint;
  /** Entries per indexer page. */
  indexerPageSize?: number;
  /** Blocks in the first (newest) range; later ranges grow while they stay light. */
  firstRange?: bigint;
  maxRange?: bigint;
};

/** The index lagging the chain by more than this many blocks is said on the page. */
export const BEHIND_NOTE_BLOCKS = 12n;
/** How often a refresh asks the indexer how it is (the page's note follows it). */
const STATUS_EVERY_MS = 5_000;

/** Above this many logs in one range, the next range does not grow. */
const LIGHT_RANGE_LOGS = 2_000;

export class HistoryLoader {
  private readonly o: Required<Omit<HistoryLoaderOptions, "indexer">> & { indexer?: IndexerClient };
  private readonly key: string;
  private state: HistorySnapshot;
  private listeners = new Set<(s: HistorySnapshot) => void>();
  private top = -1n;
  private bottom = -1n;
  private topHash: `0x${string}` | null = null;
  private range: bigint;
  private stopped = false;
  /** One read at a time: refreshes and the backfill never overlap or reorder. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The indexer's cursor for its next page (undefined: start below `bottom`). */
  private indexerCursor: string | undefined;
  private statusAskedAt = 0;

  constructor(options: HistoryLoaderOptions) {
    this.o = { firstRange: 100n, maxRange: 200_000n, reorgDepth: 12n, indexerPageSize: 200, ...options };
    this.key = historyCacheKey(options.chainId, options.contracts.cityYuan, options.account);
    this.range = this.o.firstRange;
    this.state = {
      entries: [],
      complete: false,
      loading: true,
      error: null,
      indexer: options.indexer ? { state: "checking" } : { state: "none" },
    };
  }

  get snapshot(): HistorySnapshot {
    return this.state;
  }

  subscribe(listener: (s: HistorySnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
  }

  private emit(patch: Partial<HistorySnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Shows the cache (if still valid), catches up to the head, then reads older ranges. */
  start(): Promise<void> {
    return this.serial(async () => {
      try {
        const cached = await this.o.store.load(this.key);
        if (cached && (await this.cacheStillValid(cached))) {
          this.top = cached.top;
          this.bottom = cached.bottom;
          this.topHash = cached.topHash;
          this.emit({ entries: cached.entries, complete: cached.bottom <= this.o.deployBlock });
        } else if (cached) {
          await this.o.store.remove(this.key);
        }
        await this.catchUp();
      } catch (error) {
        this.emit({ error, loading: false });
        return;
      }
      await this.backfill();
    });
  }

  /** Reads blocks newer than the last one read (called on every new block). */
  refresh(): Promise<void> {
    // The note about the indexer follows it, without holding up the chain's new blocks.
    if (this.o.indexer && this.top >= 0n && Date.now() - this.statusAskedAt > STATUS_EVERY_MS)
      void this.askIndexer(this.top);
    return this.serial(async () => {
      try {
        await this.catchUp();
        this.emit({ error: null, loading: !this.state.complete && this.bottom > this.o.deployBlock });
      } catch (error) {
        this.emit({ error });
        return;
      }
      if (!this.state.complete) await this.backfill();
    });
  }

  private async cacheStillValid(cached: CachedHistory): Promise<boolean> {
    if (cached.version !== CACHE_VERSION) return false;
    try {
      const block = await this.o.client.getBlock({ blockNumber: cached.top });
      return block.hash === cached.topHash;
    } catch {
      // The block is gone (the chain restarted shorter): the cache describes another chain.
      return false;
    }
  }

  /** Reads (top, head] newest first. A reset chain (head below top, or top's hash changed)
   * drops everything and starts over. */
  private async catchUp(): Promise<void> {
    const client = this.o.client;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    if (this.top < 0n) {
      // Nothing read yet: the newest range (read by backfill) is the first screen.
      const headBlock = await client.getBlock({ blockNumber: head });
      this.top = head;
      this.bottom = head + 1n;
      this.topHash = headBlock.hash;
      return;
    }
    if (head < this.top) return this.reset(head);
    if (head === this.top) return;
    // New blocks since the last read (usually one): first the check that the chain under the cache
    // is still the same, with the new head's hash; then the new logs; then both hashes again. A
    // reorg during the read (the logs from one branch, a hash from another) keeps nothing of it: the
    // next catch-up reads again, and its check of `top` finds a reorg that reached under it.
    const ends = () =>
      Promise.all([client.getBlock({ blockNumber: this.top }), client.getBlock({ blockNumber: head })]);
    const [topBlock, headBlock] = await ends();
    if (topBlock.hash !== this.topHash) return this.reset(head);
    const read = await readAccountLogs(client, this.o.account, this.o.contracts, this.top + 1n, head);
    const after = await ends().catch(() => undefined);
    if (after?.[0].hash !== this.topHash || after[1].hash !== headBlock.hash) return;
    const fresh = assembleEntries(read.logs, this.o.account, this.o.contracts);
    this.top = head;
    this.topHash = headBlock.hash;
    this.emit({ entries: mergeEntries(fresh, this.state.entries), error: null });
    this.persist();
  }

  private async reset(head: bigint): Promise<void> {
    await this.o.store.remove(this.key);
    const headBlock = await this.o.client.getBlock({ blockNumber: head });
    this.top = head;
    this.bottom = head + 1n;
    this.topHash = headBlock.hash;
    this.range = this.o.firstRange;
    this.indexerCursor = undefined;
    this.emit({ entries: [], complete: false, loading: true });
  }

  /**
   * Asks the indexer how far it has come and returns the highest block to take from it: its
   * indexed block, but never one of the last `reorgDepth` blocks of the chain. Null when it is
   * away, of another chain, or not ready: then the chain is read all the way down.
   */
  private async askIndexer(head: bigint): Promise<bigint | null> {
    const indexer = this.o.indexer;
    if (!indexer) return null;
    this.statusAskedAt = Date.now();
    try {
      const status = await indexer.status();
      const indexed = status.indexedBlock;
      const lag = indexed === null ? head - this.o.deployBlock : head > indexed ? head - indexed : 0n;
      if (!status.ready || indexed === null || lag > BEHIND_NOTE_BLOCKS) {
        this.emit({ indexer: { state: "behind", indexedBlock: indexed, behind: lag } });
      } else this.emit({ indexer: { state: "used", indexedBlock: indexed } });
      if (!status.ready || indexed === null) return null;
      const safe = head - this.o.reorgDepth;
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min does not take
      return indexed < safe ? indexed : safe;
    } catch (error) {
      this.emit({ indexer: { state: "down", reason: error instanceof IndexerError ? error.reason : "unreachable" } });
      return null;
    }
  }

  /** One page of the indexer, below `bottom`. False when it failed: the chain takes over. */
  private async indexerPage(top: bigint): Promise<boolean> {
    const indexer = this.o.indexer as IndexerClient;
    try {
      const page = await indexer.history(this.o.account, {
        cursor: this.indexerCursor ?? `${this.bottom}-0`,
        limit: this.o.indexerPageSize,
      });
      // The index went back below what this backfill counted on (it undid a reorg, or it was
      // restarted and is indexing again): what it lacks now is read from the chain.
      if (page.indexed.indexedBlock === null || page.indexed.indexedBlock < top) {
        const behind = this.top - (page.indexed.indexedBlock ?? this.o.deployBlock);
        this.emit({ indexer: { state: "behind", indexedBlock: page.indexed.indexedBlock, behind } });
        return false;
      }
      const floor = this.o.deployBlock;
      const last = page.entries.at(-1);
      if (page.next === null || !last) {
        this.bottom = floor;
        this.indexerCursor = undefined;
      } else {
        // Every block above the last entry's is whole; the last one may go on in the next page.
        this.bottom = last.blockNumber + 1n;
        this.indexerCursor = page.next;
      }
      this.emit({
        entries: mergeEntries(this.state.entries, page.entries),
        complete: this.bottom <= floor,
        error: null,
      });
      this.persist();
      return true;
    } catch (error) {
      this.indexerCursor = undefined;
      this.emit({ indexer: { state: "down", reason: error instanceof IndexerError ? error.reason : "unreachable" } });
      return false;
    }
  }

  /** Older ranges, newest first, until the deployment block. Each range is shown and saved as
   * soon as it is read, so a reload resumes where this one stopped. */
  private async backfill(): Promise<void> {
    const floor = this.o.deployBlock;
    this.emit({ loading: this.bottom > floor });
    // The chain's newest range is read while the indexer is asked: its answer decides only how far
    // down the chain goes, so a slow indexer never delays the first screen.
    let split: bigint | null | undefined = null;
    let asking: Promise<bigint | null> | undefined;
    if (this.o.indexer && this.bottom > floor) {
      split = undefined;
      asking = this.askIndexer(this.top);
      void asking.then((top) => {
        split = top;
      });
    } else if (this.o.indexer) void this.askIndexer(this.top);
    let chainReads = 0;
    while (!this.stopped && this.bottom > floor) {
      // After the first range, wait for the answer rather than read what the indexer holds.
      if (split === undefined && chainReads > 0) split = await asking;
      if (split != null && this.bottom - 1n <= split) {
        if (!(await this.indexerPage(split))) split = null;
        continue;
      }
      const to = this.bottom - 1n;
      let from = to - this.range + 1n > floor ? to - this.range + 1n : floor;
      if (split != null && from <= split) from = split + 1n;
      let read: Awaited<ReturnType<typeof readAccountLogs>>;
      try {
        read = await readAccountLogs(this.o.client, this.o.account, this.o.contracts, from, to);
      } catch (error) {
        // Nodes cap ranges or results: try a smaller range before giving up.
        if (this.range > 100n && !isNetworkError(error)) {
          this.range /= 4n;
          continue;
        }
        this.emit({ error, loading: false });
        return;
      }
      const older = assembleEntries(read.logs, this.o.account, this.o.contracts);
      chainReads++;
      this.bottom = from;
      if (read.rawCount < LIGHT_RANGE_LOGS && this.range < this.o.maxRange) this.range *= 4n;
      this.emit({ entries: mergeEntries(this.state.entries, older), complete: from <= floor, error: null });
      this.persist();
    }
    this.emit({ loading: false, complete: this.bottom <= floor });
  }

  private persist(): void {
    if (this.topHash === null || this.bottom > this.top) return;
    const value: CachedHistory = {
      version: CACHE_VERSION,
      entries: this.state.entries,
      top: this.top,
      bottom: this.bottom,
      topHash: this.topHash,
    };
    // Saving is best effort and off the critical path: the chain stays the source of truth.
    void this.o.store.save(this.key, value).catch(() => undefined);
  }
}

function isNetworkError(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? "";
  return (
    /HttpRequestError|TimeoutError|WebSocketRequestError/.test(name) ||
    (error instanceof TypeError && /fetch/i.test(error.message))
  );
}
