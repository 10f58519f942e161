// Real-name verification (实名) as a resident meets it, in Debian's Chromium against the whole local
// system: 孙丽华 (a customer of the simulated bank whom the demo seed never verified) opens the
// top-up page in 关怀模式 and is sent to 实名认证; a wrong ID check digit is said before anything is
// sent, a name that is not the card's is the bank's answer in words; then the bank confirms her card,
// she tops up from it with the bank's one-time code (a wrong code first), the desk issues and she
// pays a shop. Her second account, verified with the same card, is told she already has her share
// of a residents-only red packet; an account nobody verified is told in words why it cannot top up
// or claim. 我的信息 shows what is held, exports it, and closes it. Every new screen at 320 and 390
// px, zh and en, normal and 关怀模式, with the layout and word checks, goes to test-results/screenshots.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, http, numberToHex, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page as RequestPage, TopUp } from "../../core/api.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { cityServiceClient } from "../../scripts/lib/cityService.js";
import { localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";
import {
  type DemoVisit,
  expectNoSeriousA11yViolations,
  launchBrowser,
  localChain,
  openAsDemo,
  screenshot,
} from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";
import { reservesFor } from "./reserves.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const shop = localAccount(MERCHANTS[0]?.index ?? 12).address;
const wang = RESIDENTS[0] as (typeof RESIDENTS)[0];

// 孙丽华: in the simulated bank, not one of the demo residents the seed verifies (scripts/lib/seed/bank.ts).
const sun = SIMULATED_CUSTOMERS.find((c) => c.id === "C0102") as (typeof SIMULATED_CUSTOMERS)[0];
const sunCard = sun.cards[0]?.number as string;
// Local accounts nobody in the demo data uses: her two accounts, and a stranger who never verifies.
const SUN_FIRST = 60;
const SUN_SECOND = 61;
const STRANGER = 62;
const STRANGER_EN = 63;
const PHONE_ONLY = 64;

/** The same 17 digits with another check character: the GB 11643 check fails. */
const wrongCheckDigit = (id: string) => `${id.slice(0, 17)}${id[17] === "1" ? "2" : "1"}`;

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  // Gas for her accounts (demo accounts pay from an ordinary address on the local chain).
  for (const index of [SUN_FIRST, SUN_SECOND]) {
    await publicClient.request({
      method: "hardhat_setBalance" as never,
      params: [localAccount(index).address, numberToHex(parseEther("10"))] as never,
    });
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function openAs(index: number, hash: string, visit: DemoVisit = {}): Promise<Page> {
  const { context, page } = await openAsDemo(browser, system.webUrl, index, hash, visit);
  contexts.push(context);
  return page;
}

/** The bank confirmed her deposit (the card debit); the clerk publishes reserves and issues it. */
async function deskIssues(owner: Address): Promise<bigint> {
  const desk = await cityServiceClient(system.serviceUrl, system.webUrl).signIn(
    localAccount(ROLE_HOLDERS.issuer.index),
    31337,
  );
  const queue = await desk.get<RequestPage<"topUps", TopUp>>(
    `/desk/topups?state=deposit_confirmed&owner=${owner}&limit=10`,
  );
  const request = queue.topUps[0];
  if (!request) throw new Error("the card debit did not confirm her deposit");
  expect(request.method).toBe("card");
  const fen = BigInt(request.amountFen);
  await reservesFor(system, fen);
  const issuer = createWalletClient({
    account: localAccount(ROLE_HOLDERS.issuer.index),
    chain,
    transport: http(system.rpcUrl),
  });
  const hash = await issuer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "issue",
    args: [owner, fen, request.bankRef],
  });
  expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
  return fen;
}

/** Fills the four elements (and ticks the consent once). */
async function fillCard(page: Page, elements: { name: string; idNumber: string; cardNumber: string; phone: string }) {
  await page.getByLabel(/^姓名|^Name/).fill(elements.name);
  await page.getByLabel(/^身份证号|^ID number/).fill(elements.idNumber);
  await page.getByLabel(/^银行卡号|^Bank card number/).fill(elements.cardNumber);
  await page.getByLabel(/^银行预留的手机号|^Phone number the bank holds/).fill(elements.phone);
  const consent = page.getByRole("checkbox", { name: /我已阅读并同意|I have read and agree/ });
  if (!(await consent.isChecked())) await consent.check();
}

/** What a phone screen must not show (layoutChecks.ts) and the words a resident must not meet. */
async function checkScreen(page: Page, name: string, care: boolean, lang: "zh" | "en", found: string[]) {
  await settle(page);
  await screenshot(page, name);
  for (const p of await layoutProblems(page, care)) found.push(`${name}: ${p.kind}: ${p.what}`);
  for (const word of forbiddenIn(await visibleText(page), lang)) found.push(`${name}: forbidden word ${word}`);
}

let packetLink = "";

describe("实名认证 in the dApp", () => {
  it("孙丽华 binds her card in 关怀模式, tops up with the bank's one-time code and pays a shop", async () => {
    const page = await openAs(SUN_FIRST, "#/topup", { largeText: true });
    const me = localAccount(SUN_FIRST).address;
    // Not verified: the top-up page says so and takes her to 实名认证.
    const must = page.getByTestId("topup-must-verify");
    await must.getByText("充值前请先实名认证").waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "申请充值" }).count()).resolves.toBe(0);
    await must.getByRole("link", { name: "去实名认证" }).click();
    await page.getByTestId("bind-card").waitFor({ timeout: 30_000 });
    await page
      .getByTestId("consent-text")
      .getByText(/身份证号的加密摘要/)
      .waitFor();

    // A wrong ID check digit is said in words before anything is sent.
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/identity/card")) sent.push(r.method());
    });
    await fillCard(page, {
      name: sun.name,
      idNumber: wrongCheckDigit(sun.idNumber),
      cardNumber: sunCard,
      phone: sun.phone,
    });
    await page.getByRole("button", { name: "提交给银行核对" }).click();
    await page.getByText("身份证号最后一位不对，请对照身份证再填一次。").waitFor();
    expect(sent.filter((m) => m === "POST")).toEqual([]);
    await screenshot(page, "identity-id-check-digit-care");

    // A name that is not the card's: the bank's answer, in words.
    await fillCard(page, { name: "孙丽英", idNumber: sun.idNumber, cardNumber: sunCard, phone: sun.phone });
    await page.getByRole("button", { name: "提交给银行核对" }).click();
    await page.getByText(/^这张卡不是这个名字的/).waitFor({ timeout: 30_000 });
    expect(sent.filter((m) => m === "POST")).toHaveLength(1);
    await screenshot(page, "identity-name-mismatch-care");

    // The four elements match: she is verified, and told her level and limits in words.
    await fillCard(page, { name: sun.name, idNumber: sun.idNumber, cardNumber: sunCard, phone: sun.phone });
    await page.getByRole("button", { name: "提交给银行核对" }).click();
    await page
      .getByTestId("identity-bound")
      .getByText("认证成功：银行已确认这张卡是您本人的。")
      .waitFor({ timeout: 30_000 });
    const level = page.getByTestId("identity-level");
    await level.getByText("银行卡实名认证").waitFor();
    await level.getByText("认证的人：孙*华").waitFor();
    await level.getByText("充值：每天最多 ¥50,000.00，今天已充 ¥0.00，还可以充 ¥50,000.00").waitFor();
    await screenshot(page, "identity-verified-care");

    // Top-up from her card, the default now: amount → the bank's code (shown by the simulated bank).
    await page.getByTestId("identity-bound").getByRole("link", { name: "去充值" }).click();
    const card = page.getByTestId("card-topup");
    await card.getByText(/尾号 0551 的卡扣款/).waitFor({ timeout: 30_000 });
    await card.getByLabel("金额（元）").fill("200");
    await card.getByRole("button", { name: "下一步：获取验证码" }).click();
    const sms = page.getByTestId("simulated-sms");
    await sms.getByText(/模拟银行短信/).waitFor({ timeout: 30_000 });
    const code = /验证码 (\d{6})/.exec(await sms.innerText())?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    await page.getByText("银行已把验证码发到尾号 0102 的手机").first().waitFor();
    await screenshot(page, "identity-topup-code-care");
    // A reload in the middle brings her back to the same code step, not a fresh form.
    await page.reload();
    await page.getByTestId("simulated-sms").getByText(`验证码 ${code}`).waitFor({ timeout: 30_000 });
    // A wrong code first: said in words, and she may type it again.
    const wrong = code === "000000" ? "111111" : "000000";
    await page.getByLabel("银行短信验证码（6 位）").fill(wrong);
    await page.getByRole("button", { name: "确认充值 ¥200.00" }).click();
    await page.getByText("验证码不对，请对照银行短信再输一次。").waitFor({ timeout: 30_000 });
    await page.getByLabel("银行短信验证码（6 位）").fill(code);
    await page.getByRole("button", { name: "确认充值 ¥200.00" }).click();
    await page
      .getByTestId("card-topup-done")
      .getByText("银行已扣款 ¥200.00，正在等发行柜台发放到您的钱包。")
      .waitFor({ timeout: 30_000 });

    // The desk issues (the test plays the clerk); the balance shows it.
    expect(await deskIssues(me)).toBe(200_00n);
    await page.getByTestId("topup-balance").getByText("¥200.00").waitFor({ timeout: 30_000 });
    await page.getByTestId("card-topup-done").getByText("已到账").waitFor({ timeout: 30_000 });

    // She pays a shop.
    const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1500&ref=SUN-${Date.now()}`;
    await page.evaluate((l) => {
      location.hash = `#/pay?request=${encodeURIComponent(l)}`;
    }, link);
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });

    // 我的信息: what the service holds, nothing more.
    await page.evaluate(() => {
      location.hash = "#/identity";
    });
    const info = page.getByTestId("my-info");
    await info.getByTestId("held-name").getByText("孙*华").waitFor({ timeout: 30_000 });
    await expect(info.getByTestId("held-cards").innerText()).resolves.toMatch(/尾号 0551/);
    await expect(info.getByTestId("held-phone").innerText()).resolves.toBe("尾号 0102");
    const shown = await visibleText(page);
    expect(shown).not.toContain(sun.idNumber);
    expect(shown).not.toContain(sunCard);
    expect(shown).not.toContain(sun.phone);
    await page
      .getByTestId("identity-level")
      .getByText(/今天已充 ¥200.00/)
      .waitFor();
    await expectNoSeriousA11yViolations(page, "identity (关怀模式)");
  });

  it("her second account, verified with the same card, is told she already has her share of a residents' packet", async () => {
    // 王阿姨 sends a residents-only packet (only verified residents, one share each).
    const sender = await openAs(wang.index, "#/redpackets");
    await sender.getByRole("heading", { name: "发红包" }).waitFor({ timeout: 30_000 });
    await sender.getByLabel("总金额（元）").fill("20");
    await sender.getByLabel("红包个数").fill("2");
    await sender.getByLabel("祝福语").fill("实名红包");
    await sender.getByLabel("只限本市已验证的居民领取，每人一份（换账户也只能领一份）").check();
    await sender.getByRole("button", { name: "下一步：核对红包" }).click();
    await sender.getByText("已验证的居民，每人一份").waitFor({ timeout: 20_000 });
    await sender.getByRole("button", { name: "塞钱进红包" }).click();
    await sender.getByRole("heading", { name: "红包已发出" }).waitFor({ timeout: 30_000 });
    packetLink = await sender.getByTestId("claim-link").inputValue();
    const hash = packetLink.slice(packetLink.indexOf("#"));

    // Her first account claims its share (signed in to the city service, she gets a ticket).
    const first = await openAs(SUN_FIRST, "#/identity", { largeText: true });
    await first.getByTestId("my-info").waitFor({ timeout: 30_000 });
    await first.evaluate((h) => {
      location.hash = h;
    }, hash);
    await first.getByRole("button", { name: "拆红包" }).click({ timeout: 30_000 });
    await first.getByTestId("claimed-mine").waitFor({ timeout: 30_000 });

    // Her second account: verified with the same card, it is the same person.
    const second = await openAs(SUN_SECOND, "#/identity");
    await second.getByTestId("bind-card").waitFor({ timeout: 30_000 });
    await fillCard(second, { name: sun.name, idNumber: sun.idNumber, cardNumber: sunCard, phone: sun.phone });
    await second.getByRole("button", { name: "提交给银行核对" }).click();
    const accounts = second.getByTestId("held-accounts");
    await accounts.locator("li").nth(1).waitFor({ timeout: 30_000 });
    await expect(accounts.locator("li").count()).resolves.toBe(2);
    await accounts.getByText("您的另一个账户").waitFor();
    await second.evaluate((h) => {
      location.hash = h;
    }, hash);
    await second
      .getByTestId("claim-problem")
      .getByText("你已经用另一个账户领过这个红包了：每位居民只能领一份。")
      .waitFor({ timeout: 30_000 });
    await expect(second.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
    await screenshot(second, "identity-second-account-share");
  });

  it("an account nobody verified is told in words why it cannot top up or claim", async () => {
    const page = await openAs(STRANGER, "#/topup", { largeText: true });
    await page
      .getByTestId("topup-must-verify")
      .getByText(/充值前要先确认您是谁/)
      .waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "申请充值" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "下一步：获取验证码" }).count()).resolves.toBe(0);
    // Nor cash out: a cash-out is counted per person a day too; said before any amount is typed.
    const cashOutMust = page.getByTestId("cashout-must-verify");
    await cashOutMust.getByText(/提现前要先确认您是谁/).waitFor();
    await expect(cashOutMust.getByRole("link", { name: "去实名认证" }).getAttribute("href")).resolves.toBe(
      "#/identity?from=cashout",
    );
    await expect(page.getByRole("button", { name: "下一步：确认提现" }).count()).resolves.toBe(0);
    await expect(page.getByLabel("金额（元）").count()).resolves.toBe(0);
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      packetLink.slice(packetLink.indexOf("#")),
    );
    const problem = page.getByTestId("resident-problem");
    await problem.getByText(/只有实名认证的居民才能领取/).waitFor({ timeout: 30_000 });
    await problem.getByRole("link", { name: "去实名认证" }).waitFor();
    await expect(page.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
    await screenshot(page, "identity-unverified-claim-care");
  });

  it("a resident without her card at hand verifies her phone: small limits, bank transfer only, no residents' packet", async () => {
    const page = await openAs(PHONE_ONLY, "#/identity", { largeText: true });
    const phoneLevel = page.getByTestId("phone-level");
    await phoneLevel.getByLabel("手机号", { exact: true }).fill("139 0000 0064");
    await phoneLevel.getByRole("button", { name: "发送验证码" }).click();
    const sms = phoneLevel.getByTestId("simulated-phone-sms");
    await sms.getByText(/模拟短信网关/).waitFor({ timeout: 30_000 });
    const code = /验证码 (\d{6})/.exec(await sms.innerText())?.[1] as string;
    await phoneLevel.getByText(/验证码已发到尾号 0064 的手机/).waitFor();
    await phoneLevel.getByLabel("短信验证码（6 位）").fill(code === "000000" ? "111111" : "000000");
    await phoneLevel.getByRole("button", { name: "完成手机认证" }).click();
    await phoneLevel.getByText("验证码不对，请对照短信再输一次。").waitFor({ timeout: 30_000 });
    await phoneLevel.getByLabel("短信验证码（6 位）").fill(code);
    await phoneLevel.getByRole("button", { name: "完成手机认证" }).click();
    const level = page.getByTestId("identity-level");
    await level.getByText("手机号认证").waitFor({ timeout: 30_000 });
    await level.getByText("充值：每天最多 ¥2,000.00，今天已充 ¥0.00，还可以充 ¥2,000.00").waitFor();
    // She can still bind her card later: the form says it is the upgrade.
    await page.getByRole("heading", { name: "用银行卡升级为实名认证" }).waitFor();
    await page.getByTestId("my-info").getByTestId("held-phone").getByText("尾号 0064").waitFor();
    await screenshot(page, "identity-phone-verified-care");
    // Top-up: by bank transfer within the phone level's limits; the card top-up needs her card.
    await page.evaluate(() => {
      location.hash = "#/topup";
    });
    await page
      .getByTestId("topup-card-needs-bank")
      .getByText("从银行卡充值要先绑定您本人的银行卡。")
      .waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "申请充值" }).waitFor();
    await expect(page.getByRole("button", { name: "下一步：获取验证码" }).count()).resolves.toBe(0);
    // What is left of today's phone-level limits, before she types; a transfer top-up counts at once.
    await page.getByTestId("topup-left-today").getByText("今天还可以充 ¥2,000.00。").waitFor();
    await page.getByTestId("cashout-left-today").getByText("今天还可以提现 ¥2,000.00。").waitFor();
    const form = page.locator("#topup-form");
    await form.getByLabel("金额（元）").fill("100");
    await form.getByLabel("银行卡后 4 位").fill("0064");
    await form.getByRole("button", { name: "申请充值" }).click();
    await form.getByText("充值申请已提交。").waitFor({ timeout: 30_000 });
    await page.getByTestId("topup-left-today").getByText("今天还可以充 ¥1,900.00。").waitFor({ timeout: 30_000 });
    await screenshot(page, "identity-phone-topup-left-care");
    // A residents' packet is for bank-verified residents only.
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      packetLink.slice(packetLink.indexOf("#")),
    );
    await page
      .getByTestId("resident-problem")
      .getByText(/只有实名认证的居民才能领取/)
      .waitFor({ timeout: 30_000 });
    await expect(page.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
  });

  it("every new screen fits at 320 and 390 px, in zh and en, normal and 关怀模式, and speaks plainly", async () => {
    const found: string[] = [];
    for (const lang of ["zh", "en"] as const) {
      for (const care of [false, true]) {
        const mode = care ? "care" : "normal";
        // Unverified: the top-up page's pointer and the form (with its errors in words).
        const stranger = await openAs(lang === "zh" ? STRANGER : STRANGER_EN, "#/topup", { lang, largeText: care });
        await stranger.getByTestId("topup-must-verify").waitFor({ timeout: 30_000 });
        await stranger.getByTestId("cashout-must-verify").waitFor({ timeout: 30_000 });
        const verified = await openAs(SUN_FIRST, "#/topup", { lang, largeText: care });
        await verified.getByTestId("card-topup").waitFor({ timeout: 30_000 });
        for (const width of [320, 390]) {
          for (const page of [stranger, verified]) await page.setViewportSize({ width, height: 844 });
          const at = `${width}-${mode}-${lang}`;
          await stranger.evaluate(() => {
            location.hash = "#/topup";
          });
          await stranger.getByTestId("topup-must-verify").waitFor({ timeout: 30_000 });
          await checkScreen(stranger, `identity-topup-unverified-${at}`, care, lang, found);
          await stranger.evaluate(() => {
            location.hash = "#/identity";
          });
          await stranger.getByTestId("bind-card").waitFor({ timeout: 30_000 });
          await stranger.getByRole("button", { name: /提交给银行核对|Send to the bank to check/ }).click();
          await checkScreen(stranger, `identity-bind-empty-${at}`, care, lang, found);
          // The phone level's code step (the simulated text message, marked as such).
          const phoneLevel = stranger.getByTestId("phone-level");
          await phoneLevel.getByLabel(/^手机号$|^Phone number$/).fill(lang === "zh" ? "13900000062" : "13900000063");
          await phoneLevel.getByRole("button", { name: /发送验证码|Send the code/ }).click();
          await phoneLevel.getByTestId("simulated-phone-sms").waitFor({ timeout: 30_000 });
          await checkScreen(stranger, `identity-phone-code-${at}`, care, lang, found);
          await phoneLevel.getByRole("button", { name: /重新获取验证码|Get a new code/ }).click();

          // Verified: the card top-up (default), its code step, 我的信息 and the close confirmation.
          await verified.evaluate(() => {
            location.hash = "#/topup";
          });
          await verified.getByTestId("card-topup").waitFor({ timeout: 30_000 });
          await checkScreen(verified, `identity-topup-card-${at}`, care, lang, found);
          await verified.getByTestId("card-topup").getByRole("textbox").first().fill("1");
          await verified.getByRole("button", { name: /下一步：获取验证码|Next: get the code/ }).click();
          await verified.getByTestId("simulated-sms").waitFor({ timeout: 30_000 });
          await checkScreen(verified, `identity-topup-code-${at}`, care, lang, found);
          await verified.getByRole("button", { name: /^不充了$|^Cancel$/ }).click();
          await verified.getByText(/已取消，没有扣款。|Cancelled; nothing was taken./).waitFor();
          await verified.evaluate(() => {
            location.hash = "#/identity";
          });
          await verified.getByTestId("my-info").waitFor({ timeout: 30_000 });
          await checkScreen(verified, `identity-my-info-${at}`, care, lang, found);
          await verified.getByRole("button", { name: /注销实名认证|Close my verification/ }).click();
          await verified.getByTestId("close-identity").waitFor();
          await checkScreen(verified, `identity-close-confirm-${at}`, care, lang, found);
          await verified.getByRole("button", { name: /不注销了|Keep it/ }).click();
          await verified.evaluate(() => {
            location.hash = "#/settings";
          });
          await verified
            .getByRole("link", { name: /实名认证和我的信息|Real-name verification and my information/ })
            .waitFor({
              timeout: 30_000,
            });
        }
      }
    }
    expect(found).toEqual([]);
  }, 600_000);

  it("我的信息 exports what is held, and closing erases it from every one of her accounts", async () => {
    const page = await openAs(SUN_SECOND, "#/identity", { acceptDownloads: true });
    const info = page.getByTestId("my-info");
    await info.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "导出我的信息" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("hefei-wallet-identity.json");
    const file = JSON.parse(await (await import("node:fs/promises")).readFile(await download.path(), "utf8")) as {
      identity: { maskedName: string; cards: { last4: string }[]; addresses: unknown[] };
    };
    expect(file.identity.maskedName).toBe("孙*华");
    expect(file.identity.cards.map((c) => c.last4)).toEqual(["0551"]);
    expect(file.identity.addresses).toHaveLength(2);
    const text = JSON.stringify(file);
    expect(text).not.toContain(sun.idNumber);
    expect(text).not.toContain(sunCard);
    expect(text).not.toContain(sun.phone);

    await page.getByRole("button", { name: "注销实名认证" }).click();
    const confirm = page.getByTestId("close-identity");
    await confirm.getByText(/城市服务会删除/).waitFor();
    await confirm.getByRole("button", { name: "确认注销" }).click();
    await page.getByTestId("identity-closed").waitFor({ timeout: 30_000 });
    await page.getByTestId("identity-level").getByText("还没有实名认证").waitFor();
    await page.getByTestId("bind-card").waitFor();
    // Her first account is no longer verified either: its top-up page sends it to 实名认证.
    const first = await openAs(SUN_FIRST, "#/topup");
    await first.getByTestId("topup-must-verify").waitFor({ timeout: 30_000 });
  });
});
