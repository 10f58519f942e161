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
});
