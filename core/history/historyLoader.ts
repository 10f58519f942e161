// Loads one account's history from the chain, newest first, so the first screen appears after
// the first small block range while older ranges keep arriving; resumes from the cache (checking
// that the chain was not reset under it), and appends new blocks as they come. No React here: the
// page's hook and the benchmark drive the very same loader.
import type { Address, PublicClient } from "viem";
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
};

export type HistoryLoaderOptions = {
  client: PublicClient;
  chainId: number;
  account: Address;
  contracts: HistoryContracts;
  deployBlock: bigint;
  store: HistoryStore;
  /** Blocks in the first (newest) range; later ranges grow while they stay light. */
  firstRange?: bigint;
  maxRange?: bigint;
};

/** Above this many logs in one range, the next range does not grow. */
const LIGHT_RANGE_LOGS = 2_000;

export class HistoryLoader {
  private readonly o: Required<HistoryLoaderOptions>;
  private readonly key: string;
  private state: HistorySnapshot = { entries: [], complete: false, loading: true, error: null };
  private listeners = new Set<(s: HistorySnapshot) => void>();
  private top = -1n;
  private bottom = -1n;
  private topHash: `0x${string}` | null = null;
  private range: bigint;
  private stopped = false;
  /** One read at a time: refreshes and the backfill never overlap or reorder. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: HistoryLoaderOptions) {
    this.o = { firstRange: 100n, maxRange: 200_000n, ...options };
    this.key = historyCacheKey(options.chainId, options.contracts.cityYuan, options.account);
    this.range = this.o.firstRange;
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
    // New blocks since the last read (usually one): the check that the chain under the cache is
    // still the same, the new head's hash and the new logs travel in one batched round trip.
    const [topBlock, headBlock, read] = await Promise.all([
      client.getBlock({ blockNumber: this.top }),
      client.getBlock({ blockNumber: head }),
      readAccountLogs(client, this.o.account, this.o.contracts, this.top + 1n, head),
    ]);
    if (topBlock.hash !== this.topHash) return this.reset(head);
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
    this.emit({ entries: [], complete: false, loading: true });
  }

  /** Older ranges, newest first, until the deployment block. Each range is shown and saved as
   * soon as it is read, so a reload resumes where this one stopped. */
  private async backfill(): Promise<void> {
    const floor = this.o.deployBlock;
    this.emit({ loading: this.bottom > floor });
    while (!this.stopped && this.bottom > floor) {
      const to = this.bottom - 1n;
      const from = to - this.range + 1n > floor ? to - this.range + 1n : floor;
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
