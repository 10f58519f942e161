// Reading one log filter again and again (on every new block) without reading the whole chain each
// time: the first read covers the deploy block to the head, later reads only the blocks since, plus
// the last few again so that a reorg of the newest blocks is seen. The block just before what is
// read again is pinned by its hash: if that changed (a deeper reorg, or a local chain restarted and
// grown past where it was), everything is read again from the start.

/** How many of the newest blocks every read covers again (a reorg at most this deep is followed). */
export const REREAD_BLOCKS = 12n;

export interface LogPlace {
  blockNumber: bigint | null;
}

/** What the follower asks of the node. */
export interface LogSource<T extends LogPlace> {
  head: () => Promise<bigint>;
  /** The hash of block `n`, or undefined if the node has no such block. */
  blockHash: (n: bigint) => Promise<string | undefined>;
  /** The filter's logs in blocks `from`..`to` inclusive, in chain order. */
  read: (from: bigint, to: bigint) => Promise<T[]>;
}

interface Followed {
  fromBlock: bigint;
  logs: LogPlace[];
  /** The last block read. */
  readTo: bigint;
  /** The block before the ones read again next time, and its hash then (none before any read). */
  pin?: { block: bigint; hash: string };
}

/**
 * Keeps what each filter (by `key`) has read in memory. One follower serves a whole page: every hook
 * reading the same filter names it with the same key. A service following many filters bounds them
 * with `maxKeys`: the least recently asked is forgotten first (and read in full when asked again).
 */
export class LogFollower {
  private readonly followed = new Map<string, Followed>();

  constructor(private readonly options: { maxKeys?: number } = {}) {}

  async logs<T extends LogPlace>(key: string, fromBlock: bigint, source: LogSource<T>): Promise<T[]> {
    const head = await source.head();
    let state = this.followed.get(key);
    if (state && !(await this.stillValid(state, fromBlock, head, source))) state = undefined;
    const readTo = state?.readTo ?? fromBlock - 1n;
    const again = readTo - REREAD_BLOCKS + 1n;
    const from = again > fromBlock ? again : fromBlock;
    if (from > head) {
      if (state) {
        this.followed.delete(key);
        this.followed.set(key, state);
      }
      return (state?.logs ?? []) as T[];
    }
    // The pin is read before the logs: a reorg that reaches under it during the read changes it, and
    // the next call reads everything again (read after, it would vouch for logs of the old branch).
    const pinBlock = head - REREAD_BLOCKS;
    const pinHash = pinBlock >= fromBlock ? await source.blockHash(pinBlock) : undefined;
    const fresh = await source.read(from, head);
    const kept = (state?.logs ?? []).filter((log) => (log.blockNumber ?? head + 1n) < from);
    const next: Followed = {
      fromBlock,
      logs: [...kept, ...fresh],
      readTo: head,
      pin: pinHash === undefined ? undefined : { block: pinBlock, hash: pinHash },
    };
    this.followed.delete(key);
    this.followed.set(key, next);
    const max = this.options.maxKeys;
    if (max !== undefined && this.followed.size > max)
      this.followed.delete(this.followed.keys().next().value as string);
    return next.logs as T[];
  }

  /** Forget every filter (a new deployment, a sign-out). */
  clear(): void {
    this.followed.clear();
  }

  private async stillValid(state: Followed, fromBlock: bigint, head: bigint, source: LogSource<LogPlace>) {
    if (state.fromBlock !== fromBlock || head < state.readTo) return false;
    if (!state.pin) return true;
    return (await source.blockHash(state.pin.block)) === state.pin.hash;
  }
}
