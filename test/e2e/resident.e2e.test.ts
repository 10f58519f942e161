import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAbiItem,
  http,
  keccak256,
  parseEther,
  stringToHex,
} from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { layoutProblems } from "./layoutChecks.js";
import { reservesFor } from "./reserves.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const noodleShop = localAccount(MERCHANTS[0]?.index ?? 12).address;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

type Prefs = { lang?: "zh" | "en"; largeText?: boolean };

async function openApp(prefs: Prefs = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: prefs.lang === "en" ? "en-GB" : "zh-CN",
  });
  await context.addInitScript(
    (settings) => {
      if (!localStorage.getItem("hcy.settings.v1")) localStorage.setItem("hcy.settings.v1", settings);
    },
    JSON.stringify({ lang: prefs.lang ?? "zh", largeText: prefs.largeText ?? false }),
  );
  const page = await context.newPage();
  await page.goto(system.webUrl);
  return { context, page };
}

async function balanceOf(address: Address): Promise<bigint> {
  return publicClient.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [address],
  });
}

async function shownAddress(page: Page): Promise<Address> {
  return (await page.locator(".header-account [title]").getAttribute("title")) as Address;
}

async function waitForBalance(page: Page): Promise<string> {
  await page.getByTestId("balance").getByText("¥").waitFor({ timeout: 20_000 });
  return (await page.getByTestId("balance").textContent()) ?? "";
}

/** The city bank's desk tops the resident up (and gives the new wallet a little gas, as the city sponsors fees). */
async function topUp(to: Address, fen: bigint): Promise<void> {
  const issuer = createWalletClient({ account: localAccount(1), chain, transport: http(system.rpcUrl) });
  const gas = await issuer.sendTransaction({ to, value: parseEther("0.05") });
  await publicClient.waitForTransactionReceipt({ hash: gas });
  await reservesFor(system, fen);
  const hash = await issuer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "issue",
    args: [to, fen, keccak256(stringToHex(`e2e-deposit-${to}`))],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

function paymentLink(
  to: Address,
  fen: bigint,
  ref: string,
  chainId = 31337,
  token: Address = system.contracts.CityYuan,
): string {
  return `ethereum:${token}@${chainId}/transfer?address=${to}&uint256=${fen}&ref=${encodeURIComponent(ref)}`;
}

describe("a new resident", () => {
  it("creates a built-in wallet in under a minute, is topped up, and pays a merchant from a payment link (once, despite a double click)", async () => {
    const { context, page } = await openApp();
    const started = Date.now();
    await page.getByText("其他方式（高级）").click();
    await page.getByRole("button", { name: "创建新钱包" }).click();
    const words: string[] = [];
    for (let i = 1; i <= 12; i++) words.push((await page.getByTestId(`phrase-word-${i}`).textContent()) ?? "");
    await screenshot(page, "wallet-phrase");
    await page.getByRole("button", { name: "我已抄好" }).click();
    for (const input of await page.getByLabel(/第 \d+ 个词/).all()) {
      const label = await input.evaluate((el) => el.closest("label")?.textContent ?? "");
      const n = Number(/第 (\d+) 个词/.exec(label)?.[1]);
      await input.fill(words[n - 1] ?? "");
    }
    // The third right word moves on to the passcode by itself.
    await page.getByLabel("密码", { exact: true }).fill("hefei-2026");
    await page.getByLabel("再输入一次密码").fill("hefei-2026");
    await page.getByRole("button", { name: "完成创建" }).click();
    expect(await waitForBalance(page)).toBe("¥0.00");
    expect(Date.now() - started).toBeLessThan(60_000);
    const me = await shownAddress(page);

    // Only the encrypted key is on the device: the phrase is not stored, the key is PBKDF2-wrapped.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain(words.slice(0, 3).join(" "));
    const keystore = JSON.parse((await page.evaluate(() => localStorage.getItem("hcy.wallet.v1"))) ?? "{}");
    expect(keystore.kdf.iterations).toBeGreaterThanOrEqual(310_000);
    expect(keystore.address).toBe(me);

    await topUp(me, 100_00n);
    await page.getByTestId("balance").getByText("¥100.00").waitFor({ timeout: 20_000 });
    await screenshot(page, "home-zh");

    const before = await balanceOf(noodleShop);
    await page.goto(
      `${system.webUrl}/#/pay?request=${encodeURIComponent(paymentLink(noodleShop, 12_50n, "E2E-0001"))}`,
    );
    await page.getByText("老王牛肉面").first().waitFor();
    await page.getByText("餐饮").waitFor();
    await screenshot(page, "pay-review");
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).dblclick();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, "pay-confirmed");
    expect(await balanceOf(me)).toBe(87_50n);
    expect((await balanceOf(noodleShop)) - before).toBe(12_50n);

    // The merchant can match the receipt to the order from the log alone.
    const payments = await publicClient.getLogs({
      address: system.contracts.CityYuan,
      event: getAbiItem({ abi: cityYuanAbi, name: "PaymentMade" }),
      args: { payer: me },
      fromBlock: 0n,
    });
    expect(payments).toHaveLength(1);
    expect(payments[0]?.args.orderRef).toBe(stringToHex("E2E-0001", { size: 32 }));

    // Locking drops the key; a wrong passcode is refused, the right one opens it again.
    await page.getByRole("button", { name: "锁定" }).click();
    await page.getByLabel("密码").fill("not-my-passcode");
    await page.getByRole("button", { name: "解锁" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("密码不对");
    await page.getByLabel("密码").fill("hefei-2026");
    await page.getByRole("button", { name: "解锁" }).click();
    await page.getByRole("link", { name: "首页" }).click();
    await page.getByTestId("balance").getByText("¥87.50").waitFor({ timeout: 20_000 });

    // A first payment to a new person asks for the passcode again: a wrong one sends nothing.
    const stranger = localAccount(44).address;
    await page.goto(`${system.webUrl}/#/pay?request=${encodeURIComponent(paymentLink(stranger, 2_00n, "E2E-NEW-1"))}`);
    await page.getByRole("button", { name: "核对付款" }).click();
    const reask = page.getByTestId("reask");
    await reask.getByText("这是第一次付款给这个人，请再输入一次密码。").waitFor();
    await screenshot(page, "pay-reask-passcode");
    await reask.getByLabel("密码").fill("not-my-passcode");
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("没有付款。 密码不对。还可以再试").waitFor({ timeout: 30_000 });
    expect(await balanceOf(me)).toBe(87_50n);
    await reask.getByLabel("密码").fill("hefei-2026");
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await balanceOf(me)).toBe(85_50n);
    await context.close();
  });
});

describe("bad input", () => {
  it("explains links for another chain or contract, plain ETH links, bad amounts and addresses, and sends nothing", async () => {
    const { context, page } = await openApp({ lang: "en" });
    await page.getByRole("button", { name: "Use as Zhao Lei" }).click();
    await waitForBalance(page);
    const me = await shownAddress(page);
    const start = await balanceOf(me);

    await page.goto(`${system.webUrl}/#/pay`);
    const link = page.getByLabel("Payment link");
    const open = page.getByRole("button", { name: "Open link" });
    const cases: [string, RegExp][] = [
      [paymentLink(noodleShop, 100n, "x", 1), /another network \(number 1\)/],
      [
        paymentLink(noodleShop, 100n, "x", 31337, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
        /not a Hefei City Yuan payment request/,
      ],
      [`ethereum:${noodleShop}?value=1e18`, /asks for a payment in ether/],
      ["ethereum:0x123", /incomplete or wrong and cannot be used/],
      [
        `ethereum:${system.contracts.CityYuan}@31337/transfer?address=0x1234&uint256=1`,
        /receiving account in this link is not right/,
      ],
      [
        `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${noodleShop}&uint256=-5`,
        /amount in this link is invalid/,
      ],
      ["hello", /not a payment link/],
    ];
    for (const [text, message] of cases) {
      await link.fill(text);
      await open.click();
      await expect(page.getByRole("alert").textContent()).resolves.toMatch(message);
    }
    await screenshot(page, "pay-bad-link-en");

    // A link without an amount: the resident types it, with reasons for each bad amount.
    await link.fill(`ethereum:${system.contracts.CityYuan}@31337/transfer?address=${noodleShop}`);
    await open.click();
    const amount = page.getByLabel("Amount (yuan)");
    const review = page.getByRole("button", { name: "Review payment" });
    for (const [text, message] of [
      ["1.234", /At most 2 decimals/],
      ["0", /more than 0/],
      ["-3", /cannot be negative/],
      ["abc", /must be a number/],
      ["99999999", /Not enough money/],
    ] as const) {
      await amount.fill(text);
      await review.click();
      await expect(page.locator("#pay-problem").textContent()).resolves.toMatch(message);
    }

    await page.goto(`${system.webUrl}/#/transfer`);
    await page.getByLabel("Type a shop, a contact or an account number").fill("0x12345");
    await page.getByLabel("Amount (yuan)").fill("1");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.locator("#transfer-address-error").textContent()).resolves.toMatch(
      /This account number is incomplete or wrong/,
    );
    await page.getByLabel("Type a shop, a contact or an account number").fill(me);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.locator("#transfer-address-error").textContent()).resolves.toMatch(/cannot send to yourself/);
    await screenshot(page, "transfer-bad-input-en");

    expect(await balanceOf(me)).toBe(start);
    await context.close();
  });

  it("warns about a look-alike of a contact and refuses to go on until the resident confirms", async () => {
    const { context, page } = await openApp({ lang: "en" });
    await page.getByRole("button", { name: "Use as Liu Yang" }).click();
    await waitForBalance(page);
    const friend = localAccount(9).address;
    await page.goto(`${system.webUrl}/#/settings`);
    await page.getByLabel("Contact name").fill("Chen Jing");
    await page.getByLabel("Contact's account number").fill(friend);
    await page.getByRole("button", { name: "Add contact" }).click();
    await page.getByRole("button", { name: "Edit Chen Jing" }).waitFor();

    const lookalike = `0x${friend.slice(2, 6)}${"b".repeat(32)}${friend.slice(-4)}`.toLowerCase();
    await page.goto(`${system.webUrl}/#/transfer`);
    await page.getByLabel("Type a shop, a contact or an account number").fill(lookalike);
    // Going on without an amount: the amount is what stops her; the tick box shows, but its red
    // reminder waits until she tries to go on without ticking it.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("checkbox").waitFor();
    await expect(page.getByText(/Tick the box/).count()).resolves.toBe(0);
    await page.getByLabel("Amount (yuan)").fill("1");
    await page.getByRole("button", { name: "Next" }).click();
    const alerts = (await page.getByRole("alert").allInnerTexts()).join("\n");
    expect(alerts).toMatch(/starts and ends like your contact Chen Jing/);
    expect(alerts).toMatch(/Tick the box/);
    await expect(page.getByRole("button", { name: "Confirm payment" }).count()).resolves.toBe(0);
    await screenshot(page, "transfer-lookalike-en");

    // One character off (typed in lower case, so no checksum can catch it): stopped outright,
    // with the contact offered instead.
    const lower = friend.toLowerCase();
    const typo = `${lower.slice(0, 20)}${lower[20] === "0" ? "1" : "0"}${lower.slice(21)}`;
    await page.getByLabel("Type a shop, a contact or an account number").fill(typo);
    const stop = page.locator(".lookalike-stop");
    await stop
      .getByText(
        /Payment stopped: this account number differs from your contact Chen Jing's in one character only \(character 19\)/,
      )
      .waitFor();
    await expect(page.getByRole("checkbox").count()).resolves.toBe(0);
    await screenshot(page, "transfer-one-char-off-en");
    await stop.getByRole("button", { name: "Pay your contact Chen Jing instead" }).click();
    await expect(page.getByLabel("Type a shop, a contact or an account number").inputValue()).resolves.toBe(friend);
    await expect(stop.count()).resolves.toBe(0);
    await context.close();
  });
});

describe("a transfer by name", () => {
  it("finds a shop by the name she types, proposes it as she types, and refuses a name nobody has", async () => {
    const { context, page } = await openApp();
    await page.getByRole("button", { name: "以 李明 身份使用" }).click();
    await waitForBalance(page);
    const me = await shownAddress(page);
    const [mine, shops] = [await balanceOf(me), await balanceOf(noodleShop)];

    await page.goto(`${system.webUrl}/#/transfer`);
    const to = page.getByLabel("输入商户名、联系人名或账户号");
    const amount = page.getByLabel("金额（元）");
    const next = page.getByRole("button", { name: "下一步" });

    // A name nobody has: refused in plain words, nothing sent.
    await to.fill("老李烧饼");
    await amount.fill("1");
    await next.click();
    await expect(page.locator("#transfer-address-error").textContent()).resolves.toBe(
      "没有找到叫“老李烧饼”的商户或联系人。请检查名字，或向对方要收款码。",
    );
    await screenshot(page, "transfer-name-not-found");

    // Part of the name: the shop is proposed; one tap chooses it.
    await to.fill("老王");
    const proposals = page.locator("#transfer-suggestions");
    await proposals.getByRole("button", { name: /老王牛肉面\s*商户/ }).waitFor({ timeout: 20_000 });
    // Not "not found" while a match is offered: she is asked to tap it.
    await expect(page.locator("#transfer-address-error").textContent()).resolves.toBe(
      "请在下面点选你要转的商户或联系人，或输入完整的名字。",
    );
    await screenshot(page, "transfer-name-proposed");
    await proposals.getByRole("button", { name: /老王牛肉面/ }).click();
    await expect(to.inputValue()).resolves.toBe("老王牛肉面");
    await expect(proposals.count()).resolves.toBe(0);
    await expect(page.locator("#transfer-address-error").count()).resolves.toBe(0);
    // A registered shop is no stranger: no first-payment tick box.
    await expect(page.getByRole("checkbox").count()).resolves.toBe(0);
    await amount.fill("1.25");
    await next.click();
    await page.getByRole("heading", { name: "转账给 老王牛肉面" }).waitFor();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    expect((await balanceOf(noodleShop)) - shops).toBe(1_25n);
    expect(mine - (await balanceOf(me))).toBe(1_25n);

    // Typed in full, without choosing from the list, it is the same shop.
    await page.getByRole("button", { name: "完成" }).click();
    await page.getByTestId("balance").waitFor();
    await page.goto(`${system.webUrl}/#/transfer`);
    await to.fill(" 老王牛肉面 ");
    await amount.fill("1");
    await next.click();
    await page.getByRole("heading", { name: "转账给 老王牛肉面" }).waitFor();
    await context.close();
  });
});

describe("the proposals as she types, on phones", () => {
  it("fit at 320 and 390 px, in 关怀模式 and normal, in Chinese and English", async () => {
    const found: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const largeText of [false, true]) {
        const { context, page } = await openAsDemo(browser, system.webUrl, 7, "#/transfer", { lang, largeText });
        await page.locator("main input[type=text]").first().fill("老王", { timeout: 30_000 });
        await page.locator("#transfer-suggestions").getByText("老王牛肉面").waitFor({ timeout: 20_000 });
        for (const width of [320, 390]) {
          await page.setViewportSize({ width, height: 844 });
          const name = `transfer-proposals-${width}-${largeText ? "care" : "normal"}-${lang}`;
          await screenshot(page, name);
          for (const p of await layoutProblems(page, largeText)) found.push(`${name}: ${p.kind}: ${p.what}`);
        }
        await context.close();
      }
    expect(found).toEqual([]);
  });
});

describe("the 更多 menu", () => {
  it("offers a resident no shop or desk page, and closes once she chose", async () => {
    const { context, page } = await openAsDemo(browser, system.webUrl, 7, "#/");
    await waitForBalance(page);
    const menu = page.locator(".more-menu");
    await menu.locator("summary").click();
    await menu.getByRole("link", { name: "安全提醒" }).waitFor();
    await expect(menu.getByRole("link", { name: "发行柜台" }).count()).resolves.toBe(0);
    await expect(menu.getByRole("link", { name: "商户收款" }).count()).resolves.toBe(0);
    await menu.getByRole("link", { name: "安全提醒" }).click();
    await page.getByRole("heading", { name: "安全提醒", level: 1 }).waitFor();
    await expect(menu.evaluate((el) => (el as HTMLDetailsElement).open)).resolves.toBe(false);
    await context.close();

    // A registered shop sees its page there.
    const shop = await openAsDemo(browser, system.webUrl, MERCHANTS[0]?.index ?? 12, "#/");
    const shopMenu = shop.page.locator(".more-menu");
    await shopMenu.locator("summary").click();
    await shopMenu.getByRole("link", { name: "商户收款" }).waitFor({ timeout: 20_000 });
    await expect(shopMenu.getByRole("link", { name: "发行柜台" }).count()).resolves.toBe(0);
    await shop.context.close();
  });
});

describe("a dropped connection", () => {
  it("sends nothing while the ledger is unreachable, and never pays twice when it drops after sending", async () => {
    const { context, page } = await openApp();
    await page.getByRole("button", { name: "以 张伟 身份使用" }).click();
    await waitForBalance(page);
    const me = await shownAddress(page);
    const start = await balanceOf(me);
    const rpc = `${system.rpcUrl}/**`;

    await page.goto(
      `${system.webUrl}/#/pay?request=${encodeURIComponent(paymentLink(noodleShop, 3_00n, "E2E-OFFLINE-1"))}`,
    );
    await page.getByRole("button", { name: "核对付款" }).click();
    // The node is gone before the resident confirms: a clear message, nothing sent.
    await page.route(rpc, (route) => route.abort("connectionrefused"));
    await page.getByRole("button", { name: "确认付款" }).click();
    await expect(page.getByRole("alert").textContent({ timeout: 30_000 })).resolves.toContain(
      "连不上城市网络，没有发出任何款项",
    );
    await screenshot(page, "pay-node-unreachable");
    await page.unroute(rpc);
    expect(await balanceOf(me)).toBe(start);

    // It comes back; the resident retries. This time the connection drops right after the
    // signed transaction went out: the page keeps waiting and confirms once the node answers.
    let dropUntil = 0;
    await page.route(rpc, async (route) => {
      if (Date.now() < dropUntil) return route.abort("connectionrefused");
      if (route.request().postData()?.includes("eth_sendRawTransaction")) {
        const response = await route.fetch();
        dropUntil = Date.now() + 5_000;
        return route.fulfill({ response });
      }
      return route.continue();
    });
    await page.getByRole("button", { name: "重试" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 60_000 });
    await page.unroute(rpc);
    expect(start - (await balanceOf(me))).toBe(3_00n);
    await context.close();
  });
});

describe("in English and large-text mode", () => {
  it("transfers to a contact with a note kept on the device", async () => {
    const { context, page } = await openApp({ lang: "en", largeText: true });
    await page.getByRole("button", { name: "Use as Chen Jing" }).click();
    await waitForBalance(page);
    await expect(page.evaluate(() => document.documentElement.classList.contains("large-text"))).resolves.toBe(true);
    await screenshot(page, "home-en-large");
    const me = await shownAddress(page);
    const friend = localAccount(7).address;
    const [mine, theirs] = [await balanceOf(me), await balanceOf(friend)];

    await page.goto(`${system.webUrl}/#/settings`);
    await page.getByLabel("Contact name").fill("Li Ming");
    await page.getByLabel("Contact's account number").fill(friend);
    await page.getByRole("button", { name: "Add contact" }).click();
    await page.goto(`${system.webUrl}/#/transfer`);
    await page.getByLabel("To a contact").selectOption({ label: "Li Ming" });
    await page.getByLabel("Amount (yuan)").fill("2.5");
    await page.getByLabel(/^Note/).fill("noodles on Tuesday");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Transfer to Li Ming").waitFor();
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await page.getByText("Paid", { exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, "transfer-confirmed-en-large");
    expect(mine - (await balanceOf(me))).toBe(2_50n);
    expect((await balanceOf(friend)) - theirs).toBe(2_50n);
    const notes = await page.evaluate((owner) => localStorage.getItem(`hcy.notes.v1.${owner.toLowerCase()}`), me);
    expect(notes).toContain("noodles on Tuesday");
    await context.close();
  });
});

describe("accessibility", () => {
  for (const prefs of [
    { lang: "zh" as const, largeText: false },
    { lang: "en" as const, largeText: true },
  ]) {
    it(`has no serious or critical axe violations on the main pages (${prefs.lang}, large text ${prefs.largeText})`, async () => {
      const { context, page } = await openApp(prefs);
      const suffix = `${prefs.lang}${prefs.largeText ? "-large" : ""}`;
      await expectNoSeriousA11yViolations(page, `welcome ${suffix}`);
      await screenshot(page, `welcome-${suffix}`);
      await page
        .getByRole("button", { name: prefs.lang === "zh" ? "以 王阿姨 身份使用" : "Use as Auntie Wang" })
        .click();
      await waitForBalance(page);
      for (const route of ["/", "/pay", "/receive", "/transfer", "/settings"]) {
        await page.goto(`${system.webUrl}/#${route}`);
        await page.locator("main h1").first().waitFor();
        await page.waitForTimeout(300);
        await expectNoSeriousA11yViolations(page, `${route} ${suffix}`);
        await screenshot(page, `page${route === "/" ? "-home" : route.replace("/", "-")}-${suffix}`);
      }
      await context.close();
    });
  }
});
