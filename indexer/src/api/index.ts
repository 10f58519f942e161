// The indexer's HTTP API (Hono inside Ponder). Every answer says how far the index has come
// (`indexed`), so a page can tell when it is behind the chain. Amounts are fen as decimal strings;
// days are Asia/Shanghai calendar days. Ponder itself serves /health, /ready and /status beside it.
import { db, publicClients } from "ponder:api";
import {
  attestation,
  balance,
  flowDay,
  indexedBlock,
  ledger,
  ledgerEvent,
  merchant,
  movement,
  receipt,
  shopDay,
  tokenMovement,
} from "ponder:schema";
import { type Context, Hono } from "hono";
import { and, asc, desc, eq, gte, inArray, lte, or, replaceBigInts, sql } from "ponder";
import { type Address, getAddress, isAddress } from "viem";
import { MOVEMENT_KINDS } from "../../../core/audit/ledgerMovements.js";
import { csvCell, isoDate } from "../../../core/history/csv.js";
import { formatFen } from "../../../core/money.js";
import { indexerDeployment } from "../../contracts";
import { shanghaiDay } from "../../events";

const deployment = indexerDeployment();
const contractAddress = deployment.contracts as Record<string, Address>;
const schemaName = process.env.DATABASE_SCHEMA ?? "public";
const client = (publicClients as Record<number, (typeof publicClients)[keyof typeof publicClients]>)[
  deployment.chainId
];

class BadRequest extends Error {}

const app = new Hono();

app.onError((error, c) => {
  if (error instanceof BadRequest) return c.json({ error: error.message }, 400);
  return c.json({ error: "The indexer could not answer.", detail: String(error) }, 500);
});

const json = (value: unknown) => replaceBigInts(value, (v) => v.toString());

function addressParam(value: string | undefined, what: string): `0x${string}` {
  if (!value || !isAddress(value, { strict: false })) throw new BadRequest(`${what} is not an address: ${value}`);
  return value.toLowerCase() as `0x${string}`;
}

function limitParam(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequest(`limit must be a whole number from 1 to ${max}`);
  return n;
}

/** A cursor is "block-logIndex" of the last row a page showed; the next page starts below it. */
function cursorParam(value: string | undefined): { block: bigint; logIndex: number } | undefined {
  if (!value) return undefined;
  const match = /^(\d{1,20})-(\d{1,9})$/.exec(value);
  if (!match) throw new BadRequest(`cursor is not one this API gave: ${value}`);
  return { block: BigInt(match[1] as string), logIndex: Number(match[2]) };
}

function dayParam(value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new BadRequest(`${what} must be a day as YYYY-MM-DD`);
  return value;
}

function bigintParam(value: string | undefined, what: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,30}$/.test(value)) throw new BadRequest(`${what} must be a whole number`);
  return BigInt(value);
}

type IndexStatus = {
  /** The last block the index has fully processed (null before the first). */
  indexedBlock: number | null;
  indexedTimestamp: number | null;
  /** The backfill from the deployment block is complete. */
  ready: boolean;
  /** The chain's head as the indexer's RPC sees it, or null when the chain does not answer. */
  chainHead: number | null;
  /** Blocks the index is behind the head (null when either is unknown). */
  behind: number | null;
};

let headCache: { at: number; head: number | null } | undefined;
async function chainHead(): Promise<number | null> {
  // One head lookup per 500 ms whatever the request rate: a page's status costs no RPC round trip.
  if (headCache && Date.now() - headCache.at < 500) return headCache.head;
  let head: number | null = null;
  try {
    head = Number(await client.getBlockNumber({ cacheTime: 0 }));
  } catch {
    head = null;
  }
  headCache = { at: Date.now(), head };
  return head;
}

// A page's status comes from one read per 250 ms whatever the request rate (the history page
// under load costs one query, its own); /v1/status always reads it afresh.
let statusCache: { at: number; status: Promise<IndexStatus> } | undefined;
function indexStatus(): Promise<IndexStatus> {
  if (statusCache && Date.now() - statusCache.at < 250) return statusCache.status;
  const status = readIndexStatus();
  statusCache = { at: Date.now(), status };
  status.catch(() => {
    if (statusCache?.status === status) statusCache = undefined;
  });
  return status;
}

async function readIndexStatus(): Promise<IndexStatus> {
  const result = await db.execute(
    sql.raw(`SELECT block_number, block_timestamp, ready FROM "${schemaName}"."_ponder_status" LIMIT 1`),
  );
  const rows = (result as unknown as { rows: { block_number: unknown; block_timestamp: unknown; ready: boolean }[] })
    .rows;
  const row = rows[0];
  const indexedBlock = row?.block_number == null ? null : Number(row.block_number);
  const head = await chainHead();
  return {
    indexedBlock,
    indexedTimestamp: row?.block_timestamp == null ? null : Number(row.block_timestamp),
    ready: row?.ready ?? false,
    chainHead: head,
    behind: head === null || indexedBlock === null ? null : Math.max(0, head - indexedBlock),
  };
}

// Pages by the block the tables hold. A page (its route and query) read when the tables hold the
// chain up to block N with hash H, and filtered to blocks up to N, is the same for every request
// until the next block or a reorganisation: both change the one row `indexed_block` (Ponder
// reverts it with the tables), and a changed row empties the cache. Concurrent requests for one
// page share one read.
const PAGE_CACHE_MAX = 5_000;
let pageCache: { key: string; pages: Map<string, Promise<unknown>> } = { key: "", pages: new Map() };

type Done = { number: bigint; hash: string } | undefined;
const readDone = async (): Promise<Done> => (await db.select().from(indexedBlock).where(eq(indexedBlock.id, 1)))[0];

// The row is read at most once per DONE_FRESH_MS for every page request. Reading it for each
// request cost a database round trip each (about 1.5 ms on PGlite, on the thread that also
// indexes), which at 200 requests/s kept that thread two-thirds busy and queued the requests behind
// one another (history p99 60–100 ms). A page may therefore show the tables as they were up to
// DONE_FRESH_MS ago, never a mix: it is read up to the block its key names. /v1/status reads the
// row afresh and replaces the shared one, so a client that has seen the index at block N is never
// served a page from before N (the tests wait for a block that way before reading pages).
const DONE_FRESH_MS = 100;
let doneShared: { at: number; done: Promise<Done> } | undefined;
function indexedDone(fresh = false): Promise<Done> {
  const now = performance.now();
  if (!fresh && doneShared && now - doneShared.at < DONE_FRESH_MS) return doneShared.done;
  const done = readDone();
  doneShared = { at: now, done };
  done.catch(() => {
    if (doneShared?.done === done) doneShared = undefined;
  });
  return done;
}

async function cachedPage<T>(route: string, read: (upTo: bigint | null) => Promise<T>): Promise<T> {
  const done = await indexedDone();
  if (!done) return read(null);
  const key = `${done.number}:${done.hash}`;
  if (pageCache.key !== key) pageCache = { key, pages: new Map() };
  const cache = pageCache;
  let page = cache.pages.get(route) as Promise<T> | undefined;
  if (!page) {
    if (cache.pages.size >= PAGE_CACHE_MAX) cache.pages.clear();
    const reading = read(done.number);
    cache.pages.set(route, reading);
    reading.catch(() => {
      if (cache.pages.get(route) === reading) cache.pages.delete(route);
    });
    page = reading;
  }
  return page;
}

app.get("/v1/status", async (c) => {
  const [status] = await Promise.all([readIndexStatus(), indexedDone(true)]);
  return c.json({ chainId: deployment.chainId, contracts: deployment.contracts, ...status });
});

/**
 * A resident's history, newest first, as the dApp shows it (the entries core/history/assemble.ts
 * makes from the chain's logs, kept by the handlers in `movement`): up to `limit` entries a page.
 * One range read of the primary key (account, block, log index), from the cursor down.
 */
app.get("/v1/history/:account", async (c) => {
  const account = addressParam(c.req.param("account"), "account");
  const limit = limitParam(c.req.query("limit"), 20, 200);
  const cursor = cursorParam(c.req.query("cursor"));
  const status = indexStatus();
  const page = await cachedPage(`history|${account}|${limit}|${c.req.query("cursor") ?? ""}`, async (upTo) => {
    const rows = await db
      .select()
      .from(movement)
      .where(
        and(
          eq(movement.account, account),
          upTo === null ? undefined : lte(movement.blockNumber, upTo),
          cursor
            ? sql`(${movement.blockNumber}, ${movement.logIndex}) < (${cursor.block}, ${cursor.logIndex})`
            : undefined,
        ),
      )
      .orderBy(desc(movement.blockNumber), desc(movement.logIndex))
      .limit(limit + 1);
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    const next = rows.length > limit && last ? `${last.blockNumber}-${last.logIndex}` : null;
    const entries = shown.map((row) => ({
      id: `${row.txHash.toLowerCase()}:${row.logIndex}`,
      kind: row.kind,
      direction: row.incoming ? "in" : "out",
      amount: row.amount,
      ...(row.counterparty === null ? {} : { counterparty: row.counterparty }),
      blockNumber: row.blockNumber,
      logIndex: row.logIndex,
      txHash: row.txHash,
      timestamp: row.timestamp,
      ...(row.details as Record<string, unknown> | null),
    }));
    return json({ entries, next }) as { entries: unknown[]; next: string | null };
  });
  return c.json({ account: getAddress(account), ...page, indexed: json(await status) });
});

/** A shop's receipts (payments, voucher and 亲属卡 payments, refunds), newest first, optionally one day. */
app.get("/v1/shops/:shop/receipts", async (c) => {
  const shop = addressParam(c.req.param("shop"), "shop");
  const limit = limitParam(c.req.query("limit"), 50, 500);
  const cursor = cursorParam(c.req.query("cursor"));
  const day = dayParam(c.req.query("day"), "day");
  const rows = await db
    .select()
    .from(receipt)
    .where(
      and(
        eq(receipt.shop, shop),
        day ? eq(receipt.day, day) : undefined,
        cursor ? sql`(${receipt.blockNumber}, ${receipt.logIndex}) < (${cursor.block}, ${cursor.logIndex})` : undefined,
      ),
    )
    .orderBy(desc(receipt.blockNumber), desc(receipt.logIndex))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? `${last.blockNumber}-${last.logIndex}` : null;
  return c.json(json({ shop: getAddress(shop), receipts: page, next, indexed: await indexStatus() }));
});

/** A shop's totals per Asia/Shanghai day, newest day first, between `from` and `to` (inclusive). */
app.get("/v1/shops/:shop/days", async (c) => {
  const shop = addressParam(c.req.param("shop"), "shop");
  const from = dayParam(c.req.query("from"), "from");
  const to = dayParam(c.req.query("to"), "to");
  const rows = await db
    .select()
    .from(shopDay)
    .where(
      and(eq(shopDay.shop, shop), from ? gte(shopDay.day, from) : undefined, to ? lte(shopDay.day, to) : undefined),
    )
    .orderBy(desc(shopDay.day))
    .limit(400);
  const days = rows.map((row) => ({ ...row, net: row.received - row.refunded }));
  return c.json(json({ shop: getAddress(shop), days, indexed: await indexStatus() }));
});

/** The ledger's aggregates: supply, issued, redeemed, the escrows' holdings, attestations, registry. */
app.get("/v1/ledger", async (c) => {
  const [row] = await db.select().from(ledger).where(eq(ledger.id, 1));
  const escrowNames = ["RedPacket", "Vouchers", "DelayedTransfers", "FamilyCards"] as const;
  const escrowAddresses = escrowNames.map((name) => deployment.contracts[name].toLowerCase() as `0x${string}`);
  const held = await db.select().from(balance).where(inArray(balance.account, escrowAddresses));
  const escrows = Object.fromEntries(
    escrowNames.map((name, i) => [name, held.find((b) => b.account === escrowAddresses[i])?.balance ?? 0n]),
  );
  const [merchants] = await db
    .select({ all: sql<number>`count(*)::int`, active: sql<number>`count(*) filter (where ${merchant.active})::int` })
    .from(merchant);
  return c.json(
    json({
      supply: row?.supply ?? 0n,
      issued: row?.issued ?? 0n,
      redeemed: row?.redeemed ?? 0n,
      escrows,
      attestations: row?.attestations ?? 0,
      lastReserves: row?.lastReserves ?? null,
      lastAttestationBlock: row?.lastAttestationBlock ?? null,
      cityAccounts: row?.cityAccounts ?? 0,
      merchants: merchants ?? { all: 0, active: 0 },
      events: row?.events ?? 0,
      indexed: await indexStatus(),
    }),
  );
});

/** Flows per Asia/Shanghai day and kind (issue, redeem, payment.<category>, refund, transfer, red packets, vouchers, …). */
app.get("/v1/ledger/days", async (c) => {
  const from = dayParam(c.req.query("from"), "from");
  const to = dayParam(c.req.query("to"), "to");
  const rows = await db
    .select()
    .from(flowDay)
    .where(and(from ? gte(flowDay.day, from) : undefined, to ? lte(flowDay.day, to) : undefined))
    .orderBy(desc(flowDay.day), asc(flowDay.flow))
    .limit(20_000);
  const days = new Map<string, Record<string, { count: number; amount: bigint }>>();
  for (const row of rows) {
    const flows = days.get(row.day) ?? {};
    flows[row.flow] = { count: row.count, amount: row.amount };
    days.set(row.day, flows);
  }
  return c.json(json({ days: [...days].map(([day, flows]) => ({ day, flows })), indexed: await indexStatus() }));
});

/**
 * The reserve attestations, newest first, `limit` a page with a cursor, up to `toBlock` when given:
 * each with the token's supply right after its block (Σ issued − Σ redeemed), so its coverage
 * needs no replay of the chain.
 */
app.get("/v1/attestations", async (c) => {
  const limit = limitParam(c.req.query("limit"), 50, 500);
  const cursor = cursorParam(c.req.query("cursor"));
  const toBlock = bigintParam(c.req.query("toBlock"), "toBlock");
  const status = indexStatus();
  const rows = await db
    .select()
    .from(attestation)
    .where(
      and(
        toBlock !== undefined ? lte(attestation.blockNumber, toBlock) : undefined,
        cursor
          ? sql`(${attestation.blockNumber}, ${attestation.logIndex}) < (${cursor.block}, ${cursor.logIndex})`
          : undefined,
      ),
    )
    .orderBy(desc(attestation.blockNumber), desc(attestation.logIndex))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? `${last.blockNumber}-${last.logIndex}` : null;
  return c.json(json({ attestations: page, next, indexed: await status }));
});

const CSV_COLUMNS = [
  "block",
  "log_index",
  "time",
  "contract",
  "event",
  "from",
  "to",
  "amount_yuan",
  "transaction",
  "args",
];

/**
 * Every movement that matches the filters, newest first: `account` (the event's first or second
 * party: money from or to it), `contract`,
 * `event`, `fromBlock`/`toBlock`, `fromDay`/`toDay`, `fromTime`/`toTime` (Unix seconds, inclusive),
 * `minAmount`/`maxAmount` (fen). JSON pages of `limit` with a cursor, or `format=csv` (up to 50,000
 * rows a request, the next cursor in the `X-Next-Cursor` header).
 * With `kind` (issue, redeem, payment, refund, transfer, redPacket, voucher, or `any`) it answers
 * the ledger page's movements instead: the CityYuan Transfers (non-zero) of that kind, each with its
 * `kind` (core/audit/ledgerMovements.ts), from `token_movement`.
 */
app.get("/v1/movements", async (c) => {
  const q = (name: string) => c.req.query(name);
  const csv = q("format") === "csv";
  if (q("format") !== undefined && !csv && q("format") !== "json") throw new BadRequest("format must be json or csv");
  const limit = limitParam(q("limit"), csv ? 50_000 : 100, csv ? 50_000 : 1000);
  const cursor = cursorParam(q("cursor"));
  const account = q("account") === undefined ? undefined : addressParam(q("account"), "account");
  const contract = q("contract");
  if (contract !== undefined && !(contract in contractAddress)) throw new BadRequest(`unknown contract: ${contract}`);
  const fromBlock = bigintParam(q("fromBlock"), "fromBlock");
  const toBlock = bigintParam(q("toBlock"), "toBlock");
  const minAmount = bigintParam(q("minAmount"), "minAmount");
  const maxAmount = bigintParam(q("maxAmount"), "maxAmount");
  const fromDay = dayParam(q("fromDay"), "fromDay");
  const toDay = dayParam(q("toDay"), "toDay");
  const fromTime = bigintParam(q("fromTime"), "fromTime");
  const toTime = bigintParam(q("toTime"), "toTime");
  const kind = q("kind");
  if (kind !== undefined) {
    if (kind !== "any" && !(MOVEMENT_KINDS as readonly string[]).includes(kind))
      throw new BadRequest(`kind must be any or one of ${MOVEMENT_KINDS.join(", ")}`);
    if (contract !== undefined || q("event") !== undefined)
      throw new BadRequest("kind lists CityYuan Transfers: contract and event do not go with it");
    const t = tokenMovement;
    const found = await db
      .select()
      .from(t)
      .where(
        and(
          kind === "any" ? undefined : eq(t.kind, kind),
          account ? or(eq(t.from, account), eq(t.to, account)) : undefined,
          fromBlock !== undefined ? gte(t.blockNumber, fromBlock) : undefined,
          toBlock !== undefined ? lte(t.blockNumber, toBlock) : undefined,
          minAmount !== undefined ? gte(t.amount, minAmount) : undefined,
          maxAmount !== undefined ? lte(t.amount, maxAmount) : undefined,
          fromDay ? gte(t.timestamp, dayStart(fromDay)) : undefined,
          toDay ? lte(t.timestamp, dayStart(toDay) + 86_399) : undefined,
          fromTime !== undefined ? gte(t.timestamp, Number(fromTime)) : undefined,
          toTime !== undefined ? lte(t.timestamp, Number(toTime)) : undefined,
          cursor ? sql`(${t.blockNumber}, ${t.logIndex}) < (${cursor.block}, ${cursor.logIndex})` : undefined,
        ),
      )
      .orderBy(desc(t.blockNumber), desc(t.logIndex))
      .limit(limit + 1);
    const page = found.slice(0, limit).map((row) => ({
      ...row,
      contract: "CityYuan",
      name: "Transfer",
      day: shanghaiDay(row.timestamp),
    }));
    const last = page.at(-1);
    const next = found.length > limit && last ? `${last.blockNumber}-${last.logIndex}` : null;
    if (!csv) return c.json(json({ movements: page, next, indexed: await indexStatus() }));
    const lines = [KIND_CSV_COLUMNS.join(",")];
    for (const row of page) {
      lines.push(
        [
          csvCell(String(row.blockNumber), "number"),
          csvCell(String(row.logIndex), "number"),
          csvCell(isoDate(row.timestamp, 8 * 60), "number"),
          csvCell(row.kind),
          csvCell(row.from),
          csvCell(row.to),
          csvCell(formatFen(row.amount, { style: "plain", grouping: false }), "number"),
          csvCell(row.txHash),
        ].join(","),
      );
    }
    return csvBody(c, lines, next);
  }
  const rows = await db
    .select()
    .from(ledgerEvent)
    .where(
      and(
        account ? or(eq(ledgerEvent.from, account), eq(ledgerEvent.to, account)) : undefined,
        contract ? eq(ledgerEvent.contract, contract) : undefined,
        q("event") ? eq(ledgerEvent.name, q("event") as string) : undefined,
        fromBlock !== undefined ? gte(ledgerEvent.blockNumber, fromBlock) : undefined,
        toBlock !== undefined ? lte(ledgerEvent.blockNumber, toBlock) : undefined,
        minAmount !== undefined ? gte(ledgerEvent.amount, minAmount) : undefined,
        maxAmount !== undefined ? lte(ledgerEvent.amount, maxAmount) : undefined,
        fromDay ? gte(ledgerEvent.day, fromDay) : undefined,
        toDay ? lte(ledgerEvent.day, toDay) : undefined,
        fromTime !== undefined ? gte(ledgerEvent.timestamp, Number(fromTime)) : undefined,
        toTime !== undefined ? lte(ledgerEvent.timestamp, Number(toTime)) : undefined,
        cursor
          ? sql`(${ledgerEvent.blockNumber}, ${ledgerEvent.logIndex}) < (${cursor.block}, ${cursor.logIndex})`
          : undefined,
      ),
    )
    .orderBy(desc(ledgerEvent.blockNumber), desc(ledgerEvent.logIndex))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? `${last.blockNumber}-${last.logIndex}` : null;
  if (!csv) return c.json(json({ movements: page, next, indexed: await indexStatus() }));
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of page) {
    lines.push(
      [
        csvCell(String(row.blockNumber), "number"),
        csvCell(String(row.logIndex), "number"),
        csvCell(isoDate(row.timestamp, 8 * 60), "number"),
        csvCell(row.contract),
        csvCell(row.name),
        csvCell(row.from ?? ""),
        csvCell(row.to ?? ""),
        csvCell(row.amount === null ? "" : formatFen(row.amount, { style: "plain", grouping: false }), "number"),
        csvCell(row.txHash),
        csvCell(JSON.stringify(row.args)),
      ].join(","),
    );
  }
  return csvBody(c, lines, next);
});

function csvBody(c: Context, lines: string[], next: string | null) {
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", 'attachment; filename="hcy-movements.csv"');
  if (next) c.header("x-next-cursor", next);
  return c.body(`\uFEFF${lines.join("\r\n")}\r\n`);
}

const KIND_CSV_COLUMNS = ["block", "log_index", "time", "kind", "from", "to", "amount_yuan", "transaction"];

/** The Unix second an Asia/Shanghai day begins. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`) / 1000;

export default app;
