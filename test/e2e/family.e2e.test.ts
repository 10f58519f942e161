// 亲属卡 and 转账延时到账 in the browser, with the built-in demo wallets: her son (李明) gives 王阿姨
// a family card, she accepts it and pays a shop with it; the shop's receipt says 亲属卡, his page
// shows the payment as it happens, his history names whose card paid; he lowers the limit and stops
// it, and his allowance to the cards follows (never unlimited). A transfer to a new person waits
// 2 hours (关怀模式 proposes it) and one tap takes it back: her balance is whole again. A 24-hour
// transfer is 到账中 for the receiver until the chain's clock passes it; then 收款 brings it in.
// Every new screen is photographed at 320 and 390 px, zh and en, normal and 关怀模式, and measured.
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, getAddress, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi, delayedTransfersAbi, familyCardsAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { type DemoVisit, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });

const resident = (zh: string) => {
  const person = RESIDENTS.find((r) => r.name === zh);
  if (!person) throw new Error(`no demo resident ${zh}`);
  return { index: person.index, address: localAccount(person.index).address };
};
const wang = resident("王阿姨");
const son = resident("李明");
const noodles = MERCHANTS[0];
if (!noodles) throw new Error("no demo shop");
const shop = localAccount(noodles.index).address;

const contact = (name: string, address: Address) => ({
  id: `e2e-${address}`,
  name,
  address,
  createdAt: 1,
  updatedAt: 1,
});
const contactsOf = (owner: Address, list: { name: string; address: Address }[]) => ({
  [`hcy.contacts.v1.${owner.toLowerCase()}`]: JSON.stringify(list.map((c) => contact(c.name, c.address))),
});
const sonContacts = contactsOf(son.address, [{ name: "妈妈", address: wang.address }]);
const wangContacts = contactsOf(wang.address, [{ name: "儿子", address: son.address }]);

let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const balanceOf = (who: Address) =>
  publicClient.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [who],
  });
const allowanceOf = (who: Address) =>
  publicClient.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "allowance",
    args: [who, system.contracts.FamilyCards],
  });

async function open(index: number, hash: string, visit: DemoVisit = {}) {
  return openAsDemo(browser, system.webUrl, index, hash, visit);
}

/** Confirms the review on screen and waits for its outcome, then leaves with 完成. */
async function confirmAndFinish(page: Page, confirm: string, outcome = "已完成") {
  await page.getByRole("button", { name: confirm, exact: true }).click({ timeout: 30_000 });
  await page.getByText(outcome, { exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "完成", exact: true }).click();
}

/** Photographs the page as it is at 320 and 390 px and says what does not fit or may not be said. */
async function photograph(page: Page, name: string, lang: "zh" | "en", largeText: boolean, found: string[]) {
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await settle(page);
    const shot = `${name}-${width}`;
    await screenshot(page, shot);
    for (const p of await layoutProblems(page, largeText)) found.push(`${shot}: ${p.kind}: ${p.what}`);
    for (const word of forbiddenIn(await visibleText(page), lang)) found.push(`${shot}: forbidden word ${word}`);
  }
}

describe("亲属卡", () => {
  it("her son gives her a card, she pays a shop with it, the shop and he see it; he lowers the limit and stops it", async () => {
    const sonStart = await balanceOf(son.address);
    const wangStart = await balanceOf(wang.address);
    const shopStart = await balanceOf(shop);

    // He offers a card of 200 a month, for every shop.
    const him = await open(son.index, "#/family", { storage: sonContacts });
    await him.page.getByRole("heading", { name: "给家人开一张亲属卡" }).waitFor({ timeout: 30_000 });
    await him.page.getByLabel("给谁（从联系人中选）").selectOption({ label: "妈妈" });
    await him.page.getByLabel("每月最多（元）").fill("200");
    await him.page.getByRole("button", { name: "下一步：核对" }).click();
    // A wallet that sends one transaction at a time: first the exact allowance, then the offer.
    await him.page.getByText("允许亲属卡从你的账户付出的总数：¥200.00").waitFor({ timeout: 30_000 });
    await screenshot(him.page, "family-offer-step1");
    await him.page.getByRole("button", { name: "确认允许" }).click();
    await him.page.getByRole("heading", { name: "把亲属卡发给妈妈" }).waitFor({ timeout: 30_000 });
    await confirmAndFinish(him.page, "确认开卡");
    expect(await allowanceOf(son.address)).toBe(200_00n);
    const cardCount = await publicClient.readContract({
      address: system.contracts.FamilyCards,
      abi: familyCardsAbi,
      functionName: "cardCount",
    });
    await him.page.getByText("等对方接受").waitFor({ timeout: 30_000 });

    // She sees the offer (关怀模式) and accepts it.
    const her = await open(wang.index, "#/family", { largeText: true, storage: wangContacts });
    await her.page.getByRole("heading", { name: "儿子想给你一张亲属卡" }).waitFor({ timeout: 30_000 });
    await screenshot(her.page, "family-offer-received-care");
    await her.page.getByRole("button", { name: "接受", exact: true }).click();
    await confirmAndFinish(her.page, "确认接受");
    await her.page.getByRole("heading", { name: "儿子的亲属卡" }).waitFor({ timeout: 30_000 });
    await her.page.getByText("¥200.00").first().waitFor();

    // She pays the noodle shop 15.00 with it.
    const order = `FAMILY-${Date.now()}`;
    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1500&ref=${order}`;
    await her.page.goto(`${system.webUrl}/#/pay?request=${encodeURIComponent(link)}`);
    const byCard = her.page.getByLabel("用亲属卡付（儿子）· 本月还能用 ¥200.00");
    await byCard.waitFor({ timeout: 30_000 });
    await her.page.getByLabel("用我自己的余额付").waitFor();
    await byCard.check();
    await her.page.getByText("这笔钱从儿子的账户付，不动你的余额。").waitFor();
    await screenshot(her.page, "family-pay-choice-care");
    await her.page.getByRole("button", { name: "核对付款" }).click();
    await her.page.getByText("亲属卡 · 儿子").waitFor();
    await screenshot(her.page, "family-pay-review-care");
    await her.page.getByRole("button", { name: "确认付款" }).click();
    await her.page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await balanceOf(wang.address)).toBe(wangStart);
    expect(sonStart - (await balanceOf(son.address))).toBe(15_00n);
    expect((await balanceOf(shop)) - shopStart).toBe(15_00n);

    // His page shows it without a reload: the payment, and what is left.
    await him.page.getByTestId("card-payment").filter({ hasText: noodles.name }).waitFor({ timeout: 30_000 });
    await him.page.getByTestId("card-left").getByText("¥185.00").waitFor({ timeout: 30_000 });
    await screenshot(him.page, "family-given-paid");

    // The shop's receipt says 亲属卡.
    const theShop = await open(noodles.index, "#/merchant", {
      viewport: { width: 1100, height: 900 },
      // A counter speaks by default; the headless browser has no voice.
      storage: { "hcy.merchant.announce.v1": JSON.stringify({ speak: false, beep: false }) },
    });
    await theShop.page.getByRole("heading", { name: noodles.name }).waitFor({ timeout: 30_000 });
    await settle(theShop.page);
    await screenshot(theShop.page, "family-shop-receipts");
    const row = theShop.page.locator(`tr.receipt-row[data-order-ref="${order}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.getByTestId("receipt-family-card").getByText("亲属卡").waitFor({ timeout: 30_000 });
    await expect(row.innerText()).resolves.toContain("¥15.00");
    await screenshot(theShop.page, "family-shop-receipt");
    await theShop.context.close();

    // His history: a payment to the shop from his account, with 亲属卡 · 妈妈.
    await him.page.goto(`${system.webUrl}/#/history`);
    await him.page.getByTestId("history-family-card").first().getByText("妈妈").waitFor({ timeout: 30_000 });
    await screenshot(him.page, "family-son-history");
    // Hers: 亲属卡 · 儿子, apart from her own money.
    await her.page.goto(`${system.webUrl}/#/history`);
    await her.page.getByTestId("held-card-payments").getByText("亲属卡 · 儿子").waitFor({ timeout: 30_000 });
    await screenshot(her.page, "family-mother-history-care");

    // He lowers the limit to 100: 85 left, and the allowance follows exactly.
    await him.page.goto(`${system.webUrl}/#/family`);
    const card = him.page.locator(`article.family-card[data-card="${cardCount}"]`);
    await card.getByRole("button", { name: "修改上限" }).click({ timeout: 30_000 });
    await card.getByLabel("新的每月最多（元）").fill("100");
    await card.getByRole("button", { name: "下一步：核对" }).click();
    await him.page.getByRole("button", { name: "确认修改" }).click();
    await him.page.getByRole("button", { name: "确认允许" }).click({ timeout: 30_000 });
    await him.page.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    await him.page.getByRole("button", { name: "完成", exact: true }).click();
    await card.getByTestId("card-left").getByText("¥85.00").waitFor({ timeout: 30_000 });
    expect(await allowanceOf(son.address)).toBe(85_00n);

    // Over what is left: her checkout no longer offers the card.
    const big = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=9000&ref=${order}-2`;
    await her.page.goto(`${system.webUrl}/#/pay?request=${encodeURIComponent(big)}`);
    await her.page.getByRole("button", { name: "核对付款" }).waitFor({ timeout: 30_000 });
    await her.page.getByText("¥90.00").first().waitFor();
    await expect(her.page.getByLabel(/用亲属卡付/).count()).resolves.toBe(0);

    // He stops it: nothing more can be paid, and the allowance goes back to 0.
    await card.getByRole("button", { name: "停用" }).click();
    await him.page.getByRole("button", { name: "确认停用" }).click();
    await him.page.getByRole("button", { name: "确认允许" }).click({ timeout: 30_000 });
    await him.page.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    await him.page.getByRole("button", { name: "完成", exact: true }).click();
    await card.getByText("已停用").waitFor({ timeout: 30_000 });
    expect(await allowanceOf(son.address)).toBe(0n);
    await her.page.goto(`${system.webUrl}/#/family`);
    await her.page.getByText("对方已停用").waitFor({ timeout: 30_000 });

    await him.context.close();
    await her.context.close();
  });
});

describe("转账延时到账", () => {
  it("a transfer to a new person waits 2 hours in 关怀模式 and one tap takes it back: her balance is whole again", async () => {
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    const start = await balanceOf(wang.address);
    const { context, page } = await open(wang.index, "#/transfer", { largeText: true });
    await page.getByLabel("输入商户名、联系人名或账户号").fill(stranger, { timeout: 30_000 });
    await page.getByLabel("金额（元）").fill("8");
    // 关怀模式 proposes the delay, and says what it protects her from.
    await page.getByText(/钱会先等 2 小时/).waitFor({ timeout: 30_000 });
    await expect(page.getByLabel("2 小时后到账（这期间可以撤回）").isChecked()).resolves.toBe(true);
    await screenshot(page, "delayed-transfer-choice-care");
    await page.getByLabel("我已核对完整的账户号，确认要转给它").check();
    await page.getByRole("button", { name: "下一步" }).click();
    await page.getByText("到账时间").waitFor({ timeout: 30_000 });
    await screenshot(page, "delayed-transfer-review-care");
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect(start - (await balanceOf(wang.address))).toBe(8_00n);
    expect(await balanceOf(stranger)).toBe(0n);
    await page.getByRole("button", { name: "完成", exact: true }).click();

    // Her history: the transfer on its way, and 撤回.
    const pending = page.getByTestId("pending-transfer").filter({ hasText: "¥8.00" });
    await pending.waitFor({ timeout: 30_000 });
    await page.getByTestId("history-delayed").first().waitFor({ timeout: 30_000 });
    await screenshot(page, "delayed-transfer-pending-care");
    await pending.getByRole("button", { name: "撤回" }).click();
    await confirmAndFinish(page, "确认撤回");
    await expect.poll(() => balanceOf(wang.address), { timeout: 30_000 }).toBe(start);
    await expect
      .poll(() => page.getByTestId("pending-transfer").filter({ hasText: "¥8.00" }).count(), { timeout: 30_000 })
      .toBe(0);
    await page.getByText("已撤回").first().waitFor({ timeout: 30_000 });
    await context.close();
  });

  it("a 24-hour transfer is 到账中 for the receiver, and arrives with 收款 once the chain's clock passes it", async () => {
    // A sender and receiver with no transfer between them yet (the delay is for someone new).
    const pair = await freshPair();
    const receiverStart = await balanceOf(pair.receiver.address);
    const sender = await open(pair.sender.index, "#/transfer");
    await sender.page.getByLabel("输入商户名、联系人名或账户号").fill(pair.receiver.address, { timeout: 30_000 });
    await sender.page.getByLabel("金额（元）").fill("6");
    const long = sender.page.getByLabel("24 小时后到账（这期间可以撤回）");
    await long.waitFor({ timeout: 30_000 });
    // Not 关怀模式: at once unless she chooses.
    await expect(sender.page.getByLabel("马上到账").isChecked()).resolves.toBe(true);
    await long.check();
    await sender.page.getByLabel("我已核对完整的账户号，确认要转给它").check();
    await sender.page.getByRole("button", { name: "下一步" }).click();
    await sender.page.getByRole("button", { name: "确认付款" }).click({ timeout: 30_000 });
    await sender.page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    await sender.context.close();

    const receiver = await open(pair.receiver.index, "#/");
    const pending = receiver.page.getByTestId("pending-transfer").filter({ hasText: "¥6.00" });
    await pending.getByText("转给你 · 到账中").waitFor({ timeout: 30_000 });
    await pending.getByText(/到账$/).waitFor();
    await expect(pending.getByRole("button", { name: "收款" }).count()).resolves.toBe(0);
    await screenshot(receiver.page, "delayed-transfer-incoming");

    // A day passes on the chain.
    await publicClient.request({ method: "evm_increaseTime" as never, params: [86_400 + 60] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    await pending.getByRole("button", { name: "收款" }).click({ timeout: 30_000 });
    await confirmAndFinish(receiver.page, "确认收款");
    await expect.poll(() => balanceOf(pair.receiver.address), { timeout: 30_000 }).toBe(receiverStart + 6_00n);
    await receiver.page.goto(`${system.webUrl}/#/history`);
    await receiver.page.getByTestId("history-delayed").first().waitFor({ timeout: 30_000 });
    await receiver.context.close();
  });

  it("is not offered for a registered shop, which is paid at once", async () => {
    const { context, page } = await open(wang.index, "#/transfer", { largeText: true });
    await page.getByLabel("输入商户名、联系人名或账户号").fill(shop, { timeout: 30_000 });
    await page
      .getByTestId("shop-at-once")
      .getByText("这是城市登记的商店：付款马上到账，不用延时。")
      .waitFor({ timeout: 30_000 });
    await expect(page.getByLabel("2 小时后到账（这期间可以撤回）").count()).resolves.toBe(0);
    await context.close();
  });
});

/** Two demo residents, the first of whom never sent the second anything. */
async function freshPair() {
  const people = RESIDENTS.filter((r) => r.name !== "王阿姨" && r.name !== "李明").map((r) => ({
    index: r.index,
    address: localAccount(r.index).address,
  }));
  for (const from of people)
    for (const to of people) {
      if (from === to) continue;
      const logs = await publicClient.getContractEvents({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        eventName: "Transfer",
        args: { from: from.address, to: to.address },
        fromBlock: 0n,
      });
      if (logs.length === 0) return { sender: from, receiver: to };
    }
  throw new Error("every pair of demo residents has paid each other already");
}

/** Sends a write from a demo account straight to the chain (set-up, not what is under test). */
async function write(index: number, request: Parameters<ReturnType<typeof createWalletClient>["writeContract"]>[0]) {
  const wallet = createWalletClient({ account: localAccount(index), chain, transport: http(system.rpcUrl) });
  const hash = await wallet.writeContract({ ...request, account: localAccount(index), chain } as never);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

describe("the new screens on phones", () => {
  it("fit at 320 and 390 px, zh and en, normal and 关怀模式, with no forbidden word", async () => {
    const found: string[] = [];
    const stranger = getAddress(privateKeyToAccount(generatePrivateKey()).address);
    // Set up on the chain: an accepted card of 50 a month for her, and a transfer of hers waiting.
    const cards = { address: system.contracts.FamilyCards, abi: familyCardsAbi } as const;
    const delayed = { address: system.contracts.DelayedTransfers, abi: delayedTransfersAbi } as const;
    const token = { address: system.contracts.CityYuan, abi: cityYuanAbi } as const;
    await write(son.index, { ...token, functionName: "approve", args: [cards.address, 50_00n] } as never);
    await write(son.index, {
      ...cards,
      functionName: "offer",
      args: [wang.address, { monthlyLimit: 50_00, perPaymentLimit: 0, categories: 0xff }],
    } as never);
    const cardId = await publicClient.readContract({ ...cards, functionName: "cardCount" });
    await write(wang.index, { ...cards, functionName: "accept", args: [cardId] } as never);
    await write(wang.index, { ...token, functionName: "approve", args: [delayed.address, 3_00n] } as never);
    await write(wang.index, { ...delayed, functionName: "send", args: [stranger, 3_00n, 7_200n] } as never);
    const payLink = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1200&ref=WALK-${Date.now()}`;
    for (const lang of ["zh", "en"] as const)
      for (const largeText of [false, true]) {
        const mode = `${largeText ? "care" : "normal"}-${lang}`;
        const visit = { lang, largeText };
        const him = await open(son.index, "#/family", { ...visit, storage: sonContacts });
        await him.page.locator("#give-card-title").waitFor({ timeout: 30_000 });
        await photograph(him.page, `family-son-${mode}`, lang, largeText, found);
        await him.context.close();

        const her = await open(wang.index, "#/family", { ...visit, storage: wangContacts });
        await her.page.locator("#held-title").waitFor({ timeout: 30_000 });
        await photograph(her.page, `family-mother-${mode}`, lang, largeText, found);
        await her.page.goto(`${system.webUrl}/#/history`);
        await her.page.getByTestId("pending-transfers").waitFor({ timeout: 30_000 });
        await photograph(her.page, `family-mother-history-${mode}`, lang, largeText, found);
        await her.page.goto(`${system.webUrl}/#/pay?request=${encodeURIComponent(payLink)}`);
        await her.page.locator(".pay-choice").waitFor({ timeout: 30_000 });
        await photograph(her.page, `family-pay-choice-${mode}`, lang, largeText, found);
        await her.page.goto(`${system.webUrl}/#/transfer`);
        await her.page.locator("main input[type=text]").first().fill(stranger, { timeout: 30_000 });
        await her.page.locator(".delay-choice").waitFor({ timeout: 30_000 });
        await photograph(her.page, `delayed-transfer-choice-${mode}`, lang, largeText, found);
        await her.context.close();
      }
    // Leave nothing behind for other tests: the card stopped, the transfer taken back.
    await write(son.index, { ...cards, functionName: "stop", args: [cardId] } as never);
    await write(son.index, { ...token, functionName: "approve", args: [cards.address, 0n] } as never);
    const transferId = await publicClient.readContract({ ...delayed, functionName: "transferCount" });
    await write(wang.index, { ...delayed, functionName: "cancel", args: [transferId] } as never);
    expect(found).toEqual([]);
  });
});
