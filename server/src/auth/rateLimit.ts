// A fixed-window counter per client, in memory: enough to stop one client from filling the
// nonce table. Behind a proxy, the proxy's own limits apply as well; this guards the service.

export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request by `client` at `now`; returns the ms to wait when over the limit, else 0. */
  take(client: string, now: number): number {
    const window = this.#windows.get(client);
    if (window === undefined || now - window.start >= this.windowMs) {
      this.#windows.set(client, { start: now, count: 1 });
      if (this.#windows.size > 10_000) this.#forgetOld(now);
      return 0;
    }
    if (window.count >= this.limit) return window.start + this.windowMs - now;
    window.count++;
    return 0;
  }

  #forgetOld(now: number): void {
    for (const [client, window] of this.#windows) {
      if (now - window.start >= this.windowMs) this.#windows.delete(client);
    }
  }
}
