// Opens the configured database and brings its schema up to date. A database that is busy at
// start (another process holds the SQLite write lock: a previous instance still shutting down, a
// backup, an operator's sqlite3 shell; or PostgreSQL still starting) is waited for, with a bounded
// backoff, instead of the service exiting: only after `startWaitMs` does the start fail.
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Database, DatabaseUnavailableError } from "./Database.js";
import { migrate } from "./migrations.js";
import { DEFAULT_POSTGRES_LIMITS, PostgresDatabase } from "./postgres.js";
import { SqliteDatabase, translateSqliteError } from "./sqlite.js";

export interface StorageOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  sqliteBusyTimeoutMs: number;
  pgStatementTimeoutMs?: number;
  pgLockTimeoutMs?: number;
  pgConnectTimeoutMs?: number;
  pgPoolSize?: number;
  /** How long the start waits for a locked or unreachable database before giving up (default 60 s). */
  databaseStartWaitMs?: number;
}

export const DEFAULT_START_WAIT_MS = 60_000;

async function openOnce(options: StorageOptions): Promise<Database> {
  let db: Database;
  try {
    db =
      options.databaseUrl !== undefined
        ? new PostgresDatabase(options.databaseUrl, {
            statementTimeoutMs: options.pgStatementTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.statementTimeoutMs,
            lockTimeoutMs: options.pgLockTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.lockTimeoutMs,
            connectTimeoutMs: options.pgConnectTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.connectTimeoutMs,
            poolSize: options.pgPoolSize ?? DEFAULT_POSTGRES_LIMITS.poolSize,
          })
        : new SqliteDatabase(path.join(options.dataDir, "city.db"), options.sqliteBusyTimeoutMs);
  } catch (error) {
    // The SQLite constructor's pragmas (journal mode) can meet the lock too.
    throw translateSqliteError(error);
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

export async function openDatabase(
  options: StorageOptions,
  log: (message: string) => void = () => {},
): Promise<Database> {
  const waitMs = options.databaseStartWaitMs ?? DEFAULT_START_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let backoff = 100;
  let announced = false;
  for (;;) {
    try {
      const db = await openOnce(options);
      if (announced) log("database: available, starting");
      return db;
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || Date.now() + backoff > deadline) throw error;
      if (!announced) {
        log(`database: ${error.message} Waiting up to ${Math.round(waitMs / 1000)} s (HCY_DB_START_WAIT_MS)`);
        announced = true;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2000);
    }
  }
}
