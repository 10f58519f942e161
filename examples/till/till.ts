// A sample till for the Hefei City Wallet merchant API: what a shop's own checkout does.
//
//   1. starts a small webhook receiver on this machine and registers it with the city service
//      (or uses an endpoint you registered before: HCY_WEBHOOK_SECRET + HCY_TILL_PORT);
//   2. creates a payment request for the amount and order number;
//   3. prints its QR code in the terminal (the EIP-681 URI any wallet scans) and the pay link;
//   4. verifies every webhook's signature (Standard Webhooks, the `standardwebhooks` library) and
//      waits for `payment.received` of this request;
//   5. prints the receipt: amount, order reference, transaction and block.
//
// It talks to the service only through the client generated from the OpenAPI document
// (generated/merchant-api.ts, openapi-fetch). Run it (see the README, "Merchant API"):
//
//   HCY_API_KEY=hcy_live_… npx tsx examples/till/till.ts --amount 12.50 [--order A-1024]
//
// Environment: HCY_API_KEY (required), HCY_API_URL (default http://127.0.0.1:8787),
// HCY_WEBHOOK_URL (the public https URL that reaches this receiver, when the service is not on
// this machine), HCY_WEBHOOK_SECRET with HCY_TILL_PORT (use an endpoint registered before).
// Exit status: 0 paid, 2 expired or timed out, 1 any error.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import createClient from "openapi-fetch";
import QRCode from "qrcode";
import { Webhook } from "standardwebhooks";
import type { components, paths } from "../../generated/merchant-api.js";

type PaymentRequest = components["schemas"]["PaymentRequest"];

/** The body of a webhook message: its types come from the document's `webhooks` (README: Webhooks). */
type WebhookMessage =
  | components["schemas"]["PaymentReceivedEvent"]
  | components["schemas"]["RefundCompletedEvent"]
  | components["schemas"]["RequestExpiredEvent"];

const say = (line = "") => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`till: ${line}\n`);
  process.exit(1);
};

const { values } = parseArgs({
  options: {
    amount: { type: "string" },
    order: { type: "string" },
    expires: { type: "string", default: "900" },
  },
});
const apiUrl = (process.env.HCY_API_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const apiKey = process.env.HCY_API_KEY ?? fail("set HCY_API_KEY to a key of your shop (hcy_live_…)");
const amountYuan = values.amount ?? fail("give the amount in yuan: --amount 12.50");
const orderRef = values.order ?? `TILL-${new Date().toISOString().replace(/\D/g, "").slice(2, 14)}`;
const expiresInSeconds = Number(values.expires);

const api = createClient<paths>({
  baseUrl: apiUrl,
  headers: { authorization: `Bearer ${apiKey}` },
  fetch: (request) =>
    fetch(request).catch((error: Error) =>
      fail(`cannot reach the city service at ${apiUrl} (${String(error.cause ?? error.message)}); is it running?`),
    ),
});
const problem = (error: { error: string; message: string } | undefined, status: number) =>
  error === undefined ? `HTTP ${status}` : `${error.error}: ${error.message}`;

// ---- 1. The webhook receiver ----

let webhook: Webhook | undefined;
const seen = new Set<string>();
let onMessage: (message: WebhookMessage) => void = () => {};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const receiver = createServer(async (req, res) => {
  const body = await readBody(req);
  let message: WebhookMessage;
  try {
    if (webhook === undefined) throw new Error("not ready");
    // The raw body exactly as sent, and the webhook-id / -timestamp / -signature headers.
    message = webhook.verify(body, req.headers as Record<string, string>) as WebhookMessage;
  } catch {
    say(`  ✗ a webhook with a bad signature was refused (${req.headers["webhook-id"] ?? "no id"})`);
    res.writeHead(400).end();
    return;
  }
  res.writeHead(204).end(); // answered at once: the service retries anything that is not 2xx
  const id = String(req.headers["webhook-id"]);
  if (seen.has(id)) return; // a retry of a message already handled
  seen.add(id);
  say(`  ✓ webhook ${message.type} for ${message.data.id} (signature verified, ${id})`);
  onMessage(message);
});

const fixedPort = process.env.HCY_TILL_PORT === undefined ? 0 : Number(process.env.HCY_TILL_PORT);
await new Promise<void>((resolve) => receiver.listen(fixedPort, "127.0.0.1", resolve));
const port = (receiver.address() as AddressInfo).port;

let endpointId: string | undefined;
if (process.env.HCY_WEBHOOK_SECRET !== undefined) {
  webhook = new Webhook(process.env.HCY_WEBHOOK_SECRET);
  say(`Webhooks: using your endpoint's secret, listening on 127.0.0.1:${port}`);
} else {
  const url = process.env.HCY_WEBHOOK_URL ?? `http://127.0.0.1:${port}/hcy-webhooks`;
  const { data, error, response } = await api.POST("/api/v1/webhook-endpoints", {
    body: { url, events: ["payment.received", "request.expired"] },
  });
  if (data === undefined) fail(`could not register the webhook endpoint: ${problem(error, response.status)}`);
  endpointId = data?.id;
  webhook = new Webhook(data?.secret as string);
  say(`Webhooks: ${url} registered as ${endpointId} (removed again when the till stops)`);
}

async function stop(code: number): Promise<never> {
  if (endpointId !== undefined) {
    await api.DELETE("/api/v1/webhook-endpoints/{id}", { params: { path: { id: endpointId } } }).catch(() => {});
  }
  receiver.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));

// ---- 2. The payment request ----

const created = await api.POST("/api/v1/payment-requests", {
  // The same order retried after a lost answer gets the same request back, never a second one.
  params: { header: { "idempotency-key": `till-${orderRef}` } },
  body: { amountYuan, orderRef, expiresInSeconds },
});
if (created.data === undefined) {
  process.stderr.write(
    `till: could not create the payment request: ${problem(created.error, created.response.status)}\n`,
  );
  await stop(1);
}
const request = created.data as PaymentRequest;

// ---- 3. The QR code ----

say();
say(`Order ${request.orderRef}: ${request.amountYuan} 元 — scan to pay (request ${request.id})`);
say(await QRCode.toString(request.paymentUri, { type: "terminal", small: true, errorCorrectionLevel: "M" }));
say(`Pay link: ${request.payLink}`);
say(`EIP-681:  ${request.paymentUri}`);
say(`Open until ${new Date(request.expiresAt).toISOString()}; waiting for the payment…`);

// ---- 4. Wait for payment.received (or request.expired) ----

const outcome = await new Promise<WebhookMessage | "timeout">((resolve) => {
  onMessage = (message) => {
    if (message.data.id !== request.id) return; // another request of this shop
    if (message.type === "payment.received" || message.type === "request.expired") resolve(message);
  };
  // A day past the expiry the service stops watching for a late payment; the till stops earlier.
  setTimeout(() => resolve("timeout"), Math.max(0, request.expiresAt - Date.now()) + 120_000).unref();
});

if (outcome === "timeout" || outcome.type === "request.expired") {
  say(outcome === "timeout" ? "No payment arrived in time." : `Request ${request.id} expired unpaid.`);
  await stop(2);
}

// ---- 5. The receipt, as the API reads it from the chain ----

const {
  data: paid,
  error,
  response,
} = await api.GET("/api/v1/payment-requests/{id}", {
  params: { path: { id: request.id } },
});
if (paid === undefined || paid.payment === null) {
  process.stderr.write(`till: the payment could not be read back: ${problem(error, response.status)}\n`);
  await stop(1);
}
const payment = paid?.payment as NonNullable<PaymentRequest["payment"]>;
say();
say("──── 收据 RECEIPT ────");
say(`status:      ${paid?.status}`);
say(`amount:      ${yuan(payment.amountFen)} 元`);
say(`order:       ${paid?.orderRef}`);
say(`payer:       ${payment.payer}`);
say(`transaction: ${payment.txHash}`);
say(`block:       ${payment.blockNumber}`);
say("─────────────────────");
await stop(0);

function yuan(fen: string): string {
  const n = BigInt(fen);
  return `${n / 100n}.${(n % 100n).toString().padStart(2, "0")}`;
}
