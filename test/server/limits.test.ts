// Limits from issue 12 that sit below the routes, on SQLite and PostgreSQL: a held database lock
// answers 503 with Retry-After in bounded time (no hang, no 500 for unrelated reads); slow and
// half-open clients are cut off by header, request and idle timeouts and a connection cap; and the
// service refuses to start on a real chain with 0 confirmations unless that was chosen.
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { getAddress, keccak256, toHex } from "viem";
import { createSiweMessage } from "viem/siwe";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig, type ServerConfig } from "../../server/src/config.js";
import { type RunningService, startService } from "../../server/src/main.js";
import {
  account,
  call,
  DAPP_ORIGIN,
  DATABASES,
  freePort,
  pgSchema,
  signIn,
  startTestService,
  type TestService,
  tempDir,
  testConfig,
} from "./helpers.js";

describe.each(DATABASES)("database lock on %s", (database) => {
  let service: TestService;
  afterEach(async () => {
    await service?.close();
  });

  /** Another process holds the contacts table (PostgreSQL) or the file's write lock (SQLite). */
  async function holdLock(): Promise<() => Promise<void>> {
    if (database === "postgres") {
      const url = service.config.databaseUrl as string;
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await other.query("BEGIN");
      await other.query("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE");
      return async () => {
        await other.query("ROLLBACK");
        await other.end();
      };
    }
    const other = new DatabaseSync(path.join(service.config.dataDir, "city.db"));
    other.exec("BEGIN IMMEDIATE");
    return async () => {
      other.exec("ROLLBACK");
      other.close();
    };
  }

  it("test_HeldLock_WritesAnswer503WithRetryAfter_UnrelatedReadsStillServed", async () => {
    service = await startTestService({
      database,
      config: { pgLockTimeoutMs: 300, pgStatementTimeoutMs: 1000, pgConnectTimeoutMs: 1000, sqliteBusyTimeoutMs: 300 },
    });
    const cookie = (await signIn(service, account(6))).cookie;
    const release = await holdLock();
    try {
      const started = Date.now();
      const writes = await Promise.all(
        // PostgreSQL: three times the pool, so the pool itself is exhausted too.
        Array.from({ length: database === "postgres" ? 30 : 10 }, (_, i) =>
          call(service.app, "PUT", `/contacts/${getAddress(keccak256(toHex(`f${i}`)).slice(0, 42))}`, {
            cookie,
            body: { name: `朋友${i}` },
          }),
        ),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      for (const w of writes) {
        expect(w.status).toBe(503);
        expect(w.json.error).toBe("database_locked");
        expect(w.headers.get("retry-after")).toBe("1");
      }
      // Unrelated reads are answered while the lock is still held.
      const profile = await call(service.app, "GET", "/profile", { cookie });
      expect(profile.status).toBe(200);
    } finally {
      await release();
    }
    expect(
      (await call(service.app, "PUT", `/contacts/${account(7).address}`, { cookie, body: { name: "李明" } })).status,
    ).toBe(201);
  });
});

describe.each(DATABASES)("slow clients on %s", (database) => {
  let running: RunningService | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await running?.close();
    await cleanup?.();
  });

  async function start(): Promise<URL> {
    const temp = tempDir();
    const schema = database === "postgres" ? await pgSchema() : undefined;
    cleanup = async () => {
      await schema?.drop();
      temp.remove();
    };
    const config = testConfig(temp.dir, {
      port: await freePort(),
      databaseUrl: schema?.url,
      headersTimeoutMs: 500,
      requestTimeoutMs: 1000,
      idleTimeoutMs: 700,
      maxConnections: 50,
    });
    running = await startService(config, { logger: () => {}, watchChain: false });
    return new URL(running.url);
  }

  const open = (url: URL) =>
    new Promise<{ socket: Socket; closed: Promise<number> }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(Number(url.port), url.hostname);
      sockets.push(socket);
      const closed = new Promise<number>((r) => socket.once("close", () => r(Date.now() - started)));
      socket.once("connect", () => resolve({ socket, closed }));
      socket.once("error", reject);
    });

  it("test_HalfOpenSockets_CappedAndClosed", async () => {
    const url = await start();
    const held = await Promise.all(Array.from({ length: 200 }, () => open(url).catch(() => undefined)));
    const lifetimes = await Promise.all(held.map((h) => h?.closed ?? 0));
    // Beyond the cap the server drops connections at once; the rest go after the idle timeout.
    expect(lifetimes.filter((ms) => ms < 400).length).toBeGreaterThanOrEqual(150);
    expect(Math.max(...lifetimes)).toBeLessThan(5000);
    const health = await fetch(`${url.origin}/health`);
    expect(health.status).toBe(200);
  });

  it("test_SlowBody_CutOffByTheRequestTimeout", async () => {
    const url = await start();
    const { socket, closed } = await open(url);
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    socket.write(
      `POST /auth/verify HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${DAPP_ORIGIN}\r\n` +
        "Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{",
    );
    const trickle = setInterval(() => socket.writable && socket.write(" "), 100);
    try {
      const lifetime = await closed;
      expect(lifetime).toBeLessThan(4000);
      // Node answers 408 Request Timeout when it can.
      if (answer !== "") expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
    }
  });

  it("test_SlowHeaders_CutOffByTheHeadersTimeout", async () => {
    const url = await start();
    const { socket, closed } = await open(url);
    socket.write(`GET /health HTTP/1.1\r\nHost: ${url.host}\r\n`);
    const trickle = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 100);
    try {
      expect(await closed).toBeLessThan(4000);
    } finally {
      clearInterval(trickle);
    }
    await sleep(10);
  });
});

describe("connections per address", () => {
  let running: RunningService | undefined;
  const temp = tempDir();
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await running?.close();
    running = undefined;
  });
  afterAll(() => temp.remove());

  /** A socket from a given loopback address that sends nothing (half-open). */
  const hold = (url: URL, from: string) =>
    new Promise<{ socket: Socket; closed: Promise<void> } | undefined>((resolve) => {
      const socket = connect({ port: Number(url.port), host: url.hostname, localAddress: from });
      sockets.push(socket);
      const closed = new Promise<void>((r) => socket.once("close", () => r()));
      socket.once("connect", () => resolve({ socket, closed }));
      socket.once("error", () => resolve(undefined));
    });

  /** One HTTP/1.1 request from a given loopback address, on a connection of its own. */
  const requestFrom = (url: URL, from: string, method: string, pathname: string, cookie?: string, body?: unknown) =>
    new Promise<{ status: number; json: Record<string, unknown>; cookies: string[] }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: Number(url.port),
          localAddress: from,
          method,
          path: pathname,
          agent: false,
          headers: {
            origin: DAPP_ORIGIN,
            ...(cookie ? { cookie } : {}),
            ...(body ? { "content-type": "application/json" } : {}),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => {
            text += d;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
              cookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0] as string),
            }),
          );
        },
      );
      req.setTimeout(5000, () => req.destroy(new Error("timed out")));
      req.once("error", reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });

  async function signInFrom(url: URL, from: string, signer: ReturnType<typeof account>): Promise<string> {
    const nonce = await requestFrom(url, from, "GET", "/auth/nonce");
    const device = nonce.cookies.find((c) => c.startsWith("hcy_device=")) as string;
    const message = createSiweMessage({
      domain: "127.0.0.1:5173",
      address: signer.address,
      uri: `${DAPP_ORIGIN}/`,
      version: "1",
      chainId: 31337,
      nonce: nonce.json.nonce as string,
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 3_600_000),
    });
    const verified = await requestFrom(url, from, "POST", "/auth/verify", device, {
      message,
      signature: await signer.signMessage({ message }),
    });
    expect(verified.status).toBe(200);
    return verified.cookies.find((c) => c.startsWith("hcy_session=")) as string;
  }

  async function start(overrides: Partial<ServerConfig> = {}): Promise<URL> {
    const config = testConfig(temp.dir, { port: await freePort(), ...overrides });
    running = await startService(config, { logger: () => {}, watchChain: false });
    return new URL(running.url);
  }

  it("test_1000HalfOpenConnectionsFromOneAddress_AnotherResidentIsServed", async () => {
    // Default limits: 1,000 connections in all, 32 per address, 10 s for the headers.
    const url = await start();
    const resident = await signInFrom(url, "127.0.0.2", account(6));
    const held = await Promise.all(Array.from({ length: 1000 }, () => hold(url, "127.0.0.1")));
    // Within 3 s (well before the 10 s headers timeout) all but 32 are closed by the per-address cap.
    const open = () => held.filter((h) => h !== undefined && !h.socket.destroyed && h.socket.readyState === "open");
    for (let i = 0; i < 30 && open().length > 32; i++) await sleep(100);
    expect(open().length).toBe(32);
    // While the flood holds what it may, real requests from other addresses are all served.
    const served = await Promise.all(
      Array.from({ length: 10 }, () => requestFrom(url, "127.0.0.2", "GET", "/profile", resident)),
    );
    expect(served.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await requestFrom(url, "127.0.0.3", "GET", "/health")).status).toBe(200);
  }, 60_000);

  it("test_ConnectionsNearTheCap_KeptForSignedInResidents", async () => {
    const url = await start({ maxConnections: 60, maxConnectionsPerAddress: 32, reservedConnections: 10 });
    const resident = await signInFrom(url, "127.0.0.2", account(6));
    // Two addresses fill the service up to its reserve (and 4 into it).
    await Promise.all(Array.from({ length: 32 }, () => hold(url, "127.0.0.1")));
    await Promise.all(Array.from({ length: 22 }, () => hold(url, "127.0.0.3")));
    await sleep(200);
    // An anonymous request in the reserve is turned away; the signed-in resident is served.
    const anonymous = await requestFrom(url, "127.0.0.4", "GET", "/health");
    expect(anonymous.status).toBe(503);
    expect(anonymous.json.error).toBe("service_busy");
    expect((await requestFrom(url, "127.0.0.2", "GET", "/profile", resident)).status).toBe(200);
    // A made-up session cookie is no session.
    const forged = await requestFrom(url, "127.0.0.4", "GET", "/health", `hcy_session=${"A".repeat(43)}`);
    expect(forged.status).toBe(503);
  }, 60_000);
});

describe("confirmations", () => {
  it("test_RefusesToStartOnAnotherChainWithZeroConfirmationsUnlessSet", () => {
    expect(() => loadConfig({ HCY_CHAIN_ID: "8453" })).toThrow(/HCY_CONFIRMATIONS is not set/);
    expect(loadConfig({ HCY_CHAIN_ID: "8453", HCY_CONFIRMATIONS: "12" }).confirmations).toBe(12);
    expect(loadConfig({ HCY_CHAIN_ID: "8453", HCY_CONFIRMATIONS: "0" }).confirmations).toBe(0);
    expect(loadConfig({}).confirmations).toBe(0);
  });
});
