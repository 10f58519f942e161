// Idempotency keys (as Stripe's): a POST with an `Idempotency-Key` header is answered once per shop
// and key; the same key with the same request gets the stored answer again (a till that lost the
// answer to a timeout retries safely), the same key with another request is refused with 422.
// The key is claimed before the work starts, so two racing retries never both do it.
import { createHash } from "node:crypto";
import { ApiError } from "../errors.js";
import type { Queryable } from "../storage/Database.js";

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** JSON with sorted keys: the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export async function idempotent(
  db: Queryable,
  shop: string,
  key: string | undefined,
  request: { method: string; path: string; body: unknown },
  now: number,
  answer: () => Promise<Response>,
): Promise<Response> {
  if (key === undefined) return answer();
  if (!KEY_FORMAT.test(key)) {
    throw new ApiError(400, "invalid_field", "Idempotency-Key: 1 to 255 visible ASCII characters");
  }
  const hash = createHash("sha256")
    .update(`${request.method} ${request.path}\n${canonical(request.body)}`)
    .digest("hex");
  const claimed = await db.run(
    `INSERT INTO merchant_idempotency (shop, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (shop, idem_key) DO NOTHING`,
    [shop, key, hash, now],
  );
  if (claimed.changes === 0) {
    const row = await db.get<{ request_hash: string; status: number | string | null; response: string | null }>(
      "SELECT request_hash, status, response FROM merchant_idempotency WHERE shop = ? AND idem_key = ?",
      [shop, key],
    );
    if (row === undefined) return idempotent(db, shop, key, request, now, answer);
    if (row.request_hash !== hash) {
      throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used for another request");
    }
    if (row.status === null || row.response === null) {
      throw new ApiError(409, "idempotency_in_progress", "A request with this Idempotency-Key is still being answered");
    }
    return new Response(row.response, {
      status: Number(row.status),
      headers: { "content-type": "application/json", "idempotent-replayed": "true" },
    });
  }
  let response: Response;
  try {
    response = await answer();
  } catch (error) {
    // Nothing was done: free the key, so the same request can be sent again once it can succeed.
    await db.run("DELETE FROM merchant_idempotency WHERE shop = ? AND idem_key = ?", [shop, key]);
    throw error;
  }
  await db.run("UPDATE merchant_idempotency SET status = ?, response = ? WHERE shop = ? AND idem_key = ?", [
    response.status,
    await response.clone().text(),
    shop,
    key,
  ]);
  return response;
}
