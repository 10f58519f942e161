// One block range of a shop's receipts and refunds, as ledger events, with the time of every block
// they are in: CityYuan payments, voucher checkouts and their refunds, and 亲属卡 payments. The
// dApp's merchant page reads its live receipts with it, and the city service its insights.
import { type Address, type Hex, pad } from "viem";
import { type LedgerContracts, type LedgerEvent, ledgerTopic } from "../audit/ledgerEvents.js";
import { readLedgerLogs } from "../audit/readLedger.js";
import type { RpcClient } from "../audit/rpc.js";
import { readCardReceipts } from "./cardReceipts.js";

export async function readShopEvents(
  rpc: RpcClient,
  contracts: LedgerContracts & { FamilyCards: Address },
  shop: Address,
  from: bigint,
  to: bigint,
  /** Blocks whose hashes are wanted too, read after the logs (a follower's checks). */
  alsoBlocks: bigint[] = [],
): Promise<{ events: LedgerEvent[]; times: Map<bigint, number>; hashes: Map<bigint, Hex> }> {
  const me = pad(shop.toLowerCase() as Hex, { size: 32 });
  const [paid, refunded, byCard] = await Promise.all([
    readLedgerLogs(rpc, {
      contracts,
      fromBlock: from,
      toBlock: to,
      only: ["CityYuan", "Vouchers"],
      // A voucher sale's refund names the shop as payee in the same place as the receipts.
      topics: [
        [ledgerTopic("PaymentMade"), ledgerTopic("VoucherRedeemed"), ledgerTopic("VoucherSaleRefunded")],
        null,
        null,
        me,
      ],
    }),
    readLedgerLogs(rpc, {
      contracts,
      fromBlock: from,
      toBlock: to,
      only: ["CityYuan"],
      topics: [ledgerTopic("PaymentRefunded"), null, me],
    }),
    // 亲属卡 payments: the card's FamilyCardPaid is the receipt (CityYuan records no PaymentMade).
    readCardReceipts(rpc, contracts.FamilyCards, shop, from, to),
  ]);
  const events = [...paid, ...refunded, ...byCard];
  // Block times, one batched read of the distinct blocks (and of `to`, for "last block seen"; its
  // hash lets the next read notice a reorg under it).
  const blocks = [...new Set([...events.map((e) => e.blockNumber), to, ...alsoBlocks])];
  const headers = await rpc.batch<{ timestamp: Hex; hash: Hex }>(
    blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [`0x${b.toString(16)}`, false] })),
  );
  return {
    events,
    times: new Map(blocks.map((b, i) => [b, Number(BigInt(headers[i]?.timestamp ?? "0x0"))])),
    hashes: new Map(blocks.map((b, i) => [b, headers[i]?.hash as Hex])),
  };
}

/** The last block a follower has read, and its hash then: a reorg under it changes the hash. */
export interface ShopCursor {
  block: bigint;
  hash: Hex;
}

/** What the shop's older receipts came from (the city's indexer): every one up to block `top`. */
export interface OlderShopEvents {
  events: LedgerEvent[];
  times: Map<bigint, number>;
  top: bigint;
}

export type ShopStep =
  /** The chain changed while it was being read (a reorg, a restarted node): nothing is kept, read again. */
  | { moved: true }
  | {
      moved: false;
      /** What was read before is no longer the chain's (the block under the cursor changed): drop it all. */
      reset: boolean;
      head: bigint;
      /** Where the next step goes on from. */
      cursor: ShopCursor;
      /** Everything new since the cursor (after a reset or on the first step, the whole history). */
      events: LedgerEvent[];
      times: Map<bigint, number>;
    };

/**
 * One step of following a shop's receipts: everything after `cursor` up to the head, or the whole
 * history without one (the older part from `older` when it gives it). The head is pinned by its hash
 * before the logs are read, and it and the cursor's block are checked again after: a reorg in between
 * (the logs read from one branch, a hash from another) makes the step `moved`, never a cursor on a
 * branch whose blocks were not all read.
 */
export async function readShopStep(
  rpc: RpcClient,
  contracts: LedgerContracts & { FamilyCards: Address },
  shop: Address,
  options: { deployBlock: bigint; cursor?: ShopCursor; older?: (head: bigint) => Promise<OlderShopEvents | undefined> },
): Promise<ShopStep> {
  const { deployBlock, cursor } = options;
  // The head, and the block last read as it is now, in one round trip.
  const [latest, under] = await rpc.batch<{ number: Hex; hash: Hex } | null>([
    { method: "eth_getBlockByNumber", params: ["latest", false] },
    ...(cursor ? [{ method: "eth_getBlockByNumber", params: [`0x${cursor.block.toString(16)}`, false] }] : []),
  ]);
  if (!latest) return { moved: true };
  const head = BigInt(latest.number);
  // A node restarted onto a shorter chain, or a reorg replaced the last block read.
  const reset = cursor !== undefined && (head < cursor.block || !under || under.hash !== cursor.hash);
  const from = cursor && !reset ? cursor.block + 1n : undefined;
  const events: LedgerEvent[] = [];
  const times = new Map<bigint, number>();
  let readFrom = from ?? deployBlock;
  if (from === undefined && options.older) {
    const older = await options.older(head);
    if (older) {
      events.push(...older.events);
      for (const [block, time] of older.times) times.set(block, time);
      readFrom = older.top + 1n;
    }
  }
  if (head >= readFrom) {
    const checked = cursor && !reset ? [cursor.block] : [];
    const read = await readShopEvents(rpc, contracts, shop, readFrom, head, checked);
    if (read.hashes.get(head) !== latest.hash) return { moved: true };
    if (cursor && !reset && read.hashes.get(cursor.block) !== cursor.hash) return { moved: true };
    events.push(...read.events);
    for (const [block, time] of read.times) times.set(block, time);
  }
  return { moved: false, reset, head, cursor: { block: head, hash: latest.hash }, events, times };
}
