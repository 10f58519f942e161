// The merchant API (issue 25): routes declared once with @hono/zod-openapi, so the OpenAPI 3.1
// document served at /openapi.json is generated from the very definitions that validate requests.
// Two kinds of caller:
// - the shop owner in the dApp (SIWE session cookie) manages API keys under /merchant/keys;
// - the shop's own systems call /api/v1/* with `Authorization: Bearer hcy_live_…`, never a cookie.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";
import QRCode from "qrcode";
import { type Address, encodeFunctionData, getAddress, type Hex } from "viem";
import { orderRefText } from "../../../core/orderRef.js";
import { cityYuanAbi } from "../../../generated/contracts.js";
import { RateLimiter } from "../auth/rateLimit.js";
import { ApiError } from "../errors.js";
import { type AppDeps, type AppEnv, requireSession } from "../http.js";
import { UniqueViolationError } from "../storage/Database.js";
import { auditCheckpointRoutes } from "./auditCheckpoints.js";
import { idempotent } from "./idempotency.js";
import { insightsOf } from "./insights.js";
import {
  API_SCOPES,
  type ApiScope,
  checkKey,
  createKey,
  listKeys,
  liveKeyCount,
  MAX_KEYS_PER_SHOP,
  revokeKey,
  touchKey,
} from "./keys.js";
import type { ShopLedger } from "./ledger.js";
import { ownerWebhookRoutes } from "./ownerRoutes.js";
import {
  csvField,
  hefeiDay,
  linksOf,
  MAX_EXPIRY_S,
  MIN_EXPIRY_S,
  newRequestId,
  type RequestRow,
  readAmount,
  readExpiry,
  readOrderRef,
  stateOf,
  yuanOf,
} from "./requests.js";
import { withChineseSummaries } from "./summariesZh.js";
import { Payment, WEBHOOK_PAYLOADS, WebhookHeaders } from "./webhookEvents.js";
import {
  createEndpoint,
  deleteEndpoint,
  listAttempts,
  listEndpoints,
  readWebhookUrl,
  rotateSecret,
  WEBHOOK_EVENTS,
} from "./webhooks.js";

/** Requests per key and minute, unless the deps say otherwise. */
export const DEFAULT_KEY_RATE_PER_MINUTE = 600;

export type ApiEnv = { Variables: AppEnv["Variables"] & { shop: Address; keyId: string } };

// ---- Schemas ----

const ErrorBody = z
  .object({
    error: z.string().openapi({ example: "amount_too_many_decimals" }),
    message: z.string(),
  })
  .openapi("Error");

const Scope = z.enum(API_SCOPES).openapi("Scope");

const ApiKey = z
  .object({
    id: z.string().openapi({ example: "3f9c2a1b7d4e5f60" }),
    label: z.string(),
    scopes: z.array(Scope),
    createdAt: z.number().int(),
    revokedAt: z.number().int().nullable(),
    lastUsedAt: z.number().int().nullable(),
  })
  .openapi("ApiKey");

const NewApiKey = ApiKey.extend({
  key: z.string().openapi({ description: "The key itself. Shown only in this answer; store it now." }),
}).openapi("NewApiKey");

const PaymentRequestOut = z
  .object({
    id: z.string().openapi({ example: "pr_5b0e…" }),
    status: z.enum(["open", "paid", "expired", "refunded"]),
    amountFen: z.string().openapi({ example: "1250" }),
    amountYuan: z.string().openapi({ example: "12.50" }),
    orderRef: z.string().openapi({ description: "As you sent it" }),
    orderRefHex: z.string().openapi({ description: "The bytes32 CityYuan.pay records" }),
    shop: z.string(),
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
    payLink: z.string().openapi({ description: "Opens the city dApp's pay page on this request" }),
    paymentUri: z.string().openapi({ description: "EIP-681 URI for any wallet" }),
    qrPng: z.string().optional().openapi({ description: "data:image/png;base64 QR of payLink (on creation)" }),
    // anyOf [Payment, null]: `.nullable()` on a named schema documents allOf [Payment, object|null], never null.
    payment: z.union([Payment, z.null()]),
    refundedFen: z.string(),
  })
  .openapi("PaymentRequest");

const CreateRequestBody = z
  .strictObject({
    amountFen: z.string().optional().openapi({ description: "Whole fen as decimal digits", example: "1250" }),
    amountYuan: z.string().optional().openapi({ description: "Yuan with at most 2 decimals", example: "12.50" }),
    orderRef: z.string().openapi({ description: "Your order number (1–64 characters)", example: "A-1024" }),
    expiresInSeconds: z
      .number()
      .int()
      .optional()
      .openapi({ minimum: MIN_EXPIRY_S, maximum: MAX_EXPIRY_S, default: 900 }),
  })
  .openapi("CreatePaymentRequest");

const Receipt = z
  .object({
    paymentId: z.string(),
    payer: z.string(),
    amountFen: z.string(),
    amountYuan: z.string(),
    orderRefHex: z.string(),
    txHash: z.string(),
    blockNumber: z.number().int(),
    logIndex: z.number().int(),
    time: z.number().int().openapi({ description: "Block time, unix seconds" }),
  })
  .openapi("Receipt");

const Day = z.string().openapi({ param: { name: "date", in: "path" }, example: "2026-12-06" });

const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 503)[]) =>
  Object.fromEntries(
    codes.map((code) => [code, { description: "Error", content: { "application/json": { schema: ErrorBody } } }]),
  );

const cookie = [{ sessionCookie: [] }];
const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({ description: "Same key + same body → the same answer again; same key + other body → 422" }),
});

export function merchantApiRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const now = deps.now ?? Date.now;
  const db = deps.db;
  const keyLimiter = new RateLimiter(
    db,
    "api.key",
    deps.merchantApiRatePerMinute ?? DEFAULT_KEY_RATE_PER_MINUTE,
    60_000,
  );
  const appOrigin = deps.config.allowedOrigins.find((o) => o.startsWith("https:")) ?? deps.config.allowedOrigins[0];

  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const field = issue?.path.join(".") || "body";
      if (issue?.code === "unrecognized_keys") {
        throw new ApiError(400, "unknown_field", `Unknown field: ${issue.keys.join(", ")}`);
      }
      throw new ApiError(400, "invalid_field", `${field}: ${issue?.message ?? "invalid"}`);
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key of the shop: hcy_live_<id>_<secret>",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "hcy_session",
    description: "The shop owner's SIWE session in the city dApp",
  });

  const ledgerOf = (): ShopLedger => {
    if (deps.shopLedger === undefined) {
      throw new ApiError(503, "no_deployment", "The service knows no CityYuan deployment on this chain");
    }
    return deps.shopLedger;
  };
  const chain = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(503, "chain_unavailable", "Cannot read the chain right now; try again shortly");
    }
  };

  const jsonOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
      throw new ApiError(415, "unsupported_media_type", "Send the body as application/json");
    }
    try {
      await c.req.json(); // cached for the validator
    } catch {
      throw new ApiError(400, "malformed_json", "The request body is not valid JSON");
    }
    await next();
  };

  const requireKey =
    (scope: ApiScope): MiddlewareHandler<ApiEnv> =>
    async (c, next) => {
      const header = c.req.header("authorization") ?? "";
      const m = /^Bearer (\S+)$/i.exec(header);
      if (m === null) {
        throw new ApiError(401, "invalid_api_key", "Send your API key as Authorization: Bearer hcy_live_…");
      }
      const key = await checkKey(db, m[1] as string);
      if (!key.ok) {
        if (key.reason === "revoked") throw new ApiError(401, "api_key_revoked", "This API key was revoked");
        throw new ApiError(401, "invalid_api_key", "Unknown API key");
      }
      const at = now();
      const wait = await keyLimiter.take(key.id, at);
      if (wait > 0) {
        c.header("Retry-After", String(Math.max(1, Math.ceil(wait / 1000))));
        throw new ApiError(429, "rate_limited", "Too many requests with this key; wait and try again");
      }
      if (!key.scopes.includes(scope)) {
        throw new ApiError(403, "insufficient_scope", `This key lacks the scope ${scope}`);
      }
      await touchKey(db, key.id, at);
      c.set("shop", getAddress(key.shop));
      c.set("keyId", key.id);
      await next();
    };

  /**
   * What a route called with an API key needs: the scope the key must hold, written once. It is both
   * enforced (requireKey, after `before`) and documented (the operation's security requirement
   * `bearerAuth: [scope]`, which OpenAPI 3.1 allows for any scheme, and a line in its description).
   */
  const scoped = (scope: ApiScope, ...before: MiddlewareHandler<ApiEnv>[]) => ({
    security: [{ bearerAuth: [scope] }],
    description: `Needs an API key with the scope \`${scope}\`; a key without it is answered 403 insufficient_scope.`,
    middleware: [...before, requireKey(scope)],
  });

  const session = requireSession(deps) as unknown as MiddlewareHandler<ApiEnv>;

  // ---- API keys (the shop owner, signed in) ----

  api.openapi(
    createRoute({
      method: "post",
      path: "/merchant/keys",
      tags: ["Keys"],
      summary: "Create an API key for the signed-in shop (the key is shown once)",
      security: cookie,
      middleware: [jsonOnly, session] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                label: z.string().max(60).openapi({ example: "Till 1" }),
                scopes: z.array(Scope).min(1),
              }),
            },
          },
        },
      },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: NewApiKey } } },
        ...errors(400, 401, 403, 409, 415, 503),
      },
    }),
    async (c) => {
      const shop = c.get("session").address;
      const { label, scopes } = c.req.valid("json");
      if (label.trim() === "") throw new ApiError(400, "missing_field", "label is required");
      if (!(await chain(() => ledgerOf().isShop(shop)))) {
        throw new ApiError(403, "not_a_shop", "Only a shop registered with the city can have API keys");
      }
      if ((await liveKeyCount(db, shop)) >= MAX_KEYS_PER_SHOP) {
        throw new ApiError(409, "too_many_keys", `A shop holds at most ${MAX_KEYS_PER_SHOP} live keys; revoke one`);
      }
      return c.json(await createKey(db, shop, label.trim(), scopes, now()), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/merchant/keys",
      tags: ["Keys"],
      summary: "The signed-in shop's API keys (never their secrets)",
      security: cookie,
      middleware: [session] as const,
      responses: {
        200: {
          description: "Keys",
          content: { "application/json": { schema: z.object({ keys: z.array(ApiKey) }) } },
        },
        ...errors(401),
      },
    }),
    async (c) => c.json({ keys: await listKeys(db, c.get("session").address) }, 200),
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/merchant/keys/{id}",
      tags: ["Keys"],
      summary: "Revoke an API key: refused from the next request on",
      security: cookie,
      middleware: [session] as const,
      request: { params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: {
        200: { description: "Revoked", content: { "application/json": { schema: ApiKey } } },
        ...errors(401, 404),
      },
    }),
    async (c) => {
      const revoked = await revokeKey(db, c.get("session").address, c.req.valid("param").id, now());
      if (revoked === null) throw new ApiError(404, "not_found", "No such key");
      return c.json(revoked, 200);
    },
  );

  // ---- Payment requests (the shop's systems, with a key) ----

  const requestOut = async (row: RequestRow, extra: { qrPng?: string } = {}) => {
    const ledger = ledgerOf();
    const state = await chain(() => stateOf(db, ledger, deps.config.confirmations, row, now()));
    return {
      id: row.id,
      status: state.status,
      amountFen: row.amount_fen,
      amountYuan: yuanOf(BigInt(row.amount_fen)),
      orderRef: row.order_text,
      orderRefHex: row.order_ref,
      shop: getAddress(row.shop),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      ...linksOf(ledger, row, appOrigin ?? ""),
      ...extra,
      payment: state.payment,
      refundedFen: state.refundedFen,
    };
  };

  const findRequest = async (shop: Address, id: string): Promise<RequestRow> => {
    // The shop is part of the lookup: another shop's request id reads as "no such request".
    const row = await db.get<RequestRow>("SELECT * FROM merchant_payment_requests WHERE id = ? AND shop = ?", [
      id,
      shop.toLowerCase(),
    ]);
    if (row === undefined) throw new ApiError(404, "not_found", "No such payment request");
    return row;
  };

  api.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/payment-requests",
      tags: ["Payment requests"],
      summary: "Create a payment request: pay link, EIP-681 URI and QR",
      ...scoped("requests:write", jsonOnly),
      request: {
        headers: idempotencyHeader,
        body: { required: true, content: { "application/json": { schema: CreateRequestBody } } },
      },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: PaymentRequestOut } } },
        ...errors(400, 401, 403, 409, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const shop = c.get("shop");
      // The stored answer replayed is a plain Response, typed by the route it was made by.
      return (await idempotent(
        db,
        shop.toLowerCase(),
        c.req.header("idempotency-key"),
        { method: "POST", path: c.req.path, body },
        now(),
        async () => {
          const amount = readAmount(body.amountFen, body.amountYuan);
          const orderRef = readOrderRef(body.orderRef);
          const expiry = readExpiry(body.expiresInSeconds);
          const ledger = ledgerOf();
          const head = await chain(() => ledger.head());
          const at = now();
          const row: RequestRow = {
            id: newRequestId(),
            shop: shop.toLowerCase(),
            amount_fen: amount.toString(),
            order_ref: orderRef,
            order_text: body.orderRef,
            expires_at: at + expiry * 1000,
            created_at: at,
            from_block: Number(head),
            payment_id: null,
            payer: null,
            paid_fen: null,
            paid_tx: null,
            paid_block: null,
          };
          try {
            await db.run(
              `INSERT INTO merchant_payment_requests (id, shop, amount_fen, order_ref, order_text, expires_at, created_at, from_block)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
              [
                row.id,
                row.shop,
                row.amount_fen,
                row.order_ref,
                row.order_text,
                row.expires_at,
                row.created_at,
                row.from_block,
              ],
            );
          } catch (error) {
            if (error instanceof UniqueViolationError) {
              throw new ApiError(409, "order_ref_exists", "This shop already has a payment request for this orderRef");
            }
            throw error;
          }
          const { payLink } = linksOf(ledger, row, appOrigin ?? "");
          const qrPng = await QRCode.toDataURL(payLink, { errorCorrectionLevel: "M", margin: 2, width: 320 });
          return c.json(await requestOut(row, { qrPng }), 201);
        },
      )) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/payment-requests/{id}",
      tags: ["Payment requests"],
      summary: "A payment request and its status: open, paid (confirmed on chain), expired or refunded",
      ...scoped("receipts:read"),
      request: { params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: {
        200: { description: "The request", content: { "application/json": { schema: PaymentRequestOut } } },
        ...errors(401, 403, 404, 429, 503),
      },
    }),
    async (c) => c.json(await requestOut(await findRequest(c.get("shop"), c.req.valid("param").id)), 200),
  );

  // ---- Receipts and the daily statement ----

  const receiptsOf = async (shop: Address, date: string) => {
    const { start, end } = hefeiDay(date);
    const ledger = ledgerOf();
    return chain(async () => {
      const confirmed = (await ledger.head()) - BigInt(deps.config.confirmations);
      if (confirmed < 0n) return { payments: [], refunds: [] };
      const from = await ledger.firstBlockAtOrAfter(start, confirmed);
      const end1 = await ledger.firstBlockAtOrAfter(end, confirmed);
      const to = end1 - 1n < confirmed ? end1 - 1n : confirmed;
      if (to < from) return { payments: [], refunds: [] };
      const withTime = async <T extends { blockNumber: bigint }>(items: T[]) =>
        Promise.all(items.map(async (p) => ({ ...p, time: await ledger.blockTime(p.blockNumber) })));
      return {
        payments: await withTime(await ledger.paymentsTo(shop, from, to)),
        refunds: await withTime(await ledger.refundsBy(shop, from, to)),
      };
    });
  };

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/receipts/{date}",
      tags: ["Receipts"],
      summary: "Payments to the shop on a Hefei day (UTC+8), confirmed on chain",
      ...scoped("receipts:read"),
      request: { params: z.object({ date: Day }) },
      responses: {
        200: {
          description: "Receipts",
          content: {
            "application/json": {
              schema: z.object({
                date: z.string(),
                count: z.number().int(),
                totalFen: z.string(),
                receipts: z.array(Receipt),
              }),
            },
          },
        },
        ...errors(400, 401, 403, 429, 503),
      },
    }),
    async (c) => {
      const { date } = c.req.valid("param");
      const { payments } = await receiptsOf(c.get("shop"), date);
      return c.json(
        {
          date,
          count: payments.length,
          totalFen: payments.reduce((s, p) => s + p.amount, 0n).toString(),
          receipts: payments.map((p) => ({
            paymentId: p.paymentId,
            payer: p.payer,
            amountFen: p.amount.toString(),
            amountYuan: yuanOf(p.amount),
            orderRefHex: p.orderRef,
            txHash: p.txHash,
            blockNumber: Number(p.blockNumber),
            logIndex: p.logIndex,
            time: p.time,
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/statements/{date}",
      tags: ["Receipts"],
      summary: "The daily statement (对账单) as CSV: payments and refunds of a Hefei day, and the net",
      ...scoped("receipts:read"),
      request: { params: z.object({ date: Day }) },
      responses: {
        200: { description: "CSV (UTF-8 with BOM)", content: { "text/csv": { schema: z.string() } } },
        ...errors(400, 401, 403, 429, 503),
      },
    }),
    async (c) => {
      const { date } = c.req.valid("param");
      const { payments, refunds } = await receiptsOf(c.get("shop"), date);
      const time = (t: number) => new Date((t + 8 * 3600) * 1000).toISOString().replace("T", " ").slice(0, 19);
      const rows = [
        ...payments.map((p) => ({ ...p, type: "payment", signed: p.amount, ref: p.orderRef as Hex | null })),
        ...refunds.map((r) => ({ ...r, type: "refund", signed: -r.amount, ref: null })),
      ].sort((a, b) =>
        a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
      );
      const lines = ["time_utc8,type,payment_id,order_ref,payer,amount_yuan,tx_hash,block"];
      for (const r of rows) {
        const ref = r.ref === null ? "" : (orderRefText(r.ref) ?? r.ref);
        const amount = r.signed < 0n ? `-${yuanOf(-r.signed)}` : yuanOf(r.signed);
        lines.push(
          [time(r.time), r.type, r.paymentId, csvField(ref), r.payer, amount, r.txHash, String(r.blockNumber)].join(
            ",",
          ),
        );
      }
      const net = rows.reduce((s, r) => s + r.signed, 0n);
      lines.push(`total,,,,,${net < 0n ? `-${yuanOf(-net)}` : yuanOf(net)},,`);
      return c.body(`\uFEFF${lines.join("\r\n")}\r\n`, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="statement-${date}.csv"`,
      });
    },
  );

  // ---- Refunds: prepared for the shop's own key to sign ----

  api.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/refunds",
      tags: ["Refunds"],
      summary: "Prepare a refund of a paid request: a transaction the shop's own key signs (the city holds no keys)",
      ...scoped("refunds:write", jsonOnly),
      request: {
        headers: idempotencyHeader,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                requestId: z.string(),
                amountFen: z.string().optional(),
                amountYuan: z.string().optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          description: "The transaction to sign and send from the shop's address",
          content: {
            "application/json": {
              schema: z
                .object({
                  chainId: z.number().int(),
                  from: z.string(),
                  to: z.string(),
                  data: z.string(),
                  value: z.literal("0"),
                  payer: z.string(),
                  amountFen: z.string(),
                  paymentId: z.string(),
                })
                .openapi("PreparedRefund"),
            },
          },
        },
        ...errors(400, 401, 403, 404, 409, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const shop = c.get("shop");
      // The stored answer replayed is a plain Response, typed by the route it was made by.
      return (await idempotent(
        db,
        shop.toLowerCase(),
        c.req.header("idempotency-key"),
        { method: "POST", path: c.req.path, body },
        now(),
        async () => {
          const row = await findRequest(shop, body.requestId);
          const ledger = ledgerOf();
          const state = await chain(() => stateOf(db, ledger, deps.config.confirmations, row, now()));
          if (state.payment === null) {
            throw new ApiError(409, "not_paid", "This request has no confirmed payment to refund");
          }
          const left = BigInt(state.payment.amountFen) - BigInt(state.refundedFen);
          const amount =
            body.amountFen === undefined && body.amountYuan === undefined
              ? left
              : readAmount(body.amountFen, body.amountYuan);
          if (left <= 0n) throw new ApiError(409, "already_refunded", "This payment is refunded in full");
          if (amount > left) {
            throw new ApiError(400, "refund_too_large", `At most ${yuanOf(left)} 元 of this payment is left to refund`);
          }
          return c.json(
            {
              chainId: ledger.chainId,
              from: shop,
              to: ledger.cityYuan,
              data: encodeFunctionData({
                abi: cityYuanAbi,
                functionName: "refund",
                args: [state.payment.payer, row.order_ref as Hex, amount],
              }),
              value: "0" as const,
              payer: state.payment.payer,
              amountFen: amount.toString(),
              paymentId: state.payment.paymentId,
            },
            200,
          );
        },
      )) as never;
    },
  );

  // ---- Webhooks (Standard Webhooks) ----

  const Endpoint = z
    .object({
      id: z.string(),
      url: z.string(),
      events: z.array(z.enum(WEBHOOK_EVENTS)),
      createdAt: z.number().int(),
    })
    .openapi("WebhookEndpoint");
  const EndpointId = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });

  api.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/webhook-endpoints",
      tags: ["Webhooks"],
      summary: "Register an https URL for signed events (the whsec_ secret is shown once)",
      ...scoped("requests:write", jsonOnly),
      request: {
        headers: idempotencyHeader,
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
          content: { "application/json": { schema: Endpoint.extend({ secret: z.string() }) } },
        },
        ...errors(400, 401, 403, 409, 415, 422, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const shop = c.get("shop");
      return (await idempotent(
        db,
        shop.toLowerCase(),
        c.req.header("idempotency-key"),
        { method: "POST", path: c.req.path, body },
        now(),
        async () =>
          c.json(
            await createEndpoint(db, shop, readWebhookUrl(body.url), body.events ?? [...WEBHOOK_EVENTS], now()),
            201,
          ),
      )) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/webhook-endpoints",
      tags: ["Webhooks"],
      summary: "The shop's webhook endpoints (never their secrets)",
      ...scoped("receipts:read"),
      responses: {
        200: {
          description: "Endpoints",
          content: { "application/json": { schema: z.object({ endpoints: z.array(Endpoint) }) } },
        },
        ...errors(401, 403, 429),
      },
    }),
    async (c) => c.json({ endpoints: await listEndpoints(db, c.get("shop")) }, 200),
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/webhook-endpoints/{id}/rotate-secret",
      tags: ["Webhooks"],
      summary: "A new secret; the old one keeps signing beside it for 24 hours",
      ...scoped("requests:write"),
      request: { params: EndpointId, headers: idempotencyHeader },
      responses: {
        200: { description: "Rotated", content: { "application/json": { schema: z.object({ secret: z.string() }) } } },
        ...errors(401, 403, 404, 422, 429),
      },
    }),
    async (c) => {
      const shop = c.get("shop");
      const { id } = c.req.valid("param");
      return (await idempotent(
        db,
        shop.toLowerCase(),
        c.req.header("idempotency-key"),
        { method: "POST", path: c.req.path, body: null },
        now(),
        async () => c.json({ secret: await rotateSecret(db, shop, id, now()) }, 200),
      )) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/webhook-endpoints/{id}",
      tags: ["Webhooks"],
      summary: "Remove an endpoint: nothing more is sent to it",
      ...scoped("requests:write"),
      request: { params: EndpointId },
      responses: {
        200: {
          description: "Removed",
          content: { "application/json": { schema: z.object({ deleted: z.boolean() }) } },
        },
        ...errors(401, 403, 404, 429),
      },
    }),
    async (c) => {
      await deleteEndpoint(db, c.get("shop"), c.req.valid("param").id, now());
      return c.json({ deleted: true }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/webhook-endpoints/{id}/attempts",
      tags: ["Webhooks"],
      summary: "Every delivery attempt to this endpoint, newest first (at most 200)",
      ...scoped("receipts:read"),
      request: { params: EndpointId },
      responses: {
        200: {
          description: "Attempts",
          content: {
            "application/json": {
              schema: z.object({
                attempts: z.array(
                  z.object({
                    eventId: z.string(),
                    type: z.string(),
                    attempt: z.number().int(),
                    at: z.number().int(),
                    httpStatus: z.number().int().nullable(),
                    error: z.string().nullable(),
                    delivery: z.string().openapi({ description: "pending, delivered, failed or cancelled" }),
                  }),
                ),
              }),
            },
          },
        },
        ...errors(401, 403, 404, 429),
      },
    }),
    async (c) => c.json({ attempts: await listAttempts(db, c.get("shop"), c.req.valid("param").id) }, 200),
  );

  // The same endpoints managed by the shop owner in the dApp, and replays (ownerRoutes.ts).
  ownerWebhookRoutes(api, {
    deps,
    now,
    session,
    jsonOnly,
    scoped,
    isShop: (shop) => chain(() => ledgerOf().isShop(shop)),
    errors,
    Endpoint,
  });

  // ---- Insights (the shop's own receipts on chain; customers only as per-shop pseudonyms) ----

  const Sales = z.object({ count: z.number().int(), totalFen: z.string() });
  const Insights = z
    .object({
      shop: z.string(),
      timeZone: z.literal("Asia/Shanghai"),
      period: z.object({
        weeks: z.number().int(),
        start: z.number().int().openapi({ description: "Monday 00:00 Hefei time, unix seconds" }),
        end: z.number().int(),
        from: z.string().openapi({ example: "2026-12-07" }),
        to: z.string(),
      }),
      sales: Sales.openapi({ description: "Sales in the period, net of refunds (refunded in full: not a sale)" }),
      averageTicketFen: z.string().nullable(),
      customers: z.number().int(),
      returningCustomers: z
        .number()
        .int()
        .openapi({ description: "Customers of the period who bought here on two or more Hefei days" }),
      returningFen: z.string(),
      returningSharePercent: z.number().int().nullable(),
      regulars: z
        .array(
          z.object({ customer: z.string(), days: z.number().int(), count: z.number().int(), totalFen: z.string() }),
        )
        .openapi({ description: "Top returning customers, as pseudonyms that differ at every shop" }),
      busyHours: z
        .array(z.array(z.number().int()))
        .openapi({ description: "Sales counted by Hefei weekday (0 = Monday) and hour (0–23)" }),
      busiest: z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() }).nullable(),
      campaigns: z.array(
        z.object({
          campaignId: z.string(),
          start: z.number().int(),
          end: z.number().int(),
          from: z.string(),
          to: z.string(),
          running: z.boolean(),
          days: z.number(),
          sales: Sales,
          before: z
            .object({
              weeks: z.number().int(),
              start: z.number().int(),
              end: z.number().int(),
              from: z.string(),
              to: z.string(),
              count: z.number().int(),
              totalFen: z.string(),
            })
            .nullable()
            .openapi({ description: "The whole weeks just before the campaign compared with it; null: none" }),
          perDayFen: z.number().int(),
          perDayBeforeFen: z.number().int().nullable(),
          upliftPercent: z.number().int().nullable(),
        }),
      ),
    })
    .openapi("Insights");

  api.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/insights",
      tags: ["Insights"],
      summary: "The shop's returning customers, busy hours, average ticket and voucher campaign uplift",
      ...scoped("receipts:read"),
      request: {
        query: z.object({
          weeks: z.coerce
            .number()
            .int()
            .min(1)
            .max(12)
            .optional()
            .openapi({ description: "Hefei weeks in the period, this one included", default: 1 }),
          shop: z.string().optional().openapi({ description: "Must be the key's own shop if given" }),
        }),
      },
      responses: {
        200: { description: "Insights", content: { "application/json": { schema: Insights } } },
        ...errors(400, 401, 403, 429, 503),
      },
    }),
    async (c) => {
      const shop = c.get("shop");
      const query = c.req.valid("query");
      if (query.shop !== undefined && query.shop.toLowerCase() !== shop.toLowerCase()) {
        throw new ApiError(403, "other_shop", "An API key reads only its own shop");
      }
      const source = deps.insightsSource;
      if (source === undefined) {
        throw new ApiError(503, "no_deployment", "The service knows no CityYuan deployment on this chain");
      }
      const body = await chain(() =>
        insightsOf(source, db, {
          shop,
          weeks: query.weeks ?? 1,
          confirmations: deps.config.confirmations,
          nowMs: now(),
        }),
      );
      return c.json(body, 200);
    },
  );

  // ---- The auditor's signed checkpoints (public, no key) ----

  auditCheckpointRoutes(api, deps);

  // ---- The webhook messages, as OpenAPI 3.1 top-level `webhooks` (the sender's own schemas) ----

  const webhookSummaries: Record<keyof typeof WEBHOOK_PAYLOADS, string> = {
    "payment.received": "A payment request was paid (confirmed on chain)",
    "refund.completed": "A refund of a request's payment is confirmed on chain",
    "request.expired": "A payment request expired unpaid",
  };
  for (const event of WEBHOOK_EVENTS) {
    api.openAPIRegistry.registerWebhook({
      method: "post",
      path: event,
      tags: ["Webhooks"],
      summary: webhookSummaries[event],
      description:
        "POSTed by the city service to each of the shop's webhook endpoints that takes this event, signed per " +
        "Standard Webhooks: verify webhook-signature over `webhook-id.webhook-timestamp.body` with the endpoint's " +
        "whsec_ secret before trusting the body. Retried with backoff for about a day until you answer 2xx; every " +
        "attempt is listed under /api/v1/webhook-endpoints/{id}/attempts. The same event keeps its webhook-id.",
      request: {
        headers: WebhookHeaders,
        body: { required: true, content: { "application/json": { schema: WEBHOOK_PAYLOADS[event] } } },
      },
      responses: {
        "2XX": { description: "Received: any 2xx within 10 seconds counts as delivered" },
        default: { description: "Anything else, or no answer in 10 seconds: sent again later (same webhook-id)" },
      },
    });
  }

  // The document as the routes generate it, with each summary's Chinese beside it (summariesZh.ts).
  api.get("/openapi.json", (c) =>
    c.json(
      withChineseSummaries(
        api.getOpenAPI31Document({
          openapi: "3.1.0",
          info: {
            title: "Hefei City Wallet — merchant API",
            version: "1.0.0",
            description:
              "Payment requests, receipts, daily statements and refunds for shops registered with the city. " +
              "Amounts are in fen (1 元 = 100 fen) as decimal strings.",
          },
        }),
      ),
    ),
  );

  app.route("/", api as unknown as Hono<AppEnv>);
}
