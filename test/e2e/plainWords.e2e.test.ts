// Every resident page (and the first screen), in Chinese and English: none of the words on the
// forbidden list (forbiddenWords.ts) is visible — no 0x addresses, 签名, 账本, error names… The
// auditor's ledger and the issuing desk are not resident pages and are not checked.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { PAGES, settle, visibleText } from "./layoutChecks.js";

const system = inject("system");
const NOT_RESIDENT = new Set(["/ledger", "/desk"]);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("words a resident understands", () => {
  for (const lang of ["zh", "en"] as const)
    it(`${lang}: no forbidden word on any resident page`, async () => {
      const found: string[] = [];
      for (const { account, paths } of PAGES) {
        const resident = paths.filter((p) => !NOT_RESIDENT.has(p));
        if (resident.length === 0) continue;
        const context = await browser.newContext({
          viewport: { width: 390, height: 844 },
          locale: lang === "en" ? "en-GB" : "zh-CN",
        });
        await context.addInitScript(
          ({ demo, settings }) => {
            localStorage.setItem("hcy.settings.v1", settings);
            if (demo !== null) localStorage.setItem("hcy.demo.v1", demo);
          },
          { demo: account === null ? null : String(account), settings: JSON.stringify({ lang, largeText: true }) },
        );
        const page = await context.newPage();
        await page.goto(`${system.webUrl}/#/`);
        for (const path of resident) {
          await page.evaluate((hash) => {
            location.hash = hash;
          }, `#${path}`);
          await settle(page);
          for (const word of forbiddenIn(await visibleText(page), lang))
            found.push(`${account ?? "new"} ${path}: ${word}`);
        }
        await context.close();
      }
      expect(found).toEqual([]);
    });
});
