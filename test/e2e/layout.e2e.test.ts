// Every page at phone widths (320 and 390 px), in normal and 关怀模式, in Chinese and English:
// no horizontal scrolling, no text overflowing its box, nothing hidden under something else, in
// 关怀模式 text ≥ 18 px and tap targets ≥ 60 × 60 px, and on every resident page none of the words
// on the forbidden list (forbiddenWords.ts: no 0x addresses, 签名, 账本, error names…). The
// auditor's ledger and the issuing desk are not resident pages and are not word-checked.
// Screenshots of each go to test-results/screenshots/layout-*.png for a person to look at.
// The four combinations run two at a time (each in its own browser context): the walk is most of
// the browser tests' time and the page rendering uses both cores.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, PAGES, settle, visibleText } from "./layoutChecks.js";

const system = inject("system");

const WIDTHS = [320, 390];
const LANGS = ["zh", "en"] as const;
const MODES = [false, true];
// The API reference is for a shop's developer (paths, JSON fields), as the ledger is for auditors.
const NOT_RESIDENT = new Set(["/ledger", "/desk", "/merchant/api/reference"]);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function walk(lang: "zh" | "en", care: boolean): Promise<string[]> {
  const found: string[] = [];
  for (const { account, paths } of PAGES) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: lang === "en" ? "en-GB" : "zh-CN",
    });
    await context.addInitScript(
      ({ demo, settings }) => {
        localStorage.setItem("hcy.settings.v1", settings);
        if (demo !== null) localStorage.setItem("hcy.demo.v1", demo);
      },
      { demo: account === null ? null : String(account), settings: JSON.stringify({ lang, largeText: care }) },
    );
    const page = await context.newPage();
    await page.goto(`${system.webUrl}/#/`);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 844 });
      for (const path of paths) {
        await page.evaluate((hash) => {
          location.hash = hash;
        }, `#${path}`);
        await settle(page);
        const shown = path.split("?")[0]?.replaceAll("/", "-") ?? "";
        const name = `layout-${account ?? "new"}${shown}${path.includes("lost=1") ? "-lost" : ""}-${width}-${care ? "care" : "normal"}-${lang}`;
        await screenshot(page, name);
        for (const p of await layoutProblems(page, care)) found.push(`${name}: ${p.kind}: ${p.what}`);
        if (!NOT_RESIDENT.has(path.split("?")[0] ?? path))
          for (const word of forbiddenIn(await visibleText(page), lang)) found.push(`${name}: forbidden word ${word}`);
      }
    }
    await context.close();
  }
  return found;
}

describe.concurrent("layout and words on phones", () => {
  for (const lang of LANGS)
    for (const care of MODES)
      it(`${lang} ${care ? "关怀模式" : "normal"}: every page fits at 320 and 390 px and speaks plainly`, {
        timeout: 600_000,
      }, async () => {
        expect(await walk(lang, care)).toEqual([]);
      });
});
