import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, RESIDENTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
const resident = RESIDENTS[4] ?? { index: 10, name: "刘洋" };
const me = localAccount(resident.index).address;
// Addresses nobody in the demo data has ever dealt with.
const friend = localAccount(40).address;
const laptopFriend = localAccount(41).address;
const stranger = localAccount(42).address;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh browser context (a "device") using a demo account, in Chinese unless told otherwise. */
function openAs(index: number, hash: string, lang: "zh" | "en" = "zh") {
  return openAsDemo(browser, system.webUrl, index, hash, { lang });
}

async function signIn(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: "用钱包登录城市服务" });
  await button.click();
  // Settings then says who is signed in; the account pages show their content instead.
  await button.waitFor({ state: "detached", timeout: 30_000 });
}

/** Pages that need the service (top-up, alerts) sign in by themselves: no tap, the content shows. */
async function signedInByItself(page: Page): Promise<void> {
  // The page first (until it has rendered, the sign-in card is not there to go away either), then
  // the card that these pages show until the session exists.
  await page.locator("main h1").waitFor({ timeout: 30_000 });
  await page.locator("#city-service-title").waitFor({ state: "detached", timeout: 30_000 });
  await expect(page.getByRole("button", { name: "用钱包登录城市服务" }).count()).resolves.toBe(0);
}

const balanceOf = (account: `0x${string}`) =>
  client.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [account],
  });

describe("a resident's account services", () => {
  it("signs in and sees the same contacts on a second device, with edits made there while signed out merged", async () => {
    const phone = await openAs(resident.index, "#/settings");
    await signIn(phone.page);
    await phone.page.getByLabel("联系人名字").fill("老同学");
    await phone.page.getByLabel("联系人的账户号").fill(friend);
    await phone.page.getByRole("button", { name: "添加联系人" }).click();
    await phone.page.getByRole("button", { name: "修改 老同学" }).waitFor();
    await phone.page.locator('[data-sync="synced"]').waitFor({ timeout: 15_000 });

    // The laptop: a contact added before signing in stays local, then is merged at sign-in.
    const laptop = await openAs(resident.index, "#/settings");
    await laptop.page.getByText("未登录城市服务：联系人只在这台设备上").waitFor();
    await laptop.page.getByLabel("联系人名字").fill("邻居");
    await laptop.page.getByLabel("联系人的账户号").fill(laptopFriend);
    await laptop.page.getByRole("button", { name: "添加联系人" }).click();
    await laptop.page.getByRole("button", { name: "修改 邻居" }).waitFor();
    // With a contact on the device, Settings signs in by itself to keep it in step.
    await laptop.page.getByText("已登录").first().waitFor({ timeout: 30_000 });
    await laptop.page.getByRole("button", { name: "修改 老同学" }).waitFor({ timeout: 15_000 });
    await laptop.page.locator('[data-sync="synced"]').waitFor({ timeout: 15_000 });
    await screenshot(laptop.page, "account-contacts-synced");

    // Back on the phone, the laptop's contact arrives (on the next sync: here, opening Settings again).
    await phone.page.reload();
    await phone.page.getByRole("button", { name: "修改 邻居" }).waitFor({ timeout: 15_000 });

    // Profile: the service refuses a bad phone number, said in the current language; a good one is kept.
    await phone.page.getByLabel("手机号").fill("12345");
    await phone.page.getByRole("button", { name: "保存资料" }).click();
    await phone.page.getByText("手机号不对").waitFor();
    await phone.page.getByRole("button", { name: "English" }).click();
    await phone.page.getByRole("button", { name: "Save profile" }).click();
    await phone.page.getByText("That phone number is not valid").waitFor();
    await phone.page.getByLabel("Display name").fill("Liu Yang");
    await phone.page.getByLabel("Mobile number").fill("138 0013 8000");
    await phone.page.getByRole("button", { name: "Save profile" }).click();
    await phone.page.getByText("Profile saved.").waitFor();
    await expect(phone.page.getByLabel("Mobile number").inputValue()).resolves.toBe("+8613800138000");
    await expectNoSeriousA11yViolations(phone.page, "settings (signed in)");
    await phone.page.getByRole("button", { name: "中文" }).click();

    await laptop.page.reload();
    await expect(laptop.page.getByLabel("手机号").inputValue()).resolves.toBe("+8613800138000");
    await laptop.context.close();
    await phone.context.close();
  });

  it("requests a top-up that the issuer approves on the desk, and sees it completed and the balance up", async () => {
    const { context, page } = await openAs(resident.index, "#/");
    // The page signs in by itself and says, in one sentence, what for (held until it is read).
    let letSignInThrough = () => {};
    const held = new Promise<void>((resolve) => {
      letSignInThrough = resolve;
    });
    await page.route(`${system.serviceUrl}/auth/verify`, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("link", { name: "充值 / 提现" }).click();
    await page
      .locator(".auto-sign-in")
      .getByText("正在自动登录城市服务，用来提交充值申请、查看申请进度（不花钱、不动用余额）…")
      .waitFor({ timeout: 30_000 });
    letSignInThrough();
    await signedInByItself(page);
    await page.unroute(`${system.serviceUrl}/auth/verify`);
    // Where to send the money: the city bank's account, and her reference on each request.
    await page.getByTestId("bank-account").getByText("收款账号").waitFor();

    // Bad input, each with its own message and nothing requested.
    const form = page.locator("#topup-form");
    await form.getByLabel("金额（元）").fill("1.234");
    await form.getByLabel("银行卡后 4 位").fill("12");
    await form.getByRole("button", { name: "申请充值" }).click();
    await form.getByText("金额最多两位小数（到分）。").waitFor();
    await form.getByText("请填写银行卡号最后 4 位数字。").waitFor();
    await form.getByLabel("金额（元）").fill("0");
    await form.getByRole("button", { name: "申请充值" }).click();
    await form.getByText("金额必须大于 0。").waitFor();
    await form.getByLabel("金额（元）").fill("60000");
    await form.getByRole("button", { name: "申请充值" }).click();
    await form.getByText("单笔最多 ¥50,000.00。").waitFor();
    // Only the two top-ups of the demo month (day 0 and payday), both issued: nothing new requested.
    await page.getByTestId("my-topups").locator('li[data-state="issued"]').nth(1).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId("my-topups").locator("li").count()).resolves.toBe(2);

    const before = await balanceOf(me);
    await form.getByLabel("金额（元）").fill("88.31");
    await form.getByLabel("银行卡后 4 位").fill("6222");
    await form.getByRole("button", { name: "申请充值" }).click();
    await form.getByText("充值申请已提交。").waitFor();
    const row = page.getByTestId("my-topups").locator("li").first();
    await row.getByText("¥88.31").waitFor();
    await expect(row.locator(".deposit-ref").textContent()).resolves.toMatch(/^HCY[0-9A-F]{10}$/);
    // The request and its 附言 code also show right under the button, on screen, not only at the
    // bottom of the page.
    const justAsked = form.getByTestId("topup-just-asked");
    await expect(justAsked.locator(".deposit-ref").textContent()).resolves.toBe(
      await row.locator(".deposit-ref").textContent(),
    );
    await expect
      .poll(() => justAsked.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight))
      .toBe(true);
    await page.getByTestId("my-topups").locator('li[data-state="deposit_confirmed"]').waitFor({ timeout: 15_000 });
    await expectNoSeriousA11yViolations(page, "topup");

    // The city bank's desk approves it by issuing from its own wallet.
    const desk = await openAs(ROLE_HOLDERS.issuer.index, "#/desk");
    await desk.page.getByRole("button", { name: "登录城市服务以查看入金申请" }).click({ timeout: 30_000 });
    const request = desk.page
      .locator('[data-testid="desk-topups"] li')
      .filter({ hasText: "¥88.31" })
      .filter({ hasText: "6222" });
    await request.getByRole("button", { name: "批准并发行" }).click({ timeout: 15_000 });
    await desk.page.locator("#desk-issue").getByRole("button", { name: "确认", exact: true }).click();
    await desk.page.locator("#desk-issue").getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    await desk.context.close();

    await page
      .getByTestId("my-topups")
      .locator('li[data-state="issued"]')
      .filter({ hasText: "¥88.31" })
      .getByText("已到账")
      .waitFor({ timeout: 20_000 });
    expect(await balanceOf(me)).toBe(before + 88_31n);
    await page.getByTestId("topup-balance").getByText(/¥/).waitFor();
    await screenshot(page, "account-topup-completed");
    await context.close();
  });

  it("cashes out: refuses bad input, burns through the review and sees the request paid", async () => {
    const { context, page } = await openAs(resident.index, "#/topup");
    await signedInByItself(page);
    const balance = await balanceOf(me);
    const form = page.locator("#cashout-form");
    await page.getByTestId("topup-balance").getByText(/¥/).waitFor({ timeout: 20_000 });
    await form.getByLabel("金额（元）").fill(((Number(balance) + 100) / 100).toFixed(2));
    await form.getByLabel("银行卡后 4 位").fill("1234");
    await form.getByRole("button", { name: "下一步：确认提现" }).click();
    await form.getByText(/余额不足/).waitFor();
    await form.getByLabel("银行卡后 4 位").fill("12a4");
    await form.getByLabel("金额（元）").fill("20");
    await form.getByRole("button", { name: "下一步：确认提现" }).click();
    await form.getByText("请填写银行卡号最后 4 位数字。").waitFor();
    await expect(page.getByTestId("my-cashouts").locator("li").count()).resolves.toBe(0);

    await form.getByLabel("银行卡后 4 位").fill("1234");
    await form.getByRole("button", { name: "下一步：确认提现" }).click();
    await page.getByText("提现 20.00 元 到银行卡 …1234").waitFor();
    await screenshot(page, "account-cashout-review");
    await expectNoSeriousA11yViolations(page, "cash-out review");
    await page.getByRole("button", { name: "确认提现" }).click();
    await page.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await balanceOf(me)).toBe(balance - 20_00n);
    await page.getByRole("button", { name: "完成" }).click();
    await page
      .getByTestId("my-cashouts")
      .locator('li[data-state="paid"]')
      .getByText("已打款到银行卡")
      .waitFor({ timeout: 20_000 });
    await expect(page.getByTestId("my-cashouts").locator("li").first().innerText()).resolves.toContain("卡 …1234");
    await context.close();
  });

  it("raises an alert after a large payment to a new address, counted on Home until marked read", async () => {
    const { context, page } = await openAs(resident.index, "#/alerts");
    await signedInByItself(page);
    await page.getByLabel("提醒金额（元）").fill("10.001");
    await page.getByRole("button", { name: "保存提醒金额" }).click();
    await page.getByText("金额最多两位小数（到分）。").waitFor();
    await page.getByLabel("提醒金额（元）").fill("30");
    await page.getByRole("button", { name: "保存提醒金额" }).click();
    await page.getByText("已保存：单笔 ¥30.00 起提醒。").waitFor();

    // The resident pays 35 元 to an address never seen before (from another wallet app, say).
    const wallet = createWalletClient({ account: localAccount(resident.index), chain, transport: http(system.rpcUrl) });
    const hash = await wallet.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "transfer",
      args: [stranger, 35_00n],
      maxFeePerGas: 0n,
      maxPriorityFeePerGas: 0n,
    });
    await client.waitForTransactionReceipt({ hash });

    await page.goto(`${system.webUrl}/#/`);
    await page.getByTestId("unread-alerts").waitFor({ timeout: 30_000 });
    await page.getByTestId("alerts-link").click();
    const large = page.locator('li.alert[data-kind="large_payment"]').filter({
      has: page.locator(`[title="${stranger}"]`),
    });
    await large.waitFor({ timeout: 30_000 });
    await expect(large.innerText()).resolves.toContain("¥35.00");
    await expect(large.innerText()).resolves.toContain("¥30.00");
    const first = page
      .locator('li.alert[data-kind="first_payment"]')
      .filter({ has: page.locator(`[title="${stranger}"]`) });
    await first.waitFor();
    await screenshot(page, "account-alerts");
    await expectNoSeriousA11yViolations(page, "alerts");

    await large.getByRole("button", { name: "标为已读" }).click();
    await large.getByText("已读", { exact: true }).waitFor();
    await expect(large.getByRole("button", { name: "标为已读" }).count()).resolves.toBe(0);
    // Still read after a reload: the service kept it.
    await page.reload();
    await large.getByText("已读", { exact: true }).waitFor({ timeout: 15_000 });
    await context.close();
  });
});
