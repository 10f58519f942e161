import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, RESIDENTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, openAsDemo, screenshot } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function openAs(index: number, hash: string) {
  return openAsDemo(browser, system.webUrl, index, hash, { viewport: { width: 1100, height: 900 } });
}

async function fillIssue(page: Page, to: string, amount: string, ref: string) {
  const issue = page.locator("#desk-issue");
  await issue.getByLabel("收款地址").fill(to);
  await issue.getByLabel("金额（元）").fill(amount);
  await issue.getByLabel("银行流水号").fill(ref);
  await issue.getByRole("button", { name: "发行", exact: true }).click();
  return issue;
}

describe("the issuer's desk", () => {
  const resident = localAccount(RESIDENTS[3].index).address;

  it("is closed to an address without any role", async () => {
    const { context, page } = await openAs(RESIDENTS[0].index, "#/desk");
    await page.locator(".no-roles").waitFor({ timeout: 30_000 });
    await context.close();
  });

  it("refuses the compliance officer's attempt to issue, in words, and sends nothing", async () => {
    const before = await client.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "totalIssued",
    });
    const { context, page } = await openAs(ROLE_HOLDERS.compliance.index, "#/desk");
    await page.locator(".your-roles").waitFor({ timeout: 30_000 });
    await expect(page.locator(".your-roles").innerText()).resolves.toContain("合规");
    const issue = await fillIssue(page, resident, "10", "BANK-DEP-E2E-WRONG");
    await expect(issue.locator(".refusal").innerText()).resolves.toContain("只有持有「发行」角色的账户可以执行");
    await expect(issue.getByRole("button", { name: "确认", exact: true }).count()).resolves.toBe(0);
    await screenshot(page, "desk-wrong-role");
    await expectNoSeriousA11yViolations(page, "desk");
    const after = await client.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "totalIssued",
    });
    expect(after).toBe(before);
    await context.close();
  });

  it("lets the issuer issue against a bank reference within its allowance", async () => {
    const balance = () =>
      client.readContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "balanceOf",
        args: [resident],
      });
    const before = await balance();
    const { context, page } = await openAs(ROLE_HOLDERS.issuer.index, "#/desk");
    await page.locator("#desk-issue .allowance").waitFor({ timeout: 30_000 });
    const issue = await fillIssue(page, resident, "12.34", "BANK-DEP-E2E-0001");
    await issue.getByRole("button", { name: "确认", exact: true }).click();
    await issue.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await balance()).toBe(before + 12_34n);
    await context.close();
  });

  it("refuses, in words, to issue beyond the latest reserve attestation (Secure Mint)", async () => {
    const { context, page } = await openAs(ROLE_HOLDERS.issuer.index, "#/desk");
    await page.locator("#desk-issue .reserves-room").waitFor({ timeout: 30_000 });
    // The seed's month-end report is fresh: the desk says until when it allows issuing.
    await expect(page.locator("#desk-issue .report-age").innerText()).resolves.toContain("可据此发行到");
    const issue = await fillIssue(page, resident, "99999", "BANK-DEP-E2E-OVER");
    await expect(issue.locator(".error").innerText()).resolves.toContain("超出最近一次储备证明可支持的发行余量");
    await expect(issue.getByRole("button", { name: "确认", exact: true }).count()).resolves.toBe(0);
    await context.close();
  });

  it("refuses, in words, to freeze a city escrow, and sends nothing", async () => {
    const { context, page } = await openAs(ROLE_HOLDERS.compliance.index, "#/desk");
    const freeze = page.locator("#desk-freeze");
    await freeze.getByLabel("账户").fill(system.contracts.Vouchers);
    await freeze.getByLabel("依据（法律文书编号或原因）").fill("E2E wrong address");
    await freeze.getByText("该账户当前：未冻结").waitFor({ timeout: 30_000 });
    await freeze.getByRole("button", { name: "冻结", exact: true }).click();
    await expect(freeze.getByRole("alert").innerText()).resolves.toContain("这是城市托管合约");
    await expect(freeze.getByRole("button", { name: "确认", exact: true }).count()).resolves.toBe(0);
    await context.close();
  });

  it("lets the admin raise an issuer's allowance by an increase, never an overwrite", async () => {
    const issuer = localAccount(ROLE_HOLDERS.issuer.index).address;
    const allowance = () =>
      client.readContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "issuerAllowance",
        args: [issuer],
      });
    const before = await allowance();
    const { context, page } = await openAs(ROLE_HOLDERS.admin.index, "#/desk");
    const panel = page.locator("#desk-allowance");
    await panel.getByLabel("发行方地址").fill(issuer);
    await panel.locator(".allowance").waitFor({ timeout: 30_000 });
    await panel.getByLabel("金额（元）").fill("1");
    await panel.getByRole("button", { name: "增加额度" }).click();
    await panel.getByRole("button", { name: "确认", exact: true }).click();
    await panel.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await allowance()).toBe(before + 100n);
    await context.close();
  });

  it("shows the allowance panel at 320 and 390 px, normal and care mode, zh and en", async () => {
    const dir = path.resolve(import.meta.dirname, "..", "..", "test-results", "screenshots");
    mkdirSync(dir, { recursive: true });
    const issuer = localAccount(ROLE_HOLDERS.issuer.index).address;
    for (const width of [320, 390]) {
      for (const largeText of [false, true]) {
        for (const lang of ["zh", "en"] as const) {
          const { context, page } = await openAsDemo(browser, system.webUrl, ROLE_HOLDERS.admin.index, "#/desk", {
            viewport: { width, height: 900 },
            lang,
            largeText,
          });
          const panel = page.locator("#desk-allowance");
          await panel.locator("input").first().fill(issuer);
          await panel.locator(".allowance").waitFor({ timeout: 30_000 });
          await panel.locator("input").nth(1).fill("5");
          await panel.scrollIntoViewIfNeeded();
          const name = `desk-allowance-${width}-${largeText ? "care" : "normal"}-${lang}`;
          await panel.screenshot({ path: path.join(dir, `${name}.png`) });
          const box = await panel.boundingBox();
          expect((box?.x ?? 0) + (box?.width ?? 0), `${name} wider than the screen`).toBeLessThanOrEqual(width);
          const inner = await panel.evaluate((el) => el.scrollWidth - el.clientWidth);
          expect(inner, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
          await panel.getByRole("button").nth(1).click(); // decrease: the summary before signing
          await panel.screenshot({ path: path.join(dir, `${name}-confirm.png`) });
          await context.close();
        }
      }
    }
  });
});
