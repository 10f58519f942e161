// Following a shop's receipts step by step (the merchant page's live list): each step reads what is
// new since its cursor; a reorg under the cursor makes it read the whole history again; and a reorg
// in the middle of a step (the logs read from one branch, the head's hash from the other) keeps
// nothing of that step. That last case once left the counter showing a payment the chain had dropped
// and never the one that replaced it (CI, stop 33). The node here is a list of blocks with real
// PaymentMade logs that a test can grow and reorg at any call.

import { encodeAbiParameters, encodeEventTopics, type Hex, keccak256, pad, stringToHex, toHex } from "viem";
import { describe, expect, it } from "vitest";
import type { LedgerEvent } from "../../core/audit/ledgerEvents.js";
import type { RpcCall, RpcClient } from "../../core/audit/rpc.js";
import { readShopStep, type ShopCursor } from "../../core/history/shopEvents.js";
import { cityYuanAbi } from "../../generated/contracts.js";

const contracts = {
  CityYuan: "0x00000000000000000000000000000000000000c1",
  RedPacket: "0x00000000000000000000000000000000000000c2",
  Vouchers: "0x00000000000000000000000000000000000000c3",
  DelayedTransfers: "0x00000000000000000000000000000000000000c4",
  FamilyCards: "0x00000000000000000000000000000000000000c5",
} as const;
const shop = "0x00000000000000000000000000000000000000aa";
const payer = "0x00000000000000000000000000000000000000cc";

interface Block {
  hash: Hex;
  /** The order reference of the one payment to the shop in it, if any. */
  order?: string;
}

function paymentLog(number: number, block: Block) {
  const order = block.order as string;
  return {
    address: contracts.CityYuan,
    topics: encodeEventTopics({
      abi: cityYuanAbi,
      eventName: "PaymentMade",
      args: { paymentId: keccak256(stringToHex(order)), payer, payee: shop },
    }),
    data: encodeAbiParameters([{ type: "uint256" }, { type: "bytes32" }], [100n, stringToHex(order, { size: 32 })]),
    blockNumber: toHex(number),
    blockHash: block.hash,
    transactionHash: keccak256(stringToHex(`${block.hash}:${order}`)),
    transactionIndex: "0x0",
    logIndex: "0x0",
    removed: false,
  };
}

/**
 * A node over `blocks`, starting with one block per entry of `first` (its order, "" for none);
 * `beforeCall` runs before each call is answered (a reorg at that moment).
 */
function fakeNode(first: string[] = []) {
  const blocks: Block[] = [];
  let branch = "a";
  const calls: string[] = [];
  let beforeCall: ((method: string) => void) | undefined;
  const mine = (order?: string) => {
    blocks.push({ hash: pad(stringToHex(`${branch}${blocks.length}`), { size: 32 }), order });
  };
  const answer = (call: RpcCall): unknown => {
    beforeCall?.(call.method);
    calls.push(call.method);
    if (call.method === "eth_getBlockByNumber") {
      const tag = call.params[0] as string;
      const n = tag === "latest" ? blocks.length - 1 : Number(BigInt(tag));
      const block = blocks[n];
      return block ? { number: toHex(n), hash: block.hash, timestamp: toHex(1_700_000_000 + n) } : null;
    }
    if (call.method === "eth_getLogs") {
      const filter = call.params[0] as {
        address: string | string[];
        topics?: (Hex | Hex[] | null)[];
        fromBlock: Hex;
        toBlock: Hex;
      };
      const addresses = [filter.address].flat().map((a) => a.toLowerCase());
      if (!addresses.includes(contracts.CityYuan)) return [];
      const logs = [];
      for (let n = Number(BigInt(filter.fromBlock)); n <= Number(BigInt(filter.toBlock)) && n < blocks.length; n++) {
        const block = blocks[n] as Block;
        if (!block.order) continue;
        const log = paymentLog(n, block);
        const matches = (filter.topics ?? []).every((want, i) => {
          if (want === null || want === undefined) return true;
          return [want].flat().includes(log.topics[i] as Hex);
        });
        if (matches) logs.push(log);
      }
      return logs;
    }
    throw new Error(`the fake node does not know ${call.method}`);
  };
  for (const order of first) mine(order || undefined);
  const rpc: RpcClient = {
    call: async <T>(method: string, params: unknown[]) => answer({ method, params }) as T,
    batch: async <T>(batch: RpcCall[]) => batch.map(answer) as T[],
    batchSettled: async (batch: RpcCall[]) => batch.map((c) => ({ ok: true as const, result: answer(c) })),
  };
  return {
    rpc,
    calls,
    mine,
    /** Replace every block from `from` by a new branch: `orders` (one block each, "" for none). */
    reorg(from: number, orders: string[]) {
      branch = String.fromCharCode(branch.charCodeAt(0) + 1);
      blocks.length = from;
      for (const order of orders) mine(order || undefined);
    },
    onCall(hook: ((method: string) => void) | undefined) {
      beforeCall = hook;
    },
  };
}

const orders = (events: LedgerEvent[]) =>
  events.map((e) =>
    e.kind === "PaymentMade" ? Buffer.from(e.orderRef.slice(2), "hex").toString().replace(/\0+$/, "") : e.kind,
  );

async function step(node: ReturnType<typeof fakeNode>, cursor?: ShopCursor) {
  return readShopStep(node.rpc, contracts, shop, { deployBlock: 1n, cursor });
}

/** What a step read: whether it started over, the orders, and where it goes on from. */
function expectRead(
  result: Awaited<ReturnType<typeof steadyStep>>,
  want: { reset: boolean; orders: string[]; block: bigint },
) {
  expect({ reset: result.reset, orders: orders(result.events), block: result.cursor.block }).toEqual(want);
}

/** A step the chain did not change under (the test fails if it did). */
async function steadyStep(node: ReturnType<typeof fakeNode>, cursor?: ShopCursor) {
  const result = await step(node, cursor);
  if (result.moved) throw new Error("the chain changed under a step where it should not have");
  return result;
}

describe("following a shop's receipts", () => {
  it("reads the history, then only what is new", async () => {
    const node = fakeNode(["", "A-1", ""]);
    const first = await steadyStep(node);
    expectRead(first, { reset: false, orders: ["A-1"], block: 2n });

    node.mine("A-2");
    const second = await steadyStep(node, first.cursor);
    expectRead(second, { reset: false, orders: ["A-2"], block: 3n });

    const idle = await steadyStep(node, second.cursor);
    expect(idle.events).toEqual([]);
    expect(idle.cursor).toEqual(second.cursor);
  });

  it("reads it all again after a reorg under its cursor, without the dropped payment", async () => {
    const node = fakeNode(["", "A-1"]);
    const first = await steadyStep(node);
    node.mine("GONE");
    node.mine();
    const seen = await steadyStep(node, first.cursor);
    expect(orders(seen.events)).toEqual(["GONE"]);

    node.reorg(2, ["KEPT", "", "", ""]);
    const after = await steadyStep(node, seen.cursor);
    expect(after.reset).toBe(true);
    expect(orders(after.events)).toEqual(["A-1", "KEPT"]);
  });

  it("keeps nothing of a step the chain reorganised under, and the next step reads the new branch", async () => {
    const node = fakeNode(["", "A-1"]);
    const first = await steadyStep(node);
    node.mine("GONE");
    node.mine();
    node.mine();
    // The head (block 4) is read on branch a; while its logs are read the chain drops blocks 2..4
    // and grows another branch to the same height, so block 4's hash is asked of the new branch.
    node.onCall((method) => {
      if (method !== "eth_getLogs") return;
      node.onCall(undefined);
      node.reorg(2, ["KEPT", "", ""]);
    });
    const during = await step(node, first.cursor);
    expect(during).toEqual({ moved: true });

    // The step after it, from the same cursor, finds the new branch in full.
    node.mine();
    const next = await steadyStep(node, first.cursor);
    expectRead(next, { reset: false, orders: ["KEPT"], block: 5n });
    const again = await steadyStep(node, next.cursor);
    expect(again.events).toEqual([]);
  });

  it("reads from the cursor of a step that the reorg reached below (it resets)", async () => {
    const node = fakeNode(["", "A-1", "A-2"]);
    const first = await steadyStep(node);
    node.mine();
    node.onCall((method) => {
      if (method !== "eth_getLogs") return;
      node.onCall(undefined);
      node.reorg(1, ["B-1", "", ""]);
    });
    expect(await step(node, first.cursor)).toEqual({ moved: true });
    const next = await steadyStep(node, first.cursor);
    expect(next.reset).toBe(true);
    expect(orders(next.events)).toEqual(["B-1"]);
  });

  it("shows the new branch in full whatever call of a step the reorg comes before", async () => {
    for (let moment = 1; moment <= 8; moment++) {
      const node = fakeNode(["", "A-1"]);
      // What the page shows: the steps' events, dropped on a reset, as the merchant page keeps them.
      let shown: LedgerEvent[] = [];
      let cursor: ShopCursor | undefined;
      const follow = async () => {
        for (let tries = 0; tries < 5; tries++) {
          const next = await step(node, cursor);
          if (next.moved) continue;
          shown = next.reset ? next.events : [...shown, ...next.events];
          cursor = next.cursor;
          return;
        }
        throw new Error("the chain kept moving");
      };
      await follow();
      node.mine("GONE");
      node.mine();
      await follow();
      expect(orders(shown)).toEqual(["A-1", "GONE"]);
      node.mine();
      let calls = 0;
      node.onCall(() => {
        if (++calls !== moment) return;
        node.onCall(undefined);
        node.reorg(2, ["KEPT", "", "", "", ""]);
      });
      await follow();
      // A step of fewer calls than `moment` ended before the reorg: it comes now, between steps.
      if (calls < moment) {
        node.onCall(undefined);
        node.reorg(2, ["KEPT", "", "", "", ""]);
      }
      await follow();
      expect(orders(shown), `reorg before call ${moment}`).toEqual(["A-1", "KEPT"]);
    }
  });

  it("takes the older part from the indexer and reads only the rest from the chain", async () => {
    const node = fakeNode();
    for (let i = 0; i < 6; i++) node.mine(i === 2 ? "ON-CHAIN-OLD" : i === 5 ? "NEW" : undefined);
    const indexed: LedgerEvent = {
      kind: "PaymentMade",
      blockNumber: 2n,
      logIndex: 0,
      transactionHash: `0x${"11".repeat(32)}`,
      paymentId: `0x${"22".repeat(32)}`,
      payer,
      payee: shop,
      amount: 100n,
      orderRef: stringToHex("FROM-INDEXER", { size: 32 }),
    } as LedgerEvent;
    const result = await readShopStep(node.rpc, contracts, shop, {
      deployBlock: 1n,
      older: async (head) => {
        expect(head).toBe(5n);
        return { events: [indexed], times: new Map([[2n, 1]]), top: 3n };
      },
    });
    if (result.moved) throw new Error("moved");
    expect(orders(result.events)).toEqual(["FROM-INDEXER", "NEW"]);
  });
});
