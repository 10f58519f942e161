// PostgreSQL adapter (`pg`), for when the city outgrows one machine: several service instances
// share one database. Selected by HCY_DATABASE_URL=postgres://...
import pg from "pg";
import {
  type Database,
  DatabaseUnavailableError,
  type Queryable,
  type SqlValue,
  UniqueViolationError,
} from "./Database.js";

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

function translateError(error: unknown): unknown {
  const e = error as { code?: string };
  if (e.code === "23505") return new UniqueViolationError(String((error as Error).message), { cause: error });
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

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10, types, connectionTimeoutMillis: 5000 });
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

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateError(error);
    }
    try {
      await client.query("BEGIN");
      const result = await fn(queryable(client));
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
