// PostgreSQL adapter (`pg`), for when the city outgrows one machine: several service instances
// share one database. Selected by HCY_DATABASE_URL=postgres://...
import pg from "pg";
import {
  type Database,
  DatabaseUnavailableError,
  type Queryable,
  type SqlValue,
  type Transaction,
  UniqueViolationError,
} from "./Database.js";

export interface PostgresLimits {
  /** The server cancels a statement that runs longer (57014), so a stuck query frees its connection. */
  statementTimeoutMs: number;
  /** The server gives up waiting for a row or table lock (55P03) instead of waiting for ever. */
  lockTimeoutMs: number;
  /** How long a request waits for a free pooled connection before it is answered 503. */
  connectTimeoutMs: number;
  poolSize: number;
}

export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  statementTimeoutMs: 2000,
  lockTimeoutMs: 1000,
  connectTimeoutMs: 2000,
  poolSize: 10,
};

const INT8_OID = 20;
// Our BIGINT columns hold millisecond times, block numbers and counts: all far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== "binary"
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** `?` placeholders to `$1, $2, ...` (our SQL has no `?` inside string literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const LOCK_NOT_AVAILABLE = "55P03";
const QUERY_CANCELED = "57014"; // statement_timeout

function translateError(error: unknown): unknown {
  const e = error as { code?: string; message?: string };
  if (e.code === "23505") return new UniqueViolationError(String((error as Error).message), { cause: error });
  if (e.code === LOCK_NOT_AVAILABLE || e.code === QUERY_CANCELED) {
    return new DatabaseUnavailableError("The database is busy (a lock is held); try again shortly.", "locked", {
      cause: error,
    });
  }
  // pg's own message when every pooled connection stayed busy for connectionTimeoutMillis.
  if (
    /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(e.message ?? "")
  ) {
    return new DatabaseUnavailableError("The database is busy; try again shortly.", "locked", { cause: error });
  }
  if (e.code === "ECONNREFUSED" || e.code === "57P01" || e.code === "57P03" || e.code === "ETIMEDOUT") {
    return new DatabaseUnavailableError("The database server is unreachable; try again shortly.", "unreachable", {
      cause: error,
    });
  }
  return error;
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  const query = async (sql: string, params: readonly SqlValue[] = []) => {
    try {
      return await client.query({ text: numberPlaceholders(sql), values: [...params] });
    } catch (error) {
      throw translateError(error);
    }
  };
  return {
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}

export class PostgresDatabase implements Database {
  readonly dialect = "postgres" as const;
  private readonly pool: pg.Pool;
  private readonly direct: Queryable;

  constructor(connectionString: string, limits: PostgresLimits = DEFAULT_POSTGRES_LIMITS) {
    this.pool = new pg.Pool({
      connectionString,
      max: limits.poolSize,
      types,
      connectionTimeoutMillis: limits.connectTimeoutMs,
      // Server-side limits, set on every pooled connection: a held lock or a stuck statement
      // becomes an error within a second or two, not a request that hangs until the pool is gone.
      statement_timeout: limits.statementTimeoutMs,
      lock_timeout: limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.statementTimeoutMs * 5,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.pool.on("error", () => {});
    this.direct = queryable(this.pool);
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateError(error);
    }
    try {
      await client.query("BEGIN");
      const q = queryable(client);
      const result = await fn({
        ...q,
        // Released at COMMIT / ROLLBACK. hashtextextended gives a 64-bit key from any string.
        lock: async (key) => {
          await q.get("SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) AS locked", [key]);
        },
      });
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw translateError(error);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
