// Applies server/migrations/NNN_name.sql in order, once each, recording them in
// schema_migrations. The files are portable SQL shared by SQLite and PostgreSQL.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Queryable } from "./Database.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

export interface Migration {
  version: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({ version: f.replace(/\.sql$/, ""), sql: await readFile(`${dir}/${f}`, "utf8") })),
  );
}

/** Splits a migration into statements (our migrations contain no semicolons inside strings). */
export function statementsOf(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export async function migrate(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable,
): Promise<string[]> {
  await db.run("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
  const applied = new Set(
    (await db.all<{ version: string }>("SELECT version FROM schema_migrations")).map((r) => r.version),
  );
  const done: string[] = [];
  for (const m of await readMigrations()) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of statementsOf(m.sql)) await tx.run(statement);
      await tx.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [m.version, Date.now()]);
    });
    done.push(m.version);
  }
  return done;
}
