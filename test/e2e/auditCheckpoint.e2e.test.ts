// The ledger page's audit from the auditor's signed checkpoint (issue 24), against the whole local
// system: the system's local auditor signs a checkpoint after the demo month is seeded and the
// city service publishes it; the page verifies it in the browser against the auditor it was built
// with, reads only what is new since and says so; a checkpoint whose stored state was changed, or one
// signed by another key, is refused in words and nothing is audited from it, and the full replay
// still passes. Screenshots of the panel at 320 and 390 px, zh and en, normal and 关怀模式.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AuditCheckpoint, replayFromJson, signCheckpoint } from "../../core/audit/checkpoint.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { localAuditor } from "../../scripts/lib/localAuditor.js";
import { launchBrowser, localChain } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
const AUDITOR = localAuditor().address;
const ROUTE = "**/api/v1/audit/checkpoints/latest";
const SCREENSHOTS = path.resolve(import.meta.dirname, "..", "..", "test-results", "screenshots");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The checkpoint the service publishes once it is one of this chain (the auditor's first pass ends after the seed). */
async function publishedCheckpoint(): Promise<AuditCheckpoint> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const res = await fetch(`${system.serviceUrl}/api/v1/audit/checkpoints/latest`);
    if (res.status === 200) {
      const file = (await res.json()) as AuditCheckpoint;
      const block = await client.getBlock({ blockNumber: BigInt(file.claim.block) }).catch(() => undefined);
      if (block?.hash === file.claim.blockHash) return file;
    } else {
      expect(res.status).toBe(404);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the local auditor published no checkpoint of this chain");
}

async function transfer(fen: bigint) {
  const payer = createWalletClient({
    account: localAccount(RESIDENTS[3].index),
    chain,
    transport: http(system.rpcUrl),
  });
  await client.waitForTransactionReceipt({
    hash: await payer.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "transfer",
      args: [localAccount(RESIDENTS[0].index).address, fen],
    }),
  });
}

async function openLedger(lang: "zh" | "en", care = false, width = 1100): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: lang === "en" ? "en-GB" : "zh-CN",
  });
  await context.addInitScript(
    (settings) => localStorage.setItem("hcy.settings.v1", settings),
    JSON.stringify({ lang, largeText: care }),
  );
  const page = await context.newPage();
  await page.goto(`${system.webUrl}/#/ledger`);
  await page.locator("section.audit").waitFor({ timeout: 30_000 });
  return page;
}

/** Serves this body instead of the service's answer (a service that changed or swapped the file). */
async function serve(page: Page, status: number, body: unknown) {
  await page.route(ROUTE, (route) =>
    route.fulfill({
      status,
      contentType: "application/json",
      headers: { "access-control-allow-origin": "*" },
      body: JSON.stringify(body),
    }),
  );
}

async function check(page: Page, button: RegExp): Promise<{ result: string; reason: string | null; text: string }> {
  await page.getByRole("button", { name: button }).click();
  // The last outcome goes as the new check starts (it takes far longer than this look).
  await page
    .waitForFunction(() => !document.querySelector("section.audit .audit-result"), null, { timeout: 5_000 })
    .catch(() => undefined);
  const outcome = page.locator("section.audit .audit-result");
  await outcome.waitFor({ timeout: 90_000 });
  return {
    result: (await outcome.getAttribute("data-result")) ?? "",
    reason: await outcome.getAttribute("data-reason"),
    text: await page.locator("section.audit .audit-outcome").innerText(),
  };
}

const RUN_ZH = /^(开始核对|重新核对)$/;
const FULL_ZH = /^完整重放$/;

describe("the ledger page's audit from a signed checkpoint", () => {
  it("continues from the checkpoint the service publishes, signed by the auditor the dApp was built with", async () => {
    const published = await publishedCheckpoint();
    expect(published.auditor).toBe(AUDITOR);
    const page = await openLedger("zh");
    await page.getByText(`信任的审计方：${AUDITOR}`).waitFor();
    const { result, text } = await check(page, RUN_ZH);
    expect(result, text).toBe("pass");
    expect(await page.locator(".audit-start").getAttribute("data-start")).toBe("checkpoint");
    const continued = text.match(
      /从区块 (\d+) 的签名检查点继续（签名的审计方 (0x[0-9a-fA-F]{40})，已在本机验证）：此后 (\d+) 个新事件，(\d+) 个账户有变动。/,
    );
    expect(continued, text).not.toBeNull();
    const [, block, signer] = continued as RegExpMatchArray;
    expect(signer).toBe(AUDITOR);
    // The latest published one (the auditor may have signed a newer one since), and read from after it.
    expect(BigInt(block as string)).toBeGreaterThanOrEqual(BigInt(published.claim.block));
    // Read from the block after it (or nothing at all when it is the latest block).
    expect(text).toMatch(
      new RegExp(`区块 ${BigInt(block as string) + 1n}–\\d+|检查点就在最新区块 ${block}，此后没有新区块`),
    );
    await page.context().close();
  });

  it("reads only what is new since the checkpoint: one transfer later, two accounts moved, far fewer than a full replay", async () => {
    const published = await publishedCheckpoint();
    await transfer(1n);
    const page = await openLedger("en");
    // Pinned to the checkpoint fetched before the transfer, exactly as the service published it.
    await serve(page, 200, published);
    const { result, text } = await check(page, /^Run the check$/);
    expect(result, text).toBe("pass");
    const moved = text.match(
      new RegExp(
        `Continued from the checkpoint at block ${published.claim.block} signed by ${AUDITOR} \\(verified here\\): (\\d+) new events, (\\d+) accounts moved since\\.`,
      ),
    );
    expect(moved, text).not.toBeNull();
    expect(Number(moved?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(moved?.[2])).toBeGreaterThanOrEqual(2);

    const full = await check(page, /^Full replay$/);
    expect(full.result, full.text).toBe("pass");
    expect(await page.locator(".audit-start").getAttribute("data-start")).toBe("full");
    expect(full.text).toContain("Full replay: every event from the deployment block");
    const all = Number(full.text.match(/\((\d+) events, (\d+) accounts/)?.[2]);
    expect(Number(moved?.[2])).toBeLessThan(all);
    await page.context().close();
  });

  it("refuses a checkpoint whose stored state was changed, in words, audits nothing from it, and the full replay passes", async () => {
    const published = await publishedCheckpoint();
    const tampered = structuredClone(published);
    // One resident given 100 yuan in the stored state; the signed figures left as they were.
    const row = tampered.replay.balances.find(([, fen]) => BigInt(fen) > 0n) as [string, string];
    row[1] = (BigInt(row[1]) + 10_000n).toString();
    const page = await openLedger("zh");
    await serve(page, 200, tampered);
    const refused = await check(page, RUN_ZH);
    expect(refused.result).toBe("refused");
    expect(refused.reason).toBe("stateChanged");
    expect(refused.text).toContain(
      "签名检查点被拒绝：随附的账本状态与签名不符（totalSupply）：文件被改动过。没有从它核对任何内容；可以做一次完整重放。",
    );
    // Nothing audited from it: no pass, no items.
    await expect(page.locator("section.audit [data-result='pass']").count()).resolves.toBe(0);
    await expect(page.locator("section.audit details").count()).resolves.toBe(0);
    await shoot(page, "audit-refused-390-normal-zh", 390);

    const full = await check(page, FULL_ZH);
    expect(full.result, full.text).toBe("pass");
    expect(full.text).toContain("完整重放：从部署区块");
    await page.context().close();
  });

  it("refuses a checkpoint signed by another key, naming both", async () => {
    const published = await publishedCheckpoint();
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await signCheckpoint(stranger, {
      chainId: published.chainId,
      cityYuan: published.cityYuan,
      replay: replayFromJson(published.replay),
      block: BigInt(published.claim.block),
      blockHash: published.claim.blockHash as Hex,
    });
    const page = await openLedger("en");
    await serve(page, 200, forged);
    const refused = await check(page, /^Run the check$/);
    expect(refused.result).toBe("refused");
    expect(refused.reason).toBe("untrustedSigner");
    expect(refused.text).toContain(
      `Signed checkpoint refused: it was signed by ${stranger.address}, not by the trusted auditor ${AUDITOR}. Nothing was audited from it; you can run a full replay.`,
    );
    await shoot(page, "audit-refused-390-normal-en", 390);
    await page.context().close();
  });

  it("without a published checkpoint, or with the service down, says so and replays in full", async () => {
    const page = await openLedger("zh");
    await serve(page, 404, { error: "no_checkpoint", message: "none yet" });
    const none = await check(page, RUN_ZH);
    expect(none.result, none.text).toBe("pass");
    expect(none.text).toContain("审计方还没有发布签名检查点，因此从部署区块");
    await page.unroute(ROUTE);
    await page.route(ROUTE, (route) => route.abort("connectionrefused"));
    const down = await check(page, RUN_ZH);
    expect(down.result, down.text).toBe("pass");
    expect(down.text).toContain("无法从城市服务取得签名检查点（");
    await page.context().close();
  });

  it("fits at 320 and 390 px, zh and en, normal and 关怀模式", async () => {
    await publishedCheckpoint();
    const problems: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const care of [false, true]) {
        const page = await openLedger(lang, care, 390);
        const { result, text } = await check(page, lang === "zh" ? RUN_ZH : /^Run the check$/);
        expect(result, text).toBe("pass");
        for (const width of [320, 390]) {
          await page.setViewportSize({ width, height: 844 });
          const name = `audit-continued-${width}-${care ? "care" : "normal"}-${lang}`;
          await shoot(page, name, width);
          for (const p of await panelProblems(page, care)) problems.push(`${name}: ${p}`);
        }
        await page.context().close();
      }
    expect(problems).toEqual([]);
  });
});

async function shoot(page: Page, name: string, width: number) {
  await page.setViewportSize({ width, height: 844 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator("section.audit").screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The panel's own layout: nothing wider than the screen or cut off; in 关怀模式 text ≥ 18 px and buttons ≥ 60 px. */
async function panelProblems(page: Page, care: boolean): Promise<string[]> {
  return page.locator("section.audit").evaluate((panel, care) => {
    const found: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    for (const el of [panel, ...panel.querySelectorAll("*")]) {
      if (el.closest("details:not([open]) > :not(summary)")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const style = getComputedStyle(el);
      if (r.right > width + 1 || r.left < -1)
        found.push(`${name(el)} reaches ${Math.round(r.left)}..${Math.round(r.right)}`);
      const scrolls = /auto|scroll/.test(style.overflowX);
      if (!scrolls && style.display !== "inline" && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
        found.push(`${name(el)} ${el.scrollWidth}>${el.clientWidth} wide`);
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim());
      if (care && ownText && Number.parseFloat(style.fontSize) < 18 - 0.01)
        found.push(`${name(el)} text ${style.fontSize}`);
      if (care && el instanceof HTMLButtonElement && r.height < 60 - 0.5) found.push(`${name(el)} ${r.height} px tall`);
    }
    return found;
  }, care);
}
