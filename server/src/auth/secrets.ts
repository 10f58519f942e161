// Secrets the service makes for itself (HMAC keys for nonces and device ids), created once in the
// database so every instance sharing it agrees, and so a restart keeps issued nonces valid.
import { randomBytes } from "node:crypto";
import type { Queryable } from "../storage/Database.js";

export async function serviceSecret(db: Queryable, name: string): Promise<Buffer> {
  await db.run(
    "INSERT INTO service_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
    [name, randomBytes(32).toString("hex"), Date.now()],
  );
  const row = await db.get<{ secret: string }>("SELECT secret FROM service_secrets WHERE name = ?", [name]);
  if (row === undefined) throw new Error(`service secret ${name} is missing`);
  return Buffer.from(row.secret, "hex");
}

/** Loads once, on first use; a failed load is retried on the next use. */
export function lazySecret(db: Queryable, name: string): () => Promise<Buffer> {
  let pending: Promise<Buffer> | undefined;
  return () => {
    pending ??= serviceSecret(db, name).catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
