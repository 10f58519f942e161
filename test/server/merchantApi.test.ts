// The merchant API (issue 25) against a real hardhat node with CityYuan and the MerchantRegistry:
// API keys (shop only, shown once, hashed, scoped, revoked at once, rate-limited per key, never
// across shops), payment requests (amount / order reference / expiry checks with exact codes,
// status read from the chain after the city's confirmations, expired, refunded), receipts and
// the daily statement, idempotency keys, and the OpenAPI 3.1 document: validated by a standard
// validator, every route in it exercised here, each key route's documented scope enforced, and
// every webhook message sent matching its schema under the document's `webhooks`. Runs on SQLite
// and on PostgreSQL.
import { readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Webhook } from "standardwebhooks";
import { type Address, getAddress, type Hex, keccak256, toHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toOrderRef } from "../../core/orderRef.js";
import { chainInsightsSource } from "../../server/src/api/insights.js";
import { chainShopLedger } from "../../server/src/api/ledger.js";
import { RETRY_DELAYS_MS, WEBHOOK_EVENTS, WebhookSender } from "../../server/src/api/webhooks.js";
import {
  account,
  call,
  DATABASES,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  send,
  signIn,
  startTestService,
  type TestService,
  walletFor,
} from "./helpers.js";
import { responseChecker, webhookChecker } from "./openApiCheck.js";

const SHOP_A = account(5);
const SHOP_B = account(6);
const PAYER = account(7);
const NOT_A_SHOP = account(8);

/** Every (method, path template) the tests called, to check against the OpenAPI document. */
const exercised = new Set<string>();
const TEMPLATES: [RegExp, string][] = [
  [/^\/merchant\/keys\/[^/]+$/, "/merchant/keys/{id}"],
  [/^\/api\/v1\/payment-requests\/[^/]+$/, "/api/v1/payment-requests/{id}"],
  [/^\/api\/v1\/receipts\/[^/]+$/, "/api/v1/receipts/{date}"],
  [/^\/api\/v1\/statements\/[^/]+$/, "/api/v1/statements/{date}"],
  [/^\/api\/v1\/webhook-endpoints\/[^/]+\/attempts$/, "/api/v1/webhook-endpoints/{id}/attempts"],
  [/^\/api\/v1\/webhook-endpoints\/[^/]+\/rotate-secret$/, "/api/v1/webhook-endpoints/{id}/rotate-secret"],
  [/^\/api\/v1\/webhook-endpoints\/[^/]+$/, "/api/v1/webhook-endpoints/{id}"],
  [
    /^\/api\/v1\/webhook-endpoints\/[^/]+\/events\/[^/]+\/replay$/,
    "/api/v1/webhook-endpoints/{id}/events/{eventId}/replay",
  ],
  [
    /^\/merchant\/webhook-endpoints\/[^/]+\/events\/[^/]+\/replay$/,
    "/merchant/webhook-endpoints/{id}/events/{eventId}/replay",
  ],
  [/^\/merchant\/webhook-endpoints\/[^/]+\/attempts$/, "/merchant/webhook-endpoints/{id}/attempts"],
  [/^\/merchant\/webhook-endpoints\/[^/]+\/rotate-secret$/, "/merchant/webhook-endpoints/{id}/rotate-secret"],
  [/^\/merchant\/webhook-endpoints\/[^/]+$/, "/merchant/webhook-endpoints/{id}"],
];
function record(method: string, pathname: string) {
  const p = pathname.split("?")[0] as string;
  exercised.add(`${method.toLowerCase()} ${TEMPLATES.find(([re]) => re.test(p))?.[1] ?? p}`);
}

let node: HardhatNode;
let deployed: Deployed;
let registry: Address;

async function deployRegistry(url: string): Promise<Address> {
  const { abi, bytecode } = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/MerchantRegistry.sol/MerchantRegistry.json"), "utf8"),
  ) as { abi: readonly unknown[]; bytecode: Hex };
  const client = publicClientFor(url);
  const admin = walletFor(url, account(0));
  const hash = await admin.deployContract({ abi, bytecode, args: [account(0).address, 0] });
  const address = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
  const write = async (functionName: string, args: readonly unknown[]) =>
    client.waitForTransactionReceipt({ hash: await admin.writeContract({ address, abi, functionName, args }) });
  await write("grantRole", [keccak256(toHex("REGISTRAR_ROLE")), account(0).address]);
  await write("register", [SHOP_A.address, "包子铺", 0]);
  await write("register", [SHOP_B.address, "药店", 0]);
  return address;
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  deployed = await deployCityYuan(node.url);
  registry = await deployRegistry(node.url);
  await send(node.url, deployed, account(1), "issue", [PAYER.address, 10_000_000n, keccak256(toHex("deposit-1"))]);
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

async function mine() {
  await publicClientFor(node.url).request({ method: "evm_mine" as never, params: [] as never });
}

const pay = (shop: Address, fen: bigint, ref: string) =>
  send(node.url, deployed, PAYER, "pay", [shop, fen, toOrderRef(ref)]);

for (const database of DATABASES) {
  describe(`merchant API (${database})`, () => {
    let service: TestService;
    let cookieA: string;
    let cookieB: string;

    const api = async (
      method: string,
      pathname: string,
      o: { key?: string; body?: unknown; rawBody?: string; cookie?: string; headers?: Record<string, string> } = {},
    ) => {
      record(method, pathname);
      const headers: Record<string, string> = { ...o.headers };
      if (o.key !== undefined) headers.authorization = `Bearer ${o.key}`;
      // A shop's system is no browser: no Origin, no cookie (unless a test says so).
      return call(service.app, method, pathname, {
        body: o.body,
        rawBody: o.rawBody,
        cookie: o.cookie,
        headers,
        origin: o.cookie === undefined ? null : undefined,
        device: o.cookie === undefined ? null : undefined,
      });
    };
    const newKey = async (cookie: string, scopes = ["receipts:read", "requests:write", "refunds:write"]) => {
      const res = await api("POST", "/merchant/keys", { cookie, body: { label: "Till 1", scopes } });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.key as string;
    };
    let orderSeq = 0;
    const order = () => `${database}-A-${++orderSeq}`;

    beforeAll(async () => {
      service = await startTestService({
        database,
        config: { confirmations: 1 },
        deps: {
          merchantApiRatePerMinute: 1000,
          shopLedger: chainShopLedger({
            client: publicClientFor(node.url),
            chainId: 31337,
            cityYuan: deployed.cityYuan,
            merchantRegistry: registry,
            deployBlock: deployed.deployBlock,
            blockRange: 50,
          }),
          insightsSource: chainInsightsSource({
            rpcUrl: node.url,
            deployBlock: deployed.deployBlock,
            contracts: {
              CityYuan: deployed.cityYuan,
              RedPacket: zeroAddress,
              Vouchers: zeroAddress,
              DelayedTransfers: zeroAddress,
              FamilyCards: zeroAddress,
              MerchantRegistry: registry,
            },
          }),
        },
      });
      cookieA = (await signIn(service, SHOP_A)).cookie;
      cookieB = (await signIn(service, SHOP_B)).cookie;
    }, 60_000);

    afterAll(async () => {
      await service?.close();
    });

    it("test_KeyLifecycle: only a registered shop gets keys, shown once, listed without secret, revoked at once", async () => {
      const stranger = (await signIn(service, NOT_A_SHOP)).cookie;
      const refused = await api("POST", "/merchant/keys", {
        cookie: stranger,
        body: { label: "x", scopes: ["receipts:read"] },
      });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toBe("not_a_shop");

      const noSession = await api("GET", "/merchant/keys");
      expect(noSession.json.error).toBe("not_signed_in");
      // A page elsewhere cannot make keys with the owner's cookie.
      const forged = await call(service.app, "POST", "/merchant/keys", {
        cookie: cookieA,
        origin: "https://evil.example",
        body: { label: "x", scopes: ["receipts:read"] },
      });
      expect(forged.json.error).toBe("forbidden_origin");
      const badScope = await api("POST", "/merchant/keys", { cookie: cookieA, body: { label: "x", scopes: ["all"] } });
      expect(badScope.json.error).toBe("invalid_field");

      const created = await api("POST", "/merchant/keys", {
        cookie: cookieA,
        body: { label: "Till 1", scopes: ["receipts:read", "requests:write"] },
      });
      expect(created.status).toBe(201);
      const key = created.json.key as string;
      expect(key).toMatch(/^hcy_live_[0-9a-f]{16}_[0-9a-f]{64}$/);
      expect(key.startsWith(`hcy_live_${created.json.id}_`)).toBe(true);
      const stored = await service.db.all<Record<string, unknown>>("SELECT * FROM merchant_api_keys");
      expect(JSON.stringify(stored)).not.toContain(key.slice(26));

      const list = await api("GET", "/merchant/keys", { cookie: cookieA });
      const keys = list.json.keys as Record<string, unknown>[];
      expect(keys.map((k) => k.id)).toContain(created.json.id);
      expect(JSON.stringify(list.json)).not.toContain(key.slice(26));
      // Shop B sees none of A's keys and cannot revoke them.
      const listB = await api("GET", "/merchant/keys", { cookie: cookieB });
      expect((listB.json.keys as unknown[]).length).toBe(0);
      expect((await api("DELETE", `/merchant/keys/${created.json.id}`, { cookie: cookieB })).json.error).toBe(
        "not_found",
      );

      const ok = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountYuan: "1.00", orderRef: order() },
      });
      expect(ok.status, JSON.stringify(ok.json)).toBe(201);
      // Without the scope: refused with the scope named.
      const noScope = await api("POST", "/api/v1/refunds", { key, body: { requestId: ok.json.id } });
      expect(noScope.status).toBe(403);
      expect(noScope.json.error).toBe("insufficient_scope");

      const revoked = await api("DELETE", `/merchant/keys/${created.json.id}`, { cookie: cookieA });
      expect(revoked.status).toBe(200);
      expect(revoked.json.revokedAt).toBeTypeOf("number");
      const after = await api("GET", `/api/v1/payment-requests/${ok.json.id}`, { key });
      expect(after.status).toBe(401);
      expect(after.json.error).toBe("api_key_revoked");

      for (const bad of [
        "nonsense",
        `${key.slice(0, -1)}${key.endsWith("0") ? "1" : "0"}`,
        `hcy_live_${"0".repeat(16)}_${"0".repeat(64)}`,
      ]) {
        const res = await api("GET", `/api/v1/payment-requests/${ok.json.id}`, { key: bad });
        expect(res.json.error).toBe("invalid_api_key");
      }
      expect((await api("GET", `/api/v1/payment-requests/${ok.json.id}`)).json.error).toBe("invalid_api_key");
      // A key is no session, and a session is no key.
      expect((await api("GET", "/merchant/keys", { key })).json.error).toBe("not_signed_in");
      const cookieOnly = await api("GET", `/api/v1/payment-requests/${ok.json.id}`, { cookie: cookieA });
      expect(cookieOnly.json.error).toBe("invalid_api_key");
    });

    it("test_ShopIsolation: shop A's key never reads shop B's requests", async () => {
      const keyA = await newKey(cookieA);
      const keyB = await newKey(cookieB);
      const ref = `${database}-B-1`;
      const b = await api("POST", "/api/v1/payment-requests", { key: keyB, body: { amountFen: "500", orderRef: ref } });
      expect(b.status).toBe(201);
      const read = await api("GET", `/api/v1/payment-requests/${b.json.id}`, { key: keyA });
      expect(read.status).toBe(404);
      expect(read.json.error).toBe("not_found");
      const refund = await api("POST", "/api/v1/refunds", { key: keyA, body: { requestId: b.json.id } });
      expect(refund.json.error).toBe("not_found");
      // The same order number at another shop is that shop's own business.
      const a = await api("POST", "/api/v1/payment-requests", { key: keyA, body: { amountFen: "500", orderRef: ref } });
      expect(a.status).toBe(201);
      expect(a.json.id).not.toBe(b.json.id);
    });

    it("test_RevertWhen_BadAmountExpiryOrderRef: each refused with its exact code", async () => {
      const key = await newKey(cookieA);
      const cases: [Record<string, unknown>, number, string][] = [
        [{ amountYuan: "12.345" }, 400, "amount_too_many_decimals"],
        [{ amountYuan: "12.340" }, 400, "amount_too_many_decimals"],
        [{ amountFen: "12.5" }, 400, "amount_too_many_decimals"],
        [{ amountYuan: "0" }, 400, "amount_zero"],
        [{ amountFen: "0" }, 400, "amount_zero"],
        [{ amountYuan: "0.00" }, 400, "amount_zero"],
        [{ amountYuan: "-1" }, 400, "amount_negative"],
        [{ amountFen: "-100" }, 400, "amount_negative"],
        [{ amountYuan: "1e3" }, 400, "amount_not_number"],
        [{ amountYuan: "12,50" }, 400, "amount_not_number"],
        [{ amountFen: "0x10" }, 400, "amount_not_number"],
        [{ amountYuan: "1000000000.01" }, 400, "amount_too_large"],
        [{ amountFen: "999999999999999999999" }, 400, "amount_too_large"],
        [{}, 400, "amount_missing"],
        [{ amountFen: "100", amountYuan: "1.00" }, 400, "amount_ambiguous"],
        [{ amountFen: 100 }, 400, "invalid_field"],
        [{ amountFen: "100", expiresInSeconds: 59 }, 400, "expiry_too_short"],
        [{ amountFen: "100", expiresInSeconds: 7 * 24 * 3600 + 1 }, 400, "expiry_too_long"],
        [{ amountFen: "100", expiresInSeconds: 90.5 }, 400, "invalid_field"],
        [{ amountFen: "100", orderRef: "" }, 400, "order_ref_invalid"],
        [{ amountFen: "100", orderRef: "x".repeat(65) }, 400, "order_ref_invalid"],
        [{ amountFen: "100", orderRef: "A\n1" }, 400, "order_ref_invalid"],
        [{ amountFen: "100", extra: 1 }, 400, "unknown_field"],
      ];
      for (const [fields, status, code] of cases) {
        const body = { orderRef: order(), ...fields };
        const res = await api("POST", "/api/v1/payment-requests", { key, body });
        expect([res.status, res.json.error], JSON.stringify(fields)).toEqual([status, code]);
      }
      const text = await api("POST", "/api/v1/payment-requests", {
        key,
        rawBody: "amountFen=100",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect([text.status, text.json.error]).toEqual([415, "unsupported_media_type"]);
      const broken = await api("POST", "/api/v1/payment-requests", { key, rawBody: "{" });
      expect([broken.status, broken.json.error]).toEqual([400, "malformed_json"]);

      const ref = order();
      const first = await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "100", orderRef: ref } });
      expect(first.status).toBe(201);
      const again = await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "100", orderRef: ref } });
      expect([again.status, again.json.error]).toEqual([409, "order_ref_exists"]);

      expect((await api("GET", "/api/v1/receipts/2026-02-30", { key })).json.error).toBe("invalid_date");
      expect((await api("GET", "/api/v1/statements/20261206", { key })).json.error).toBe("invalid_date");
      // Nothing of the refused requests was stored.
      const rows = await service.db.all("SELECT id FROM merchant_payment_requests WHERE order_text LIKE ?", [
        `${database}-A-%`,
      ]);
      expect(rows.length).toBeLessThanOrEqual(orderSeq - cases.length);
    });

    it("test_PaymentRequest: links and QR, open until paid in full and confirmed, then refunded; expired", async () => {
      const key = await newKey(cookieA);
      const ref = order();
      const created = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountYuan: "12.50", orderRef: ref, expiresInSeconds: 600 },
      });
      expect(created.status).toBe(201);
      const r = created.json;
      expect(r.status).toBe("open");
      expect(r.amountFen).toBe("1250");
      expect(r.paymentUri).toBe(
        `ethereum:${getAddress(deployed.cityYuan)}@31337/transfer?address=${SHOP_A.address}&uint256=1250&ref=${encodeURIComponent(ref)}&exp=${Math.floor((r.expiresAt as number) / 1000)}`,
      );
      expect(r.payLink).toBe(
        `${service.config.allowedOrigins[0]}/#/pay?request=${encodeURIComponent(r.paymentUri as string)}`,
      );
      const png = Buffer.from((r.qrPng as string).replace(/^data:image\/png;base64,/, ""), "base64");
      expect(png.subarray(1, 4).toString()).toBe("PNG");

      // Too little, or the right amount for another order: still open.
      await pay(SHOP_A.address, 1249n, ref);
      await pay(SHOP_A.address, 1250n, `${ref}-other`);
      await mine();
      expect((await api("GET", `/api/v1/payment-requests/${r.id}`, { key })).json.status).toBe("open");

      const tx = await pay(SHOP_A.address, 1250n, ref);
      // Mined, but not yet the city's one confirmation deep.
      expect((await api("GET", `/api/v1/payment-requests/${r.id}`, { key })).json.status).toBe("open");
      await mine();
      const paid = await api("GET", `/api/v1/payment-requests/${r.id}`, { key });
      expect(paid.json.status).toBe("paid");
      const payment = paid.json.payment as Record<string, unknown>;
      expect(payment.txHash).toBe(tx);
      expect(payment.amountFen).toBe("1250");
      expect(payment.payer).toBe(PAYER.address);
      expect(payment.blockNumber).toBeTypeOf("number");

      // Receipts of the Hefei day of that block, and the statement.
      const block = await publicClientFor(node.url).getBlock({ blockNumber: BigInt(payment.blockNumber as number) });
      const day = new Date((Number(block.timestamp) + 8 * 3600) * 1000).toISOString().slice(0, 10);
      const receipts = await api("GET", `/api/v1/receipts/${day}`, { key });
      expect(receipts.status).toBe(200);
      const list = receipts.json.receipts as Record<string, unknown>[];
      expect(list.some((x) => x.txHash === tx && x.amountYuan === "12.50")).toBe(true);
      const otherDay = await api("GET", "/api/v1/receipts/2001-01-01", { key });
      expect(otherDay.json.count).toBe(0);

      // A refund is prepared for the shop's own key; the service signs nothing.
      const tooMuch = await api("POST", "/api/v1/refunds", { key, body: { requestId: r.id, amountYuan: "12.51" } });
      expect(tooMuch.json.error).toBe("refund_too_large");
      const prepared = await api("POST", "/api/v1/refunds", { key, body: { requestId: r.id } });
      expect(prepared.status, JSON.stringify(prepared.json)).toBe(200);
      expect(prepared.json.amountFen).toBe("1250");
      const shopWallet = walletFor(node.url, SHOP_A);
      const refundTx = await shopWallet.sendTransaction({
        to: prepared.json.to as Address,
        data: prepared.json.data as Hex,
      });
      await publicClientFor(node.url).waitForTransactionReceipt({ hash: refundTx });
      await mine();
      const refunded = await api("GET", `/api/v1/payment-requests/${r.id}`, { key });
      expect(refunded.json.status).toBe("refunded");
      expect(refunded.json.refundedFen).toBe("1250");
      // Each answer, open (payment null), paid and refunded, is what the document says it is.
      const documented = await responseChecker((await api("GET", "/openapi.json")).json);
      documented("post", "/api/v1/payment-requests", 201, created.json);
      for (const answer of [paid, refunded]) documented("get", "/api/v1/payment-requests/{id}", 200, answer.json);
      documented("get", "/api/v1/receipts/{date}", 200, receipts.json);
      documented("post", "/api/v1/refunds", 200, prepared.json);
      expect(() => documented("get", "/api/v1/payment-requests/{id}", 200, { ...paid.json, payment: {} })).toThrow();
      expect((await api("POST", "/api/v1/refunds", { key, body: { requestId: r.id } })).json.error).toBe(
        "already_refunded",
      );
      const open = await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "1", orderRef: order() } });
      expect((await api("POST", "/api/v1/refunds", { key, body: { requestId: open.json.id } })).json.error).toBe(
        "not_paid",
      );

      // The statement is CSV, not JSON: read raw.
      const res = await service.app.fetch(
        new Request(`http://127.0.0.1:8787/api/v1/statements/${day}`, { headers: { authorization: `Bearer ${key}` } }),
      );
      record("GET", `/api/v1/statements/${day}`);
      expect(res.headers.get("content-type")).toContain("text/csv");
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A UTF-8 byte order mark, so spreadsheet programs read 中文 order numbers right.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = new TextDecoder().decode(bytes);
      expect(csv.startsWith("time_utc8,type,")).toBe(true);
      expect(csv).toContain(`,payment,`);
      expect(csv).toContain(`"${ref}",${PAYER.address},12.50,${tx},`);
      expect(csv).toContain(`,refund,`);
      expect(csv).toContain(`-12.50,${refundTx},`);

      // Expiry: an unpaid request turns expired at its time.
      const short = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountFen: "300", orderRef: order(), expiresInSeconds: 60 },
      });
      expect(short.json.status).toBe("open");
      service.clock.advance(60_000);
      expect((await api("GET", `/api/v1/payment-requests/${short.json.id}`, { key })).json.status).toBe("expired");
    }, 60_000);

    it("test_StatementDefusesFormulas: an order reference starting with = cannot run in a spreadsheet", async () => {
      const key = await newKey(cookieA);
      const ref = `=HYPERLINK("x")-${database}`;
      await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "7", orderRef: ref } });
      const tx = await pay(SHOP_A.address, 7n, ref);
      await mine();
      const receipt = await publicClientFor(node.url).getTransactionReceipt({ hash: tx });
      const block = await publicClientFor(node.url).getBlock({ blockNumber: receipt.blockNumber });
      const day = new Date((Number(block.timestamp) + 8 * 3600) * 1000).toISOString().slice(0, 10);
      const res = await service.app.fetch(
        new Request(`http://127.0.0.1:8787/api/v1/statements/${day}`, { headers: { authorization: `Bearer ${key}` } }),
      );
      const csv = await res.text();
      expect(csv).toContain(`"'=HYPERLINK(""x"")-${database}"`);
    }, 30_000);

    it("test_Idempotency: same key and body answered once, another body refused with 422", async () => {
      const key = await newKey(cookieA);
      const body = { amountFen: "880", orderRef: order() };
      const headers = { "idempotency-key": `till-1-${database}-42` };
      const first = await api("POST", "/api/v1/payment-requests", { key, body, headers });
      expect(first.status).toBe(201);
      // The same request again, even with its fields in another order.
      const replay = await api("POST", "/api/v1/payment-requests", {
        key,
        rawBody: JSON.stringify({ orderRef: body.orderRef, amountFen: body.amountFen }),
        headers,
      });
      expect(replay.status).toBe(201);
      expect(replay.json.id).toBe(first.json.id);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const rows = await service.db.all("SELECT id FROM merchant_payment_requests WHERE order_text = ?", [
        body.orderRef,
      ]);
      expect(rows.length).toBe(1);
      const other = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { ...body, amountFen: "881" },
        headers,
      });
      expect([other.status, other.json.error]).toEqual([422, "idempotency_key_reused"]);
      // A refused request frees its key: once fixed, the same key goes through.
      const k2 = { "idempotency-key": `till-1-${database}-43` };
      const bad = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountFen: "0", orderRef: order() },
        headers: k2,
      });
      expect(bad.json.error).toBe("amount_zero");
      const fixed = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountFen: "1", orderRef: order() },
        headers: k2,
      });
      expect(fixed.status).toBe(201);
      const tooLong = await api("POST", "/api/v1/payment-requests", {
        key,
        body: { amountFen: "1", orderRef: order() },
        headers: { "idempotency-key": "x".repeat(256) },
      });
      expect(tooLong.json.error).toBe("invalid_field");
      // Two retries racing: one request is made, the other gets it replayed or is told to wait.
      const raceBody = { amountFen: "77", orderRef: order() };
      const raceHeaders = { "idempotency-key": `till-1-${database}-race` };
      const raced = await Promise.all(
        [1, 2, 3].map(() => api("POST", "/api/v1/payment-requests", { key, body: raceBody, headers: raceHeaders })),
      );
      for (const x of raced) expect([201, 409]).toContain(x.status);
      expect(raced.filter((x) => x.status === 409).every((x) => x.json.error === "idempotency_in_progress")).toBe(true);
      expect(new Set(raced.filter((x) => x.status === 201).map((x) => x.json.id)).size).toBe(1);
      const raceRows = await service.db.all("SELECT id FROM merchant_payment_requests WHERE order_text = ?", [
        raceBody.orderRef,
      ]);
      expect(raceRows.length).toBe(1);
      // Keys are per shop: B's request under the same key is B's own.
      const keyB = await newKey(cookieB);
      const b = await api("POST", "/api/v1/payment-requests", { key: keyB, body, headers });
      expect(b.status).toBe(201);
      expect(b.json.id).not.toBe(first.json.id);
    });

    it("test_RateLimitPerKey: a key over its allowance is refused, another key is not", async () => {
      // The same ledger as the main service: the registry answers whether A is a shop.
      const ledger = chainShopLedger({
        client: publicClientFor(node.url),
        chainId: 31337,
        cityYuan: deployed.cityYuan,
        merchantRegistry: registry,
        deployBlock: deployed.deployBlock,
        blockRange: 50,
      });
      const svc = await startTestService({ database, deps: { merchantApiRatePerMinute: 3, shopLedger: ledger } });
      try {
        const cookie = (await signIn(svc, SHOP_A)).cookie;
        const mk = async () =>
          (
            await call(svc.app, "POST", "/merchant/keys", {
              cookie,
              body: { label: "t", scopes: ["receipts:read"] },
            })
          ).json.key as string;
        const [k1, k2] = [await mk(), await mk()];
        const get = (k: string) =>
          call(svc.app, "GET", "/api/v1/receipts/2001-01-01", {
            origin: null,
            device: null,
            headers: { authorization: `Bearer ${k}` },
          });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await get(k1)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const over = await get(k1);
        expect(over.json.error).toBe("rate_limited");
        expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await get(k2)).status).toBe(200);
        svc.clock.advance(60_000);
        expect((await get(k1)).status).toBe(200);
      } finally {
        await svc.close();
      }
    }, 30_000);

    it("test_Webhooks: signed per Standard Webhooks, retried after failures, every attempt listed, once per id across a restart", async () => {
      const key = await newKey(cookieA);
      for (const url of [
        "ftp://example.com/hook",
        "http://example.com/hook",
        "https://user:pw@example.com/hook",
        "https://10.0.0.1/hook",
        "https://192.168.1.10/hook",
        "not a url",
      ]) {
        const res = await api("POST", "/api/v1/webhook-endpoints", { key, body: { url } });
        expect([res.status, res.json.error], url).toEqual([400, "webhook_url_invalid"]);
      }

      // A real endpoint: fails the first two tries of each message with 500, then answers 200.
      // (Earlier tests' requests of this shop are told too; each check picks its own message.)
      const received: { headers: Record<string, string>; body: string }[] = [];
      const tries = new Map<string, number>();
      const server = createHttpServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => {
          body += chunk;
        });
        req.on("end", () => {
          received.push({ headers: req.headers as Record<string, string>, body });
          const id = String(req.headers["webhook-id"]);
          tries.set(id, (tries.get(id) ?? 0) + 1);
          res.statusCode = (tries.get(id) ?? 0) <= 2 ? 500 : 200;
          res.end();
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      try {
        const reg = await api("POST", "/api/v1/webhook-endpoints", {
          key,
          body: { url: `http://127.0.0.1:${port}/hook` },
        });
        expect(reg.status, JSON.stringify(reg.json)).toBe(201);
        const secret = reg.json.secret as string;
        expect(secret).toMatch(/^whsec_/);
        const listed = await api("GET", "/api/v1/webhook-endpoints", { key });
        expect(JSON.stringify(listed.json)).not.toContain(secret);
        expect((listed.json.endpoints as { id: string }[]).map((e) => e.id)).toContain(reg.json.id);

        const ledger = chainShopLedger({
          client: publicClientFor(node.url),
          chainId: 31337,
          cityYuan: deployed.cityYuan,
          merchantRegistry: registry,
          deployBlock: deployed.deployBlock,
          blockRange: 50,
        });
        const sender = () => new WebhookSender({ db: service.db, ledger, confirmations: 1, now: service.clock.now });
        const ref = order();
        const r = await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "990", orderRef: ref } });
        await pay(SHOP_A.address, 990n, ref);
        await mine();

        const about = (id: unknown) =>
          received.filter((x) => (JSON.parse(x.body) as { data: { id: string } }).data.id === id);
        const first = sender();
        await first.tick();
        expect(about(r.json.id).length).toBe(1);
        await first.tick(); // not due yet: no second try within the backoff
        expect(about(r.json.id).length).toBe(1);
        service.clock.advance(RETRY_DELAYS_MS[0] as number);
        await first.tick();
        service.clock.advance(RETRY_DELAYS_MS[1] as number);
        await first.tick();
        const ours = about(r.json.id);
        expect(ours.length).toBe(3);
        expect(new Set(ours.map((x) => x.headers["webhook-id"])).size).toBe(1);
        const last = ours[2] as { headers: Record<string, string>; body: string };
        const event = new Webhook(secret).verify(last.body, last.headers) as { type: string; data: { id: string } };
        expect(event.type).toBe("payment.received");
        expect(event.data.id).toBe(r.json.id);
        // A tampered body fails the third-party verifier.
        expect(() => new Webhook(secret).verify(last.body.replace("990", "991"), last.headers)).toThrow();

        const attempts = await api("GET", `/api/v1/webhook-endpoints/${reg.json.id}/attempts`, { key });
        const list = (
          attempts.json.attempts as { eventId: string; httpStatus: number; attempt: number; delivery: string }[]
        ).filter((a) => a.eventId === last.headers["webhook-id"]);
        expect(list.map((a) => [a.attempt, a.httpStatus])).toEqual([
          [3, 200],
          [2, 500],
          [1, 500],
        ]);
        expect(list.every((a) => a.delivery === "delivered")).toBe(true);

        // A restart (a fresh sender on the same database), a day later: nothing is sent again.
        service.clock.advance(24 * 3600_000);
        await sender().tick();
        expect(received.filter((x) => x.headers["webhook-id"] === last.headers["webhook-id"]).length).toBe(3);

        // An expired request is told too; after a rotation both secrets verify for a day.
        // (Back to the real time: the verifier refuses a timestamp more than 5 minutes off its clock.)
        service.clock.t = Date.now();
        const rotated = await api("POST", `/api/v1/webhook-endpoints/${reg.json.id}/rotate-secret`, { key });
        const fresh = rotated.json.secret as string;
        expect(fresh).not.toBe(secret);
        const shortRef = order();
        const short = await api("POST", "/api/v1/payment-requests", {
          key,
          body: { amountFen: "5", orderRef: shortRef, expiresInSeconds: 60 },
        });
        service.clock.advance(61_000);
        await sender().tick();
        const expired = about(short.json.id)[0] as { headers: Record<string, string>; body: string };
        for (const s of [fresh, secret]) {
          const e = new Webhook(s).verify(expired.body, expired.headers) as { type: string; data: { id: string } };
          expect([e.type, e.data.id]).toEqual(["request.expired", short.json.id]);
        }
        // Paid late, within a day of its expiry: the shop is told that too.
        await pay(SHOP_A.address, 5n, shortRef);
        await mine();
        await sender().tick();
        const late = about(short.json.id).map((x) => (JSON.parse(x.body) as { type: string }).type);
        expect(late).toContain("payment.received");

        // Every message the sender actually posted matches its schema under the document's webhooks
        // (body and Standard Webhooks headers); one with a field the document lacks does not.
        const check = await webhookChecker((await api("GET", "/openapi.json")).json);
        const types = new Set(received.map((m) => check(m)));
        expect(types).toContain("payment.received");
        expect(types).toContain("request.expired");
        const sample = JSON.parse(expired.body) as Record<string, unknown>;
        expect(() => check({ ...expired, body: JSON.stringify({ ...sample, extra: 1 }) })).toThrow();
        expect(() =>
          check({
            ...expired,
            body: JSON.stringify({ ...sample, data: { ...(sample.data as object), status: "open" } }),
          }),
        ).toThrow();

        // Shop B cannot see or remove A's endpoint; A removes it and it is gone.
        const keyB = await newKey(cookieB);
        expect((await api("GET", `/api/v1/webhook-endpoints/${reg.json.id}/attempts`, { key: keyB })).status).toBe(404);
        expect((await api("DELETE", `/api/v1/webhook-endpoints/${reg.json.id}`, { key: keyB })).status).toBe(404);
        expect((await api("DELETE", `/api/v1/webhook-endpoints/${reg.json.id}`, { key })).json.deleted).toBe(true);
        expect((await api("GET", `/api/v1/webhook-endpoints/${reg.json.id}/attempts`, { key })).status).toBe(404);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }, 60_000);

    it("test_OwnerWebhooks: the signed-in owner registers, rotates, reads attempts, replays a finished delivery, removes", async () => {
      const key = await newKey(cookieA);
      // Signed in, a shop, a good URL: each checked, with its code.
      const noSession = await api("GET", "/merchant/webhook-endpoints");
      expect(noSession.json.error).toBe("not_signed_in");
      const stranger = (await signIn(service, NOT_A_SHOP)).cookie;
      const notShop = await api("POST", "/merchant/webhook-endpoints", {
        cookie: stranger,
        body: { url: "https://till.example.com/hook" },
      });
      expect([notShop.status, notShop.json.error]).toEqual([403, "not_a_shop"]);
      for (const url of ["http://till.example.com/hook", "https://192.168.1.10/hook", "till"]) {
        const bad = await api("POST", "/merchant/webhook-endpoints", { cookie: cookieA, body: { url } });
        expect([bad.status, bad.json.error], url).toEqual([400, "webhook_url_invalid"]);
      }
      const forged = await call(service.app, "POST", "/merchant/webhook-endpoints", {
        cookie: cookieA,
        origin: "https://evil.example",
        body: { url: "https://evil.example/hook" },
      });
      expect(forged.json.error).toBe("forbidden_origin");

      let answer = 500;
      const received: { headers: Record<string, string>; body: string }[] = [];
      const server = createHttpServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => {
          body += chunk;
        });
        req.on("end", () => {
          received.push({ headers: req.headers as Record<string, string>, body });
          res.statusCode = answer;
          res.end();
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      try {
        service.clock.t = Date.now();
        const reg = await api("POST", "/merchant/webhook-endpoints", {
          cookie: cookieA,
          body: { url: `http://localhost:${port}/hook` },
        });
        expect(reg.status, JSON.stringify(reg.json)).toBe(201);
        const id = reg.json.id as string;
        const secret = reg.json.secret as string;
        expect(secret).toMatch(/^whsec_/);
        // Listed for the owner and for the shop's keys alike, never with its secret; not for shop B.
        const owned = await api("GET", "/merchant/webhook-endpoints", { cookie: cookieA });
        expect((owned.json.endpoints as { id: string }[]).map((e) => e.id)).toContain(id);
        expect(JSON.stringify(owned.json)).not.toContain(secret);
        const viaKey = await api("GET", "/api/v1/webhook-endpoints", { key });
        expect((viaKey.json.endpoints as { id: string }[]).map((e) => e.id)).toContain(id);
        const theirs = await api("GET", "/merchant/webhook-endpoints", { cookie: cookieB });
        expect((theirs.json.endpoints as { id: string }[]).map((e) => e.id)).not.toContain(id);
        for (const [method, p] of [
          ["POST", `/merchant/webhook-endpoints/${id}/rotate-secret`],
          ["GET", `/merchant/webhook-endpoints/${id}/attempts`],
          ["DELETE", `/merchant/webhook-endpoints/${id}`],
        ] as const) {
          const res = await api(method, p, { cookie: cookieB });
          expect([res.status, res.json.error], p).toEqual([404, "not_found"]);
        }

        const ledger = chainShopLedger({
          client: publicClientFor(node.url),
          chainId: 31337,
          cityYuan: deployed.cityYuan,
          merchantRegistry: registry,
          deployBlock: deployed.deployBlock,
          blockRange: 50,
        });
        const sender = new WebhookSender({ db: service.db, ledger, confirmations: 1, now: service.clock.now });
        const ref = order();
        const r = await api("POST", "/api/v1/payment-requests", { key, body: { amountFen: "321", orderRef: ref } });
        await pay(SHOP_A.address, 321n, ref);
        await mine();
        const about = () =>
          received.filter((x) => (JSON.parse(x.body) as { data: { id: string } }).data.id === r.json.id);
        await sender.tick();
        expect(about().length).toBe(1);
        const eventId = (about()[0] as { headers: Record<string, string> }).headers["webhook-id"] as string;
        // Still being retried: a replay is refused, the sender keeps it.
        const early = await api("POST", `/merchant/webhook-endpoints/${id}/events/${eventId}/replay`, {
          cookie: cookieA,
        });
        expect([early.status, early.json.error]).toEqual([409, "webhook_delivery_pending"]);
        // Every retry fails for a day: the delivery ends failed, each attempt listed for the owner.
        for (const delay of RETRY_DELAYS_MS) {
          service.clock.advance(delay);
          await sender.tick();
        }
        expect(about().length).toBe(RETRY_DELAYS_MS.length + 1);
        // Back to the real time: the owner's session lasts a day, the verifier wants a fresh timestamp.
        service.clock.t = Date.now();
        const failed = await api("GET", `/merchant/webhook-endpoints/${id}/attempts`, { cookie: cookieA });
        const ours = (
          failed.json.attempts as { eventId: string; attempt: number; httpStatus: number; delivery: string }[]
        ).filter((a) => a.eventId === eventId);
        expect(ours.length).toBe(RETRY_DELAYS_MS.length + 1);
        expect(ours.every((a) => a.httpStatus === 500 && a.delivery === "failed")).toBe(true);

        // The shop fixed its till: the owner replays it, under the same id, signed as before.
        answer = 200;
        const replayed = await api("POST", `/merchant/webhook-endpoints/${id}/events/${eventId}/replay`, {
          cookie: cookieA,
        });
        expect(replayed.status, JSON.stringify(replayed.json)).toBe(200);
        expect(replayed.json).toMatchObject({
          eventId,
          type: "payment.received",
          attempt: RETRY_DELAYS_MS.length + 2,
          httpStatus: 200,
          delivery: "delivered",
        });
        const last = about().at(-1) as { headers: Record<string, string>; body: string };
        expect(last.headers["webhook-id"]).toBe(eventId);
        const event = new Webhook(secret).verify(last.body, last.headers) as { type: string; data: { id: string } };
        expect([event.type, event.data.id]).toEqual(["payment.received", r.json.id]);
        // With a key too; and not across shops, nor an event the endpoint never had.
        const keyB = await newKey(cookieB);
        const cross = await api("POST", `/api/v1/webhook-endpoints/${id}/events/${eventId}/replay`, { key: keyB });
        expect([cross.status, cross.json.error]).toEqual([404, "not_found"]);
        const crossOwner = await api("POST", `/merchant/webhook-endpoints/${id}/events/${eventId}/replay`, {
          cookie: cookieB,
        });
        expect(crossOwner.status).toBe(404);
        const unknown = await api("POST", `/merchant/webhook-endpoints/${id}/events/msg_nothing/replay`, {
          cookie: cookieA,
        });
        expect([unknown.status, unknown.json.error]).toEqual([404, "not_found"]);
        const again = await api("POST", `/api/v1/webhook-endpoints/${id}/events/${eventId}/replay`, { key });
        expect([again.status, again.json.attempt]).toEqual([200, RETRY_DELAYS_MS.length + 3]);
        expect(about().length).toBe(RETRY_DELAYS_MS.length + 3);

        // Rotated by the owner: the new secret signs (the old one beside it for a day).
        const rotated = await api("POST", `/merchant/webhook-endpoints/${id}/rotate-secret`, { cookie: cookieA });
        const fresh = rotated.json.secret as string;
        expect(fresh).toMatch(/^whsec_/);
        expect(fresh).not.toBe(secret);
        await api("POST", `/merchant/webhook-endpoints/${id}/events/${eventId}/replay`, { cookie: cookieA });
        const signedFresh = about().at(-1) as { headers: Record<string, string>; body: string };
        for (const s of [fresh, secret])
          expect(() => new Webhook(s).verify(signedFresh.body, signedFresh.headers)).not.toThrow();

        const removed = await api("DELETE", `/merchant/webhook-endpoints/${id}`, { cookie: cookieA });
        expect(removed.json.deleted).toBe(true);
        const after = await api("GET", "/merchant/webhook-endpoints", { cookie: cookieA });
        expect((after.json.endpoints as { id: string }[]).map((e) => e.id)).not.toContain(id);
        const gone = await api("POST", `/merchant/webhook-endpoints/${id}/events/${eventId}/replay`, {
          cookie: cookieA,
        });
        expect(gone.status).toBe(404);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }, 90_000);

    it("test_InsightsScope: /api/v1/insights answers for the key's own shop and refuses shop B (figures: insightsApi.test.ts)", async () => {
      const key = await newKey(cookieA, ["receipts:read"]);
      const own = await api("GET", "/api/v1/insights?weeks=2", { key });
      expect(own.status, JSON.stringify(own.json)).toBe(200);
      expect(own.json.shop).toBe(SHOP_A.address);
      const other = await api("GET", `/api/v1/insights?shop=${SHOP_B.address}`, { key });
      expect([other.status, other.json.error]).toEqual([403, "other_shop"]);
    });

    it("test_SummariesInChinese: every operation and webhook in /openapi.json has its summary in Chinese too", async () => {
      type Op = { summary?: string; "x-summary-zh"?: string };
      const doc = (await api("GET", "/openapi.json")).json as {
        info: Record<string, string>;
        tags: { name: string; "x-name-zh"?: string }[];
        paths: Record<string, Record<string, Op & { tags?: string[] }>>;
        webhooks: Record<string, Record<string, Op & { tags?: string[] }>>;
      };
      expect(doc.info["x-title-zh"]).toMatch(/[\u4e00-\u9fff]/);
      expect(doc.info["x-description-zh"]).toMatch(/[\u4e00-\u9fff]/);
      const ops = [...Object.entries(doc.paths), ...Object.entries(doc.webhooks)].flatMap(([p, item]) =>
        Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${p}`, op })),
      );
      expect(ops.length).toBeGreaterThanOrEqual(20);
      for (const { where, op } of ops) {
        expect(op.summary, where).toBeTruthy();
        // Written for this summary (a changed English summary has none until it is translated).
        expect(op["x-summary-zh"], `${where}: "${op.summary}" has no Chinese in summariesZh.ts`).toMatch(
          /[\u4e00-\u9fff]/,
        );
        for (const tag of op.tags ?? []) {
          expect(doc.tags.find((t) => t.name === tag)?.["x-name-zh"], `tag ${tag}`).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    });

    it("test_ScopesAsDocumented: every key route names one scope in /openapi.json, refuses a key without it and lets one with it through", async () => {
      const doc = (await api("GET", "/openapi.json")).json as {
        paths: Record<string, Record<string, { security?: Record<string, string[]>[]; description?: string }>>;
      };
      const keyRoutes = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.entries(ops).flatMap(([method, op]) => {
          const bearer = op.security?.find((s) => "bearerAuth" in s);
          return bearer === undefined ? [] : [{ method: method.toUpperCase(), p, scopes: bearer.bearerAuth, op }];
        }),
      );
      expect(keyRoutes.length).toBeGreaterThanOrEqual(11);
      const all = ["receipts:read", "requests:write", "refunds:write"];
      const made: string[] = [];
      const keyWith = async (scopes: string[]) => {
        const res = await api("POST", "/merchant/keys", { cookie: cookieA, body: { label: "scopes", scopes } });
        expect(res.status, JSON.stringify(res.json)).toBe(201);
        made.push(res.json.id as string);
        return res.json.key as string;
      };
      const without = new Map<string, string>();
      const only = new Map<string, string>();
      for (const scope of all) {
        without.set(scope, await keyWith(all.filter((x) => x !== scope)));
        only.set(scope, await keyWith([scope]));
      }
      const seen = new Set<string>();
      for (const { method, p, scopes, op } of keyRoutes) {
        // One scope per route, and the operation says so in words too (the reference page shows both).
        expect(scopes, `${method} ${p}`).toHaveLength(1);
        const scope = scopes[0] as string;
        expect(all).toContain(scope);
        expect(op.description, `${method} ${p}`).toContain(`\`${scope}\``);
        seen.add(scope);
        const pathname = p.replace(/\{[^}]+\}/g, "x");
        const body = method === "POST" ? {} : undefined;
        const refused = await api(method, pathname, { key: without.get(scope), body });
        expect([refused.status, refused.json.error], `${method} ${p} without ${scope}`).toEqual([
          403,
          "insufficient_scope",
        ]);
        // With the scope alone the key gets past the check (to the route's own answer).
        const passed = await api(method, pathname, { key: only.get(scope), body });
        expect([401, 403], `${method} ${p} with ${scope}: ${JSON.stringify(passed.json)}`).not.toContain(passed.status);
      }
      expect([...seen].sort()).toEqual([...all].sort());
      for (const id of made) await api("DELETE", `/merchant/keys/${id}`, { cookie: cookieA });
    }, 60_000);

    it("test_NoChain: without a deployment the chain routes answer 503 no_deployment", async () => {
      const bare = await startTestService({ database });
      try {
        const cookie = (await signIn(bare, SHOP_A)).cookie;
        const res = await call(bare.app, "POST", "/merchant/keys", {
          cookie,
          body: { label: "t", scopes: ["receipts:read"] },
        });
        expect([res.status, res.json.error]).toEqual([503, "no_deployment"]);
      } finally {
        await bare.close();
      }
    });
  });
}

describe("OpenAPI document", () => {
  it("test_OpenApi: /openapi.json is valid OpenAPI 3.1 and every route in it is exercised by these tests", async () => {
    const service = await startTestService();
    try {
      record("GET", "/openapi.json");
      const res = await call(service.app, "GET", "/openapi.json", { origin: null });
      expect(res.status).toBe(200);
      const doc = res.json as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
        webhooks: Record<string, { post: { parameters: { name: string; in: string }[] } }>;
      };
      expect(doc.openapi).toBe("3.1.0");
      await SwaggerParser.validate(structuredClone(doc) as never);
      // The messages a shop's endpoint receives are in the document too, with their signed headers.
      expect(Object.keys(doc.webhooks)).toEqual([...WEBHOOK_EVENTS]);
      for (const { post } of Object.values(doc.webhooks))
        expect(post.parameters.filter((p) => p.in === "header").map((p) => p.name)).toEqual([
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
        ]);
      // The auditor's public checkpoint route lives in this document too; its own tests are
      // auditCheckpoints.test.ts. Here: without a deployment it answers as documented.
      const checkpoint = await call(service.app, "GET", "/api/v1/audit/checkpoints/latest", { origin: null });
      expect([checkpoint.status, checkpoint.json.error]).toEqual([503, "no_deployment"]);
      record("GET", "/api/v1/audit/checkpoints/latest");
      const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
      expect(routes.length).toBeGreaterThanOrEqual(7);
      for (const route of routes) expect(exercised, route).toContain(route);
    } finally {
      await service.close();
    }
  });
});
