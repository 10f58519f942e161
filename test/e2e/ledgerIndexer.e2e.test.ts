// The public ledger page with the city's indexer, in Chromium against the whole local system: the
// page takes the reserve attestations and the movements from the indexer page by page (it really
// asks /v1/attestations and /v1/movements), and what it shows equals the page's own reading of the
// chain (classifyMovements and supplyAt over every ledger event): the first page, "show more", a
// kind filter, an address filter and the CSV file of everything a filter leaves. While the indexer
// is stopped (SIGSTOP: it accepts connections and never answers) the page says so in words and
// still shows a payment made meanwhile, read from the chain. Screenshots at 320 and 390 px, zh and
// en, normal and 关怀模式, in both states, checked for layout problems.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { createPublicClient, createTestClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { classifyMovements, type Movement, supplyAt } from "../../core/audit/ledgerMovements.js";
import { readLedgerLogs } from "../../core/audit/readLedger.js";
import { createRpcClient } from "../../core/audit/rpc.js";
import { fenToInput } from "../../core/money.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";
import { layoutProblems, settle } from "./layoutChecks.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const testClient = createTestClient({ chain, mode: "hardhat", transport: http(system.rpcUrl) });
const RESIDENT = 6;
const SHOP = 12;
const shop = localAccount(SHOP).address;
const payer = createWalletClient({ account: localAccount(RESIDENT), chain, transport: http(system.rpcUrl) });
const stamp = Date.now().toString(36).slice(-5).toUpperCase();

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let indexerStopped = false;

function indexer(signal: "SIGSTOP" | "SIGCONT") {
  process.kill(-(system.indexerPid as number), signal);
  indexerStopped = signal === "SIGSTOP";
}

beforeAll(async () => {
  expect(system.indexerUrl, "the e2e system runs the indexer").toBeTruthy();
  browser = await launchBrowser();
});
afterAll(async () => {
  if (indexerStopped) indexer("SIGCONT");
  await browser?.close();
});

async function head(): Promise<number> {
  return Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
}

async function indexed(): Promise<void> {
  const target = await head();
  for (let i = 0; i < 600; i++) {
    const status = (await (await fetch(`${system.indexerUrl}/v1/status`)).json()) as { indexedBlock: number | null };
    if ((status.indexedBlock ?? -1) >= target) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the indexer did not reach block ${target}`);
}

/** The ledger as the page reads it from the chain alone: every movement, newest first, and every event. */
async function chainLedger() {
  const events = await readLedgerLogs(createRpcClient(system.rpcUrl), {
    contracts: system.contracts,
    fromBlock: 0n,
    toBlock: BigInt(await head()),
  });
  return { events, movements: classifyMovements(events, system.contracts, () => 0) };
}

const id = (m: Movement) => `${m.blockNumber}-${m.logIndex}`;

async function shownIds(page: Page): Promise<string[]> {
  return page
    .locator("table.movements tbody tr")
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.movement ?? ""));
}

/** Until the count line says `shown` rows and whether there are more. */
async function countIs(page: Page, shown: number, more: boolean) {
  await page
    .locator(`[data-testid="movements-count"][data-shown="${shown}"][data-more="${more}"]`)
    .waitFor({ timeout: 60_000 });
}

async function pay(fen: bigint, ref: string) {
  const hash = await payer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "pay",
    args: [shop, fen, stringToHex(ref, { size: 32 })],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return hash;
}

async function shots(page: Page, name: string, largeText: boolean, problems: string[]) {
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await settle(page);
    // Not the whole page: some 60,000 px at 320 px in the shared system, whose image took over 30 s
    // in CI. The first screen, and the layout checks over the whole page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `${name}-${width}-first-screen`, { fullPage: false });
    for (const p of await layoutProblems(page, largeText)) problems.push(`${name}-${width}: ${p.kind}: ${p.what}`);
  }
}

describe("the ledger page with the indexer", () => {
  it("shows the indexer's attestations and movements page by page, equal to the chain's", {
    timeout: 300_000,
  }, async () => {
    await indexed();
    const { events, movements } = await chainLedger();
    expect(movements.length, "the demo month has more than one page of movements").toBeGreaterThan(100);
    const { page, context } = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger", {
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    });
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(`${system.indexerUrl}/v1/`)) asked.push(new URL(r.url()).pathname);
    });
    await page.reload();
    await page.locator('[data-testid="ledger-source"][data-source="used"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId("ledger-source").innerText()).resolves.toMatch(/来自记录服务（已处理到区块 \d+）/);

    // The first page: 100 movements, newest first, as the chain names them; more to come.
    await countIs(page, 100, true);
    expect(asked).toContain("/v1/movements");
    expect(asked).toContain("/v1/attestations");
    expect(await shownIds(page)).toEqual(movements.slice(0, 100).map(id));
    const kinds = await page
      .locator("table.movements tbody tr")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind));
    expect(kinds).toEqual(movements.slice(0, 100).map((m) => m.kind));
    await expect(page.getByTestId("movements-count").innerText()).resolves.toBe("已显示 100 条，还有更多");

    // Show more: the next page from the indexer.
    await page.getByTestId("movements-more").click();
    const second = Math.min(200, movements.length);
    await countIs(page, second, movements.length > 200);
    expect(await shownIds(page)).toEqual(movements.slice(0, second).map(id));

    // The attestations, newest first, each with the supply after its block as every event tells it.
    const attested = events.filter((e) => e.kind === "ReservesAttested").reverse();
    expect(attested.length).toBeGreaterThan(0);
    const rows = await page
      .locator("table.reserves tbody tr")
      .evaluateAll((r) =>
        r.map((row) => [(row as HTMLElement).dataset.attestation, (row as HTMLElement).dataset.supply]),
      );
    expect(rows).toEqual(
      attested.map((a) => [
        (a as { attestationId: bigint }).attestationId.toString(),
        supplyAt(events, a.blockNumber).toString(),
      ]),
    );

    // A kind filter goes to the indexer: only refunds, all of them.
    const refunds = movements.filter((m) => m.kind === "refund");
    expect(refunds.length).toBeGreaterThan(0);
    await page.getByLabel("类型").selectOption("refund");
    await countIs(page, refunds.length, false);
    expect(await shownIds(page)).toEqual(refunds.map(id));
    await expect(page.getByTestId("movements-count").innerText()).resolves.toBe(`已显示全部 ${refunds.length} 条`);

    // An address and a kind: the shop's payments; the CSV file holds every one of them (all pages).
    const payments = movements.filter(
      (m) => m.kind === "payment" && [m.from, m.to].some((a) => a.toLowerCase() === shop.toLowerCase()),
    );
    expect(payments.length).toBeGreaterThan(0);
    await page.getByLabel("类型").selectOption("payment");
    await page.getByLabel("地址（付款方或收款方）").fill(shop);
    await countIs(page, Math.min(100, payments.length), payments.length > 100);
    expect(await shownIds(page)).toEqual(payments.slice(0, 100).map(id));
    const download = page.waitForEvent("download");
    await page.getByTestId("movements-csv").click();
    const file = await readFile(await (await download).path());
    const lines = file
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("时间,类型,付款方,收款方,金额,区块,tx");
    expect(lines.length).toBe(payments.length + 1);
    const first = payments[0] as Movement;
    expect(lines[1]).toContain(`,付款,`);
    expect(lines[1]).toContain(`,${fenToInput(first.amount)},${first.blockNumber},`);
    await context.close();

    // Screenshots with the indexer in use.
    const problems: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const largeText of [false, true]) {
        const visit = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger", { lang, largeText });
        await visit.page.locator('[data-testid="ledger-source"][data-source="used"]').waitFor({ timeout: 60_000 });
        // A phone (390 px) gets pages of 20 movements: each is a card of its own there.
        await countIs(visit.page, 20, true);
        await shots(visit.page, `ledger-indexer-${largeText ? "care" : "normal"}-${lang}`, largeText, problems);
        await visit.context.close();
      }
    expect(problems).toEqual([]);
  });

  it("reads the blocks after the index's from the chain: the newest movements and attestations are never missing", {
    timeout: 180_000,
  }, async () => {
    await indexed();
    const split = await head();
    // Three blocks after the split: a payment, a reserve attestation and another payment.
    const first = await pay(11_11n, `LG-TAIL-1-${stamp}`);
    const token = { address: system.contracts.CityYuan, abi: cityYuanAbi } as const;
    // Raised, never lowered: the tests after still find headroom to issue.
    const reserves = await publicClient.readContract({ ...token, functionName: "latestReserves" });
    const attester = createWalletClient({
      account: localAccount(ROLE_HOLDERS.attester.index),
      chain,
      transport: http(system.rpcUrl),
    });
    const attestation = await attester.writeContract({
      ...token,
      functionName: "attestReserves",
      args: [
        reserves + 1_000_00n,
        keccak256(stringToHex(`tail-${stamp}`)),
        `https://reserves.hefei.example/tail-${stamp}.pdf`,
      ],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: attestation })).status).toBe("success");
    const last = await pay(22_22n, `LG-TAIL-2-${stamp}`);
    await indexed();
    const { events, movements } = await chainLedger();
    // The indexer has every block; its status is made to say it reached only the split, as a
    // lagging indexer's would (its other answers are its own): the page must take the three
    // blocks after it from the chain.
    const movementRequests: URL[] = [];
    const { page, context } = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger", {
      viewport: { width: 1100, height: 900 },
      beforeOpen: async (ctx) => {
        await ctx.route(`${system.indexerUrl}/v1/status`, async (route) => {
          const response = await route.fetch();
          const body = (await response.json()) as { indexedBlock: number; chainHead: number; behind: number };
          body.indexedBlock = split;
          body.behind = body.chainHead - split;
          await route.fulfill({ response, json: body });
        });
        ctx.on("request", (r) => {
          if (r.url().startsWith(`${system.indexerUrl}/v1/movements`)) movementRequests.push(new URL(r.url()));
        });
      },
    });
    await page.locator('[data-testid="ledger-source"][data-source="used"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId("ledger-source").innerText()).resolves.toContain(`已处理到区块 ${split}`);
    // The chain's movements after the split first, then the indexer's first page of 100.
    const tail = movements.filter((m) => m.blockNumber > BigInt(split)).length;
    expect(tail).toBe(2);
    await countIs(page, tail + 100, true);
    expect(await shownIds(page)).toEqual(movements.slice(0, tail + 100).map(id));
    const txs = await page
      .locator("table.movements tbody tr")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.tx));
    expect(txs).toContain(first.toLowerCase());
    expect(txs[0]).toBe(last.toLowerCase());
    expect(movementRequests.length).toBeGreaterThan(0);
    for (const url of movementRequests) expect(url.searchParams.get("toBlock")).toBe(String(split));
    // The attestation after the split, with the supply then (the token's own count at the split
    // plus the blocks after it), first in the table; the rest from the indexer.
    const attested = events.filter((e) => e.kind === "ReservesAttested").reverse();
    const rows = await page
      .locator("table.reserves tbody tr")
      .evaluateAll((r) =>
        r.map((row) => [(row as HTMLElement).dataset.attestation, (row as HTMLElement).dataset.supply]),
      );
    expect(rows).toEqual(
      attested.map((a) => [
        (a as { attestationId: bigint }).attestationId.toString(),
        supplyAt(events, a.blockNumber).toString(),
      ]),
    );
    expect(attested[0]?.blockNumber).toBeGreaterThan(BigInt(split));
    await context.close();
  });

  it("says so while the indexer is stopped, and still shows a payment made meanwhile", {
    timeout: 420_000,
  }, async () => {
    await indexed();
    indexer("SIGSTOP");
    const problems: string[] = [];
    // A page open through the whole stop: its line must go once the indexer answers again.
    const watch = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger");
    try {
      await watch.page.locator('[data-testid="ledger-source"][data-source="down"]').waitFor({ timeout: 60_000 });
      const hash = await pay(43_21n, `LG-STOP-${stamp}`);
      await testClient.request({ method: "evm_mine" as never, params: [] as never });
      for (const lang of ["zh", "en"] as const)
        for (const largeText of [false, true]) {
          const { page, context } = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger", { lang, largeText });
          await page.locator('[data-testid="ledger-source"][data-source="down"]').waitFor({ timeout: 60_000 });
          await expect(page.getByTestId("ledger-source").innerText()).resolves.toMatch(
            lang === "zh" ? /记录服务暂时连不上/ : /records service cannot be reached/,
          );
          const row = page.locator(`table.movements tbody tr[data-tx="${hash.toLowerCase()}"]`);
          await row.waitFor({ timeout: 60_000 });
          await expect(row.getAttribute("data-kind")).resolves.toBe("payment");
          await expect(row.getAttribute("data-amount")).resolves.toBe("4321");
          await shots(page, `ledger-indexer-stopped-${largeText ? "care" : "normal"}-${lang}`, largeText, problems);
          await context.close();
        }
    } finally {
      indexer("SIGCONT");
    }
    expect(problems).toEqual([]);
    // Back: the page open through the stop asks again (every 10 s) and takes the indexer's again;
    // a page opened now too, the payment made meanwhile among them.
    await indexed();
    await watch.page.locator('[data-testid="ledger-source"][data-source="used"]').waitFor({ timeout: 40_000 });
    await watch.context.close();
    const { page, context } = await openAsDemo(browser, system.webUrl, RESIDENT, "#/ledger");
    await page.locator('[data-testid="ledger-source"][data-source="used"]').waitFor({ timeout: 60_000 });
    await page.getByLabel("地址（付款方或收款方）").fill(localAccount(RESIDENT).address);
    await page.locator("table.movements tbody tr[data-amount='4321']").first().waitFor({ timeout: 30_000 });
    await context.close();
  });
});
