// Webhook endpoints managed by the shop owner in the dApp (SIWE session cookie), beside the same
// management with an API key under /api/v1: register an https URL (the whsec_ secret shown once),
// list, rotate the secret, remove, read every delivery attempt, and replay a finished delivery.
// Declared on the merchant API's OpenAPIHono, so they are in /openapi.json like every other route.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { RateLimiter } from "../auth/rateLimit.js";
import { ApiError } from "../errors.js";
import type { AppDeps } from "../http.js";
import type { ApiScope } from "./keys.js";
import type { ApiEnv } from "./routes.js";
import {
  createEndpoint,
  deleteEndpoint,
  listAttempts,
  listEndpoints,
  readWebhookUrl,
  rotateSecret,
  WEBHOOK_EVENTS,
  WebhookSender,
} from "./webhooks.js";

/** Replays a shop may ask for per minute (each is a request to the shop's own URL). */
export const REPLAYS_PER_MINUTE = 30;

type Codes = 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 503;

export interface OwnerRouteContext {
  deps: AppDeps;
  now: () => number;
  session: MiddlewareHandler<ApiEnv>;
  jsonOnly: MiddlewareHandler<ApiEnv>;
  /** The security, description and middleware of a route called with an API key of `scope` (routes.ts). */
  scoped: (
    scope: ApiScope,
    ...before: MiddlewareHandler<ApiEnv>[]
  ) => { security: { bearerAuth: string[] }[]; description: string; middleware: MiddlewareHandler<ApiEnv>[] };
  isShop: (shop: `0x${string}`) => Promise<boolean>;
  errors: (...codes: Codes[]) => Record<string, unknown>;
  Endpoint: z.ZodTypeAny;
}

const Attempt = z
  .object({
    eventId: z.string().openapi({ description: "The webhook-id header of the message (msg_…)" }),
    type: z.string().openapi({ example: "payment.received" }),
    attempt: z.number().int(),
    at: z.number().int().openapi({ description: "Unix milliseconds" }),
    httpStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    delivery: z.string().openapi({ description: "pending, delivered, failed or cancelled" }),
  })
  .openapi("WebhookAttempt");

const EndpointId = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const ReplayParams = EndpointId.extend({
  eventId: z.string().openapi({ param: { name: "eventId", in: "path" } }),
});

export function ownerWebhookRoutes(api: OpenAPIHono<ApiEnv>, o: OwnerRouteContext): void {
  const { deps, now, session, errors, Endpoint } = o;
  const db = deps.db;
  const cookie = [{ sessionCookie: [] }];
  const replayLimiter = new RateLimiter(db, "api.webhookReplay", REPLAYS_PER_MINUTE, 60_000);
  const shopOf = (c: { get: (k: "session") => { address: `0x${string}` } }) => c.get("session").address;

  const replay = async (shop: `0x${string}`, id: string, eventId: string) => {
    if (deps.shopLedger === undefined) {
      throw new ApiError(503, "no_deployment", "The service knows no CityYuan deployment on this chain");
    }
    if ((await replayLimiter.take(shop.toLowerCase(), now())) > 0) {
      throw new ApiError(429, "rate_limited", "Too many replays; wait a minute and try again");
    }
    const sender = new WebhookSender({
      db,
      ledger: deps.shopLedger,
      confirmations: deps.config.confirmations,
      now,
    });
    return sender.replay(shop, id, eventId);
  };

  api.openapi(
    createRoute({
      method: "post",
      path: "/merchant/webhook-endpoints",
      tags: ["Webhooks"],
      summary: "Register a webhook endpoint for the signed-in shop (the whsec_ secret is shown once)",
      security: cookie,
      middleware: [o.jsonOnly, session] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                url: z.string().openapi({ example: "https://till.example.com/hcy-webhooks" }),
                events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: "Registered",
          content: { "application/json": { schema: Endpoint.and(z.object({ secret: z.string() })) } },
        },
        ...errors(400, 401, 403, 409, 415, 503),
      },
    }),
    async (c) => {
      const shop = shopOf(c);
      const body = c.req.valid("json");
      const url = readWebhookUrl(body.url);
      if (!(await o.isShop(shop))) {
        throw new ApiError(403, "not_a_shop", "Only a shop registered with the city can register webhooks");
      }
      return c.json(await createEndpoint(db, shop, url, body.events ?? [...WEBHOOK_EVENTS], now()), 201) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/merchant/webhook-endpoints",
      tags: ["Webhooks"],
      summary: "The signed-in shop's webhook endpoints (never their secrets)",
      security: cookie,
      middleware: [session] as const,
      responses: {
        200: {
          description: "Endpoints",
          content: { "application/json": { schema: z.object({ endpoints: z.array(Endpoint) }) } },
        },
        ...errors(401),
      },
    }),
    async (c) => c.json({ endpoints: await listEndpoints(db, shopOf(c)) }, 200) as never,
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/merchant/webhook-endpoints/{id}/rotate-secret",
      tags: ["Webhooks"],
      summary: "A new secret for the signed-in shop's endpoint; the old one keeps signing beside it for 24 hours",
      security: cookie,
      middleware: [session] as const,
      request: { params: EndpointId },
      responses: {
        200: { description: "Rotated", content: { "application/json": { schema: z.object({ secret: z.string() }) } } },
        ...errors(401, 404),
      },
    }),
    async (c) => c.json({ secret: await rotateSecret(db, shopOf(c), c.req.valid("param").id, now()) }, 200),
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/merchant/webhook-endpoints/{id}",
      tags: ["Webhooks"],
      summary: "Remove the signed-in shop's endpoint: nothing more is sent to it",
      security: cookie,
      middleware: [session] as const,
      request: { params: EndpointId },
      responses: {
        200: {
          description: "Removed",
          content: { "application/json": { schema: z.object({ deleted: z.boolean() }) } },
        },
        ...errors(401, 404),
      },
    }),
    async (c) => {
      await deleteEndpoint(db, shopOf(c), c.req.valid("param").id, now());
      return c.json({ deleted: true }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/merchant/webhook-endpoints/{id}/attempts",
      tags: ["Webhooks"],
      summary: "Every delivery attempt to the signed-in shop's endpoint, newest first (at most 200)",
      security: cookie,
      middleware: [session] as const,
      request: { params: EndpointId },
      responses: {
        200: {
          description: "Attempts",
          content: { "application/json": { schema: z.object({ attempts: z.array(Attempt) }) } },
        },
        ...errors(401, 404),
      },
    }),
    async (c) => c.json({ attempts: await listAttempts(db, shopOf(c), c.req.valid("param").id) }, 200),
  );

  const replayRoute = {
    method: "post" as const,
    tags: ["Webhooks"],
    summary:
      "Send a finished delivery (delivered, or failed after its retries) again now, under the same webhook-id; " +
      "answers the new attempt",
    request: { params: ReplayParams },
    responses: {
      200: { description: "The attempt just made", content: { "application/json": { schema: Attempt } } },
      ...errors(401, 403, 404, 409, 429, 503),
    },
  };

  api.openapi(
    createRoute({
      ...replayRoute,
      path: "/merchant/webhook-endpoints/{id}/events/{eventId}/replay",
      security: cookie,
      middleware: [session] as const,
    }),
    async (c) => {
      const { id, eventId } = c.req.valid("param");
      return c.json(await replay(shopOf(c), id, eventId), 200);
    },
  );

  api.openapi(
    createRoute({
      ...replayRoute,
      path: "/api/v1/webhook-endpoints/{id}/events/{eventId}/replay",
      ...o.scoped("requests:write"),
    }),
    async (c) => {
      const { id, eventId } = c.req.valid("param");
      return c.json(await replay(c.get("shop"), id, eventId), 200);
    },
  );
}
