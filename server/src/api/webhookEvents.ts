// The webhook messages of the merchant API, as zod schemas: the one description of what a shop's
// endpoint receives. The sender (webhooks.ts) builds every payload through `webhookPayload`, which
// parses it with these schemas (a payload that does not match is never stored or sent), and the
// OpenAPI document (routes.ts) lists them under the top-level `webhooks` from the same schemas.
import { z } from "@hono/zod-openapi";
import type { WebhookEvent } from "./webhooks.js";

/** A confirmed payment on chain, as the API shows it on a payment request and in its events. */
export const Payment = z
  .object({
    paymentId: z.string().openapi({ description: "CityYuan's payment id (bytes32 hex)" }),
    payer: z.string().openapi({ description: "The paying address (public chain data; needed to refund)" }),
    amountFen: z.string().openapi({ example: "1250" }),
    txHash: z.string(),
    blockNumber: z.number().int(),
  })
  .openapi("Payment");

const RequestFields = {
  id: z.string().openapi({ description: "The payment request (pr_…)", example: "pr_5b0e…" }),
  orderRef: z.string().openapi({ description: "Your order number, as you sent it", example: "A-1024" }),
  amountFen: z.string().openapi({ description: "The amount asked, fen", example: "1250" }),
};

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D, name: string, description: string) =>
  z
    .strictObject({
      type: z.literal(type),
      timestamp: z.string().openapi({
        format: "date-time",
        description: "When the service recorded the event (ISO 8601, UTC)",
        example: "2026-12-06T04:05:06.789Z",
      }),
      data,
    })
    .openapi(name, { description });

export const PaymentReceivedEvent = envelope(
  "payment.received",
  z.strictObject({
    ...RequestFields,
    status: z.enum(["paid", "refunded"]).openapi({ description: "The request's status when the event was made" }),
    payment: Payment,
  }),
  "PaymentReceivedEvent",
  "A payment request was paid in full, and the payment is the city's confirmations deep on chain.",
);

export const RefundCompletedEvent = envelope(
  "refund.completed",
  z.strictObject({
    ...RequestFields,
    status: z
      .enum(["paid", "refunded"])
      .openapi({ description: "refunded once this and earlier refunds add up to the payment" }),
    payment: Payment,
    refund: z
      .strictObject({
        amountFen: z.string(),
        txHash: z.string(),
        blockNumber: z.number().int(),
        logIndex: z.number().int(),
      })
      .openapi("RefundOnChain"),
    refundedFen: z.string().openapi({ description: "Refunded of this payment so far, this refund included" }),
  }),
  "RefundCompletedEvent",
  "A refund of a payment to one of the API's requests is the city's confirmations deep on chain (one event per refund).",
);

export const RequestExpiredEvent = envelope(
  "request.expired",
  z.strictObject({
    ...RequestFields,
    status: z.literal("expired"),
    payment: z.null(),
  }),
  "RequestExpiredEvent",
  "A payment request reached its expiry unpaid. A payment within a day after still sends payment.received.",
);

export const WEBHOOK_PAYLOADS = {
  "payment.received": PaymentReceivedEvent,
  "refund.completed": RefundCompletedEvent,
  "request.expired": RequestExpiredEvent,
} as const satisfies Record<WebhookEvent, z.ZodType>;

export type WebhookPayload<E extends WebhookEvent> = z.infer<(typeof WEBHOOK_PAYLOADS)[E]>;
export type WebhookData<E extends WebhookEvent> = WebhookPayload<E>["data"];

/** The JSON body of event `type`, checked against its documented schema (throws if it does not match). */
export function webhookPayload<E extends WebhookEvent>(type: E, data: WebhookData<E>, now: number): string {
  const payload = WEBHOOK_PAYLOADS[type].parse({ type, timestamp: new Date(now).toISOString(), data });
  return JSON.stringify(payload);
}

/** The Standard Webhooks headers every message carries (https://www.standardwebhooks.com/). */
export const WebhookHeaders = z.object({
  "webhook-id": z.string().openapi({
    description: "The message id (msg_…): the same on every retry and replay; drop a message whose id you have seen",
    example: "msg_2f0c4b8e9a1d3c5e7f9b0a1c",
  }),
  "webhook-timestamp": z.string().openapi({
    description: "Unix seconds when this attempt was signed; refuse one more than 5 minutes from your clock",
    example: "1765000000",
  }),
  "webhook-signature": z.string().openapi({
    description:
      "Space-separated `v1,<base64 HMAC-SHA256>` of `webhook-id.webhook-timestamp.body` with the key the endpoint's " +
      "whsec_ secret encodes (base64 after the prefix). Two signatures for 24 hours after a rotation; accept if one matches",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  }),
});
