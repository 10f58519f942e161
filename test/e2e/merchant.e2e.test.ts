import jsQR from "jsqr";
import type { Browser, Locator } from "playwright-core";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const noodle = MERCHANTS[0];
const auntie = RESIDENTS[0];
const shop = localAccount(noodle.index).address;
const payer = localAccount(auntie.index).address;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** What a QR image on the page says, decoded as a phone camera would. */
async function readQr(img: Locator): Promise<string | undefined> {
  const { data, width, height } = await img.evaluate((el: HTMLImageElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    const g = canvas.getContext("2d") as CanvasRenderingContext2D;
    g.drawImage(el, 0, 0);
    const pixels = g.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(pixels.data), width: pixels.width, height: pixels.height };
  });
  return jsQR(Uint8ClampedArray.from(data), width, height)?.data;
}

/** A browser context acting as one of the demo accounts (the dApp's local-chain demo picker). */
function openAs(index: number, hash: string) {
  return openAsDemo(browser, system.webUrl, index, hash, {
    viewport: { width: 1100, height: 900 },
    // Speech and sound are on by default at a counter; the headless browser has no voice.
    storage: { "hcy.merchant.announce.v1": JSON.stringify({ speak: false, beep: false }) },
  });
}

describe("the merchant's counter", () => {
  it("shows a resident's payment of a payment request live, marks it paid, and refunds part of it", async () => {
    const order = `E2E-M-${Date.now() % 1_000_000}`;
    const merchant = await openAs(noodle.index, "#/merchant");
    const m = merchant.page;
    await m.getByRole("heading", { name: noodle.name }).waitFor({ timeout: 30_000 });
    await m.locator('.live-mode[data-mode="websocket"], .live-mode[data-mode="polling"]').waitFor({ timeout: 20_000 });

    await m.getByLabel("金额（元）").fill("18.80");
    await m.getByLabel("订单号").fill(order);
    await m.getByRole("button", { name: "生成收款码" }).click();
    const request = m.locator(`.payment-request[data-order="${order}"]`);
    await expect(request.getAttribute("data-status")).resolves.toBe("open");
    await request.getByRole("img").waitFor();
    const link = (await request.locator("a.request-link").getAttribute("href")) ?? "";
    expect(link).toContain("#/pay?request=");
    // The code any phone camera opens: the dApp's https-style link, carrying the EIP-681 request
    // (with the order and its expiry); the plain EIP-681 form is under 详情.
    await expect(readQr(request.getByRole("img"))).resolves.toBe(link);
    expect(decodeURIComponent(link)).toMatch(
      new RegExp(`^${system.webUrl}/#/pay\\?request=ethereum:.*&ref=${order}&exp=\\d+$`),
    );
    await expect(request.getByTestId("payment-uri").textContent()).resolves.toMatch(/^ethereum:0x/);
    await screenshot(m, "merchant-request-open");

    const resident = await openAs(auntie.index, link.slice(link.indexOf("#")));
    const r = resident.page;
    await r.getByRole("button", { name: "核对付款" }).click({ timeout: 30_000 });
    await r.getByRole("button", { name: "确认付款" }).click();
    await r.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });

    // The same code scanned by another resident afterwards: refused, never mixed into the order.
    const second = await openAs(RESIDENTS[1].index, link.slice(link.indexOf("#")));
    await second.page.getByText("这个收款码的订单已经有人付过了，不能再用。").waitFor({ timeout: 30_000 });
    await expect(second.page.getByRole("button", { name: "核对付款" }).isDisabled()).resolves.toBe(true);
    await screenshot(second.page, "pay-order-code-reused");
    await second.context.close();

    // No reload: the pushed receipt turns the request paid and adds the row.
    await m.locator(`.payment-request[data-order="${order}"][data-status="paid"]`).waitFor({ timeout: 15_000 });
    const row = m.locator(`tr.receipt-row[data-order-ref="${order}"]`);
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain("¥18.80");
    await screenshot(m, "merchant-request-paid");
    await expectNoSeriousA11yViolations(m, "merchant");

    // Refund 5.00 of it; the form knows only 18.80 is refundable and refuses more.
    await row.getByRole("button", { name: /退款/ }).click();
    await m.getByText("还可退 ¥18.80").waitFor({ timeout: 15_000 });
    await m.getByLabel("退款金额（元）").fill("20");
    await m.getByText("最多只能退 ¥18.80").waitFor();
    await m.getByLabel("退款金额（元）").fill("5");
    await m.locator(".refund-panel").getByRole("button", { name: "退款", exact: true }).click();
    await m.getByRole("button", { name: "确认付款" }).click();
    await m.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    const paymentId = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "paymentIdOf",
      args: [payer, shop, toOrderRef(order)],
    });
    const left = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "refundable",
      args: [paymentId],
    });
    expect(left).toBe(13_80n);
    await expect(row.innerText()).resolves.toContain("¥5.00");
    await screenshot(m, "merchant-refunded");

    // A used order number is refused; left empty, a fresh one is generated.
    await m.getByLabel("金额（元）").fill("6");
    await m.getByLabel("订单号").fill(order);
    await m.getByRole("button", { name: "生成收款码" }).click();
    await m.getByText(`订单号 ${order} 已经用过了`).waitFor();
    await m.getByLabel("订单号").fill("");
    await m.getByRole("button", { name: "生成收款码" }).click();
    const generated = m.locator(".payment-request").first();
    await expect(generated.getAttribute("data-order")).resolves.toMatch(/^\d{6}-[A-Z2-9]{6}$/);
    await expect(generated.getAttribute("data-status")).resolves.toBe("open");
    // The standing code: no amount, no order; the resident types the amount.
    await m.getByText("店铺固定收款码（顾客自己输入金额）").click();
    const standing = await readQr(m.locator(".standing-code").getByRole("img"));
    expect(decodeURIComponent(standing ?? "").toLowerCase()).toBe(
      `${system.webUrl}/#/pay?request=ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}`.toLowerCase(),
    );
    await merchant.context.close();
    await resident.context.close();
  });

  it("tells an address that is not a registered shop so", async () => {
    const { context, page } = await openAs(auntie.index, "#/merchant");
    await page.getByText("这个账户不是登记的商户").waitFor({ timeout: 30_000 });
    await context.close();
  });
});
