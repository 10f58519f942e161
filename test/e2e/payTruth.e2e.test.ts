// A checkout says only what is true for the order on screen (issue 20): after paying order A,
// order B opened in the same tab is unpaid and payable (and 付款 starts afresh); in 关怀模式 the
// amount in 大写 spells the amount she pays, right under it (with a voucher, the lower one); a link
// with an amount no one holds fits a 320 px phone and offers no voucher.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi, vouchersAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { fenToChineseCapital } from "../../web/src/lib/chineseAmount.js";
import { type DemoVisit, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { officeCampaign } from "./voucherCampaign.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
// 赵磊: no other browser test pays with him.
const resident = RESIDENTS[5] ?? { index: 11 };
const busCompany = localAccount(MERCHANTS[2]?.index ?? 14).address;
const bookstore = localAccount(MERCHANTS[4]?.index ?? 16).address;

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function open(hash: string, visit: DemoVisit = {}): Promise<Page> {
  const { context, page } = await openAsDemo(browser, system.webUrl, resident.index, hash, visit);
  contexts.push(context);
  return page;
}

const link = (to: string, fen: bigint | string, ref: string) =>
  `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${to}&uint256=${fen}&ref=${ref}`;
const payHash = (request: string) => `#/pay?request=${encodeURIComponent(request)}`;

async function balanceOf(who: `0x${string}`): Promise<bigint> {
  return publicClient.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [who],
  });
}

describe("a checkout shows only the order on screen", () => {
  it("pays order A, then shows order B in the same tab unpaid and payable", async () => {
    const stamp = Date.now();
    const orderA = link(busCompany, 100n, `E2E-A-${stamp}`);
    const orderB = link(busCompany, 4200n, `E2E-B-${stamp}`);
    const page = await open(payHash(orderA));
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    const me = localAccount(resident.index).address;
    const afterA = await balanceOf(me);

    // The shop's next code, opened in the same tab (a scan or a link does exactly this).
    await page.evaluate((hash) => {
      location.hash = hash;
    }, payHash(orderB));
    await page.getByText("¥42.00").first().waitFor({ timeout: 30_000 });
    await expect(page.getByText("已付款", { exact: true }).count()).resolves.toBe(0);
    const review = page.getByRole("button", { name: "核对付款" });
    // Payable: the button becomes enabled once the order's checks are read (a trial click waits for it).
    await review.click({ trial: true, timeout: 30_000 });
    await screenshot(page, "pay-order-b-after-a");
    expect(await balanceOf(me)).toBe(afterA);

    // 付款 in the bottom bar starts a new payment: no verdict of the last order survives.
    await page.locator(".bottom-nav").getByRole("link", { name: "付款" }).click();
    await page.getByRole("button", { name: "打开链接" }).waitFor({ timeout: 10_000 });
    await expect(page.getByText("已付款", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText("¥42.00").count()).resolves.toBe(0);

    // And B really is payable, once.
    await page.evaluate((hash) => {
      location.hash = hash;
    }, payHash(orderB));
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect(afterA - (await balanceOf(me))).toBe(4200n);
  });

  it("starts afresh when 付款 is tapped on the page that just paid (same address, new page)", async () => {
    const page = await open("#/pay");
    // This browser has no camera: the page says so and offers no "停止扫码" for a scan that never began.
    await page
      .getByText(/摄像头/)
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "停止扫码" }).count()).resolves.toBe(0);
    await page.getByLabel("付款链接").fill(link(busCompany, 300n, `E2E-C-${Date.now()}`));
    await page.getByRole("button", { name: "打开链接" }).click();
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => location.hash)).toBe("#/pay");

    await page.locator(".bottom-nav").getByRole("link", { name: "付款" }).click();
    await page.getByRole("button", { name: "打开链接" }).waitFor({ timeout: 10_000 });
    await expect(page.getByText("已付款", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByLabel("付款链接").inputValue()).resolves.toBe("");
  });

  it("puts the 大写 amount under the amount she pays, with a voucher the lower one (关怀模式)", async () => {
    // The city's education voucher: 8.00 off from 30.00, claimed before she reaches the shop.
    const campaignId = await officeCampaign(system, {
      kind: 0,
      discount: 800n,
      minSpend: 3000n,
      totalVouchers: 10,
      perResidentLimit: 1,
      categoryMask: 1 << 4,
      merchants: [],
      budget: 8_000n,
      seconds: 86_400n,
    });
    const claimer = createWalletClient({
      account: localAccount(resident.index),
      chain,
      transport: http(system.rpcUrl),
    });
    const claim = await claimer.writeContract({
      address: system.contracts.Vouchers,
      abi: vouchersAbi,
      functionName: "claim",
      args: [campaignId, []],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: claim })).status).toBe("success");

    const page = await open(payHash(link(bookstore, 12000n, `E2E-CAPITAL-${Date.now()}`)), { largeText: true });
    await page.getByTestId("voucher-suggestion").waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "使用这张券" }).click();
    await page.getByText("你只需付 ¥112.00").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "核对付款" }).click();
    const rows = page.locator(".tx-summary-row");
    await rows.first().waitFor();
    const labels = await rows.locator("dt").allInnerTexts();
    const capitalAt = labels.findIndex((l) => l.includes("大写"));
    expect(capitalAt).toBeGreaterThan(0);
    // The line above it is the one with what she pays, and the words spell that amount.
    expect(labels[capitalAt - 1]).toMatch(/实付|你付|需付/);
    await expect(
      rows
        .nth(capitalAt - 1)
        .locator(".money")
        .getAttribute("data-fen"),
    ).resolves.toBe("11200");
    await expect(rows.nth(capitalAt).innerText()).resolves.toContain(fenToChineseCapital(11200n));
    await expect(page.getByText(fenToChineseCapital(12000n)).count()).resolves.toBe(0);
    await screenshot(page, "pay-voucher-capital-care");
  });

  it("fits a 10^26-fen link on a 320 px phone and offers no voucher for it", async () => {
    for (const largeText of [false, true]) {
      const page = await open(payHash(link(bookstore, `1${"0".repeat(26)}`, `E2E-HUGE-${Date.now()}`)), {
        viewport: { width: 320, height: 700 },
        largeText,
      });
      const amount = page.locator(".big-amount");
      await amount.waitFor({ timeout: 30_000 });
      await page
        .getByText(/余额不足|超过.*余额/)
        .first()
        .waitFor({ timeout: 30_000 });
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: window.innerWidth,
        amountRight: document.querySelector(".big-amount")?.getBoundingClientRect().right ?? 0,
      }));
      expect(widths.page).toBeLessThanOrEqual(widths.view);
      expect(widths.amountRight).toBeLessThanOrEqual(widths.view);
      await expect(page.getByTestId("voucher-suggestion").count()).resolves.toBe(0);
      await expect(page.getByTestId("voucher-claim-first").count()).resolves.toBe(0);
      await screenshot(page, `pay-huge-amount-320${largeText ? "-care" : ""}`);
    }
  });
});
