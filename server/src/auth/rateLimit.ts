// Fixed-window request limits kept in the database, so every instance of the service behind a
// load balancer counts against the same allowance (two instances never double a limit) and a
// restart forgets nothing. One row per limiter and key; a single upsert opens a new window or
// counts in the current one, atomically on SQLite and on PostgreSQL, so two requests racing at
// the edge of a limit cannot both get in. Behind a proxy, the proxy's own limits apply as well.
import type { Queryable } from "../storage/Database.js";

/** Ended windows are swept at most this often (per process). */
const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Queryable, number>();

export class RateLimiter {
  /**
   * @param name Unique per limiter (e.g. "auth.device"): two limiters never share a counter.
   * @param limit Requests admitted per window and key.
   */
  constructor(
    private readonly db: Queryable,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request by `key` at `now`; returns the ms to wait when over the limit, else 0. */
  async take(key: string, now: number): Promise<number> {
    await this.#sweep(now);
    const row = await this.db.get<{ expires_at: number | string; count: number | string }>(
      `INSERT INTO rate_windows (key, window_start, expires_at, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_windows.expires_at <= excluded.window_start THEN 1 ELSE rate_windows.count + 1 END,
         window_start = CASE WHEN rate_windows.expires_at <= excluded.window_start
           THEN excluded.window_start ELSE rate_windows.window_start END,
         expires_at = CASE WHEN rate_windows.expires_at <= excluded.window_start
           THEN excluded.expires_at ELSE rate_windows.expires_at END
       RETURNING expires_at, count`,
      [`${this.name}|${key}`, now, now + this.windowMs],
    );
    if (row === undefined) throw new Error("rate limit upsert returned no row");
    return Number(row.count) <= this.limit ? 0 : Math.max(1, Number(row.expires_at) - now);
  }

  async #sweep(now: number): Promise<void> {
    const last = lastSweep.get(this.db);
    if (last !== undefined && now - last < SWEEP_EVERY_MS && now >= last) return;
    lastSweep.set(this.db, now);
    await this.db.run("DELETE FROM rate_windows WHERE expires_at <= ?", [now]);
  }
}
