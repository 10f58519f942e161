// Receipt latency benchmark: from the block that holds a payment to the row on the merchant's
// page, in Chromium, for 20 payments. A local system of its own (chain, service and dApp, ports apart from
// `npm start` and the browser tests); automine is off so the clock starts right before the block
// is mined, and an in-page MutationObserver stamps the moment the row appears (same machine
// clock). Target: median < 500 ms.
// `benchReceipts()` feeds `npm run bench`; run alone with `npx tsx scripts/bench/receipts.ts`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { launchBrowser } from "../../test/e2e/browser.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../lib/demo-accounts.js";
import { freePort } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { checkTarget, quickNote, sized } from "./mode.js";

export interface ReceiptLatencyFigures {
  payments: number;
  medianMs: number;
  worstMs: number;
  samplesMs: number[];
  /** How the page received them: "websocket" or "polling". */
  mode: string;
  targetMs: number;
}

export async function benchReceipts(
  options: { payments?: number; chainPort?: number; webPort?: number; log?: (line: string) => void } = {},
): Promise<ReceiptLatencyFigures> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const count = options.payments ?? 20;
  const system = await startSystem({
    // No indexer: this benchmark reads the chain (the `indexer` benchmark measures the indexer).
    indexer: false,
    chainPort: options.chainPort ?? (await freePort()),
    webPort: options.webPort ?? (await freePort()),
    // The merchant's page needs no bundler.
    bundler: false,
    // The demo seed goes through the city service, so it runs too (on a port and in a directory of its own).
    servicePort: await freePort(),
    dataDir: mkdtempSync(path.join(tmpdir(), "hcy-bench-service-")),
    quiet: true,
    log: (line) => log(`[system] ${line}`),
  });
  const browser = await launchBrowser();
  try {
    const chain = { ...hardhat, rpcUrls: { default: { http: [system.rpcUrl] } } };
    const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
    const rpc = (method: string, params: unknown[]) => publicClient.request({ method, params } as never);
    const shop = MERCHANTS[0];
    const payer = createWalletClient({
      account: localAccount(RESIDENTS[1].index),
      chain,
      transport: http(system.rpcUrl),
    });

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript((demo) => {
      localStorage.setItem("hcy.demo.v1", demo);
      localStorage.setItem("hcy.merchant.announce.v1", JSON.stringify({ speak: false, beep: false }));
    }, String(shop.index));
    const page = await context.newPage();
    await page.goto(`${system.webUrl}/#/merchant`);
    await page
      .locator('.live-mode[data-mode="websocket"], .live-mode[data-mode="polling"]')
      .waitFor({ timeout: 60_000 });
    await page.locator("tr.receipt-row").first().waitFor({ timeout: 60_000 });
    const mode = (await page.locator(".live-mode").getAttribute("data-mode")) ?? "unknown";
    // A string, not a function: tsx (esbuild keepNames) would wrap a named function in a helper
    // the page does not have.
    await page.evaluate(`(() => {
      window.__receiptSeen = {};
      const stamp = () => {
        for (const row of document.querySelectorAll("tr.receipt-row")) {
          const ref = row.dataset.orderRef;
          if (ref && !(ref in window.__receiptSeen)) window.__receiptSeen[ref] = Date.now();
        }
      };
      stamp();
      new MutationObserver(stamp).observe(document.body, { childList: true, subtree: true });
    })()`);

    await rpc("evm_setAutomine", [false]);
    const samples: number[] = [];
    try {
      for (let n = 0; n < count; n++) {
        const order = `BENCH-RCPT-${n}`;
        await payer.writeContract({
          address: system.deployment.contracts.CityYuan,
          abi: cityYuanAbi,
          functionName: "pay",
          args: [localAccount(shop.index).address, BigInt(100 + n), toOrderRef(order)],
          gas: 150_000n,
        });
        const minedAt = Date.now();
        await rpc("evm_mine", []);
        await page.locator(`tr.receipt-row[data-order-ref="${order}"]`).waitFor({ timeout: 30_000 });
        const seenAt = (await page.evaluate(`window.__receiptSeen[${JSON.stringify(order)}] ?? 0`)) as number;
        samples.push(seenAt - minedAt);
        log(`payment ${n + 1}: ${seenAt - minedAt} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    const median =
      sorted.length % 2 ? sorted[Math.floor(middle)] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
    return {
      payments: count,
      medianMs: median,
      worstMs: sorted[sorted.length - 1],
      samplesMs: samples,
      mode,
      targetMs: 500,
    };
  } finally {
    await browser.close();
    await system.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchReceipts({ payments: sized(20, 3) });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n${quickNote()}`);
  process.stdout.write(
    `receipt latency over ${figures.payments} payments (${figures.mode}): median ${figures.medianMs} ms, ` +
      `worst ${figures.worstMs} ms (target median < ${figures.targetMs} ms)\n`,
  );
  checkTarget(
    figures.medianMs < figures.targetMs,
    `receipt latency median ${figures.medianMs} ms < ${figures.targetMs} ms`,
  );
}
