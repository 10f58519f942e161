// Launches Debian's Chromium through playwright-core (Playwright cannot download browsers here)
// and keeps screenshots of the pages under test-results/screenshots.
import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = process.env.HCY_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = path.resolve(import.meta.dirname, "..", "..", "test-results", "screenshots");

/** Headless, no sandbox (CI containers), and nothing that reaches out to the network on its own. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** The whole page by default; `{ fullPage: false }` for what the screen shows now. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * A platform authenticator on the page (the DevTools protocol's WebAuthn domain) that makes passkeys
 * and confirms every fingerprint at once (user verification on); returns its id.
 */
export async function virtualAuthenticator(session: CDPSession): Promise<string> {
  await session.send("WebAuthn.enable");
  const { authenticatorId } = await session.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return authenticatorId;
}

/** The local chain as viem wants it, for tests that read or write the ledger directly. */
export function localChain(rpcUrl: string) {
  return {
    id: 31337,
    name: "local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  } as const;
}

/** axe-core on the page as it is now: no serious or critical violation, each named if found. */
export async function expectNoSeriousA11yViolations(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page: page as never }).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    name,
  ).toEqual([]);
}

export interface DemoVisit {
  lang?: "zh" | "en";
  largeText?: boolean;
  /** More localStorage entries the page should find (contacts, merchant announcement, …). */
  storage?: Record<string, string>;
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Runs on the new context before the page opens (e.g. to route its chain connections). */
  beforeOpen?: (context: BrowserContext) => Promise<void>;
}

/**
 * A fresh browser context acting as one of the local chain's demo accounts (the dApp's demo
 * picker stores the choice in localStorage), opened at `hash`. Settings are seeded only when the
 * page has none yet, so what a test changes survives its own reloads.
 */
export async function openAsDemo(
  browser: Browser,
  webUrl: string,
  index: number,
  hash: string,
  visit: DemoVisit = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: visit.viewport ?? { width: 390, height: 844 },
    locale: visit.lang === "en" ? "en-GB" : "zh-CN",
    acceptDownloads: visit.acceptDownloads ?? false,
  });
  await context.addInitScript(
    ({ demo, settings, storage }) => {
      if (!localStorage.getItem("hcy.settings.v1")) localStorage.setItem("hcy.settings.v1", settings);
      localStorage.setItem("hcy.demo.v1", demo);
      for (const [key, value] of Object.entries(storage)) localStorage.setItem(key, value);
    },
    {
      demo: String(index),
      settings: JSON.stringify({ lang: visit.lang ?? "zh", largeText: visit.largeText ?? false }),
      storage: visit.storage ?? {},
    },
  );
  await visit.beforeOpen?.(context);
  const page = await context.newPage();
  await page.goto(`${webUrl}/${hash}`);
  return { context, page };
}
