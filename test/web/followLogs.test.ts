// The log follower: the first read covers the deploy block to the head, later reads only the new
// blocks and the last REREAD_BLOCKS again; a reorg of the newest blocks replaces their logs; a
// deeper reorg or a restarted chain makes it read everything again. The chain here is a list of
// blocks, each with a hash and its logs, that a test can grow, reorg and restart.

import { describe, expect, it } from "vitest";
import { LogFollower, REREAD_BLOCKS } from "../../core/followLogs.js";

interface FakeLog {
  blockNumber: bigint;
  tag: string;
}

function fakeChain(length: number) {
  let fork = "a";
  const blocks: { hash: string; logs: FakeLog[] }[] = [];
  const asked: [bigint, bigint][] = [];
  const mine = (tag?: string) => {
    const n = BigInt(blocks.length);
    blocks.push({ hash: `${fork}${n}`, logs: tag ? [{ blockNumber: n, tag }] : [] });
  };
  for (let i = 0; i < length; i++) mine(`${fork}${i}`);
  const source = {
    head: async () => BigInt(blocks.length - 1),
    blockHash: async (n: bigint) => blocks[Number(n)]?.hash,
    read: async (from: bigint, to: bigint) => {
      asked.push([from, to]);
      return blocks.slice(Number(from), Number(to) + 1).flatMap((b) => b.logs);
    },
  };
  return {
    source,
    asked,
    mine,
    /** Replace the newest `depth` blocks by a fork with other logs. */
    reorg(depth: number, newFork: string) {
      fork = newFork;
      blocks.splice(blocks.length - depth, depth);
      for (let i = 0; i < depth; i++) mine(`${fork}${blocks.length}`);
    },
    /** A new chain from block 0 (a restarted local node), `length` blocks long. */
    restart(length: number, newFork: string) {
      fork = newFork;
      blocks.length = 0;
      for (let i = 0; i < length; i++) mine(`${fork}${i}`);
    },
  };
}

const tags = (logs: FakeLog[]) => logs.map((l) => l.tag);

describe("following a log filter block by block", () => {
  it("reads the whole range once, then only the new blocks and the last few again", async () => {
    const chain = fakeChain(100);
    const follower = new LogFollower();
    const first = await follower.logs("k", 5n, chain.source);
    expect(tags(first)).toEqual(Array.from({ length: 95 }, (_, i) => `a${i + 5}`));
    expect(chain.asked).toEqual([[5n, 99n]]);

    for (let i = 0; i < 3; i++) chain.mine(`a${100 + i}`);
    const second = await follower.logs("k", 5n, chain.source);
    expect(chain.asked.at(-1)).toEqual([99n - REREAD_BLOCKS + 1n, 102n]);
    expect(tags(second)).toEqual(Array.from({ length: 98 }, (_, i) => `a${i + 5}`));
  });

  it("replaces the logs of reorganised newest blocks", async () => {
    const chain = fakeChain(50);
    const follower = new LogFollower();
    await follower.logs("k", 0n, chain.source);
    chain.reorg(3, "b");
    const after = await follower.logs("k", 0n, chain.source);
    expect(tags(after).slice(-4)).toEqual(["a46", "b47", "b48", "b49"]);
    expect(after).toHaveLength(50);
    expect(chain.asked.at(-1)?.[0]).toBeGreaterThan(0n);
  });

  it("reads everything again after a reorg deeper than it re-reads", async () => {
    const chain = fakeChain(50);
    const follower = new LogFollower();
    await follower.logs("k", 0n, chain.source);
    chain.reorg(Number(REREAD_BLOCKS) + 5, "b");
    const after = await follower.logs("k", 0n, chain.source);
    expect(chain.asked.at(-1)).toEqual([0n, 49n]);
    expect(after).toHaveLength(50);
    expect(tags(after).filter((t) => t.startsWith("b"))).toHaveLength(Number(REREAD_BLOCKS) + 5);
  });

  it("after a deep reorg during its read, reads everything again the next time", async () => {
    const chain = fakeChain(50);
    const follower = new LogFollower();
    await follower.logs("k", 0n, chain.source);
    for (let i = 0; i < 3; i++) chain.mine(`a${50 + i}`);
    // The logs are read from branch a; the chain then replaces its last 20 blocks before the
    // follower's next step: what it read must not be vouched for by a pin of branch b.
    const read = chain.source.read;
    chain.source.read = async (from, to) => {
      const logs = await read(from, to);
      chain.source.read = read;
      chain.reorg(20, "b");
      return logs;
    };
    await follower.logs("k", 0n, chain.source);
    const after = await follower.logs("k", 0n, chain.source);
    expect(tags(after)).toEqual([
      ...Array.from({ length: 33 }, (_, i) => `a${i}`),
      ...Array.from({ length: 20 }, (_, i) => `b${i + 33}`),
    ]);
  });

  it("reads everything again from a restarted chain, shorter or longer than before", async () => {
    const chain = fakeChain(40);
    const follower = new LogFollower();
    await follower.logs("k", 0n, chain.source);
    chain.restart(30, "c");
    expect(tags(await follower.logs("k", 0n, chain.source))).toEqual(Array.from({ length: 30 }, (_, i) => `c${i}`));
    chain.restart(80, "d");
    expect(tags(await follower.logs("k", 0n, chain.source))).toEqual(Array.from({ length: 80 }, (_, i) => `d${i}`));
  });

  it("keeps filters apart by key and by deploy block", async () => {
    const chain = fakeChain(30);
    const follower = new LogFollower();
    await follower.logs("one", 0n, chain.source);
    const other = await follower.logs("two", 20n, chain.source);
    expect(other).toHaveLength(10);
    expect(chain.asked.at(-1)).toEqual([20n, 29n]);
    const moved = await follower.logs("two", 25n, chain.source);
    expect(tags(moved)).toEqual(["a25", "a26", "a27", "a28", "a29"]);
  });

  it("bounded by maxKeys, forgets the least recently asked filter first", async () => {
    const chain = fakeChain(40);
    const follower = new LogFollower({ maxKeys: 2 });
    await follower.logs("a", 0n, chain.source);
    await follower.logs("b", 0n, chain.source);
    await follower.logs("a", 0n, chain.source); // "a" asked again: "b" is now the oldest
    await follower.logs("c", 0n, chain.source); // over the bound: "b" is forgotten
    chain.asked.length = 0;
    await follower.logs("a", 0n, chain.source);
    expect(chain.asked).toEqual([[40n - REREAD_BLOCKS, 39n]]);
    chain.asked.length = 0;
    const b = await follower.logs("b", 0n, chain.source);
    expect(chain.asked).toEqual([[0n, 39n]]);
    expect(tags(b)).toHaveLength(40);
  });
});
