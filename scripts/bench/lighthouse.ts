// Lighthouse accessibility benchmark: the accessibility score of each main page of the dApp, in
// normal and large-text mode (zh, plus English for home), measured by the npm `lighthouse` package
// driving Debian's Chromium against a local system of its own. Target: every page >= 95.
// Chromium runs with a persistent profile so the demo account and the display settings, kept in
// localStorage, are there when Lighthouse loads the page (disableStorageReset). Before each
// measurement Playwright opens the same page in that profile and checks that the intended page
// rendered for the intended account (not the wallet welcome screen).
// `benchLighthouse()` feeds `npm run bench`; run alone with `npx tsx scripts/bench/lighthouse.ts`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../test/e2e/browser.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../lib/demo-accounts.js";
import { freePort, httpOk, waitFor } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { checkTarget, QUICK, quickNote } from "./mode.js";

export const TARGET_SCORE = 95;

type Lang = "zh" | "en";

interface Measurement {
  route: string;
  lang: Lang;
  largeText: boolean;
  /** Mnemonic index of the demo account the page is opened as. */
  account: number;
}

export interface LighthouseRow {
  page: string;
  mode: string;
  score: number;
  /** Accessibility audits that did not pass (empty at 100). */
  failing: string[];
  finalUrl: string;
}

const RESIDENT = RESIDENTS[0].index; // 王阿姨, #6
const MERCHANT = MERCHANTS[0].index; // 老王牛肉面, #12

const RESIDENT_ROUTES = ["/", "/pay", "/receive", "/transfer", "/history", "/redpackets", "/vouchers", "/settings"];

/**
 * Every main page in both languages and both modes (the merchant's as the shop); a quick run
 * measures two page views, home in zh and the ledger in English large text.
 */
function plan(): Measurement[] {
  if (QUICK) {
    return [
      { route: "/", lang: "zh", largeText: false, account: RESIDENT },
      { route: "/ledger", lang: "en", largeText: true, account: RESIDENT },
    ];
  }
  const list: Measurement[] = [];
  for (const lang of ["zh", "en"] as const) {
    for (const largeText of [false, true]) {
      for (const route of RESIDENT_ROUTES) list.push({ route, lang, largeText, account: RESIDENT });
      list.push({ route: "/merchant", lang, largeText, account: MERCHANT });
      list.push({ route: "/ledger", lang, largeText, account: RESIDENT });
    }
  }
  return list;
}

const modeName = (m: Measurement) => `${m.lang}${m.largeText ? " large text" : " normal"}`;

async function launchDebuggableChromium(profile: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, "about:blank"],
    { stdio: "ignore" },
  );
  await waitFor("Chromium's debugging port", () => httpOk(`http://127.0.0.1:${port}/json/version`), {
    timeoutMs: 30_000,
  });
  return child;
}

/**
 * Stores the account and settings in the profile, then opens the page and checks it is the page
 * asked for: the header shows the expected account, the page heading is there, and <html> carries
 * the language and large-text class.
 */
async function prepare(browser: Browser, webUrl: string, m: Measurement): Promise<void> {
  const context = browser.contexts()[0];
  const page = await context.newPage();
  try {
    // Before any script of the app runs (an app already loaded would restore the previous demo
    // account and write it back).
    await page.addInitScript(
      ({ settings, demo }) => {
        localStorage.setItem("hcy.settings.v1", settings);
        localStorage.setItem("hcy.demo.v1", demo);
        // wagmi remembers the last connection; forget it so the demo account asked for is used.
        for (const key of Object.keys(localStorage)) if (key.startsWith("wagmi")) localStorage.removeItem(key);
        // A counter speaks and beeps by default; the headless browser has no voice.
        localStorage.setItem("hcy.merchant.announce.v1", JSON.stringify({ speak: false, beep: false }));
      },
      { settings: JSON.stringify({ lang: m.lang, largeText: m.largeText }), demo: String(m.account) },
    );
    await page.goto(`${webUrl}/#${m.route}`);
    await page.reload();
    const expected = localAccount(m.account).address;
    try {
      await page.locator(`.header-account [title="${expected}"]`).waitFor({ timeout: 30_000 });
      await page.locator("main h1").first().waitFor({ timeout: 30_000 });
    } catch (error) {
      const shown = ((await page.locator("body").textContent()) ?? "").replace(/\s+/g, " ").slice(0, 300);
      throw new Error(
        `${m.route} (${modeName(m)}) did not show the page as account #${m.account}; it shows: ${shown}`,
        {
          cause: error,
        },
      );
    }
    const html = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      large: document.documentElement.classList.contains("large-text"),
      hash: location.hash,
    }));
    const wantLang = m.lang === "zh" ? "zh-CN" : "en";
    if (html.lang !== wantLang || html.large !== m.largeText || html.hash !== `#${m.route}`) {
      throw new Error(`${m.route} (${modeName(m)}) did not open as asked: ${JSON.stringify(html)}`);
    }
  } finally {
    await page.close();
  }
}

async function measure(port: number, url: string): Promise<{ score: number; failing: string[]; finalUrl: string }> {
  const result = await lighthouse(url, {
    port,
    onlyCategories: ["accessibility"],
    disableStorageReset: true,
    output: "json",
    logLevel: "error",
    formFactor: "mobile",
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const category = lhr.categories.accessibility;
  if (category?.score == null) throw new Error(`Lighthouse gave no accessibility score for ${url}`);
  const failing = category.auditRefs
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < 1)
    .map((audit) => audit.id);
  return { score: Math.round(category.score * 100), failing, finalUrl: lhr.finalDisplayedUrl };
}

export async function benchLighthouse(options: { log?: (line: string) => void } = {}): Promise<LighthouseRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hcy-lighthouse-data-"));
  const profile = mkdtempSync(path.join(os.tmpdir(), "hcy-lighthouse-profile-"));
  const system = await startSystem({
    // No indexer: this benchmark reads the chain (the `indexer` benchmark measures the indexer).
    indexer: false,
    chainPort: await freePort(),
    servicePort: await freePort(),
    webPort: await freePort(),
    bundlerPort: await freePort(),
    dataDir,
    quiet: true,
    log: (line) => log(`[system] ${line}`),
  });
  let chrome: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const debugPort = await freePort();
    chrome = await launchDebuggableChromium(profile, debugPort);
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`);
    const rows: LighthouseRow[] = [];
    for (const m of plan()) {
      await prepare(browser, system.webUrl, m);
      const url = `${system.webUrl}/#${m.route}`;
      const { score, failing, finalUrl } = await measure(debugPort, url);
      if (finalUrl !== url) throw new Error(`Lighthouse ended on ${finalUrl}, not ${url}`);
      const row = { page: `#${m.route}`, mode: modeName(m), score, failing, finalUrl };
      log(`  ${row.page} ${row.mode}: ${score}${failing.length ? ` (${failing.join(", ")})` : ""}`);
      rows.push(row);
    }
    return rows;
  } finally {
    await browser?.close().catch(() => undefined);
    chrome?.kill();
    await system.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function lighthouseTable(rows: LighthouseRow[]): string {
  const lines = [
    "| page | mode | accessibility | failing audits |",
    "| --- | --- | ---: | --- |",
    ...rows.map((r) => `| ${r.page} | ${r.mode} | ${r.score} | ${r.failing.join(", ") || "–"} |`),
  ];
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchLighthouse();
  process.stdout.write(lighthouseTable(rows) + quickNote());
  const below = rows.filter((r) => r.score < TARGET_SCORE);
  const lowest = Math.min(...rows.map((r) => r.score));
  checkTarget(
    below.length === 0,
    `lowest Lighthouse accessibility score ${lowest} over ${rows.length} page views >= ${TARGET_SCORE}` +
      (below.length === 0 ? "" : ` (below on ${below.map((r) => `${r.page} ${r.mode}`).join(", ")})`),
  );
}
