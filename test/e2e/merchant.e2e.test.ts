import jsQR from "jsqr";
import type { Browser, BrowserContext, Locator } from "playwright-core";
import { createPublicClient, createWalletClient, http, parseEther, stringToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";

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

/**
 * Records, on window.__wrongVerdicts, any moment the page said a payee is a stranger or not a
 * registered shop; and makes every contract read on the chain take 600 ms, so a verdict shown
 * before its read came back cannot slip between two looks.
 */
async function watchVerdicts(context: BrowserContext) {
  const chainPort = new URL(system.rpcUrl).port;
  await context.route(
    (url) => url.port === chainPort,
    async (route) => {
      if (route.request().postData()?.includes("eth_call")) await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    },
  );
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __wrongVerdicts: string[] }).__wrongVerdicts = seen;
    new MutationObserver(() => {
      const text = document.querySelector("main")?.textContent ?? "";
      for (const words of ["陌生账户", "这不是登记过的商户"])
        if (text.includes(words) && !seen.includes(words)) seen.push(words);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
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

    // Opened as from a phone's camera, with slow reads: the shop's name is never preceded by
    // 陌生账户 or "这不是登记过的商户" while the register is being read.
    const resident = await openAsDemo(browser, system.webUrl, auntie.index, link.slice(link.indexOf("#")), {
      viewport: { width: 1100, height: 900 },
      beforeOpen: watchVerdicts,
    });
    const r = resident.page;
    await r.getByText(noodle.name).first().waitFor({ timeout: 30_000 });
    await expect(
      r.evaluate(() => (window as unknown as { __wrongVerdicts: string[] }).__wrongVerdicts),
    ).resolves.toEqual([]);
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
    // The refund's receipt reaches the counter as it is pushed, maybe after the wallet's own "已付款".
    await m.locator(`tr.receipt-row[data-order-ref="${order}"]`, { hasText: "¥5.00" }).waitFor({ timeout: 15_000 });
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

  it("the shop page on phones: 320 and 390 px, normal and 关怀模式, Chinese and English; customers named, plain words, sound notice on the first screen", async () => {
    // 周记蔬菜: a regular (张伟, who has paid here before and pays once more), a customer the shop
    // saved as a contact (陈静 → 老陈), and a brand-new customer (a fresh account, funded here).
    const grocer = MERCHANTS[1];
    const grocerAddress = localAccount(grocer.index).address;
    const regular = localAccount(RESIDENTS[2].index);
    const saved = localAccount(RESIDENTS[3].index);
    const newcomer = privateKeyToAccount(generatePrivateKey());
    const stamp = Date.now() % 1_000_000;
    const send = async (account: typeof regular | typeof newcomer, ref: string, fen: bigint) => {
      const wallet = createWalletClient({ account, chain, transport: http(system.rpcUrl) });
      const hash = await wallet.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "pay",
        args: [grocerAddress, fen, stringToHex(ref, { size: 32 })],
      });
      await publicClient.waitForTransactionReceipt({ hash });
    };
    const funder = createWalletClient({ account: regular, chain, transport: http(system.rpcUrl) });
    await publicClient.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: newcomer.address, value: parseEther("0.05") }),
    });
    await publicClient.waitForTransactionReceipt({
      hash: await funder.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "transfer",
        args: [newcomer.address, 20_00n],
      }),
    });
    await send(regular, `E2E-S-R-${stamp}`, 12_30n);
    await send(saved, `E2E-S-C-${stamp}`, 8_80n);
    await send(newcomer, `E2E-S-N-${stamp}`, 6_60n);
    const contacts = JSON.stringify([
      { id: "c1", name: "老陈", address: saved.address, createdAt: Date.now(), updatedAt: Date.now() },
    ]);

    const problems: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const largeText of [false, true]) {
        // Every Playwright query grants the page a user activation (which lifts the browser's sound
        // rule), so the first one waits until the shop page is mounted: its socket to the chain.
        let mounted: Promise<unknown> = Promise.resolve();
        const { context, page } = await openAsDemo(browser, system.webUrl, grocer.index, "#/merchant", {
          lang,
          largeText,
          viewport: { width: 390, height: 844 },
          storage: { [`hcy.contacts.v1.${grocerAddress.toLowerCase()}`]: contacts },
          beforeOpen: async (c) => {
            c.on("page", (p) => {
              mounted = p.waitForEvent("websocket", { timeout: 30_000 });
            });
          },
        });
        await mounted;
        const row = (kind: string) => page.locator(`tr.receipt-row[data-order-ref="E2E-S-${kind}-${stamp}"]`);
        await row("N").waitFor({ timeout: 30_000 });
        await page.locator('.live-mode[data-state="live"]').waitFor({ timeout: 20_000 });
        // The regular's count is every payment of theirs on the page.
        const regularRows = await page.locator("tr.receipt-row").filter({ hasText: regular.address }).count();
        expect(regularRows).toBeGreaterThanOrEqual(2);
        const words =
          lang === "zh"
            ? { regular: `回头客 · ${regularRows} 次`, newcomer: "新顾客", saved: "老陈" }
            : { regular: `Regular · ${regularRows} visits`, newcomer: "New customer", saved: "老陈" };
        // Named once the register answered for each payer ("…" until then).
        await row("R").getByText(words.regular, { exact: true }).waitFor({ timeout: 15_000 });
        await row("C").getByText(words.saved, { exact: true }).waitFor({ timeout: 15_000 });
        await row("N").getByText(words.newcomer, { exact: true }).waitFor({ timeout: 15_000 });
        for (const kind of ["R", "C", "N"])
          await expect(row(kind).innerText()).resolves.not.toMatch(/陌生账户|Unknown account/);
        await expect(page.locator(".live-status").innerText()).resolves.toMatch(
          // With its date when the chain's clock is on another day (family.e2e moves the shared chain a day on).
          lang === "zh"
            ? /最近一笔到账：(\d{4}\/\d{1,2}\/\d{1,2} )?\d\d:\d\d:\d\d/
            : /Last payment received: (\d{1,2}\/\d{1,2}\/\d{4},? )?\d\d:\d\d:\d\d/,
        );
        const checkScreen = async (name: string) => {
          const found: string[] = [];
          for (const p of await layoutProblems(page, largeText)) found.push(`${name}: ${p.kind}: ${p.what}`);
          const text = await visibleText(page);
          for (const word of forbiddenIn(text, lang)) found.push(`${name}: forbidden word ${word}`);
          const technical = text.match(/区块|哈希|合约|上链|\bblocks?\b|\bhash\b/i);
          if (technical) found.push(`${name}: technical word "${technical[0]}"`);
          return found;
        };
        for (const width of [320, 390]) {
          await page.setViewportSize({ width, height: 844 });
          await settle(page);
          const name = `shop-${width}-${largeText ? "care" : "normal"}-${lang}`;
          await screenshot(page, name);
          // The first screen too, as a phone shows it before any scrolling.
          await page.evaluate(() => window.scrollTo(0, 0));
          await screenshot(page, `${name}-first-screen`, { fullPage: false });
          // No tap yet: the notice that turns announcements on is on the first screen.
          if (width === 390) {
            await page.evaluate(() => window.scrollTo(0, 0));
            const button = page.locator(".sound-gate button");
            const box = await button.boundingBox();
            if (!box || box.y + box.height > 844) problems.push(`${name}: sound notice below the fold (${box?.y})`);
          }
          problems.push(...(await checkScreen(name)));
        }
        // Locked from the header: the same page, still receiving, saying so; checked the same way.
        await page
          .locator(".app-header")
          .getByRole("button", { name: lang === "zh" ? "锁定" : "Lock", exact: true })
          .click();
        await page.locator('.counter-mode[data-counter="watching"]').waitFor({ timeout: 15_000 });
        await row("N").waitFor();
        for (const width of [320, 390]) {
          await page.setViewportSize({ width, height: 844 });
          await settle(page);
          const name = `shop-locked-${width}-${largeText ? "care" : "normal"}-${lang}`;
          await screenshot(page, name);
          problems.push(...(await checkScreen(name)));
        }
        await context.close();
      }
    expect(problems).toEqual([]);
  });
});
