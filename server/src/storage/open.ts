// Opens the configured database and brings its schema up to date.
import path from "node:path";
import type { Database } from "./Database.js";
import { migrate } from "./migrations.js";
import { DEFAULT_POSTGRES_LIMITS, PostgresDatabase } from "./postgres.js";
import { SqliteDatabase } from "./sqlite.js";

export interface StorageOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  sqliteBusyTimeoutMs: number;
  pgStatementTimeoutMs?: number;
  pgLockTimeoutMs?: number;
  pgConnectTimeoutMs?: number;
  pgPoolSize?: number;
}

export async function openDatabase(options: StorageOptions): Promise<Database> {
  const db: Database =
    options.databaseUrl !== undefined
      ? new PostgresDatabase(options.databaseUrl, {
          statementTimeoutMs: options.pgStatementTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.statementTimeoutMs,
          lockTimeoutMs: options.pgLockTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.lockTimeoutMs,
          connectTimeoutMs: options.pgConnectTimeoutMs ?? DEFAULT_POSTGRES_LIMITS.connectTimeoutMs,
          poolSize: options.pgPoolSize ?? DEFAULT_POSTGRES_LIMITS.poolSize,
        })
      : new SqliteDatabase(path.join(options.dataDir, "city.db"), options.sqliteBusyTimeoutMs);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
