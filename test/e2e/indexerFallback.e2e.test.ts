// The history and shop pages read the older part from the city's indexer and the newest blocks from
// the chain; the ledger's flows per period come from its days. Here, in Chromium against the whole local system: the pages really ask the indexer;
// after a reorg of the last blocks (evm_snapshot / evm_revert, then a different branch) they show
// the new chain's payments and not the dropped one, live and after a reload; and while the indexer
// process is stopped (SIGSTOP: it accepts connections and never answers) they say so in words and
// still show everything the chain holds, including a payment made meanwhile. Screenshots at 320
// and 390 px, zh and en, normal and 关怀模式, checked for layout problems and forbidden words.
import type { Page } from "playwright-core";
import { createPublicClient, createTestClient, createWalletClient, http, type PublicClient, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HistoryLoader } from "../../core/history/historyLoader.js";
import { memoryHistoryStore } from "../../core/history/historyStore.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, settle, visibleText } from "./layoutChecks.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl, { batch: true }) });
const testClient = createTestClient({ chain, mode: "hardhat", transport: http(system.rpcUrl) });
// The layout walk's resident and shop.
const RESIDENT = 6;
const SHOP = 12;
const resident = localAccount(RESIDENT).address;
const shop = localAccount(SHOP).address;
const payer = createWalletClient({ account: localAccount(RESIDENT), chain, transport: http(system.rpcUrl) });
const stamp = Date.now().toString(36).slice(-5).toUpperCase();

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let indexerStopped = false;

function indexer(signal: "SIGSTOP" | "SIGCONT") {
  // Its own process group (started detached): the signal reaches Ponder and anything it runs.
  process.kill(-(system.indexerPid as number), signal);
  indexerStopped = signal === "SIGSTOP";
}

beforeAll(async () => {
  expect(system.indexerUrl, "the e2e system runs the indexer").toBeTruthy();
  expect(system.indexerPid).toBeTypeOf("number");
  browser = await launchBrowser();
});
afterAll(async () => {
  if (indexerStopped) indexer("SIGCONT");
  await browser?.close();
});

async function pay(fen: bigint, ref: string) {
  const hash = await payer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "pay",
    args: [shop, fen, stringToHex(ref, { size: 32 })],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

async function mine(blocks: number) {
  for (let i = 0; i < blocks; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
}

async function head(): Promise<number> {
  return Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
}

/** Until the indexer has the chain's head (it follows the chain by polling). */
async function indexed(): Promise<void> {
  const target = await head();
  for (let i = 0; i < 600; i++) {
    const status = (await (await fetch(`${system.indexerUrl}/v1/status`)).json()) as { indexedBlock: number | null };
    if ((status.indexedBlock ?? -1) >= target) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the indexer did not reach block ${target}`);
}

/** How many movements the resident's history has, read from the chain alone. */
async function chainHistoryCount(): Promise<number> {
  const c = system.contracts;
  const loader = new HistoryLoader({
    client: publicClient as PublicClient,
    chainId: 31337,
    account: resident,
    contracts: {
      cityYuan: c.CityYuan,
      redPacket: c.RedPacket,
      vouchers: c.Vouchers,
      familyCards: c.FamilyCards,
      delayedTransfers: c.DelayedTransfers,
    },
    deployBlock: 0n,
    store: memoryHistoryStore(),
  });
  await loader.start();
  const count = loader.snapshot.entries.length;
  loader.stop();
  return count;
}

const historyEntry = (page: Page, ref: string) => page.locator(".history-entry").filter({ hasText: ref });
const receiptRow = (page: Page, ref: string) => page.locator(`tr.receipt-row[data-order-ref="${ref}"]`);

/**
 * The ledger's flows say where they came from (`source`), and the last 365 days' issuance (the
 * whole demo month) equals the token's own total read on chain, whichever way it was added up.
 */
async function ledgerFlowsFrom(page: Page, source: "used" | "down") {
  await page.locator(`[data-testid="ledger-flows-source"][data-source="${source}"]`).waitFor({ timeout: 60_000 });
  const issued365 = page.locator("table.flows tr[data-days='365'] td").first();
  await issued365.waitFor({ timeout: 60_000 });
  const total = page.locator("dl.totals > div").nth(1).locator("dd .money");
  await total.waitFor({ timeout: 30_000 });
  expect(await issued365.innerText()).toBe(await total.innerText());
}

async function historyComplete(page: Page, lang: "zh" | "en") {
  await page
    .getByTestId("history-status")
    .getByText(lang === "zh" ? /已读到最早/ : /back to the very first/)
    .waitFor({ timeout: 60_000 });
}

/** The number the page's status line gives ("共 N 条记录" / "N movements"). */
async function shownCount(page: Page): Promise<number> {
  const text = await page.getByTestId("history-status").innerText();
  return Number((text.match(/\d[\d,]*/) as RegExpMatchArray)[0].replace(/,/g, ""));
}

describe("the pages with the indexer", () => {
  it("read the indexer, and after a reorg of the last blocks show the new chain", { timeout: 300_000 }, async () => {
    await indexed();
    const gone = `IDX-GONE-${stamp}`;
    const kept = `IDX-KEPT-${stamp}`;
    const history = await openAsDemo(browser, system.webUrl, RESIDENT, "#/history");
    const asked: string[] = [];
    history.page.on("request", (r) => {
      if (r.url().startsWith(`${system.indexerUrl}/v1/`)) asked.push(new URL(r.url()).pathname);
    });
    await history.page.reload();
    await historyComplete(history.page, "zh");
    expect(asked.some((p) => p.startsWith("/v1/history/"))).toBe(true);
    await expect(history.page.getByTestId("history-indexer-note").count()).resolves.toBe(0);
    expect(await shownCount(history.page)).toBe(await chainHistoryCount());

    const shopPage = await openAsDemo(browser, system.webUrl, SHOP, "#/merchant");
    const shopAsked: string[] = [];
    shopPage.page.on("request", (r) => {
      if (r.url().startsWith(`${system.indexerUrl}/v1/`)) shopAsked.push(new URL(r.url()).pathname);
    });
    await shopPage.page.reload();
    await shopPage.page.locator("tr.receipt-row").first().waitFor({ timeout: 60_000 });
    expect(shopAsked.some((p) => p.startsWith("/v1/shops/"))).toBe(true);

    const ledger = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger");
    await ledgerFlowsFrom(ledger.page, "used");
    await ledger.context.close();

    // A payment on a branch that the chain then drops: both pages show it live first.
    const snapshot = await testClient.snapshot();
    await pay(87_65n, gone);
    await mine(2);
    await historyEntry(history.page, gone).waitFor({ timeout: 30_000 });
    await receiptRow(shopPage.page, gone).waitFor({ timeout: 30_000 });

    await testClient.revert({ id: snapshot });
    await pay(12_47n, kept);
    await mine(4);
    // Live: the new branch's payment appears and the dropped one goes, on both pages.
    await historyEntry(history.page, kept).waitFor({ timeout: 30_000 });
    await historyEntry(history.page, gone).waitFor({ state: "detached", timeout: 30_000 });
    await historyComplete(history.page, "zh");
    expect(await shownCount(history.page)).toBe(await chainHistoryCount());
    await receiptRow(shopPage.page, kept).waitFor({ timeout: 30_000 });
    await receiptRow(shopPage.page, gone).waitFor({ state: "detached", timeout: 30_000 });

    // After a reload (the history from its IndexedDB cache, checked against the chain), and once
    // the indexer has followed the reorg: the same.
    await indexed();
    for (const page of [history.page, shopPage.page]) await page.reload();
    await historyComplete(history.page, "zh");
    await historyEntry(history.page, kept).waitFor();
    await expect(historyEntry(history.page, gone).count()).resolves.toBe(0);
    expect(await shownCount(history.page)).toBe(await chainHistoryCount());
    await receiptRow(shopPage.page, kept).waitFor({ timeout: 60_000 });
    await expect(receiptRow(shopPage.page, gone).count()).resolves.toBe(0);
    await screenshot(history.page, "indexer-reorg-history-390-normal-zh");
    await screenshot(shopPage.page, "indexer-reorg-shop-390-normal-zh");
    await history.context.close();
    await shopPage.context.close();
  });

  it("say so while the indexer is stopped, and still show what the chain holds", { timeout: 900_000 }, async () => {
    await indexed();
    indexer("SIGSTOP");
    const meanwhile = `IDX-STOP-${stamp}`;
    // Pages open through the whole stop: their notes must go once the indexer is back.
    const watchHistory = await openAsDemo(browser, system.webUrl, RESIDENT, "#/history");
    const watchShop = await openAsDemo(browser, system.webUrl, SHOP, "#/merchant");
    try {
      await pay(56_78n, meanwhile);
      // The pages open through the stop say so while it lasts.
      await watchHistory.page.getByTestId("history-indexer-note").waitFor({ timeout: 30_000 });
      await watchShop.page.getByTestId("receipts-indexer-note").waitFor({ timeout: 30_000 });
      const expected = await chainHistoryCount();
      const problems: string[] = [];
      for (const lang of ["zh", "en"] as const)
        for (const largeText of [false, true]) {
          const mode = largeText ? "care" : "normal";
          const history = await openAsDemo(browser, system.webUrl, RESIDENT, "#/history", { lang, largeText });
          await history.page.getByTestId("history-indexer-note").waitFor({ timeout: 30_000 });
          await historyComplete(history.page, lang);
          await expect(history.page.getByTestId("history-indexer-note").innerText()).resolves.toMatch(
            lang === "zh" ? /记录服务暂时连不上/ : /records service cannot be reached/,
          );
          await historyEntry(history.page, meanwhile).waitFor();
          expect(await shownCount(history.page)).toBe(expected);

          const shopPage = await openAsDemo(browser, system.webUrl, SHOP, "#/merchant", { lang, largeText });
          await shopPage.page.getByTestId("receipts-indexer-note").waitFor({ timeout: 30_000 });
          await receiptRow(shopPage.page, meanwhile).waitFor({ timeout: 60_000 });
          await receiptRow(shopPage.page, `IDX-KEPT-${stamp}`).waitFor();

          const ledger = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger", { lang, largeText });
          await ledgerFlowsFrom(ledger.page, "down");

          for (const [name, page] of [
            ["history", history.page],
            ["shop", shopPage.page],
            ["ledger", ledger.page],
          ] as const) {
            for (const width of [320, 390]) {
              await page.setViewportSize({ width, height: 844 });
              await settle(page);
              const shot = `indexer-stopped-${name}-${width}-${mode}-${lang}`;
              // The ledger page runs to some 60,000 px at 320 px in the shared system (100 movements a
              // page): its whole-page image took over 30 s in CI; its first screen and the layout
              // checks (over the whole page) are what is checked.
              if (name !== "ledger") await screenshot(page, shot);
              await page.evaluate(() => window.scrollTo(0, 0));
              await screenshot(page, `${shot}-first-screen`, { fullPage: false });
              for (const p of await layoutProblems(page, largeText)) problems.push(`${shot}: ${p.kind}: ${p.what}`);
              // The auditor's ledger shows addresses and blocks by design (forbiddenWords.ts).
              if (name !== "ledger")
                for (const word of forbiddenIn(await visibleText(page), lang)) problems.push(`${shot}: ${word}`);
            }
          }
          await history.context.close();
          await shopPage.context.close();
          await ledger.context.close();
        }
      expect(problems, problems.join("\n")).toEqual([]);
    } finally {
      indexer("SIGCONT");
    }
    // Back: the notes go once the indexer answers again (the history asks on a new block).
    // (Either page may already have asked again and dropped its note: only that it goes is checked.)
    await indexed();
    await mine(1);
    await watchHistory.page.getByTestId("history-indexer-note").waitFor({ state: "detached", timeout: 30_000 });
    await watchShop.page.getByTestId("receipts-indexer-note").waitFor({ state: "detached", timeout: 30_000 });
    await watchHistory.context.close();
    await watchShop.context.close();
    const back = await openAsDemo(browser, system.webUrl, RESIDENT, "#/history");
    await historyComplete(back.page, "zh");
    await historyEntry(back.page, meanwhile).waitFor();
    await expect(back.page.getByTestId("history-indexer-note").count()).resolves.toBe(0);
    await back.context.close();
  });
});
