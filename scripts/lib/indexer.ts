// Starts the city's indexer (Ponder, indexer/) against a chain: on its embedded PGlite in a
// directory of its own (default), or on PostgreSQL when a URL is given. Used by `npm start`, the
// indexer tests and the indexer benchmark, so all three run the same thing.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bin, httpOk, type Managed, ROOT, startProcess, stopProcess, waitFor } from "./processes.js";

export interface IndexerOptions {
  rpcUrl: string;
  port: number;
  chainId?: number;
  /** PGlite directory (default .data/indexer); emptied first, since a local chain is new every time. */
  dir?: string;
  /** PostgreSQL instead of PGlite; the schema is dropped first for the same reason. */
  databaseUrl?: string;
  /** Database schema (default "hcy"). */
  schema?: string;
  /** Keep what an earlier run indexed (a restart on the same chain). */
  keep?: boolean;
  log: (line: string) => void;
  quiet?: boolean;
  env?: Record<string, string>;
}

export interface RunningIndexer {
  url: string;
  process: Managed;
  stop(): Promise<void>;
}

/** Starts the indexer and waits until its API answers. */
export async function startIndexer(options: IndexerOptions): Promise<RunningIndexer> {
  const { ready, ...indexer } = await spawnIndexer(options);
  try {
    await ready;
  } catch (error) {
    await indexer.stop();
    throw error;
  }
  return indexer;
}

/** Starts the indexer; `ready` settles when its API answers (or it failed to start). */
export async function spawnIndexer(options: IndexerOptions): Promise<RunningIndexer & { ready: Promise<void> }> {
  const schema = options.schema ?? "hcy";
  if (!/^[a-z_][a-z0-9_]{0,44}$/.test(schema)) throw new Error(`Not a usable database schema name: ${schema}`);
  const dir = options.dir ?? path.join(ROOT, ".data", "indexer");
  if (!options.keep) {
    if (options.databaseUrl) await dropSchema(options.databaseUrl, schema);
    else rmSync(dir, { recursive: true, force: true });
  }
  if (!options.databaseUrl) await preparePglite(dir);
  const url = `http://127.0.0.1:${options.port}`;
  const managed = startProcess(
    "indexer",
    bin("ponder"),
    [
      "--root",
      "indexer",
      "--log-level",
      process.env.HCY_INDEXER_LOG_LEVEL ?? "warn",
      "start",
      "--port",
      String(options.port),
      "--hostname",
      "127.0.0.1",
    ],
    {
      env: {
        PONDER_TELEMETRY_DISABLED: "true",
        // Ponder's indexing cache (default: an eighth of the heap, 256–512 MB here) keeps every row
        // the backfill wrote and is still held afterwards, so collecting it paused the API for
        // hundreds of ms. The handlers only append or upsert a few keys a block, which a small
        // cache holds as well (HCY_INDEXER_CACHE_MB to change it).
        PONDER_CACHE_BYTES: String(Number(process.env.HCY_INDEXER_CACHE_MB ?? 64) * 1024 * 1024),
        DATABASE_SCHEMA: schema,
        HCY_RPC_URL: options.rpcUrl,
        HCY_CHAIN_ID: String(options.chainId ?? 31337),
        ...(options.databaseUrl ? { HCY_INDEXER_DATABASE_URL: options.databaseUrl } : { HCY_INDEXER_DIR: dir }),
        ...options.env,
      },
      log: options.log,
      quiet: options.quiet,
    },
  );
  const ready = waitFor("the indexer", () => httpOk(`${url}/v1/status`), { timeoutMs: 90_000, process: managed });
  // Awaited by the caller; a failure before then must not be an unhandled rejection.
  ready.catch(() => undefined);
  return { url, process: managed, ready, stop: () => stopProcess(managed) };
}

/** Waits until the indexer has processed the chain up to `block` (default: the chain's head now). */
export async function waitForIndexed(url: string, block?: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `the indexer to reach block ${block ?? "head"}`,
    async () => {
      const status = (await (await fetch(`${url}/v1/status`)).json()) as {
        indexedBlock: number | null;
        chainHead: number | null;
        ready: boolean;
      };
      const target = block ?? status.chainHead;
      return status.ready && status.indexedBlock !== null && target !== null && status.indexedBlock >= target;
    },
    { timeoutMs },
  );
}

// PGlite's own settings for its embedded PostgreSQL write every WAL page with O_DSYNC
// (wal_sync_method open_datasync) and checkpoint every 64 MB of WAL (each checkpoint makes the next
// change of every page write the whole page to the WAL again): a CPU profile of the indexer's
// backfill had a quarter of its one thread in those synchronous WAL writes. A new directory gets
// PostgreSQL's own defaults on Linux instead (fdatasync at commit, checkpoints every 1 GB), which
// keep every committed transaction as safe after a crash; Ponder cannot pass settings to PGlite,
// so they are written into the directory (postgresql.auto.conf) before Ponder opens it.
const PGLITE_SETTINGS = ["wal_sync_method = 'fdatasync'", "max_wal_size = '1GB'", "min_wal_size = '80MB'"];

/** Creates the PGlite directory with PGLITE_SETTINGS, unless it already holds a database. */
export async function preparePglite(dir: string): Promise<void> {
  if (existsSync(path.join(dir, "PG_VERSION"))) return;
  mkdirSync(dir, { recursive: true });
  const pg = new PGlite(dir);
  try {
    for (const setting of PGLITE_SETTINGS) await pg.exec(`ALTER SYSTEM SET ${setting}`);
  } finally {
    await pg.close();
  }
}

async function dropSchema(databaseUrl: string, schema: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
