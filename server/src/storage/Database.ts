// The one storage interface the service talks to, whichever engine is underneath: embedded
// SQLite (default) or PostgreSQL (HCY_DATABASE_URL). SQL is written once, portable, with `?`
// placeholders; the PostgreSQL adapter renumbers them to `$n`.

export type SqlValue = string | number | null;

export interface Queryable {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** A transaction: statements plus a lock that makes check-then-write sequences race-free. */
export interface Transaction extends Queryable {
  /**
   * Holds `key` until the transaction ends, so two transactions that check a cap for the same key
   * (an account's open requests, its contacts) run one after the other. SQLite already runs one
   * writing transaction at a time (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock.
   */
  lock(key: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly dialect: "sqlite" | "postgres";
  /** Runs `fn` in one transaction: every statement through `tx` commits together or not at all. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database is held by someone else (SQLite lock) or unreachable: answer 503, retry later. */
export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: "locked" | "unreachable",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** A unique or primary-key constraint refused the row. */
export class UniqueViolationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UniqueViolationError";
  }
}

/** Serialises access so a transaction on a single connection never interleaves with others. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
