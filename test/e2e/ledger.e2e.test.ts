// The public ledger and the audit, against the whole local system: the page works without a
// wallet and its audit passes on the seeded ledger, as does `npm run audit`; then a balance is
// changed behind the ledger's back (hardhat_setStorageAt on CityYuan's account word, between an
// evm_snapshot and an evm_revert so later test files see the honest chain) and both the page and
// the command report that account's balance as the first mismatch.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { coverageRatio } from "../../core/audit/describe.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { expectNoSeriousA11yViolations, launchBrowser, localChain, screenshot } from "./browser.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
const rpc = (method: string, params: unknown[]) => client.request({ method, params } as never) as Promise<unknown>;
const FROZEN_FLAG = 1n << 255n;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function audit(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      // English unless a test names a language or a locale (the command follows the terminal's).
      [
        "scripts/audit.ts",
        "--rpc",
        system.rpcUrl,
        ...(args.includes("--lang") || env.LANG ? [] : ["--lang", "en"]),
        ...args,
      ],
      { cwd: ROOT, env: { ...process.env, HCY_AUDITOR_KEY: undefined, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The storage slot of `account`'s word in CityYuan's `_accounts` mapping, found by probing. */
async function accountSlot(account: Address): Promise<Hex> {
  const balance = await client.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [account],
  });
  expect(balance).toBeGreaterThan(0n);
  for (let index = 0n; index < 64n; index++) {
    const slot = keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [account, index]));
    const word = await client.getStorageAt({ address: system.contracts.CityYuan, slot });
    if (word && (BigInt(word) & ~FROZEN_FLAG) === balance) return slot;
  }
  throw new Error("no storage slot holds the balance");
}

// The full replay: a balance changed without an event shows only there (a check continued from a
// signed checkpoint reads the accounts new events moved; see auditCheckpoint.e2e.test.ts).
async function runPageAudit(page: Page): Promise<{ result: string; text: string }> {
  await page.getByRole("button", { name: "完整重放" }).click();
  const outcome = page.locator(".audit-result");
  await outcome.waitFor({ timeout: 60_000 });
  return { result: (await outcome.getAttribute("data-result")) ?? "", text: await outcome.innerText() };
}

describe("the public ledger and its audit", () => {
  it("shows supply, flows, reserves and movements without a wallet, and the audit passes", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${system.webUrl}/#/ledger`);
    await page.getByRole("heading", { name: "公开账本" }).waitFor({ timeout: 30_000 });
    await page.locator(".total-supply .money").waitFor({ timeout: 30_000 });
    await page.locator("table.flows tr[data-days='30']").waitFor({ timeout: 30_000 });
    await page.locator("table.reserves tbody tr").first().waitFor();
    // The 时间 column says when each attestation was made (a date and time), never a block number.
    const attestedAt = await page.locator("table.reserves tbody tr td:first-child").allInnerTexts();
    expect(attestedAt.length).toBeGreaterThan(0);
    for (const when of attestedAt) expect(when).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日.*\d{1,2}:\d{2}/);
    // The movements come page by page from the indexer when it is in use: wait for them.
    await expect.poll(() => page.locator("table.movements tbody tr").count(), { timeout: 30_000 }).toBeGreaterThan(10);
    // Coverage now is the token's own figure (the latest attestation less redemptions since)
    // against the supply, not the attested figure as if no one had cashed out since.
    const token = { address: system.contracts.CityYuan, abi: cityYuanAbi } as const;
    const [reservesNow, supplyNow] = await Promise.all([
      client.readContract({ ...token, functionName: "latestReserves" }),
      client.readContract({ ...token, functionName: "totalSupply" }),
    ]);
    await page.getByText(`对当前流通量的覆盖率：${coverageRatio(reservesNow, supplyNow)}`).waitFor();

    // Filters: only redemptions leaves exactly the ledger's cash-outs (other test files may add some
    // to the shared system, so count them on chain).
    const redemptions = await client.getContractEvents({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      eventName: "Redeemed",
      fromBlock: 0n,
    });
    expect(redemptions.length).toBeGreaterThan(0);
    await page.getByLabel("类型").selectOption("redeem");
    // (From the indexer the filtered page arrives a moment later: until then the list is another.)
    const kinds = () =>
      page
        .locator("table.movements tbody tr")
        .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind).join(","));
    await expect.poll(kinds, { timeout: 30_000 }).toBe(redemptions.map(() => "redeem").join(","));
    await page.getByLabel("类型").selectOption("");

    const { result, text } = await runPageAudit(page);
    expect(result, text).toBe("pass");
    await screenshot(page, "ledger-audit-pass");
    await expectNoSeriousA11yViolations(page, "ledger");
    await context.close();
  });

  it("`npm run audit` passes on the seeded ledger", async () => {
    const { code, stdout, stderr } = await audit();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/^PASS: all \d+ items match/m);
    expect(stderr).toContain("reading events");
    // The seeded month has a mistaken transfer into the red-packet escrow, rescued by the admin.
    expect(stdout).toContain("excess rescued by the admin ¥12.00");
    expect(stdout).toMatch(
      /Reserve coverage: reserves now ¥[\d,.]+ \(latest attestation less redemptions since\) ÷ supply ¥[\d,.]+ = \d+\.\d{2}%/,
    );
  });

  it("`npm run audit` speaks Chinese with --lang zh or a Chinese locale, and refuses a bad argument in words", async () => {
    const zh = await audit(["--lang", "zh"]);
    expect(zh.code, `${zh.stdout}\n${zh.stderr}`).toBe(0);
    expect(zh.stdout).toMatch(/^通过：全部 \d+ 项一致（\d+ 个事件，\d+ 个账户，区块 \d+–\d+，[\d.]+ 秒）$/m);
    expect(zh.stdout).toContain("账户余额：");
    expect(zh.stderr).toContain("读取事件");
    const byLocale = await audit([], { LANG: "zh_CN.UTF-8", LC_ALL: "", LC_MESSAGES: "" });
    expect(byLocale.code).toBe(0);
    expect(byLocale.stdout).toMatch(/^通过：全部 \d+ 项一致/m);
    const bad = await audit(["--lang", "zh", "--block", "十"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("无法核对：--block 必须是区块号");
    expect(bad.stderr).toContain("用法：npm run audit");
  });

  it("signs a checkpoint, continues from it with only what is new, and refuses it after a reorg", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hcy-audit-"));
    const key = generatePrivateKey();
    const auditor = privateKeyToAccount(key).address;
    const signing = { HCY_AUDITOR_KEY: key };
    const where = ["--checkpoints", dir];
    const payer = createWalletClient({
      account: localAccount(RESIDENTS[3].index),
      chain,
      transport: http(system.rpcUrl),
    });
    const send = async (fen: bigint) =>
      client.waitForTransactionReceipt({
        hash: await payer.writeContract({
          address: system.contracts.CityYuan,
          abi: cityYuanAbi,
          functionName: "transfer",
          args: [localAccount(RESIDENTS[0].index).address, fen],
        }),
      });

    const first = await audit(where, signing);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    const signedAt = first.stdout.match(/signed a checkpoint at block (\d+) as (0x[0-9a-fA-F]{40})/);
    expect(signedAt?.[2]).toBe(auditor);
    const total = Number(first.stdout.match(/\((\d+) events, (\d+) accounts/)?.[2]);

    // One transfer later: only what is new is read (two accounts moved), and it passes.
    await send(1n);
    const second = await audit(where, signing);
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(second.stdout).toContain(`continued from the checkpoint at block ${signedAt?.[1]} signed by ${auditor}`);
    const moved = second.stdout.match(/: (\d+) new events, (\d+) accounts moved since/);
    expect(Number(moved?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(moved?.[2])).toBeGreaterThanOrEqual(2);
    expect(Number(moved?.[2])).toBeLessThan(total);
    expect(second.stdout).toMatch(/^PASS: all \d+ items match/m);

    // An audit that trusts another auditor refuses this checkpoint, in words, and audits nothing from it.
    const stranger = privateKeyToAccount(generatePrivateKey()).address;
    const untrusted = await audit([...where, "--auditor", stranger]);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toContain(
      `Signed checkpoint refused: it was signed by ${auditor}, not by the trusted auditor ${stranger}. Nothing was audited from it`,
    );
    // The same refusal in Chinese, where the terminal speaks it.
    const untrustedZh = await audit([...where, "--auditor", stranger, "--lang", "zh"]);
    expect(untrustedZh.code).toBe(2);
    expect(untrustedZh.stderr).toContain(
      `无法核对：签名检查点被拒绝：签名者是 ${auditor}，不是信任的审计方 ${stranger}`,
    );
    expect(untrustedZh.stderr).toContain("--full");

    // A checkpoint of a block the chain then lost (a reorg) is refused; a full replay still passes.
    const snapshot = (await rpc("evm_snapshot", [])) as Hex;
    try {
      await send(2n);
      expect((await audit(where, signing)).code).toBe(0);
      await rpc("evm_revert", [snapshot]);
      await send(3n);
      await rpc("evm_mine", []);
      const reorged = await audit(where, signing);
      expect(reorged.code, reorged.stdout).toBe(2);
      expect(reorged.stderr).toMatch(
        /Signed checkpoint refused: the chain's block \d+ is 0x[0-9a-f]{64}, but the checkpoint saw/,
      );
      expect(reorged.stderr).toContain("--full");
      const full = await audit([...where, "--full"], signing);
      expect(full.code, full.stdout).toBe(0);
      expect(full.stdout).not.toContain("continued from the checkpoint");
    } finally {
      await rpc("evm_revert", [snapshot]).catch(() => {});
    }
  });

  it("reports a balance changed without an event, on the page and from the command", async () => {
    const victim = localAccount(RESIDENTS[2].index).address;
    const slot = await accountSlot(victim);
    const snapshot = (await rpc("evm_snapshot", [])) as Hex;
    try {
      const word = BigInt((await client.getStorageAt({ address: system.contracts.CityYuan, slot })) ?? "0x0");
      await rpc("hardhat_setStorageAt", [system.contracts.CityYuan, slot, toHex(word + 1_000_000n, { size: 32 })]);
      await rpc("evm_mine", []);

      const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      await page.goto(`${system.webUrl}/#/ledger`);
      const { result, text } = await runPageAudit(page);
      expect(result).toBe("mismatch");
      expect(text.toLowerCase()).toContain(victim.toLowerCase());
      await screenshot(page, "ledger-audit-mismatch");
      await context.close();

      const { code, stdout } = await audit();
      expect(code).toBe(1);
      expect(stdout).toContain(`MISMATCH: balance of ${victim.toLowerCase()}`);
    } finally {
      await rpc("evm_revert", [snapshot]);
    }
    const { code } = await audit();
    expect(code).toBe(0);
  });
});
