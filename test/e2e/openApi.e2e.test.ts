// The shop's open API in the browser (issue 25): the owner signs in, creates an API key and sees
// it once (a reload shows only its name and first letters), the shop's own system (this test,
// with fetch) uses it, the owner revokes it and the API then refuses it with api_key_revoked.
// A notification URL (a real local server) gets its secret once, receives the signed event of a
// payment, and the owner sends it again from the attempts list. The page and the API reference
// (rendered from the live /openapi.json) fit 320 and 390 px in zh/en, normal and 关怀模式.
import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const shop = MERCHANTS[2] as (typeof MERCHANTS)[number];
const payer = localAccount((RESIDENTS[1] as (typeof RESIDENTS)[number]).index);

let browser: Browser;
let hooks: Server;
let hookPort = 0;
const received: { id: string; body: string }[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  hooks = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ id: String(req.headers["webhook-id"]), body });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  hookPort = (hooks.address() as { port: number }).port;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => hooks?.close(() => resolve()));
});

/** The shop's own system calling the API with a key, as a till would (no browser, no cookie). */
async function callApi(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${system.serviceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function signedInApiPage(page: Page) {
  // The page signs in to the city service by itself (the demo wallet confirms), then shows the keys.
  await page.locator("#api-keys-title").waitFor({ timeout: 60_000 });
}

describe("the shop's open API", () => {
  it("creates a key shown once, the API accepts it, revokes it and the API refuses it; a notification is received and sent again", async () => {
    const { context, page } = await openAsDemo(browser, system.webUrl, shop.index, "#/merchant/api", {
      viewport: { width: 390, height: 844 },
    });
    try {
      await signedInApiPage(page);
      // Bad input first: said in words, nothing sent.
      await page.getByRole("button", { name: "创建接口凭证" }).click();
      await page.getByText("请填写名称。").waitFor();

      const name = `1 号收银台 ${Date.now() % 100_000}`;
      await page.getByLabel("名称").fill(name);
      await page.getByLabel("发起收款，登记通知网址").check();
      await page.getByRole("button", { name: "创建接口凭证" }).click();
      const shown = page.getByTestId("new-api-key");
      await shown.waitFor({ timeout: 20_000 });
      const key = (await shown.textContent()) ?? "";
      expect(key).toMatch(/^hcy_live_[0-9a-f]{16}_[0-9a-f]{64}$/);
      await page.getByText("只显示这一次").first().waitFor();
      await screenshot(page, "openapi-key-shown-once");

      // After a reload the key is nowhere on the page: only its name and first letters.
      await page.reload();
      await signedInApiPage(page);
      const id = key.slice(9, 25);
      const item = page.locator(`.api-key[data-key-id="${id}"]`);
      await item.waitFor({ timeout: 20_000 });
      await expect(item.textContent()).resolves.toContain(name);
      await expect(item.textContent()).resolves.toContain(`hcy_live_${id}_…`);
      await expect(page.getByTestId("new-api-key").count()).resolves.toBe(0);
      expect(await page.content()).not.toContain(key.slice(26));
      await expect(item.textContent()).resolves.toContain("还没用过");

      // The shop's system uses it.
      const order = `E2E-API-${Date.now() % 1_000_000}`;
      const created = await callApi(key, "POST", "/api/v1/payment-requests", { amountFen: "1", orderRef: order });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      expect(created.json.status).toBe("open");
      const read = await callApi(key, "GET", `/api/v1/payment-requests/${created.json.id}`);
      expect([read.status, read.json.orderRef]).toEqual([200, order]);
      // Without the refunds scope: refused, with the code.
      const refund = await callApi(key, "POST", "/api/v1/refunds", { requestId: created.json.id });
      expect([refund.status, refund.json.error]).toEqual([403, "insufficient_scope"]);

      // A notification URL: bad ones refused in words; a local one registered, its secret shown once.
      await page.getByLabel("接收通知的网址").fill("http://till.example.com/hook");
      await page.getByRole("button", { name: "登记网址" }).click();
      await page.getByText("要用 https 开头的网址（本机调试可用 http://localhost）。").waitFor();
      await page.getByLabel("接收通知的网址").fill("https://10.0.0.1/hook");
      await page.getByRole("button", { name: "登记网址" }).click();
      await page.getByText(/这个网址不能接收通知/).waitFor({ timeout: 20_000 });
      await page.getByLabel("接收通知的网址").fill(`http://localhost:${hookPort}/hook`);
      await page.getByRole("button", { name: "登记网址" }).click();
      const secret = page.getByTestId("new-webhook-secret");
      await secret.waitFor({ timeout: 20_000 });
      await expect(secret.textContent()).resolves.toMatch(/^whsec_/);
      await page.getByRole("button", { name: "我已存好" }).click();
      await expect(page.getByTestId("new-webhook-secret").count()).resolves.toBe(0);

      // The request is paid: the service's sender posts payment.received to the till.
      const wallet = createWalletClient({ account: payer, chain, transport: http(system.rpcUrl) });
      const tx = await wallet.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "pay",
        args: [localAccount(shop.index).address, 1n, created.json.orderRefHex as Hex],
      });
      await publicClient.waitForTransactionReceipt({ hash: tx });
      const endpoint = page.locator(".webhook-endpoint").filter({ hasText: `localhost:${hookPort}` });
      await endpoint.getByRole("button", { name: "通知记录" }).click();
      const attempt = endpoint.locator(".webhook-attempt").filter({ hasText: "收到付款" }).first();
      // Confirmations and the sender's round: the list refreshes itself while open.
      await attempt.waitFor({ timeout: 90_000 });
      await expect(attempt.textContent()).resolves.toContain("对方回应 200");
      const eventId = (await attempt.getAttribute("data-event")) ?? "";
      expect(received.filter((r) => r.id === eventId).length).toBe(1);
      await attempt.getByRole("button", { name: "重发" }).click();
      await endpoint.getByText("已重发：对方回应 200。").waitFor({ timeout: 20_000 });
      expect(received.filter((r) => r.id === eventId).length).toBe(2);
      await screenshot(page, "openapi-webhook-replayed");

      // Revoked by the owner (after a confirmation): the API refuses the key at once.
      await item.getByRole("button", { name: "停用" }).click();
      await item.getByRole("button", { name: "确定停用" }).click();
      await page.getByText(`“${name}”已停用。`).waitFor({ timeout: 20_000 });
      await expect(item.getAttribute("data-state")).resolves.toBe("revoked");
      const refused = await callApi(key, "GET", `/api/v1/payment-requests/${created.json.id}`);
      expect([refused.status, refused.json.error]).toEqual([401, "api_key_revoked"]);
      await screenshot(page, "openapi-key-revoked");
    } finally {
      await context.close();
    }
  }, 240_000);

  it("the open API page and the API reference fit 320 and 390 px in zh/en, normal and 关怀模式", async () => {
    const found: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const care of [false, true]) {
        const { context, page } = await openAsDemo(browser, system.webUrl, shop.index, "#/merchant/api", {
          lang,
          largeText: care,
        });
        try {
          await signedInApiPage(page);
          await page.locator(".api-key").first().waitFor({ timeout: 20_000 });
          const endpoint = page.locator(".webhook-endpoint").first();
          await endpoint.waitFor({ timeout: 20_000 });
          await endpoint.locator("button[aria-expanded]").click();
          await endpoint.locator(".webhook-attempt").first().waitFor({ timeout: 20_000 });
          for (const width of [320, 390]) {
            await page.setViewportSize({ width, height: 844 });
            for (const hash of ["#/merchant/api", "#/merchant/api/reference"]) {
              if (hash.endsWith("reference")) {
                await page.evaluate((h) => {
                  location.hash = h;
                }, hash);
                await page.locator(".api-operation").first().waitFor({ timeout: 20_000 });
                // The webhook messages with their signed headers and body, and each key route's scope.
                for (const event of ["payment.received", "refund.completed", "request.expired"]) {
                  const hook = await page.locator(`.api-webhook[data-webhook="${event}"]`).innerText();
                  for (const part of ["webhook-id", "webhook-timestamp", "webhook-signature", "orderRef"])
                    expect(hook, `${event} ${part}`).toContain(part);
                }
                const refundAuth = page.locator('[data-operation="post /api/v1/refunds"] .api-auth');
                expect(await refundAuth.innerText()).toContain("refunds:write");
              }
              await settle(page);
              const name = `openapi${hash.replace("#/merchant/api", "").replaceAll("/", "-")}-${width}-${care ? "care" : "normal"}-${lang}`;
              await screenshot(page, name);
              for (const p of await layoutProblems(page, care)) found.push(`${name}: ${p.kind}: ${p.what}`);
              // The reference is for a shop's developer (paths, JSON): not word-checked, as the ledger.
              if (!hash.endsWith("reference"))
                for (const word of forbiddenIn(await visibleText(page), lang)) found.push(`${name}: forbidden ${word}`);
            }
            await page.evaluate(() => {
              location.hash = "#/merchant/api";
            });
            await signedInApiPage(page);
            const again = page.locator(".webhook-endpoint").first();
            await again.locator("button[aria-expanded]").click();
            await again.locator(".webhook-attempt").first().waitFor({ timeout: 20_000 });
          }
        } finally {
          await context.close();
        }
      }
    expect(found).toEqual([]);
  }, 300_000);
});
