// The 王阿姨 flow, measured: first open → 关怀模式 on the first screen → a new passkey account
// (her fingerprint; a virtual authenticator in Chromium) → (the desk
// tops her up: not counted) → 付款 → the shop's code → 已付款. Every tap is counted (a tap into a
// text field counts as one), and the seconds from first open to paid, top-up wait excluded. The
// figures go to test-results/wang-ayi-flow.json and the test log.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Locator } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, http, keccak256, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const shop = localAccount(MERCHANTS[0]?.index ?? 12).address;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function topUp(to: Address, fen: bigint): Promise<void> {
  const issuer = createWalletClient({ account: localAccount(1), chain, transport: http(system.rpcUrl) });
  const hash = await issuer.writeContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "issue",
    args: [to, fen, keccak256(stringToHex(`wang-ayi-${to}`))],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

describe("王阿姨: first open to a paid shop, in 关怀模式", () => {
  it("counts the taps and seconds", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const page = await context.newPage();
    let taps = 0;
    const tap = async (target: Locator) => {
      taps++;
      await target.click();
    };

    // Her phone's fingerprint reader: a virtual authenticator that confirms (user verification on).
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });

    const opened = Date.now();
    // Passkeys need a host name: the dApp is opened on localhost.
    await page.goto(system.webUrl.replace("127.0.0.1", "localhost"));
    await tap(page.getByLabel(/关怀模式/));
    await expect(page.evaluate(() => document.documentElement.classList.contains("large-text"))).resolves.toBe(true);
    // The default start: a passkey account (fingerprint or face), nothing to write down or type.
    await tap(page.getByRole("button", { name: "用指纹或面容开始" }));
    await page.getByTestId("balance").getByText("¥").waitFor({ timeout: 30_000 });
    const me = (await page.locator(".header-account [title]").getAttribute("title")) as Address;

    // The desk's top-up is not the resident's time.
    const topUpStarted = Date.now();
    await topUp(me, 50_00n);
    await page.getByTestId("balance").getByText("¥50.00").waitFor({ timeout: 30_000 });
    const topUpMs = Date.now() - topUpStarted;

    await tap(page.locator(".bottom-nav").getByRole("link", { name: "付款" }));
    // The camera reads the shop's code (no tap): the scanner hands the app the code's link.
    const code = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=1500&ref=WANG-${Date.now()}`;
    await page.evaluate((link) => {
      location.hash = `#/pay?request=${encodeURIComponent(link)}`;
    }, code);
    await tap(page.getByRole("button", { name: "核对付款" }));
    await page.getByText("壹拾伍元整").waitFor();
    await screenshot(page, "wang-ayi-confirm-care");
    await tap(page.getByRole("button", { name: "确认付款" }));
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    const seconds = (Date.now() - opened - topUpMs) / 1000;
    await screenshot(page, "wang-ayi-paid-care");

    const result = { taps, seconds: Math.round(seconds * 10) / 10, target: { taps: 8, seconds: 120 } };
    const dir = path.resolve(import.meta.dirname, "..", "..", "test-results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "wang-ayi-flow.json"), `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`王阿姨 flow: ${result.taps} taps, ${result.seconds} s (target ≤ 8 taps, ≤ 120 s)\n`);
    // With the recovery-phrase wallet the flow took 13 taps; the passkey account removes the
    // phrase and passcode steps.
    expect(taps).toBeLessThanOrEqual(8);
    expect(seconds).toBeLessThan(120);
    await context.close();
  });
});
