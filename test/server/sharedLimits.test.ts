// Issue 24: request limits live in the database, so two instances of the service behind a load
// balancer count one allowance (they used to keep a counter each, doubling every limit), requests
// racing at the edge of a limit cannot all get in, and a restart forgets nothing.
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../server/src/app.js";
import { RateLimiter } from "../../server/src/auth/rateLimit.js";
import type { ServerConfig } from "../../server/src/config.js";
import type { Database } from "../../server/src/storage/Database.js";
import { openDatabase } from "../../server/src/storage/open.js";
import { Clock, call, DATABASES, type DatabaseKind, pgSchema, startTestService, type TestService } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two instances of the service on one database, sharing the clock of the first. */
async function twoInstances(kind: DatabaseKind, config: Partial<ServerConfig> = {}) {
  const schema = kind === "postgres" ? await pgSchema() : undefined;
  const first = await startTestService({
    config: { ...(schema ? { databaseUrl: schema.url } : {}), ...config },
  });
  cleanups.push(async () => {
    await first.close();
    await schema?.drop();
  });
  const secondDb = await openDatabase(first.config);
  cleanups.unshift(() => secondDb.close());
  const second = createApp({
    config: first.config,
    db: secondDb,
    bank: first.bank,
    provider: undefined,
    now: first.clock.now,
    isIssuer: async () => false,
  });
  return { first, second, secondDb };
}

/** The device cookie the first answer handed out, to send as the same browser to either instance. */
async function browserCookie(service: TestService): Promise<string> {
  const res = await call(service.app, "GET", "/auth/nonce", { origin: null, device: null });
  const cookie = /hcy_device=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (cookie === undefined) throw new Error("no device cookie on the first answer");
  return cookie;
}

describe.each(DATABASES)("request limits shared by every instance (%s)", (kind) => {
  it("counts one allowance across two instances: a browser alternating between them gets no more", async () => {
    const { first, second } = await twoInstances(kind, { nonceRatePerMinute: 5 });
    const device = await browserCookie(first); // its first nonce: 1 of 5
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? second : first.app;
      statuses.push((await call(app, "GET", "/auth/nonce", { origin: null, device })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // A new minute is a new window, on both.
    first.clock.advance(60_000);
    expect((await call(second, "GET", "/auth/nonce", { origin: null, device })).status).toBe(200);
    expect((await call(first.app, "GET", "/auth/nonce", { origin: null, device })).status).toBe(200);
  });

  it("admits exactly the limit when requests race at its edge from two connections", async () => {
    const { first, secondDb } = await twoInstances(kind);
    const clock = new Clock(1_700_000_000_000);
    const limiters = [first.db, secondDb].map((db: Database) => new RateLimiter(db, "test.race", 5, 60_000));
    const waits = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (limiters[i % 2] as RateLimiter).take("person:1", clock.now())),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    // Each refusal says how long until the window ends (a minute from its first request).
    expect(waits.filter((w) => w > 0).every((w) => w === 60_000)).toBe(true);
    // Another key, and another limiter under the same key, have allowances of their own.
    expect(await limiters[0]?.take("person:2", clock.now())).toBe(0);
    expect(await new RateLimiter(first.db, "test.other", 1, 60_000).take("person:1", clock.now())).toBe(0);
  });

  it("remembers a spent allowance across a restart of the service", async () => {
    const { first, secondDb } = await twoInstances(kind);
    const at = 1_700_000_000_000;
    const before = new RateLimiter(first.db, "test.restart", 2, 60_000);
    expect([await before.take("k", at), await before.take("k", at + 1)]).toEqual([0, 0]);
    // A new process builds its limiters afresh: the count is in the database, not in them.
    const after = new RateLimiter(secondDb, "test.restart", 2, 60_000);
    expect(await after.take("k", at + 2)).toBe(59_998);
    expect(await after.take("k", at + 60_000)).toBe(0);
  });
});
