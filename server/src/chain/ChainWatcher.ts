// Follows CityYuan from its deployment block and turns its logs into alerts and settled bank
// requests (and CityRecovery's into 找回账户 alerts, recoveryAlerts.ts). The last processed block is stored in the same transaction as what its logs produced,
// so a restart resumes exactly where the last commit left off: nothing missed, nothing doubled.
// A chain reset (a restarted local node, or a reorg) is detected by block number and hash; the
// watcher then drops what it derived from blocks that no longer exist and follows the new chain.
// Several instances of the service may watch at once (behind a load balancer, on one PostgreSQL):
// each batch commits under a lock on the cursor and only if the cursor is still where the batch
// began, so a range is processed exactly once whoever gets there first; the others skip it.
import { setTimeout as sleep } from "node:timers/promises";
import type { Address, Hex, PublicClient } from "viem";
import { merchantRegistryAbi } from "../../../generated/contracts.js";
import { BankRequests } from "../bank/requests.js";
import type { Database, Queryable, Transaction } from "../storage/Database.js";
import { applyRules } from "./alertRules.js";
import { type WatchedDeployment, watchedEvents } from "./cityYuan.js";
import { type RecoveryEvent, raiseRecoveryAlerts, recoveryAudience, recoveryEvents } from "./recoveryAlerts.js";

export interface WatcherOptions {
  db: Database;
  client: PublicClient;
  deployment: WatchedDeployment;
  confirmations: number;
  blockRange: number;
  pollIntervalMs: number;
  log: (message: string) => void;
  /** Called after a batch that settled cash-outs committed (the bank pays them). */
  onRedeemed?: () => Promise<unknown>;
  /** Longest wait between retries while the node is unreachable (default 30 s). */
  maxBackoffMs?: number;
  /** Test hook: runs inside each batch's transaction, before the commit. */
  beforeCommit?: (toBlock: bigint) => void;
}

export interface WatcherStatus {
  lastBlock: number | null;
  head: number | null;
  connected: boolean;
  lastError: string | null;
  resets: number;
}

interface Cursor {
  block: bigint;
  hash: Hex;
}

/** Another instance moved the cursor since this one read it: its batch is dropped, not doubled. */
class CursorMoved extends Error {}

const MAX_BACKOFF_MS = 30_000;
/** A "not registered" answer is asked again after this long (a shop may register meanwhile). */
const NOT_MERCHANT_TTL_MS = 60_000;
/** Acted-on events this many blocks (or 4 × confirmations) below the cursor are re-checked each poll. */
const RECHECK_MIN_BLOCKS = 64;
const RECHECK_MAX_BLOCKS = 16;

export class ChainWatcher {
  private running = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: AbortController | undefined;
  private readonly cursorId: string;
  private readonly contracts: Set<string>;
  /** Registered shops (kept), and when an address was last found unregistered. */
  private readonly merchants = new Map<string, true | number>();
  readonly status: WatcherStatus = { lastBlock: null, head: null, connected: false, lastError: null, resets: 0 };

  constructor(private readonly o: WatcherOptions) {
    // A new deployment (other address) starts its own cursor.
    this.cursorId = `${o.deployment.chainId}:${o.deployment.cityYuan.toLowerCase()}`;
    this.contracts = new Set([o.deployment.cityYuan, ...o.deployment.escrows].map((a) => a.toLowerCase()));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    this.wake?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = this.o.pollIntervalMs;
    while (this.running) {
      try {
        await this.pollOnce();
        if (!this.status.connected) this.o.log("watcher: following the chain");
        this.status.connected = true;
        this.status.lastError = null;
        backoff = this.o.pollIntervalMs;
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        if (this.status.connected || this.status.lastError === null) {
          this.o.log(`watcher: ${message}; retrying with backoff`);
        }
        this.status.connected = false;
        this.status.lastError = message ?? "error";
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs ?? MAX_BACKOFF_MS);
      }
      await this.pause(this.status.connected ? this.o.pollIntervalMs : backoff);
    }
  }

  private async pause(ms: number): Promise<void> {
    this.wake = new AbortController();
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => {});
  }

  private async readCursor(db: Queryable = this.o.db): Promise<Cursor | undefined> {
    const row = await db.get<{ block_number: number; block_hash: Hex }>(
      "SELECT block_number, block_hash FROM chain_cursor WHERE id = ?",
      [this.cursorId],
    );
    return row && { block: BigInt(row.block_number), hash: row.block_hash };
  }

  /**
   * Takes the cursor's lock for this transaction and checks no other instance moved the cursor
   * since `expected` was read (undefined: no cursor yet); throws CursorMoved if one did.
   */
  private async claimCursor(tx: Transaction, expected: Cursor | undefined): Promise<void> {
    await tx.lock(`chain-watcher:${this.cursorId}`);
    const now = await this.readCursor(tx);
    if (now?.block !== expected?.block || now?.hash !== expected?.hash) throw new CursorMoved();
  }

  private async writeCursor(tx: Queryable, cursor: Cursor): Promise<void> {
    await tx.run(
      `INSERT INTO chain_cursor (id, chain_id, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash,
         updated_at = excluded.updated_at`,
      [this.cursorId, this.o.deployment.chainId, Number(cursor.block), cursor.hash, Date.now()],
    );
  }

  /** Whether the city's registry lists `address` as a shop (asked at the head, cached). */
  private readonly isMerchant = async (address: string): Promise<boolean> => {
    const registry = this.o.deployment.merchantRegistry;
    if (registry === undefined) return false;
    const key = address.toLowerCase();
    const cached = this.merchants.get(key);
    if (cached === true) return true;
    if (cached !== undefined && Date.now() - cached < NOT_MERCHANT_TTL_MS) return false;
    const record = await this.o.client.readContract({
      address: registry,
      abi: merchantRegistryAbi,
      functionName: "merchantOf",
      args: [address as Address],
    });
    const registered = record.registeredAt !== 0n;
    this.merchants.set(key, registered ? true : Date.now());
    return registered;
  };

  /** Processes everything up to the current head (minus confirmations). Safe to call repeatedly. */
  async pollOnce(): Promise<void> {
    try {
      await this.follow();
    } catch (error) {
      if (!(error instanceof CursorMoved)) throw error;
      // Another instance got there first: what it committed stands; read on from its cursor next time.
      const cursor = await this.readCursor();
      if (cursor !== undefined) this.status.lastBlock = Number(cursor.block);
    }
  }

  private async follow(): Promise<void> {
    const latest = await this.o.client.getBlockNumber({ cacheTime: 0 });
    const head = latest - BigInt(this.o.confirmations);
    this.status.head = Number(latest);
    let cursor = await this.readCursor();
    if (cursor !== undefined && ((await this.isGone(cursor, head)) || (await this.actedOnEventGone(cursor)))) {
      cursor = await this.rewind(head, cursor);
    }
    let from = cursor === undefined ? this.o.deployment.deployBlock : cursor.block + 1n;
    while (from <= head && !this.stopped) {
      const to = from + BigInt(this.o.blockRange) - 1n < head ? from + BigInt(this.o.blockRange) - 1n : head;
      cursor = await this.processRange(from, to, cursor);
      this.status.lastBlock = Number(to);
      from = to + 1n;
    }
    // Where the cursor is now (another instance may have moved it on since this one last looked).
    if (cursor !== undefined) this.status.lastBlock = Number(cursor.block);
  }

  /** The stored block is past the head, or the block at its height has another hash now. */
  private async isGone(cursor: Cursor, head: bigint): Promise<boolean> {
    if (cursor.block > head) return true;
    const block = await this.o.client.getBlock({ blockNumber: cursor.block });
    return block.hash !== cursor.hash;
  }

  /**
   * Re-checks the blocks of recent events the service acted on (issued top-ups, redeemed or paid
   * cash-outs) at their stored hash: an event that disappeared after money moved must be noticed
   * even if the cursor's own block survived (e.g. a reorg below it, or a node that forgot blocks).
   */
  private async actedOnEventGone(cursor: Cursor): Promise<boolean> {
    const window = Math.max(RECHECK_MIN_BLOCKS, this.o.confirmations * 4);
    const acted = await this.o.db.all<{ block_number: number; block_hash: Hex }>(
      `SELECT DISTINCT block_number, block_hash FROM bank_events
       WHERE request_id IS NOT NULL AND orphaned_at IS NULL AND block_number > ? AND block_number <= ?
       ORDER BY block_number DESC LIMIT ${RECHECK_MAX_BLOCKS}`,
      [Number(cursor.block) - window, Number(cursor.block)],
    );
    for (const a of acted) {
      const block = await this.o.client.getBlock({ blockNumber: BigInt(a.block_number) });
      if (block.hash !== a.block_hash) return true;
    }
    return false;
  }

  /** Finds the newest block we derived data from that still exists, and forgets everything after. */
  private async rewind(head: bigint, gone: Cursor): Promise<Cursor | undefined> {
    const known = await this.o.db.all<{ block_number: number; block_hash: Hex }>(
      `SELECT DISTINCT block_number, block_hash FROM chain_transfers WHERE block_number <= ?
       ORDER BY block_number DESC LIMIT 64`,
      [Number(head)],
    );
    let keep: Cursor | undefined;
    for (const k of known) {
      const block = await this.o.client.getBlock({ blockNumber: BigInt(k.block_number) });
      if (block.hash === k.block_hash) {
        keep = { block: BigInt(k.block_number), hash: k.block_hash };
        break;
      }
    }
    // Nothing we know survived: start over from the deployment block.
    const keepBlock = keep?.block ?? this.o.deployment.deployBlock - 1n;
    const now = Date.now();
    await this.o.db.transaction(async (tx) => {
      await this.claimCursor(tx, gone);
      await tx.run("DELETE FROM alerts WHERE block_number > ?", [Number(keepBlock)]);
      await tx.run("DELETE FROM chain_transfers WHERE block_number > ?", [Number(keepBlock)]);
      await BankRequests.unsettleAbove(tx, keepBlock, now);
      if (keep === undefined) await tx.run("DELETE FROM chain_cursor WHERE id = ?", [this.cursorId]);
      else await this.writeCursor(tx, keep);
    });
    this.status.resets++;
    this.o.log(`watcher: chain reset detected; resuming after block ${keepBlock}`);
    return keep;
  }

  /** Processes [from, to] on top of `cursor` (where it began); returns the new cursor. */
  private async processRange(from: bigint, to: bigint, cursor: Cursor | undefined): Promise<Cursor> {
    // The range's last block, pinned before the logs are read and checked after: a reorg during the
    // read (logs from the old branch, `to` from the new) must not leave a cursor on the new branch
    // over events that were never read.
    const pinned = (await this.o.client.getBlock({ blockNumber: to })).hash;
    const logs = await this.o.client.getLogs({
      address: this.o.deployment.cityYuan,
      events: watchedEvents,
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    // 找回账户: the recovery contract's events are told to the account and its helpers.
    const recovery = this.o.deployment.cityRecovery;
    const recoveryLogs = recovery
      ? await this.o.client.getLogs({
          address: recovery,
          events: recoveryEvents,
          fromBlock: from,
          toBlock: to,
          strict: true,
        })
      : [];
    const blockNumbers = [...new Set([...logs, ...recoveryLogs].map((l) => l.blockNumber))];
    const blocks = new Map<bigint, { hash: Hex; time: number }>();
    await Promise.all(
      [...blockNumbers, to].map(async (n) => {
        const b = await this.o.client.getBlock({ blockNumber: n });
        blocks.set(n, { hash: b.hash, time: Number(b.timestamp) });
      }),
    );
    if (blocks.get(to)?.hash !== pinned) throw new Error(`block ${to} changed while reading`);
    // A log whose block hash differs from the block we just read was reorged away meanwhile.
    for (const l of logs) {
      if (blocks.get(l.blockNumber)?.hash !== l.blockHash)
        throw new Error(`block ${l.blockNumber} changed while reading`);
    }
    for (const l of recoveryLogs) {
      if (blocks.get(l.blockNumber)?.hash !== l.blockHash)
        throw new Error(`block ${l.blockNumber} changed while reading`);
    }
    const recoveryAlerts = await Promise.all(
      recoveryLogs.map(async (l) => {
        const event: RecoveryEvent = {
          eventName: l.eventName,
          args: l.args as Record<string, unknown>,
          txHash: l.transactionHash,
          logIndex: l.logIndex,
          blockNumber: l.blockNumber,
          blockTime: (blocks.get(l.blockNumber) as { time: number }).time,
        };
        return { event, audience: await recoveryAudience(this.o.client, recovery as Address, event) };
      }),
    );
    const end = blocks.get(to) as { hash: Hex; time: number };
    let redeemed = false;
    const now = Date.now();
    await this.o.db.transaction(async (tx) => {
      await this.claimCursor(tx, cursor);
      for (const l of logs) {
        const block = blocks.get(l.blockNumber) as { hash: Hex; time: number };
        const base = {
          txHash: l.transactionHash,
          logIndex: l.logIndex,
          block: l.blockNumber,
          blockHash: block.hash,
        };
        switch (l.eventName) {
          case "Transfer":
            await applyRules(
              tx,
              {
                txHash: l.transactionHash,
                logIndex: l.logIndex,
                blockNumber: l.blockNumber,
                blockHash: block.hash,
                blockTime: block.time,
                from: l.args.from as Address,
                to: l.args.to as Address,
                amount: l.args.value as bigint,
              },
              { contracts: this.contracts, now, isMerchant: this.isMerchant },
            );
            break;
          case "Issued":
            await BankRequests.settleIssued(
              tx,
              {
                ...base,
                to: l.args.to as Address,
                amount: l.args.amount as bigint,
                bankRef: l.args.bankRef as Hex,
                issuer: l.args.issuer as Address,
              },
              now,
            );
            break;
          case "Redeemed":
            await BankRequests.settleRedeemed(
              tx,
              {
                ...base,
                account: l.args.account as Address,
                amount: l.args.amount as bigint,
                bankRef: l.args.bankRef as Hex,
              },
              now,
            );
            redeemed = true;
            break;
          default:
            break; // PaymentMade: the Transfer in the same transaction carries the movement
        }
      }
      for (const { event, audience } of recoveryAlerts) await raiseRecoveryAlerts(tx, event, audience, now);
      await this.writeCursor(tx, { block: to, hash: end.hash });
      this.o.beforeCommit?.(to);
    });
    if (redeemed) await this.o.onRedeemed?.();
    return { block: to, hash: end.hash };
  }
}
