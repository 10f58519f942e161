// 找回账户 in the browser, with three virtual authenticators (her old phone, her new phone, a
// scammer's phone) and her two helpers as the built-in demo wallets (her son 李明 and her daughter
// 陈静, who pay their own fees): 王阿姨's passkey account (verified as the simulated bank's
// customer C0009, a person no other browser test uses) chooses her son and daughter, 2 must agree.
// She loses her phone: the new phone's “我的手机丢了” shows a link and a check number; her son
// opens the link, sees the same number and agrees (he starts the recovery); her daughter agrees;
// the new phone shows 2 / 2 and when it will be done. After 48 hours on the chain's clock her son
// the new phone finishes it by itself (the city service relays it), continues with the same account (same number, same money) and pays a
// shop. Then her son is tricked into agreeing to a scammer's phone: her old phone, found again,
// shows “有人正在找回你的账户” on Home and one tap cancels it; the scammer's phone is told.
// Every new screen is photographed at 320 and 390 px, zh and en, normal and 关怀模式, and measured.
import type { BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityAccountAbi, cityRecoveryAbi, cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";
import { launchBrowser, localChain, openAsDemo, screenshot, virtualAuthenticator } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";
import { reservesFor } from "./reserves.js";
import { verifyResident } from "./verifyResident.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
// Passkeys need a host name: her phones open the dApp on localhost.
const webUrl = system.webUrl.replace("127.0.0.1", "localhost");

const resident = (zh: string) => {
  const person = RESIDENTS.find((r) => r.name === zh);
  if (!person) throw new Error(`no demo resident ${zh}`);
  return { index: person.index, address: localAccount(person.index).address };
};
const son = resident("李明");
const daughter = resident("陈静");
const noodles = MERCHANTS[0];
if (!noodles) throw new Error("no demo shop");
const shop = localAccount(noodles.index).address;

let browser: Awaited<ReturnType<typeof launchBrowser>>;
const opened: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of opened) await context.close().catch(() => undefined);
  await browser?.close();
});

const balanceOf = (who: Address) =>
  publicClient.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [who],
  });
const roundOf = (account: Address) =>
  publicClient.readContract({
    address: system.contracts.CityRecovery,
    abi: cityRecoveryAbi,
    functionName: "recoveryRound",
    args: [account],
  });

/** A phone of hers: a fresh context with its own fingerprint reader. */
async function phone(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  opened.push(context);
  const page = await context.newPage();
  await virtualAuthenticator(await context.newCDPSession(page));
  return page;
}

/** A helper (a demo wallet) opened on `hash`, with her as a contact. */
async function helper(index: number, hash: string, her: Address) {
  const visit = await openAsDemo(browser, system.webUrl, index, hash, {
    storage: {
      [`hcy.contacts.v1.${localAccount(index).address.toLowerCase()}`]: JSON.stringify([
        { id: "e2e-mum", name: "妈妈", address: her, createdAt: 1, updatedAt: 1 },
      ]),
    },
  });
  opened.push(visit.context);
  return visit.page;
}

async function signIn(page: Page): Promise<void> {
  await page.goto("about:blank");
  await page.goto(`${webUrl}/#/settings`);
  const button = page.getByRole("button", { name: "用钱包登录城市服务" });
  await button.click();
  await page.getByRole("button", { name: "退出登录" }).waitFor({ timeout: 30_000 });
}

/** Confirms the review on screen and waits for its outcome, then leaves with 完成. */
async function confirmAndFinish(page: Page, confirm: string) {
  await page.getByRole("button", { name: confirm, exact: true }).click({ timeout: 30_000 });
  await page.getByText("已完成", { exact: true }).waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "完成", exact: true }).click();
}

/**
 * Photographs the page at 320 and 390 px in zh/en and normal/关怀模式 (each after a reload with
 * those settings, waiting for `ready`), says what does not fit or may not be said, and puts the
 * page back in Chinese, normal size.
 */
async function photographAll(page: Page, name: string, ready: string, found: string[]) {
  for (const lang of ["zh", "en"] as const)
    for (const care of [false, true]) {
      await page.evaluate(
        (settings) => localStorage.setItem("hcy.settings.v1", settings),
        JSON.stringify({ lang, largeText: care }),
      );
      await page.reload();
      await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
      for (const width of [320, 390]) {
        await page.setViewportSize({ width, height: 844 });
        await settle(page);
        const shot = `recovery-${name}-${width}-${care ? "care" : "normal"}-${lang}`;
        await screenshot(page, shot);
        for (const p of await layoutProblems(page, care)) found.push(`${shot}: ${p.kind}: ${p.what}`);
        for (const word of forbiddenIn(await visibleText(page), lang)) found.push(`${shot}: forbidden word ${word}`);
      }
    }
  await page.evaluate(() => localStorage.setItem("hcy.settings.v1", JSON.stringify({ lang: "zh", largeText: false })));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
}

/** The new phone's “我的手机丢了”: its passkey made, the link and the check number it shows. */
async function lostPhone(page: Page): Promise<{ hash: string; code: string }> {
  await page.goto(webUrl);
  await page.getByRole("button", { name: "我的手机丢了" }).click();
  await page.getByRole("button", { name: "验证指纹或面容，开始找回" }).click();
  const code = (await page.getByTestId("lost-code").innerText()).trim();
  const link = (await page.getByTestId("lost-link").innerText()).trim();
  return { hash: link.slice(link.indexOf("#")), code };
}

describe("找回账户", () => {
  it("王阿姨 loses her phone: her son and daughter agree, after 48 hours the new phone uses the same account and pays; her old phone cancels a recovery she did not start", {
    timeout: 600_000,
  }, async () => {
    const layout: string[] = [];

    // Her old phone: a passkey account, signed in and verified, with some money and two contacts.
    const old = await phone();
    await old.goto(webUrl);
    await old.getByRole("button", { name: "用指纹或面容开始" }).click();
    await old.getByTestId("balance").getByText("¥").waitFor({ timeout: 30_000 });
    const me = (await old.locator(".header-account [title]").getAttribute("title")) as Address;
    await signIn(old);
    await verifyResident(old, system.serviceUrl, "C0009");
    const issuer = createWalletClient({ account: localAccount(1), chain, transport: http(system.rpcUrl) });
    await reservesFor(system, 50_00n);
    await publicClient.waitForTransactionReceipt({
      hash: await issuer.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "issue",
        args: [me, 50_00n, keccak256(stringToHex(`recovery-e2e-${me}`))],
      }),
    });
    await old.evaluate(({ key, value }) => localStorage.setItem(key, value), {
      key: `hcy.contacts.v1.${me.toLowerCase()}`,
      value: JSON.stringify([
        { id: "e2e-son", name: "儿子", address: son.address, createdAt: 1, updatedAt: 1 },
        { id: "e2e-daughter", name: "女儿", address: daughter.address, createdAt: 1, updatedAt: 1 },
      ]),
    });
    // The contacts are read once per page load.
    await old.reload();

    // 设置 → 找回账户: her son and daughter, 2 must agree.
    await old.goto(`${webUrl}/#/settings`);
    await old.getByRole("link", { name: "设置找回账户" }).click();
    await old.getByTestId("recovery-current").getByText("还没有设置").waitFor({ timeout: 30_000 });
    await photographAll(old, "settings-none", "recovery-current", layout);
    await old.getByRole("button", { name: "设置找回账户" }).click();
    await old.getByLabel("儿子").check();
    await old.getByLabel("女儿").check();
    // A pasted number of her own is refused in words.
    await old.getByLabel("粘贴家人的账户号").fill(me);
    await old.getByRole("button", { name: "加入", exact: true }).click();
    await old.getByText("不能选你自己").waitFor();
    await old.getByLabel("需要几位同意").selectOption({ label: "2 位同意" });
    await screenshot(old, "recovery-choose");
    await old.getByRole("button", { name: "下一步：核对" }).click();
    await old.getByText("马上生效").waitFor();
    await screenshot(old, "recovery-review");
    await confirmAndFinish(old, "确认设置");
    await old
      .getByTestId("guardian-list")
      .getByText("儿子")
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        await screenshot(old, "recovery-failed-guardians");
        throw new Error(`guardians not shown: ${(await old.locator("main").innerText()).replace(/\s+/g, " ")}`, {
          cause: error,
        });
      });
    await old.getByTestId("guardian-threshold").getByText("需要其中 2 人同意").waitFor();
    const guardians = await publicClient.readContract({
      address: system.contracts.CityRecovery,
      abi: cityRecoveryAbi,
      functionName: "guardiansOf",
      args: [me],
    });
    expect(guardians.family.map((a) => a.toLowerCase()).sort()).toEqual(
      [son.address, daughter.address].map((a) => a.toLowerCase()).sort(),
    );
    expect(guardians.threshold).toBe(2);
    await photographAll(old, "settings", "recovery-current", layout);

    // Her phone is lost. On the new phone: 我的手机丢了.
    const next = await phone();
    const request = await lostPhone(next);
    expect(request.code).toMatch(/^\d{3} \d{3}$/);
    await photographAll(next, "lost-phone", "lost-request", layout);

    // Her son opens the link: the same number; he agrees (this starts the recovery).
    const sonPage = await helper(son.index, request.hash, me);
    await sonPage.getByTestId("help-code").getByText(request.code).waitFor({ timeout: 30_000 });
    await sonPage.getByTestId("help-account").getByText("妈妈").waitFor({ timeout: 30_000 });
    await photographAll(sonPage, "helper", "help-account", layout);
    await sonPage.getByRole("button", { name: "同意，帮她找回" }).click();
    await confirmAndFinish(sonPage, "确认同意");
    await sonPage.getByTestId("help-approvals").getByText("已同意：1 / 2 人").waitFor({ timeout: 30_000 });
    await next.getByTestId("lost-approvals").getByText("1 / 2 人").waitFor({ timeout: 30_000 });

    // Her daughter agrees: enough, the 48 hours start.
    const daughterPage = await helper(daughter.index, request.hash, me);
    await daughterPage.getByTestId("help-code").getByText(request.code).waitFor({ timeout: 30_000 });
    await daughterPage.getByRole("button", { name: "同意，帮她找回" }).click({ timeout: 30_000 });
    await confirmAndFinish(daughterPage, "确认同意");
    await daughterPage.getByTestId("help-ready-at").waitFor({ timeout: 30_000 });
    await next.getByTestId("lost-approvals").getByText("2 / 2 人").waitFor({ timeout: 30_000 });
    await next.getByTestId("lost-ready-at").getByText(/\d/).waitFor();
    await screenshot(next, "recovery-lost-agreed");

    // Her old phone (she still has it here) sees it on Home: the warning is true for her account.
    await old.goto(`${webUrl}/#/`);
    await old.getByTestId("recovery-alert").waitFor({ timeout: 30_000 });
    await photographAll(old, "home-alert", "recovery-alert", layout);

    // 48 hours pass on the chain; the new phone finishes by itself (the service relays it), and
    // her son's page says it is done.
    await publicClient.request({ method: "evm_increaseTime" as never, params: [48 * 3600 + 60] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    await sonPage.reload();
    await sonPage.getByTestId("help-done").waitFor({ timeout: 60_000 });

    // The new phone continues with the same account and the same money, and pays a shop.
    await next.getByTestId("balance").getByText("¥50.00").waitFor({ timeout: 60_000 });
    expect((await next.locator(".header-account [title]").getAttribute("title"))?.toLowerCase()).toBe(me.toLowerCase());
    await signIn(next);
    const shopBefore = await balanceOf(shop);
    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1200&ref=RECOVERED-${Date.now()}`;
    await next.goto(`${webUrl}/#/pay?request=${encodeURIComponent(link)}`);
    await next.getByRole("button", { name: "核对付款" }).click({ timeout: 30_000 });
    await next.getByRole("button", { name: "确认付款" }).click();
    await next.getByText("已付款", { exact: true }).waitFor({ timeout: 60_000 });
    expect(await balanceOf(me)).toBe(38_00n);
    expect(await balanceOf(shop)).toBe(shopBefore + 12_00n);

    // A scammer's phone asks; her son is tricked into agreeing.
    const scammer = await phone();
    const scam = await lostPhone(scammer);
    await sonPage.goto(`${system.webUrl}/${scam.hash}`);
    await sonPage.getByRole("button", { name: "同意，帮她找回" }).click({ timeout: 30_000 });
    await confirmAndFinish(sonPage, "确认同意");
    await scammer.getByTestId("lost-approvals").getByText("1 / 2 人").waitFor({ timeout: 30_000 });
    const round = await roundOf(me);

    // Her old phone, found again, is still in her account: Home warns, one tap cancels.
    expect(
      await publicClient.readContract({
        address: me,
        abi: cityAccountAbi,
        functionName: "isPasskey",
        args: [
          (await old.evaluate(() => JSON.parse(localStorage.getItem("hcy.passkey.v1") ?? "{}").x)) as `0x${string}`,
          (await old.evaluate(() => JSON.parse(localStorage.getItem("hcy.passkey.v1") ?? "{}").y)) as `0x${string}`,
        ],
      }),
    ).toBe(true);
    await old.goto("about:blank");
    await old.goto(`${webUrl}/#/`);
    const alert = old.getByTestId("recovery-alert");
    await alert.getByText("李明").or(alert.getByText("儿子")).first().waitFor({ timeout: 30_000 });
    await alert.getByRole("button", { name: "不是我，取消" }).click();
    await confirmAndFinish(old, "确认取消");
    await alert.waitFor({ state: "detached", timeout: 30_000 });
    expect(await roundOf(me)).toBe(round + 1);
    await scammer.getByTestId("lost-cancelled").waitFor({ timeout: 30_000 });
    await screenshot(scammer, "recovery-scammer-told");
    // Her son's page says her own phone cancelled it and warns him; agreeing again is not offered.
    await sonPage.reload();
    await sonPage.getByTestId("help-cancelled").waitFor({ timeout: 30_000 });
    expect(await sonPage.getByRole("button", { name: "同意，帮她找回" }).count()).toBe(0);

    expect(layout).toEqual([]);
  });

  it("周大爷 chose the city desk: on the new phone the bank re-verifies him, 7 days later the new phone finishes by itself, the lost phone is removed, he pays a shop", {
    timeout: 600_000,
  }, async () => {
    const layout: string[] = [];
    const customer = SIMULATED_CUSTOMERS.find((c) => c.id === "C0103");
    if (!customer?.cards[0]) throw new Error("no simulated customer C0103");

    // His old phone: a passkey account, signed in and verified (实名, customer C0103), with money.
    const old = await phone();
    await old.goto(webUrl);
    await old.getByRole("button", { name: "用指纹或面容开始" }).click();
    await old.getByTestId("balance").getByText("¥").waitFor({ timeout: 30_000 });
    const me = (await old.locator(".header-account [title]").getAttribute("title")) as Address;
    await signIn(old);
    await verifyResident(old, system.serviceUrl, "C0103");
    const issuer = createWalletClient({ account: localAccount(1), chain, transport: http(system.rpcUrl) });
    await reservesFor(system, 50_00n);
    await publicClient.waitForTransactionReceipt({
      hash: await issuer.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "issue",
        args: [me, 50_00n, keccak256(stringToHex(`recovery-desk-e2e-${me}`))],
      }),
    });
    const oldKey = (await old.evaluate(() => JSON.parse(localStorage.getItem("hcy.passkey.v1") ?? "{}"))) as {
      x: `0x${string}`;
      y: `0x${string}`;
    };
    // The city service keeps his devices' names (as 我的设备 sends them when signed in).
    const service = new URL(system.serviceUrl);
    service.hostname = "localhost";
    const named = await old.evaluate(
      async ({ url }) =>
        (
          await fetch(url, {
            method: "PUT",
            credentials: "include",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ name: "旧手机", platform: "android" }),
          })
        ).status,
      { url: `${service.origin}/devices/${oldKey.x.slice(2)}${oldKey.y.slice(2)}` },
    );
    expect(named).toBe(200);

    // 设置 → 找回账户: the city desk alone.
    await old.goto(`${webUrl}/#/settings`);
    await old.getByRole("link", { name: "设置找回账户" }).click();
    await old.getByRole("button", { name: "设置找回账户" }).click({ timeout: 30_000 });
    await old.getByLabel(/也让城市找回服务台帮我/).check();
    await old.getByRole("button", { name: "下一步：核对" }).click();
    await confirmAndFinish(old, "确认设置");
    await old
      .getByTestId("recovery-current")
      .getByText("城市找回服务台", { exact: false })
      .waitFor({ timeout: 30_000 });
    const guardians = await publicClient.readContract({
      address: system.contracts.CityRecovery,
      abi: cityRecoveryAbi,
      functionName: "guardiansOf",
      args: [me],
    });
    expect(guardians).toMatchObject({ family: [], threshold: 1, cityDesk: true });

    // His phone is lost. On the new phone: 我的手机丢了 → 通过城市服务台找回.
    const next = await phone();
    await lostPhone(next);
    await next.getByTestId("desk-open").click();
    await next.getByTestId("desk-recovery").waitFor();
    await photographAll(next, "desk-form", "desk-recovery", layout);
    await next.getByLabel("姓名（和身份证上一样）").fill(customer.name);
    await next.getByLabel("身份证号（18 位）").fill(customer.idNumber);
    await next.getByLabel("银行卡号").fill(customer.cards[0].number);
    // A phone number the bank does not hold for this card is refused in words.
    await next.getByLabel("银行预留的手机号").fill("13955100199");
    await next.getByRole("button", { name: "请银行核对" }).click();
    await next.getByTestId("desk-error").getByText("手机号不是这张卡在银行预留的号码").waitFor({ timeout: 30_000 });
    await next.getByLabel("银行预留的手机号").fill(customer.phone);
    await next.getByRole("button", { name: "请银行核对" }).click();
    const shown = await next.getByTestId("desk-shown-code").innerText({ timeout: 30_000 });
    const code = /(\d{6})/.exec(shown)?.[1] as string;
    await next.getByTestId("desk-devices").getByText("旧手机").waitFor();
    expect(await next.getByTestId("desk-remove-lost").isChecked()).toBe(true);
    // The code step survives a reload (each photograph reloads the page).
    await photographAll(next, "desk-code", "desk-code-sent", layout);
    // A wrong code is refused in words; the right one starts the recovery at the desk.
    await next.getByLabel("银行短信验证码（6 位）").fill(code === "000000" ? "000001" : "000000");
    await next.getByRole("button", { name: "确认，开始找回" }).click();
    await next.getByTestId("desk-error").getByText("验证码不对").waitFor({ timeout: 30_000 });
    await next.getByLabel("银行短信验证码（6 位）").fill(code);
    await next.getByRole("button", { name: "确认，开始找回" }).click();
    await next.getByTestId("desk-started").waitFor({ timeout: 60_000 });
    await next.getByTestId("desk-removed").getByText("旧手机").waitFor();
    await next.getByTestId("lost-approvals").getByText("1 / 1 人").waitFor({ timeout: 30_000 });
    await next.getByTestId("lost-ready-at").getByText(/\d/).waitFor();
    await photographAll(next, "desk-started", "desk-started", layout);

    // His old phone is told on Home and could cancel.
    await old.goto(`${webUrl}/#/`);
    await old.getByTestId("recovery-alert-desk").getByText("城市找回服务台").waitFor({ timeout: 30_000 });
    await old.getByTestId("recovery-alert").getByRole("button", { name: "不是我，取消" }).waitFor();
    await photographAll(old, "desk-home-alert", "recovery-alert", layout);

    // 7 days pass on the chain: the new phone finishes by itself, with his account and money.
    await publicClient.request({ method: "evm_increaseTime" as never, params: [7 * 24 * 3600 + 60] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    await next.getByTestId("balance").getByText("¥50.00").waitFor({ timeout: 60_000 });
    expect((await next.locator(".header-account [title]").getAttribute("title"))?.toLowerCase()).toBe(me.toLowerCase());
    // The lost phone is no longer on the account.
    expect(
      await publicClient.readContract({
        address: me,
        abi: cityAccountAbi,
        functionName: "isPasskey",
        args: [oldKey.x, oldKey.y],
      }),
    ).toBe(false);

    await signIn(next);
    const shopBefore = await balanceOf(shop);
    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1200&ref=DESK-${Date.now()}`;
    await next.goto(`${webUrl}/#/pay?request=${encodeURIComponent(link)}`);
    await next.getByRole("button", { name: "核对付款" }).click({ timeout: 30_000 });
    await next.getByRole("button", { name: "确认付款" }).click();
    await next.getByText("已付款", { exact: true }).waitFor({ timeout: 60_000 });
    expect(await balanceOf(me)).toBe(38_00n);
    expect(await balanceOf(shop)).toBe(shopBefore + 12_00n);

    expect(layout).toEqual([]);
  });
});
