// Embedded SQLite adapter (node:sqlite): one file under the data folder, WAL so readers never
// wait for the writer, and a short busy timeout after which a lock held by another process
// surfaces as DatabaseUnavailableError (HTTP 503) instead of a crash.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  type Database,
  DatabaseUnavailableError,
  Mutex,
  type Queryable,
  type SqlValue,
  type Transaction,
  UniqueViolationError,
} from "./Database.js";

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT = 19;

export function translateSqliteError(error: unknown): unknown {
  const e = error as { errcode?: number; message?: string };
  // Extended result codes keep the primary code in the low byte.
  const primary = typeof e.errcode === "number" ? e.errcode & 0xff : undefined;
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
    return new DatabaseUnavailableError(
      "The database file is locked by another process; try again shortly.",
      "locked",
      { cause: error },
    );
  }
  if (primary === SQLITE_CONSTRAINT && /UNIQUE|PRIMARY KEY/.test(e.message ?? "")) {
    return new UniqueViolationError(e.message ?? "unique constraint", { cause: error });
  }
  return error;
}

export class SqliteDatabase implements Database {
  readonly dialect = "sqlite" as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly mutex = new Mutex();
  private readonly direct: Queryable;

  constructor(file: string, busyTimeoutMs: number) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`);
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = NORMAL");
    this.db.exec("PRAGMA foreign_keys = ON");
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.allNow<T>(sql, params),
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.allNow<T>(sql, params)[0],
      run: async (sql: string, params: readonly SqlValue[] = []) => this.runNow(sql, params),
    };
  }

  private statement(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private allNow<T>(sql: string, params: readonly SqlValue[]): T[] {
    try {
      return this.statement(sql).all(...params) as T[];
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  private runNow(sql: string, params: readonly SqlValue[]): { changes: number } {
    try {
      return { changes: Number(this.statement(sql).run(...params).changes) };
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  // Outside a transaction each statement is atomic on its own; we still queue behind any open
  // transaction, because the connection is shared and its statements would otherwise join it.
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.mutex.lock(() => this.direct.all<T>(sql, params));
  }
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.mutex.lock(() => this.direct.get<T>(sql, params));
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.mutex.lock(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      // IMMEDIATE takes the write lock up front, so a locked file fails here, before any work.
      this.runNow("BEGIN IMMEDIATE", []);
      try {
        // One writer at a time already: the transaction holds every key.
        const result = await fn({ ...this.direct, lock: async () => {} });
        this.runNow("COMMIT", []);
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.lock(async () => {
      if (this.db.isOpen) this.db.close();
    });
  }
}
