// Money safety in the flow: an order already paid (same payer, payee and order reference on the
// chain) is stopped with "已付过" and when; paying again on purpose makes it a new order.
import type { Browser } from "playwright-core";
import { createPublicClient, createWalletClient, getAbiItem, http, parseEventLogs, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const resident = RESIDENTS[2] ?? { index: 8 };
const shop = localAccount(MERCHANTS[1]?.index ?? 13).address;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("an order is never paid twice by accident", () => {
  it("says 已付过 with when, refuses to go on, and pays again only as a new order", async () => {
    const ref = `E2E-DUP-${Date.now()}`;
    const payer = createWalletClient({ account: localAccount(resident.index), chain, transport: http(system.rpcUrl) });
    const first = await payer.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "pay",
      args: [shop, 2_00n, stringToHex(ref, { size: 32 })],
    });
    await publicClient.waitForTransactionReceipt({ hash: first });

    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=200&ref=${ref}`;
    const { context, page } = await openAsDemo(
      browser,
      system.webUrl,
      resident.index,
      `#/pay?request=${encodeURIComponent(link)}`,
    );
    const warning = page.locator(".already-paid");
    await warning.getByText("这笔订单你已付过").waitFor({ timeout: 30_000 });
    await expect(warning.textContent()).resolves.toMatch(/已付 ¥2\.00/);
    await expect(page.getByRole("button", { name: "核对付款" }).isDisabled()).resolves.toBe(true);
    await screenshot(page, "pay-already-paid");

    await warning.getByRole("button", { name: "这是新的一笔，再付一次" }).click();
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });

    // Two payments to the shop, under two different order references.
    const logs = await publicClient.getLogs({
      address: system.contracts.CityYuan,
      event: getAbiItem({ abi: cityYuanAbi, name: "PaymentMade" }),
      args: { payer: payer.account.address, payee: shop },
      fromBlock: 0n,
    });
    const refs = parseEventLogs({ abi: cityYuanAbi, logs, eventName: "PaymentMade" })
      .filter((l) => l.args.amount === 2_00n)
      .map((l) => l.args.orderRef);
    expect(refs).toContain(stringToHex(ref, { size: 32 }));
    expect(new Set(refs.slice(-2)).size).toBe(2);
    await context.close();
  });

  it("stops a shop code whose payee is one character off a registered shop, naming the shop", async () => {
    const lower = shop.toLowerCase();
    const forged = `${lower.slice(0, 30)}${lower[30] === "0" ? "1" : "0"}${lower.slice(31)}`;
    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${forged}&uint256=300&ref=E2E-FORGED-${Date.now()}`;
    const { context, page } = await openAsDemo(
      browser,
      system.webUrl,
      resident.index,
      `#/pay?request=${encodeURIComponent(link)}`,
    );
    await page
      .locator(".lookalike-stop")
      .getByText("已停止付款：这个账户号和商户“周记蔬菜”的只差一个字符（第 29 位）")
      .waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "核对付款" }).isDisabled()).resolves.toBe(true);
    await screenshot(page, "pay-one-char-off-shop");
    await context.close();
  });
});
