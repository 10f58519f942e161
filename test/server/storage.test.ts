// Storage: migrations, the SQLite file locked by another connection (503, then recovery), and
// the PostgreSQL adapter against a real server when HCY_TEST_PG_URL is set.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnavailableError, UniqueViolationError } from "../../server/src/storage/Database.js";
import { migrate } from "../../server/src/storage/migrations.js";
import { openDatabase } from "../../server/src/storage/open.js";
import { PostgresDatabase } from "../../server/src/storage/postgres.js";
import { account, call, signIn, startTestService, type TestService, tempDir } from "./helpers.js";

describe("SQLite", () => {
  const temp = tempDir();
  let service: TestService;
  let cookie: string;

  beforeAll(async () => {
    service = await startTestService({ dataDir: temp.dir, config: { sqliteBusyTimeoutMs: 100 } });
    cookie = (await signIn(service, account(6))).cookie;
  });
  afterAll(async () => {
    await service.close();
    temp.remove();
  });

  it("runs in WAL mode and applies each migration once", async () => {
    expect(await service.db.get<{ journal_mode: string }>("PRAGMA journal_mode")).toEqual({ journal_mode: "wal" });
    expect(await migrate(service.db)).toEqual([]);
    const applied = await service.db.all<{ version: string }>("SELECT version FROM schema_migrations");
    expect(applied.map((r) => r.version)).toContain("001_init");
  });

  it("test_DatabaseLocked_Answers503ThenRecovers", async () => {
    const other = new DatabaseSync(path.join(temp.dir, "city.db"));
    other.exec("BEGIN EXCLUSIVE");
    other.exec("INSERT INTO siwe_nonces (nonce, expires_at) VALUES ('held-by-someone-else', 0)");
    try {
      const write = await call(service.app, "PUT", "/profile", { cookie, body: { displayName: "王阿姨" } });
      expect(write.status).toBe(503);
      expect(write.json.error).toBe("database_locked");
      expect(write.json.message).toMatch(/locked by another process/);
      expect(write.headers.get("retry-after")).toBe("1");
      // WAL: readers are not blocked by the writer, so the dApp can still show data.
      expect((await call(service.app, "GET", "/profile", { cookie })).status).toBe(200);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const retried = await call(service.app, "PUT", "/profile", { cookie, body: { displayName: "王阿姨" } });
    expect(retried.status).toBe(200);
    expect(retried.json.displayName).toBe("王阿姨");
  });

  it("test_StartWhileAnotherProcessHoldsTheWriteLock_WaitsThenStarts", async () => {
    const dir = tempDir();
    const file = path.join(dir.dir, "city.db");
    // Another process (a previous instance shutting down, a backup) holds the write lock for 2.5 s.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const { DatabaseSync } = require("node:sqlite");
         const db = new DatabaseSync(${JSON.stringify(file)});
         db.exec("PRAGMA journal_mode = WAL"); db.exec("BEGIN IMMEDIATE");
         db.exec("CREATE TABLE held (x INTEGER)");
         process.stdout.write("held\\n");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 2500);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
      const options = { dataDir: dir.dir, databaseUrl: undefined, sqliteBusyTimeoutMs: 100 };
      // Without waiting, the start fails on the lock (what used to make the service exit).
      await expect(openDatabase({ ...options, databaseStartWaitMs: 0 })).rejects.toBeInstanceOf(
        DatabaseUnavailableError,
      );
      const logs: string[] = [];
      const started = Date.now();
      const db = await openDatabase({ ...options, databaseStartWaitMs: 20_000 }, (m) => logs.push(m));
      try {
        expect(Date.now() - started).toBeGreaterThan(1000);
        expect(logs.join("\n")).toMatch(/locked by another process.*Waiting up to 20 s/);
        expect(await db.get("SELECT 1 AS x FROM held")).toBeUndefined();
        expect((await db.all("SELECT version FROM schema_migrations")).length).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
    } finally {
      holder.kill();
      dir.remove();
    }
  }, 30_000);

  it("rolls back a failed transaction as a whole", async () => {
    await expect(
      service.db.transaction(async (tx) => {
        await tx.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES ('rolled-back', 1)");
        await tx.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES ('rolled-back', 1)");
      }),
    ).rejects.toBeInstanceOf(UniqueViolationError);
    expect(await service.db.get("SELECT nonce FROM siwe_nonces WHERE nonce = 'rolled-back'")).toBeUndefined();
  });
});

const pgUrl = process.env.HCY_TEST_PG_URL;
if (pgUrl === undefined) {
  process.stderr.write(
    "[storage.test] PostgreSQL adapter tests skipped: set HCY_TEST_PG_URL=postgres://user:pass@host:port/db to run them\n",
  );
}

describe.skipIf(pgUrl === undefined)("PostgreSQL (HCY_TEST_PG_URL)", () => {
  // Each run gets its own schema, dropped afterwards, so the database is left as found.
  const schema = `hcy_test_${randomBytes(4).toString("hex")}`;
  let db: PostgresDatabase;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(pgUrl as string);
    url.searchParams.set("options", `-c search_path=${schema}`);
    db = new PostgresDatabase(url.toString());
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("applies the same migrations once", async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await db.get("SELECT version FROM schema_migrations WHERE version = '001_init'")).toEqual({
      version: "001_init",
    });
  });

  it("reads BIGINT as numbers, upserts, and reports unique violations", async () => {
    await db.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES (?, ?)", ["pg-nonce", 1_700_000_000_000]);
    expect(await db.get("SELECT expires_at FROM siwe_nonces WHERE nonce = ?", ["pg-nonce"])).toEqual({
      expires_at: 1_700_000_000_000,
    });
    await expect(
      db.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES (?, ?)", ["pg-nonce", 1]),
    ).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it("commits or rolls back a transaction as a whole", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO siwe_nonces (nonce, expires_at) VALUES ('pg-tx', 1)");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.get("SELECT nonce FROM siwe_nonces WHERE nonce = 'pg-tx'")).toBeUndefined();
  });

  it("serves the whole app: sign-in and contacts on PostgreSQL", async () => {
    const url = new URL(pgUrl as string);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const temp = tempDir();
    const service = await startTestService({ dataDir: temp.dir, config: { databaseUrl: url.toString() } });
    try {
      expect(service.db.dialect).toBe("postgres");
      const { cookie } = await signIn(service, account(6));
      const friend = account(7).address;
      expect(
        (await call(service.app, "POST", "/contacts", { cookie, body: { name: "李明", address: friend } })).status,
      ).toBe(201);
      expect((await call(service.app, "GET", "/contacts", { cookie })).json.contacts).toEqual([
        expect.objectContaining({ address: friend, name: "李明" }),
      ]);
    } finally {
      await service.close();
      temp.remove();
    }
  });

  it("answers 503 when the server is unreachable", async () => {
    const down = new PostgresDatabase("postgres://nobody:x@127.0.0.1:1/none");
    await expect(down.get("SELECT 1")).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await down.close();
  });
});
