// Webhooks of the merchant API, following the Standard Webhooks specification: each message has
// an id (msg_…), a timestamp and a signature over `id.timestamp.body` with the endpoint's whsec_
// secret. Events are written to the database before any sending (so a restart loses none), each
// delivery is retried with backoff for about a day, every attempt is recorded, and a delivered
// (event, endpoint) is never sent again, whichever instance or restart comes next.
import { createHmac, randomBytes } from "node:crypto";
import type { Address } from "viem";
import { ApiError } from "../errors.js";
import type { Database, Queryable } from "../storage/Database.js";
import type { ShopLedger, ShopRefund } from "./ledger.js";
import { type RequestRow, stateOf } from "./requests.js";
import { type WebhookData, webhookPayload } from "./webhookEvents.js";

export const WEBHOOK_EVENTS = ["payment.received", "refund.completed", "request.expired"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const MAX_ENDPOINTS_PER_SHOP = 10;
/** After a rotation the old secret still signs (beside the new one) this long. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
/** Waits before retry n (after attempt n failed): about a day in all, as the issue asks. */
export const RETRY_DELAYS_MS = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 36_000_000,
];
const SEND_TIMEOUT_MS = 10_000;
/** The chain_cursor row of the refund scan: the last block whose refunds were turned into events. */
export const REFUND_CURSOR_ID = "merchant-webhooks:refunds";
/** A first scan (no cursor yet) looks back to the payments of requests made this long ago. */
const REFUND_FIRST_LOOK_BACK_MS = 8 * 24 * 3600_000;
/** A sender holds a due delivery this long (longer than a send can take). */
const LEASE_MS = 60_000;

export interface EndpointInfo {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: number;
}

interface EndpointRow {
  id: string;
  shop: string;
  url: string;
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_until: number | string | null;
  created_at: number | string;
}

const infoOf = (row: EndpointRow): EndpointInfo => ({
  id: row.id,
  url: row.url,
  events: row.events.split(" ") as WebhookEvent[],
  createdAt: Number(row.created_at),
});

const PRIVATE_V4 =
  /^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

/**
 * An endpoint URL: https, or http to this machine only (a local till under development). No
 * credentials in it, and no https to an IP literal in a private range (the service must not be
 * made to call the city's own network).
 */
export function readWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError(400, "webhook_url_invalid", "url is not a URL");
  }
  if (text.length > 2048) throw new ApiError(400, "webhook_url_invalid", "url is at most 2048 characters");
  if (url.username !== "" || url.password !== "") {
    throw new ApiError(400, "webhook_url_invalid", "url must not carry a user name or password");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const local = host === "localhost" || host === "127.0.0.1" || host === "::1";
  if (url.protocol === "http:") {
    if (!local) throw new ApiError(400, "webhook_url_invalid", "url must be https (http only for localhost)");
  } else if (url.protocol === "https:") {
    if (PRIVATE_V4.test(host) || host === "::1" || /^f[cd]|^fe80/i.test(host) || host === "localhost") {
      throw new ApiError(400, "webhook_url_invalid", "url must be a public https address");
    }
  } else {
    throw new ApiError(400, "webhook_url_invalid", "url must be https");
  }
  url.hash = "";
  return url.toString();
}

const newSecret = (): string => `whsec_${randomBytes(24).toString("base64")}`;

export async function createEndpoint(
  db: Queryable,
  shop: Address,
  url: string,
  events: WebhookEvent[],
  now: number,
): Promise<EndpointInfo & { secret: string }> {
  const row = await db.get<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM merchant_webhook_endpoints WHERE shop = ? AND deleted_at IS NULL",
    [shop.toLowerCase()],
  );
  if (Number(row?.n ?? 0) >= MAX_ENDPOINTS_PER_SHOP) {
    throw new ApiError(409, "too_many_webhooks", `A shop has at most ${MAX_ENDPOINTS_PER_SHOP} webhook endpoints`);
  }
  const id = `ep_${randomBytes(8).toString("hex")}`;
  const secret = newSecret();
  const list = WEBHOOK_EVENTS.filter((e) => events.includes(e));
  await db.run(
    `INSERT INTO merchant_webhook_endpoints (id, shop, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [id, shop.toLowerCase(), url, list.join(" "), secret, now],
  );
  return { id, url, events: list, createdAt: now, secret };
}

async function endpointOf(db: Queryable, shop: Address, id: string): Promise<EndpointRow> {
  const row = await db.get<EndpointRow>(
    "SELECT * FROM merchant_webhook_endpoints WHERE id = ? AND shop = ? AND deleted_at IS NULL",
    [id, shop.toLowerCase()],
  );
  if (row === undefined) throw new ApiError(404, "not_found", "No such webhook endpoint");
  return row;
}

export async function listEndpoints(db: Queryable, shop: Address): Promise<EndpointInfo[]> {
  const rows = await db.all<EndpointRow>(
    "SELECT * FROM merchant_webhook_endpoints WHERE shop = ? AND deleted_at IS NULL ORDER BY created_at, id",
    [shop.toLowerCase()],
  );
  return rows.map(infoOf);
}

/** A new secret; the old one keeps signing beside it for ROTATION_OVERLAP_MS. */
export async function rotateSecret(db: Queryable, shop: Address, id: string, now: number): Promise<string> {
  const row = await endpointOf(db, shop, id);
  const secret = newSecret();
  await db.run(
    "UPDATE merchant_webhook_endpoints SET secret = ?, previous_secret = ?, previous_until = ? WHERE id = ?",
    [secret, row.secret, now + ROTATION_OVERLAP_MS, id],
  );
  return secret;
}

export async function deleteEndpoint(db: Queryable, shop: Address, id: string, now: number): Promise<void> {
  await endpointOf(db, shop, id);
  await db.run("UPDATE merchant_webhook_endpoints SET deleted_at = ? WHERE id = ?", [now, id]);
  await db.run(
    "UPDATE merchant_webhook_deliveries SET state = 'cancelled' WHERE endpoint_id = ? AND state = 'pending'",
    [id],
  );
}

export interface AttemptInfo {
  eventId: string;
  type: string;
  attempt: number;
  at: number;
  httpStatus: number | null;
  error: string | null;
  delivery: string;
}

export async function listAttempts(db: Queryable, shop: Address, id: string): Promise<AttemptInfo[]> {
  await endpointOf(db, shop, id);
  const rows = await db.all<{
    event_id: string;
    type: string;
    attempt: number | string;
    at: number | string;
    http_status: number | string | null;
    error: string | null;
    state: string;
  }>(
    `SELECT a.event_id, e.type, a.attempt, a.at, a.http_status, a.error, d.state
     FROM merchant_webhook_attempts a
     JOIN merchant_webhook_events e ON e.id = a.event_id
     JOIN merchant_webhook_deliveries d ON d.event_id = a.event_id AND d.endpoint_id = a.endpoint_id
     WHERE a.endpoint_id = ? ORDER BY a.at DESC, a.attempt DESC LIMIT 200`,
    [id],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.type,
    attempt: Number(r.attempt),
    at: Number(r.at),
    httpStatus: r.http_status === null ? null : Number(r.http_status),
    error: r.error,
    delivery: r.state,
  }));
}

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the key the whsec_ secret encodes. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * Turns what happened on chain into events (stored once each) and sends what is due. `tick` is
 * safe to run from several instances at once and after any restart.
 */
export class WebhookSender {
  constructor(
    private readonly o: {
      db: Database;
      ledger: ShopLedger;
      confirmations: number;
      now?: () => number;
      fetch?: typeof fetch;
      log?: (message: string) => void;
    },
  ) {}

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  async tick(): Promise<void> {
    await this.findEvents();
    await this.findRefunds();
    await this.sendDue();
  }

  /** Requests of shops with endpoints that are newly paid or expired become events. */
  async findEvents(): Promise<void> {
    const { db } = this.o;
    const now = this.now();
    const rows = await db.all<RequestRow>(
      `SELECT r.* FROM merchant_payment_requests r
       WHERE r.created_at > ?
         AND EXISTS (SELECT 1 FROM merchant_webhook_endpoints w WHERE w.shop = r.shop AND w.deleted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM merchant_webhook_events e WHERE e.dedupe = 'payment.received:' || r.id)
         AND (r.expires_at > ?
           OR NOT EXISTS (SELECT 1 FROM merchant_webhook_events e WHERE e.dedupe = 'request.expired:' || r.id))
       ORDER BY r.created_at LIMIT 500`,
      // A request told expired is still watched for a late payment for a day, then no more.
      [now - 8 * 24 * 3600_000, now - 24 * 3600_000],
    );
    for (const row of rows) {
      const state = await stateOf(db, this.o.ledger, this.o.confirmations, row, now);
      const request = { id: row.id, orderRef: row.order_text, amountFen: row.amount_fen };
      if (state.payment !== null) {
        const status = state.status === "refunded" ? "refunded" : "paid";
        await this.enqueue(row.shop, "payment.received", row.id, { ...request, status, payment: state.payment }, now);
      } else if (state.status === "expired") {
        await this.enqueue(row.shop, "request.expired", row.id, { ...request, status: "expired", payment: null }, now);
      }
    }
  }

  /**
   * Refunds on chain of payments to the API's requests become `refund.completed` events, one per
   * refund (its transaction and log), once the refund is the city's confirmations deep. A cursor
   * in chain_cursor remembers the last block scanned, so each block is read once, across restarts;
   * the event's dedupe key makes a rescan (two instances, a crash before the cursor moved) harmless.
   */
  async findRefunds(): Promise<void> {
    const { db, ledger } = this.o;
    const now = this.now();
    const confirmed = (await ledger.head()) - BigInt(this.o.confirmations);
    if (confirmed < 0n) return;
    const cursor = await db.get<{ block_number: number | string; chain_id: number | string }>(
      "SELECT block_number, chain_id FROM chain_cursor WHERE id = ?",
      [REFUND_CURSOR_ID],
    );
    // No cursor yet, or one from another chain (a local chain started afresh): start at the
    // earliest payment still worth telling about.
    const fresh =
      cursor === undefined || Number(cursor.chain_id) !== ledger.chainId || BigInt(cursor.block_number) > confirmed;
    let from: bigint;
    if (fresh) {
      const earliest = await db.get<{ b: number | string | null }>(
        "SELECT MIN(paid_block) AS b FROM merchant_payment_requests WHERE paid_block IS NOT NULL AND created_at > ?",
        [now - REFUND_FIRST_LOOK_BACK_MS],
      );
      from = earliest?.b === null || earliest?.b === undefined ? confirmed : BigInt(earliest.b);
    } else {
      from = BigInt(cursor.block_number) + 1n;
    }
    if (from <= confirmed) {
      const shops = await db.all<{ shop: string }>(
        "SELECT DISTINCT shop FROM merchant_webhook_endpoints WHERE deleted_at IS NULL ORDER BY shop",
      );
      for (const { shop } of shops) {
        for (const refund of await ledger.refundsBy(shop as Address, from, confirmed)) {
          await this.refundEvent(shop, refund, now);
        }
      }
    }
    await db.run(
      `INSERT INTO chain_cursor (id, chain_id, block_number, block_hash, updated_at) VALUES (?, ?, ?, '', ?)
       ON CONFLICT (id) DO UPDATE SET chain_id = excluded.chain_id, block_number = excluded.block_number,
         updated_at = excluded.updated_at
       WHERE ? = 1 OR chain_cursor.block_number < excluded.block_number`,
      [REFUND_CURSOR_ID, ledger.chainId, Number(confirmed), now, fresh ? 1 : 0],
    );
  }

  private async refundEvent(shop: string, refund: ShopRefund, now: number): Promise<void> {
    const { db, ledger } = this.o;
    const row = await db.get<RequestRow>(
      "SELECT * FROM merchant_payment_requests WHERE shop = ? AND lower(payment_id) = ?",
      [shop, refund.paymentId.toLowerCase()],
    );
    if (row === undefined) return; // a refund of a payment no API request asked for
    // Refunded so far: this refund and those before it (by block and log), whatever came after.
    const upTo = (
      await ledger.refundsBy(shop as Address, BigInt(row.paid_block as string | number), refund.blockNumber)
    )
      .filter(
        (r) =>
          r.paymentId.toLowerCase() === refund.paymentId.toLowerCase() &&
          (r.blockNumber < refund.blockNumber || r.logIndex <= refund.logIndex),
      )
      .reduce((sum, r) => sum + r.amount, 0n);
    const paidFen = BigInt(row.paid_fen as string);
    const data: WebhookData<"refund.completed"> = {
      id: row.id,
      orderRef: row.order_text,
      amountFen: row.amount_fen,
      status: upTo >= paidFen ? "refunded" : "paid",
      payment: {
        paymentId: row.payment_id as string,
        payer: row.payer as string,
        amountFen: row.paid_fen as string,
        txHash: row.paid_tx as string,
        blockNumber: Number(row.paid_block),
      },
      refund: {
        amountFen: refund.amount.toString(),
        txHash: refund.txHash,
        blockNumber: Number(refund.blockNumber),
        logIndex: refund.logIndex,
      },
      refundedFen: upTo.toString(),
    };
    await this.enqueue(shop, "refund.completed", `${refund.txHash}:${refund.logIndex}`, data, now);
  }

  private async enqueue<E extends WebhookEvent>(
    shop: string,
    type: E,
    subject: string,
    data: WebhookData<E>,
    now: number,
  ): Promise<void> {
    // Built through the documented schema (webhookEvents.ts): what is sent is what /openapi.json says.
    const payload = webhookPayload(type, data, now);
    await this.o.db.transaction(async (tx) => {
      const id = `msg_${randomBytes(12).toString("hex")}`;
      const added = await tx.run(
        `INSERT INTO merchant_webhook_events (id, shop, type, dedupe, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (dedupe) DO NOTHING`,
        [id, shop, type, `${type}:${subject}`, payload, now],
      );
      if (added.changes === 0) return;
      const endpoints = await tx.all<EndpointRow>(
        "SELECT * FROM merchant_webhook_endpoints WHERE shop = ? AND deleted_at IS NULL",
        [shop],
      );
      for (const ep of endpoints) {
        if (!ep.events.split(" ").includes(type)) continue;
        await tx.run(
          `INSERT INTO merchant_webhook_deliveries (event_id, endpoint_id, state, attempts, next_at) VALUES (?, ?, 'pending', 0, ?)`,
          [id, ep.id, now],
        );
      }
    });
  }

  /** Sends each due delivery once per tick; a sender first takes the delivery's lease. */
  async sendDue(): Promise<void> {
    const { db } = this.o;
    const now = this.now();
    const due = await db.all<{
      event_id: string;
      endpoint_id: string;
      attempts: number | string;
      next_at: number | string;
    }>(
      `SELECT event_id, endpoint_id, attempts, next_at FROM merchant_webhook_deliveries
       WHERE state = 'pending' AND next_at <= ? ORDER BY next_at LIMIT 50`,
      [now],
    );
    for (const d of due) {
      const held = await db.run(
        `UPDATE merchant_webhook_deliveries SET next_at = ?
         WHERE event_id = ? AND endpoint_id = ? AND state = 'pending' AND next_at = ?`,
        [now + LEASE_MS, d.event_id, d.endpoint_id, Number(d.next_at)],
      );
      if (held.changes === 0) continue; // another sender has it
      await this.send(d.event_id, d.endpoint_id, Number(d.attempts) + 1, now);
    }
  }

  private async send(eventId: string, endpointId: string, attempt: number, now: number): Promise<void> {
    const { db } = this.o;
    const event = await db.get<{ payload: string }>("SELECT payload FROM merchant_webhook_events WHERE id = ?", [
      eventId,
    ]);
    const ep = await db.get<EndpointRow>("SELECT * FROM merchant_webhook_endpoints WHERE id = ?", [endpointId]);
    if (event === undefined || ep === undefined) return;
    const timestamp = Math.floor(now / 1000);
    const signatures = [signature(ep.secret, eventId, timestamp, event.payload)];
    if (ep.previous_secret !== null && Number(ep.previous_until) > now) {
      signatures.push(signature(ep.previous_secret, eventId, timestamp, event.payload));
    }
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await (this.o.fetch ?? fetch)(ep.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "HefeiCityWallet-Webhooks/1",
          "webhook-id": eventId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signatures.join(" "),
        },
        body: event.payload,
        redirect: "manual",
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const delay = RETRY_DELAYS_MS[attempt - 1];
    await db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO merchant_webhook_attempts (event_id, endpoint_id, attempt, at, http_status, error) VALUES (?, ?, ?, ?, ?, ?)`,
        [eventId, endpointId, attempt, now, status, error],
      );
      await tx.run(
        `UPDATE merchant_webhook_deliveries SET attempts = ?, state = ?, next_at = ? WHERE event_id = ? AND endpoint_id = ?`,
        [
          attempt,
          ok ? "delivered" : delay === undefined ? "failed" : "pending",
          now + (delay ?? 0),
          eventId,
          endpointId,
        ],
      );
    });
    if (!ok) this.o.log?.(`webhook ${eventId} to ${ep.id}: attempt ${attempt} failed (${status ?? error})`);
  }

  /**
   * Sends event `eventId` to endpoint `endpointId` of `shop` again now, under the same webhook-id
   * (a receiver that already has it drops it by that id), when the shop asks: after it fixed its
   * endpoint, or to test it. Only a delivery that is finished (delivered, or failed for good) is
   * replayed: one still being retried is the sender's (409). The replay takes the delivery as the
   * sender would (pending, leased), so it never races a sender; it is one more recorded attempt.
   */
  async replay(shop: Address, endpointId: string, eventId: string): Promise<AttemptInfo> {
    const { db } = this.o;
    const now = this.now();
    await endpointOf(db, shop, endpointId);
    const row = await db.get<{ state: string; attempts: number | string }>(
      "SELECT state, attempts FROM merchant_webhook_deliveries WHERE event_id = ? AND endpoint_id = ?",
      [eventId, endpointId],
    );
    if (row === undefined) throw new ApiError(404, "not_found", "No such event for this webhook endpoint");
    const held = await db.run(
      `UPDATE merchant_webhook_deliveries SET state = 'pending', next_at = ?
       WHERE event_id = ? AND endpoint_id = ? AND state IN ('delivered', 'failed') AND attempts = ?`,
      [now + LEASE_MS, eventId, endpointId, Number(row.attempts)],
    );
    if (held.changes === 0) {
      throw new ApiError(409, "webhook_delivery_pending", "This event is still being sent; wait for its retries");
    }
    const attempt = Number(row.attempts) + 1;
    await this.send(eventId, endpointId, attempt, now);
    const [done] = (await listAttempts(db, shop, endpointId)).filter(
      (a) => a.eventId === eventId && a.attempt === attempt,
    );
    if (done === undefined) throw new ApiError(404, "not_found", "No such event for this webhook endpoint");
    return done;
  }
}
