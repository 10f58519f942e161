// The shop counter that never misses a payment: counter mode keeps receiving with the wallet
// locked; sound waits for a tap and says so; the live state is the real one; and a payment made
// while the page's connection to the chain was cut (HTTP refused, WebSocket dropped) appears once
// it comes back, while every page warns that the chain cannot be reached (and a resident's Home
// shows the chain's balance again once it can).
import type { BrowserContext, WebSocketRoute } from "playwright-core";
import { createPublicClient, createWalletClient, http, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const pharmacy = MERCHANTS[3];
const shop = localAccount(pharmacy.index).address;
const resident = RESIDENTS[4];
const payer = createWalletClient({ account: localAccount(resident.index), chain, transport: http(system.rpcUrl) });
const chainPort = new URL(system.rpcUrl).port;

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page's own line to the chain, which the test can cut and restore. */
function chainLine() {
  let down = false;
  const sockets: WebSocketRoute[] = [];
  let firstSocket: () => void = () => {};
  /** Resolves when the page opens its first socket to the chain (the merchant page is mounted). */
  const opened = new Promise<void>((resolve) => {
    firstSocket = resolve;
  });
  const toChain = (url: URL) => url.port === chainPort;
  return {
    opened,
    async install(context: BrowserContext) {
      await context.route(toChain, (route) => (down ? route.abort("connectionrefused") : route.continue()));
      await context.routeWebSocket(toChain, (ws) => {
        if (down) return void ws.close({ code: 1011, reason: "cut by the test" });
        ws.connectToServer();
        sockets.push(ws);
        firstSocket();
      });
    },
    async cut() {
      down = true;
      for (const ws of sockets.splice(0)) await ws.close({ code: 1011, reason: "cut by the test" });
    },
    restore() {
      down = false;
    },
  };
}

async function pay(fen: bigint, ref: string) {
  const hash = await payer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "pay",
    args: [shop, fen, stringToHex(ref, { size: 32 })],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

describe("a shop counter that never misses a payment", () => {
  it("receives with the wallet locked, says sound needs a tap, and backfills a payment made while cut off", async () => {
    const line = chainLine();
    const { context, page } = await openAsDemo(browser, system.webUrl, pharmacy.index, "#/merchant", {
      beforeOpen: (c) => line.install(c),
    });
    // No tap yet: the page says announcements need one instead of pretending to speak. Waited for
    // without touching the page (Playwright's own DOM queries count as a tap for the browser's
    // sound rules): the page opens its socket once mounted.
    await line.opened;
    const gate = page.locator(".sound-gate");
    await gate.getByText("浏览器要先点一下屏幕，才允许播报到账。").waitFor();
    await screenshot(page, "counter-sound-needs-tap");
    await gate.getByRole("button", { name: "点这里开启播报" }).click();
    await gate.waitFor({ state: "detached" });
    await page.getByRole("heading", { name: pharmacy.name }).waitFor({ timeout: 30_000 });
    const status = page.locator(".live-mode");
    await page.locator('.live-mode[data-state="live"][data-mode="websocket"]').waitFor({ timeout: 20_000 });
    await expect(status.textContent()).resolves.toMatch(/实时收款中 · \d\d:\d\d:\d\d 确认连接正常/);

    // Counter mode, then lock: still receiving, nothing that pays out is offered.
    await page.getByRole("button", { name: "开启收银台模式" }).click();
    await page.getByRole("button", { name: "锁定钱包，继续收款" }).click();
    await page.locator('.counter-mode[data-counter="locked"]').waitFor();
    await page.getByText("收银台模式：钱包已锁定，这里只收款和播报。").waitFor();
    const stamp = Date.now() % 1_000_000;
    const before = `E2E-C-A-${stamp}`;
    await pay(2_10n, before);
    const rowBefore = page.locator(`tr.receipt-row[data-order-ref="${before}"]`);
    await rowBefore.waitFor({ timeout: 15_000 });
    await expect(rowBefore.getByRole("button", { name: /退款/ }).count()).resolves.toBe(0);
    await expect(page.getByRole("heading", { name: "本店优惠活动" }).count()).resolves.toBe(0);
    await screenshot(page, "counter-locked-live");

    // A resident's Home in another browser, on the same line: its balance goes stale while cut off.
    const home = await openAsDemo(browser, system.webUrl, resident.index, "#/", {
      beforeOpen: (c) => line.install(c),
    });
    const balance = home.page.getByTestId("balance");
    await balance.getByText(/¥/).waitFor({ timeout: 30_000 });

    // Cut the line: within seconds the page says so (not "live"), and so does any other page.
    await line.cut();
    await page.locator('.live-mode[data-state="lost"]').waitFor({ timeout: 15_000 });
    await expect(status.textContent()).resolves.toContain("连接中断");
    await page.locator(".chain-unreachable").waitFor({ timeout: 10_000 });
    const other = await context.newPage();
    await other.goto(`${system.webUrl}/#/settings`);
    await other.locator(".chain-unreachable").getByText("暂时连不上城市网络").waitFor({ timeout: 15_000 });
    await other.close();
    await home.page.locator(".chain-unreachable").waitFor({ timeout: 15_000 });
    await screenshot(page, "counter-connection-lost");

    // A payment while cut off: not shown yet (the cut is real) …
    const during = `E2E-C-B-${stamp}`;
    await pay(3_30n, during);
    const rowDuring = page.locator(`tr.receipt-row[data-order-ref="${during}"]`);
    await page.waitForTimeout(2_000);
    await expect(rowDuring.count()).resolves.toBe(0);

    // … and there, announced, once the line is back; live again, the banner gone.
    line.restore();
    await rowDuring.waitFor({ timeout: 20_000 });
    await expect(rowDuring.innerText()).resolves.toContain("¥3.30");
    await page.getByRole("status").filter({ hasText: "收款到账 3.30 元" }).waitFor();
    await page.locator('.live-mode[data-state="live"]').waitFor({ timeout: 15_000 });
    await page.locator(".chain-unreachable").waitFor({ state: "detached", timeout: 10_000 });
    // The resident's Home too: the warning goes and the balance is the chain's, the 3.30 paid included.
    await home.page.locator(".chain-unreachable").waitFor({ state: "detached", timeout: 15_000 });
    const onChain = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [payer.account.address],
    });
    await expect
      .poll(async () => (await balance.textContent())?.replace(/\D/g, ""), { timeout: 15_000 })
      .toBe(onChain.toString());
    await home.context.close();
    // The socket comes back too (polling filled the gap meanwhile), and a new payment is pushed.
    await page.locator('.live-mode[data-state="live"][data-mode="websocket"]').waitFor({ timeout: 20_000 });
    const after = `E2E-C-C-${stamp}`;
    await pay(1_00n, after);
    await page.locator(`tr.receipt-row[data-order-ref="${after}"]`).waitFor({ timeout: 10_000 });
    await screenshot(page, "counter-backfilled");
    await context.close();
  });
});
