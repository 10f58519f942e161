// The shop page's 经营分析 / Insights view with real payments on the local chain: a shop the
// registrar registers for this test alone (so every figure is known), three CityYuan payments from
// two residents and a voucher checkout in a campaign that opened minutes after the shop did. The view
// must show the takings, the average payment, the returning customers (none: all on one day), the
// busiest hour (computed here from the blocks' own times in Hefei time) and the campaign with "no
// whole week before it". At 320 and 390 px, in zh and en, normal and 关怀模式: it fits, and says
// no forbidden words. (The layout walk covers the view too: it is part of #/merchant.)
import path from "node:path";
import type { Browser } from "playwright-core";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { categoryIndex, DISCOUNT_KIND } from "../../core/enums.js";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi, merchantRegistryAbi, vouchersAbi } from "../../generated/contracts.js";
import { localAccount, RESIDENTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";
import { officeCampaign } from "./voucherCampaign.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const wallet = (index: number) =>
  createWalletClient({ account: localAccount(index), chain, transport: http(system.rpcUrl) });
const shop = privateKeyToAccount(generatePrivateKey()).address;
const SHOP_NAME = "E2E 分析小店";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function mined(hash: Promise<Hex>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** Hefei weekday (0 = Monday) and hour of a block time, by plain arithmetic. */
const hefeiSlot = (t: number) => {
  const local = new Date((t + 8 * 3600) * 1000);
  return { weekday: (local.getUTCDay() + 6) % 7, hour: local.getUTCHours() };
};

describe("the shop's insights", () => {
  it("shows the right figures from real payments and fits phones in both languages and modes", async () => {
    await mined(
      wallet(ROLE_HOLDERS.registrar.index).writeContract({
        address: system.contracts.MerchantRegistry,
        abi: merchantRegistryAbi,
        functionName: "register",
        args: [shop, SHOP_NAME, categoryIndex("grocery")],
      }),
    );
    const campaignId = await officeCampaign(system, {
      kind: DISCOUNT_KIND.fixed,
      discount: 5_00n,
      minSpend: 20_00n,
      totalVouchers: 10,
      perResidentLimit: 1,
      categoryMask: 1 << categoryIndex("grocery"),
      merchants: [],
      budget: 50_00n,
      seconds: 3_600n,
    });
    const a = RESIDENTS[4];
    const b = RESIDENTS[5];
    if (a === undefined || b === undefined) throw new Error("two residents needed");
    const times: number[] = [];
    const pay = async (index: number, fen: bigint, ref: string) => {
      const r = await mined(
        wallet(index).writeContract({
          address: system.contracts.CityYuan,
          abi: cityYuanAbi,
          functionName: "pay",
          args: [shop, fen, toOrderRef(ref)],
        }),
      );
      times.push(Number((await publicClient.getBlock({ blockNumber: r.blockNumber })).timestamp));
    };
    const run = Date.now() % 1_000_000;
    await pay(a.index, 12_00n, `E2E-IN-${run}-1`);
    await pay(a.index, 8_00n, `E2E-IN-${run}-2`);
    await pay(b.index, 20_00n, `E2E-IN-${run}-3`);
    // B's voucher checkout: 30.00, of which the campaign pays 5.00 (the shop receives 30.00).
    const vouchers = { address: system.contracts.Vouchers, abi: vouchersAbi } as const;
    await mined(wallet(b.index).writeContract({ ...vouchers, functionName: "claim", args: [campaignId, []] }));
    await mined(
      wallet(b.index).writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "approve",
        args: [system.contracts.Vouchers, 25_00n],
      }),
    );
    const redeemed = await mined(
      wallet(b.index).writeContract({
        ...vouchers,
        functionName: "redeem",
        args: [campaignId, shop, 30_00n, toOrderRef(`E2E-IN-${run}-4`)],
      }),
    );
    times.push(Number((await publicClient.getBlock({ blockNumber: redeemed.blockNumber })).timestamp));

    // The busiest Hefei weekday and hour of these four payments, and the 4-hour block it is in.
    const slots = new Map<string, number>();
    for (const t of times) {
      const s = hefeiSlot(t);
      slots.set(`${s.weekday}:${s.hour}`, (slots.get(`${s.weekday}:${s.hour}`) ?? 0) + 1);
    }
    const [busiestKey, busiestCount] = [...slots].sort((x, y) => y[1] - x[1])[0] as [string, number];
    const [weekday, hour] = busiestKey.split(":").map(Number) as [number, number];
    const zhDays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const enDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    const problems: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const care of [false, true]) {
        const context = await browser.newContext({
          viewport: { width: 390, height: 844 },
          locale: lang === "en" ? "en-GB" : "zh-CN",
        });
        // No wallet: the page watches the shop (counter mode), as a shop's tablet would.
        await context.addInitScript(
          ({ settings, shopAddress }) => {
            localStorage.setItem("hcy.settings.v1", settings);
            localStorage.setItem("hcy.merchant.counter.v1", shopAddress);
            localStorage.setItem("hcy.merchant.announce.v1", JSON.stringify({ speak: false, beep: false }));
          },
          { settings: JSON.stringify({ lang, largeText: care }), shopAddress: shop },
        );
        const page = await context.newPage();
        await page.goto(`${system.webUrl}/#/merchant`);
        await page.getByRole("heading", { name: SHOP_NAME }).waitFor({ timeout: 30_000 });
        const view = page.locator("section.insights");
        await view.getByTestId("insights-sales").filter({ hasText: "¥70.00" }).waitFor({ timeout: 60_000 });
        // The campaign's dates come from the chain a moment later.
        await view.locator(`li[data-campaign="${campaignId}"]`).waitFor({ timeout: 30_000 });

        const text = (id: string) => view.getByTestId(id).innerText();
        if (lang === "zh") {
          await expect(text("insights-returning")).resolves.toBe("本周回头客 0 位，占收入 0%");
          await expect(text("insights-customers")).resolves.toBe("共 2 位顾客付过款。");
          await expect(text("insights-sales")).resolves.toBe("¥70.00 · 4 笔");
          await expect(text("insights-ticket")).resolves.toBe("¥17.50");
          await expect(text("insights-busiest")).resolves.toBe(
            `最忙：${zhDays[weekday]} ${hour}–${hour + 1} 点（${busiestCount} 笔）`,
          );
          const campaign = await view.locator(`li[data-campaign="${campaignId}"]`).innerText();
          expect(campaign).toContain("进行中");
          expect(campaign).toContain("活动期间收入 ¥70.00（4 笔）");
          expect(campaign).toContain("活动开始前本店还没有满一周的记录，没法比较。");
        } else {
          await expect(text("insights-returning")).resolves.toBe("This week: 0 returning customers, 0% of takings");
          await expect(text("insights-sales")).resolves.toBe("¥70.00 · 4 payments");
          await expect(text("insights-busiest")).resolves.toBe(
            `Busiest: ${enDays[weekday]} ${hour}:00–${hour + 1}:00 (${busiestCount} payments)`,
          );
        }
        // The grid's box for that weekday and 4-hour block holds the same count.
        await expect(
          view.locator(`td[data-day="${weekday}"][data-block="${Math.floor(hour / 4)}"]`).innerText(),
        ).resolves.toBe(String(busiestCount));
        // Four weeks: the same four payments (the shop is new).
        await view.getByRole("button", { name: lang === "zh" ? "近四周" : "Last 4 weeks" }).click();
        await page.locator('section.insights[data-weeks="4"]').waitFor();
        await expect(text("insights-sales")).resolves.toContain("¥70.00");
        await view.getByRole("button", { name: lang === "zh" ? "本周" : "This week" }).click();

        for (const width of [320, 390]) {
          await page.setViewportSize({ width, height: 844 });
          await settle(page);
          const name = `insights-${width}-${care ? "care" : "normal"}-${lang}`;
          await view.scrollIntoViewIfNeeded();
          await screenshot(page, name, { fullPage: false });
          await view.screenshot({
            path: path.resolve(import.meta.dirname, "../../test-results/screenshots", `${name}-view.png`),
          });
          for (const p of await layoutProblems(page, care)) problems.push(`${name}: ${p.kind}: ${p.what}`);
          for (const word of forbiddenIn(await visibleText(page), lang))
            problems.push(`${name}: forbidden word ${word}`);
        }
        await context.close();
      }
    expect(problems).toEqual([]);
  });
});
