// Issue 21: a shop refunds a checkout paid partly with a city voucher. The refund panel says the
// order is refunded whole (her part back to her, the subsidy back to the campaign); the shop
// refunds it with a permit for exactly the price, and the chain shows the campaign's budget whole
// again and her voucher hers again. The panel is photographed at 320 and 390 px, normal and
// 关怀模式, zh and en.
import type { Browser } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { categoryIndex, DISCOUNT_KIND } from "../../core/enums.js";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi, vouchersAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { officeCampaign } from "./voucherCampaign.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const noodle = MERCHANTS[0];
const resident = RESIDENTS[3];
const shop = localAccount(noodle.index).address;
const residentWallet = createWalletClient({
  account: localAccount(resident.index),
  chain,
  transport: http(system.rpcUrl),
});
const ORDER = "E2E-VREFUND-1";
const PRICE = 30_00n;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function mined(hash: Promise<`0x${string}`>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).toBe("success");
}

describe("refunding a voucher sale", () => {
  it("refunds the whole order: her part to her, the subsidy to the campaign, her voucher to her", async () => {
    const campaignId = await officeCampaign(system, {
      kind: DISCOUNT_KIND.fixed,
      discount: 5_00n,
      minSpend: 20_00n,
      totalVouchers: 10,
      perResidentLimit: 1,
      categoryMask: 1 << categoryIndex(noodle.category),
      merchants: [],
      budget: 50_00n,
      seconds: 3_600n,
    });
    const vouchers = { address: system.contracts.Vouchers, abi: vouchersAbi } as const;
    await mined(residentWallet.writeContract({ ...vouchers, functionName: "claim", args: [campaignId, []] }));
    await mined(
      residentWallet.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "approve",
        args: [system.contracts.Vouchers, PRICE - 5_00n],
      }),
    );
    const before = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [residentWallet.account.address],
    });
    await mined(
      residentWallet.writeContract({
        ...vouchers,
        functionName: "redeem",
        args: [campaignId, shop, PRICE, toOrderRef(ORDER)],
      }),
    );

    for (const lang of ["zh", "en"] as const) {
      for (const largeText of [false, true]) {
        for (const width of [320, 390]) {
          const { context, page } = await openAsDemo(browser, system.webUrl, noodle.index, "#/merchant", {
            lang,
            largeText,
            viewport: { width, height: 844 },
          });
          const row = page.locator(`tr.receipt-row[data-order-ref="${ORDER}"]`);
          await row.waitFor({ timeout: 60_000 });
          await row.getByRole("button", { name: lang === "zh" ? /退款/ : /Refund/ }).click();
          const explain = page.getByTestId("voucher-refund-explain");
          await explain.waitFor({ timeout: 30_000 });
          await expect(explain.innerText()).resolves.toContain(lang === "zh" ? "补贴 ¥5.00 退回活动" : "subsidy back");
          await screenshot(page, `merchant-voucher-refund-${lang}-${largeText ? "care" : "normal"}-${width}`);
          await context.close();
        }
      }
    }

    const { context, page } = await openAsDemo(browser, system.webUrl, noodle.index, "#/merchant");
    const row = page.locator(`tr.receipt-row[data-order-ref="${ORDER}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole("button", { name: /退款/ }).click();
    await page.getByRole("button", { name: "全额退款 ¥30.00" }).click({ timeout: 30_000 });
    await page.getByRole("button", { name: "确认付款" }).click({ timeout: 30_000 });
    // Done: the pay flow says 已付款, or, once the refund's own event has reached the receipts,
    // the panel says the payment is refunded in full (both true; the chain is checked below).
    await page
      .getByText("已付款", { exact: true })
      .or(page.getByText("这笔付款已全部退还。"))
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (error) => {
        throw new Error(`not refunded: ${(await page.locator("main").innerText()).replace(/\s+/g, " ")}`, {
          cause: error,
        });
      });
    await screenshot(page, "merchant-voucher-refunded");
    await context.close();

    const campaign = await publicClient.readContract({ ...vouchers, functionName: "campaign", args: [campaignId] });
    expect(campaign.remainingBudget).toBe(campaign.budget);
    const [, redeemed] = await publicClient.readContract({
      ...vouchers,
      functionName: "holdingOf",
      args: [campaignId, residentWallet.account.address],
    });
    expect(redeemed).toBe(0);
    await expect(
      publicClient.readContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "balanceOf",
        args: [residentWallet.account.address],
      }),
    ).resolves.toBe(before);
  });
});
