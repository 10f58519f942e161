// The shop's receipts, live, and never missing one. Every receipt is read by block range from a
// cursor (the last block seen): first the whole history from the deployment block, then, each time
// the node says there is a new block, the range after the cursor. A new block is announced over
// the node's WebSocket (newHeads) the moment it is mined, or found by polling every second when
// the socket is missing or dead. Because the reads go by range, any gap (a dropped socket, a
// restarted node, a laptop asleep, a hidden tab) is backfilled by the next read: nothing is missed,
// and duplicates are dropped by position.
//
// The state shown is the real one: "live" only while the node answered within the last few
// seconds (a heartbeat asks it every few seconds even when no block comes), with when it was
// checked; otherwise "lost", with since when. Every request has a time limit, so a node that
// accepts the connection but never answers is "lost" too, not "still loading". After a loss, the
// first read that succeeds reads the whole gap; `recovered` then says when, and how many receipts
// it added (each one also announced, like any new receipt).
//
// It watches an address, nothing else: it needs no wallet, so it keeps running while the wallet is
// locked.
//
// With the city's indexer configured, the first read takes the older receipts from it (all its
// pages, below what it has indexed less the last REORG_DEPTH blocks) and reads only the rest from
// the chain; when it is away, behind or answers wrongly, the whole history comes from the chain as
// before, and `indexer` says which. The live part is always the chain's. A reorg under the cursor
// (the last block read changed its hash) drops everything and reads again; a reorg during a read
// (the head's hash changed between the start and the end of it) keeps nothing of that read.

import type { LedgerEvent } from "@core/audit/ledgerEvents";
import { createRpcClient } from "@core/audit/rpc";
import { readShopStep, type ShopCursor } from "@core/history/shopEvents";
import { IndexerError, type IndexerFailure, receiptLedgerEvent } from "@core/indexer/indexerClient";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type Address, createPublicClient, type Hex, type PublicClient, webSocket } from "viem";
import { cityChain } from "../../chain";
import { deployment } from "../../contracts";
import { rpcHttpUrl, rpcWsUrl } from "../../env";
import { cityIndexer } from "../history/useHistory";
import { buildReceipts, type Receipt } from "./receipts";

/** Where the older receipts came from, for the page's note. */
export type ReceiptsSource =
  | { state: "none" }
  | { state: "checking" }
  | { state: "used"; indexedBlock: bigint }
  | { state: "behind"; behind: bigint }
  | { state: "down"; reason: IndexerFailure };

/** The newest blocks are read from the chain even when indexed: a reorg may still change them. */
const REORG_DEPTH = 12n;
/** The index lagging the chain by more than this is said on the page. */
const BEHIND_NOTE_BLOCKS = 12n;
/** While the page says the indexer is away or behind, it asks again this often. */
const INDEXER_ASK_MS = 10_000;

export type LiveMode = "connecting" | "websocket" | "polling";

export interface LiveState {
  mode: LiveMode;
  /** live: the node answered within STALE_MS; lost: it did not (or an error said so). */
  status: "connecting" | "live" | "lost";
  /** The last block whose receipts were read, and its time (seconds). */
  lastBlock?: bigint;
  lastBlockTime?: number;
  /** When the node last answered (ms since epoch). */
  checkedAt?: number;
  /** Since when the node has not answered (ms since epoch), while lost. */
  lostSince?: number;
  /** The last time the connection came back: when (ms), since when it was lost, how many receipts it added. */
  recovered?: { at: number; since: number; count: number };
}

const WS_TIMEOUT_MS = 2_000;
const POLL_MS = 1_000;
const HEARTBEAT_MS = 3_000;
/** Longer than this without an answer from the node, and the page says the connection is lost. */
export const STALE_MS = 8_000;
const WS_RETRY_MS = 10_000;
/** An HTTP request to the node that takes longer than this has failed. */
const REQUEST_TIMEOUT_MS = 6_000;
/** Reads in a row that may find the chain changing under them before waiting for the next tick. */
const MAX_MOVES_IN_A_ROW = 3;

function keyOf(event: { transactionHash: Hex; logIndex: number }) {
  return `${event.transactionHash}:${event.logIndex}`;
}

async function openSocket(): Promise<PublicClient | undefined> {
  try {
    const client = createPublicClient({
      chain: cityChain,
      // No silent reconnects: a dead socket is noticed by the heartbeat, said on screen, and
      // replaced by polling (which backfills) until a new socket opens.
      transport: webSocket(rpcWsUrl, { retryCount: 0, timeout: WS_TIMEOUT_MS, reconnect: false, keepAlive: false }),
    });
    await client.getBlockNumber({ cacheTime: 0 });
    return client as PublicClient;
  } catch {
    return undefined;
  }
}

async function closeSocket(client: PublicClient | undefined) {
  try {
    const transport = client?.transport as unknown as { getRpcClient?: () => Promise<{ close(): void }> };
    (await transport?.getRpcClient?.())?.close();
  } catch {
    // already closed
  }
}

/**
 * The shop's receipts in blocks up to `top` from the indexer (every page), as ledger events, or
 * why not. `top` is what it has indexed, never one of the chain's last REORG_DEPTH blocks.
 */
async function readIndexed(
  shop: Address,
  head: bigint,
  deployBlock: bigint,
): Promise<
  { events: LedgerEvent[]; times: Map<bigint, number>; top: bigint; source: ReceiptsSource } | ReceiptsSource
> {
  const indexer = cityIndexer();
  if (!indexer) return { state: "none" };
  try {
    const status = await indexer.status();
    const indexed = status.indexedBlock;
    const lag = indexed === null ? head - deployBlock : head > indexed ? head - indexed : 0n;
    if (!status.ready || indexed === null) return { state: "behind", behind: lag };
    const safe = head - REORG_DEPTH;
    const top = indexed < safe ? indexed : safe;
    const source: ReceiptsSource =
      lag > BEHIND_NOTE_BLOCKS ? { state: "behind", behind: lag } : { state: "used", indexedBlock: indexed };
    if (top < deployBlock) return source;
    const events: LedgerEvent[] = [];
    const times = new Map<bigint, number>();
    let cursor: string | undefined = `${top + 1n}-0`;
    for (let pages = 0; cursor && pages < 10_000; pages++) {
      const page = await indexer.shopReceipts(shop, { cursor, limit: 500 });
      // The index went back below `top` (it undid a reorg, or restarted): the chain reads it all.
      if (page.indexed.indexedBlock === null || page.indexed.indexedBlock < top) {
        return { state: "behind", behind: head - (page.indexed.indexedBlock ?? deployBlock) };
      }
      for (const r of page.receipts) {
        events.push(receiptLedgerEvent(r, shop));
        times.set(r.blockNumber, r.timestamp);
      }
      cursor = page.next ?? undefined;
    }
    return { events, times, top, source };
  } catch (error) {
    return { state: "down", reason: error instanceof IndexerError ? error.reason : "unreachable" };
  }
}

export function useReceipts(shop: Address | undefined, onLive?: (receipt: Receipt) => void) {
  const [events, setEvents] = useState<LedgerEvent[]>([]);
  const [times, setTimes] = useState<Map<bigint, number>>(new Map());
  const [live, setLive] = useState<LiveState>({ mode: "connecting", status: "connecting" });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [source, setSource] = useState<ReceiptsSource>({ state: "none" });
  const onLiveRef = useRef(onLive);
  onLiveRef.current = onLive;
  const seen = useRef(new Set<string>());

  /** Adds what was not seen yet; returns how many receipts (payments, not refunds) that was. */
  const add = useCallback(
    (incoming: LedgerEvent[], blockTimes: Map<bigint, number>, announce: boolean): number => {
      setTimes((old) => new Map([...old, ...blockTimes]));
      const fresh = incoming.filter((e) => !seen.current.has(keyOf(e)));
      if (fresh.length === 0) return 0;
      for (const e of fresh) seen.current.add(keyOf(e));
      setEvents((old) => [...old, ...fresh]);
      if (announce && shop) {
        for (const receipt of buildReceipts(fresh, shop, (b) => blockTimes.get(b) ?? Math.floor(Date.now() / 1000))) {
          onLiveRef.current?.(receipt);
        }
      }
      return fresh.filter((e) => e.kind !== "PaymentRefunded" && e.kind !== "VoucherSaleRefunded").length;
    },
    [shop],
  );

  useEffect(() => {
    if (!shop || !deployment) return;
    const deployBlock = BigInt(deployment.deployBlock);
    let stopped = false;
    let cursor: ShopCursor | undefined; // the last block read, and its hash then
    let moves = 0; // steps in a row that found the chain changing under them
    let running: Promise<void> | undefined;
    let again = false;
    let socket: PublicClient | undefined;
    let unwatchHeads: (() => void) | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let socketRetry: ReturnType<typeof setTimeout> | undefined;
    const rpc = createRpcClient(rpcHttpUrl, {
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    });
    /** When the node last answered a read, and since when it has not (undefined while it does). */
    let answeredAt = Date.now();
    let lostAt: number | undefined;
    /** How many times the connection has been found lost: a read begun before the last loss cannot end it. */
    let losses = 0;
    /** Receipts such reads added while lost: counted with the gap when the connection comes back. */
    let addedWhileLost = 0;
    seen.current = new Set();
    setEvents([]);
    setTimes(new Map());
    setLoading(true);
    setError(undefined);
    setLive({ mode: "connecting", status: "connecting" });
    setSource(cityIndexer() ? { state: "checking" } : { state: "none" });
    /** The note about the indexer follows it: while it says away or behind, ask again now and then. */
    let sourceNow: ReceiptsSource["state"] = "checking";
    let askedAt = Date.now();
    const noteSource = (next: ReceiptsSource) => {
      sourceNow = next.state;
      setSource(next);
    };
    const askIndexerAgain = async () => {
      const indexer = cityIndexer();
      if (!indexer || (sourceNow !== "down" && sourceNow !== "behind") || Date.now() - askedAt < INDEXER_ASK_MS) return;
      askedAt = Date.now();
      try {
        const status = await indexer.status();
        if (stopped || status.indexedBlock === null || !status.ready) return;
        if (status.behind !== null && status.behind <= Number(BEHIND_NOTE_BLOCKS))
          noteSource({ state: "used", indexedBlock: status.indexedBlock });
      } catch {
        // still away: the note stays
      }
    };

    const setMode = (mode: LiveMode) => setLive((s) => ({ ...s, mode }));
    const lost = () => {
      if (lostAt === undefined) losses += 1;
      lostAt ??= answeredAt;
      const since = lostAt;
      setLive((s) => (s.status === "lost" ? s : { ...s, status: "lost", lostSince: since }));
    };
    /**
     * The node answered a read begun at loss count `epoch`: live again; after a loss (said, or only
     * noticed by the clock), what the gap held. An answer to a read sent before the loss was noticed
     * (its requests got through just before the line was cut) proves nothing about now: the receipts
     * it read are kept, but the page stays "lost" until a read sent since answers.
     */
    const answered = (facts: Partial<LiveState>, added: number, gap: boolean, epoch: number) => {
      if (epoch !== losses) {
        addedWhileLost += added;
        return;
      }
      const now = Date.now();
      const count = added + addedWhileLost;
      addedWhileLost = 0;
      const since = !gap ? undefined : (lostAt ?? (now - answeredAt > STALE_MS ? answeredAt : undefined));
      answeredAt = now;
      lostAt = undefined;
      setLive((s) => ({
        ...s,
        ...facts,
        status: "live",
        checkedAt: now,
        lostSince: undefined,
        recovered: since !== undefined ? { at: now, since, count } : s.recovered,
      }));
    };

    /** Reads everything after the cursor up to the head. Serialised; a call while one runs queues one more. */
    const catchUp = (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          const epoch = losses;
          try {
            const older = async (head: bigint) => {
              const found = await readIndexed(shop, head, deployBlock);
              if ("events" in found) {
                noteSource(found.source);
                return found;
              }
              noteSource(found);
              return undefined;
            };
            const step = deployment
              ? await readShopStep(rpc, deployment.contracts, shop, { deployBlock, cursor, older })
              : undefined;
            if (stopped || !step) return;
            if (step.moved) {
              // The chain changed under the read: read again now, from the same cursor (whose own
              // check then finds a reorg under it); a chain that keeps changing waits for the next tick.
              moves += 1;
              again = moves <= MAX_MOVES_IN_A_ROW;
              continue;
            }
            moves = 0;
            // What was shown may no longer be on the chain (a reorg, a node restarted onto a shorter
            // chain): the step read it all again.
            if (step.reset) {
              seen.current = new Set();
              setEvents([]);
              setTimes(new Map());
            }
            // The first read (or a reread) is the history, not a gap: nothing announced or "recovered".
            const following = cursor !== undefined && !step.reset;
            const added = add(step.events, step.times, following);
            cursor = step.cursor;
            const time = step.times.get(step.head);
            answered(
              time === undefined ? { lastBlock: step.head } : { lastBlock: step.head, lastBlockTime: time },
              added,
              following,
              epoch,
            );
            setLoading(false);
            setError(undefined);
          } catch (e) {
            if (stopped) return;
            lost();
            if (cursor === undefined) {
              setLoading(false);
              setError(e instanceof Error ? e.message : String(e));
            }
            return;
          }
        } while (again && !stopped);
      })().finally(() => {
        running = undefined;
      });
      return running;
    };

    const startPolling = () => {
      setMode("polling");
      pollTimer ??= setInterval(() => void catchUp(), POLL_MS);
      clearTimeout(socketRetry);
      socketRetry = setTimeout(() => void connect(), WS_RETRY_MS);
    };

    const dropSocket = () => {
      unwatchHeads?.();
      unwatchHeads = undefined;
      void closeSocket(socket);
      socket = undefined;
    };

    /** Opens the socket and subscribes to new blocks; falls back to polling without one. */
    const connect = async () => {
      const client = await openSocket();
      if (stopped) return void closeSocket(client);
      if (!client) return startPolling();
      dropSocket();
      socket = client;
      unwatchHeads = client.watchBlockNumber({
        emitMissed: false,
        onBlockNumber: () => void catchUp(),
        onError: () => {
          dropSocket();
          lost();
          startPolling();
        },
      });
      clearInterval(pollTimer);
      pollTimer = undefined;
      setMode("websocket");
      // Whatever was mined while the socket was away.
      void catchUp();
    };

    // The heartbeat: asks the node even when no block comes, so a dead socket or an unreachable
    // node shows within seconds; in socket mode it asks over the socket itself.
    const heartbeat = setInterval(async () => {
      void askIndexerAgain();
      if (!socket) return void catchUp();
      try {
        await Promise.race([
          socket.getBlockNumber({ cacheTime: 0 }),
          new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), WS_TIMEOUT_MS)),
        ]);
        void catchUp();
      } catch {
        dropSocket();
        lost();
        startPolling();
      }
    }, HEARTBEAT_MS);

    // Back from a hidden tab, from sleep, or from offline: read what was missed right away.
    const onReturn = () => {
      if (document.visibilityState === "visible") void catchUp();
    };
    document.addEventListener("visibilitychange", onReturn);
    window.addEventListener("online", onReturn);

    void (async () => {
      await connect();
      await catchUp();
    })();

    return () => {
      stopped = true;
      clearInterval(heartbeat);
      clearInterval(pollTimer);
      clearTimeout(socketRetry);
      document.removeEventListener("visibilitychange", onReturn);
      window.removeEventListener("online", onReturn);
      dropSocket();
    };
  }, [shop, add]);

  const receipts = useMemo(
    () => (shop ? buildReceipts(events, shop, (block) => times.get(block) ?? 0) : []),
    [events, times, shop],
  );
  return { receipts, live, loading, error, source };
}

/** The state as of `now`: "live" turns "lost" when the node has not answered for STALE_MS, even if nothing errored. */
export function liveStatusAt(live: LiveState, now: number): LiveState["status"] {
  return live.status === "live" && live.checkedAt !== undefined && now - live.checkedAt > STALE_MS
    ? "lost"
    : live.status;
}
