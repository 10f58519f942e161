// A resident's first payment when someone else created her account first (issue 21). Her account's
// address comes from the factory and her passkey's public key, so anyone who knows that key can call
// the factory with it: the account is hers all the same (the factory's salt is her key), but a first
// operation signed with the factory call in it is refused by the bundler (AA10). In Chromium with a
// virtual authenticator and the real Alto bundler: (1) her account is created by a stranger between
// her passkey being made and her first payment: the payment is built without the factory call, one
// fingerprint, nothing alarming on screen; (2) it is created while she confirms (the test holds her
// signed operation on its way to the bundler and calls the factory first): the dApp rebuilds the
// operation and asks once more in plain words (zh and en, normal and 关怀模式, 320 and 390 px); she
// pays once, never twice.
import type { Browser, BrowserContext, CDPSession, Page, Route } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http, keccak256, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityAccountFactoryAbi, cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { launchBrowser, localChain, screenshot, virtualAuthenticator } from "./browser.js";
import { forbiddenIn } from "./forbiddenWords.js";
import { layoutProblems, visibleText } from "./layoutChecks.js";
import { reservesFor } from "./reserves.js";
import { verifyResident } from "./verifyResident.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const client = createPublicClient({ chain, transport: http(system.rpcUrl) });
const shop = localAccount(MERCHANTS[0]?.index ?? 12).address;
// Passkeys need a host name: the dApp is opened on localhost, never on 127.0.0.1.
const webUrl = system.webUrl.replace("127.0.0.1", "localhost");
const bundlerPort = new URL(system.bundlerUrl ?? "http://127.0.0.1:4337").port;
/** Anyone: a local account that holds no role in the city. */
const stranger = createWalletClient({ account: localAccount(17), chain, transport: http(system.rpcUrl) });
const TOP_UP = 100_00n;
const PRICE = 12_50n;

const WORDS = {
  zh: {
    start: "用指纹或面容开始",
    review: "核对付款",
    confirm: "确认付款",
    paid: "已付款",
    askAgain: "你的账户刚刚开通好了，钱还没有付出。请再按一次指纹或面容，就能完成。",
    signIn: "用钱包登录城市服务",
    signOut: "退出登录",
  },
  en: {
    start: "Use fingerprint or face",
    review: "Review payment",
    confirm: "Confirm payment",
    paid: "Paid",
    askAgain:
      "Your account has just been set up, and no money has left it yet. Please use your fingerprint or face once more to finish.",
    signIn: "Sign in to the city service with my wallet",
    signOut: "Sign out",
  },
} as const;
type Lang = keyof typeof WORDS;

type Resident = {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  me: Address;
  x: Hex;
  y: Hex;
  lang: Lang;
  care: boolean;
};

let browser: Browser;
const contexts: BrowserContext[] = [];
/**
 * Who verifies each new resident, in order (the simulated bank's customers): the city sponsors 3
 * account creations per person, and four of these residents' first operations create an account.
 */
const PEOPLE = ["C0011", "C0011", "C0011", "C0010", "C0010"];
let residentsMade = 0;

const balanceOf = (account: Address) =>
  client.readContract({
    address: system.contracts.CityYuan,
    abi: cityYuanAbi,
    functionName: "balanceOf",
    args: [account],
  });

/** A new passkey account on a device of its own, topped up by the city; not on the chain yet. */
async function newResident(lang: Lang, care: boolean): Promise<Resident> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: lang === "en" ? "en-GB" : "zh-CN",
  });
  contexts.push(context);
  await context.addInitScript(
    (settings) => {
      if (!localStorage.getItem("hcy.settings.v1")) localStorage.setItem("hcy.settings.v1", settings);
    },
    JSON.stringify({ lang, largeText: care }),
  );
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const authenticatorId = await virtualAuthenticator(cdp);
  await page.goto(webUrl);
  await page.getByRole("button", { name: WORDS[lang].start }).click();
  await page.getByTestId("balance").getByText("¥").waitFor({ timeout: 30_000 });
  const stored = JSON.parse((await page.evaluate(() => localStorage.getItem("hcy.passkey.v1"))) ?? "null") as {
    address: Address;
    x: Hex;
    y: Hex;
  };
  expect(await client.getCode({ address: stored.address })).toBeUndefined();
  // The city sponsors the gas only for a signed-in resident's own account (one fingerprint, here,
  // before the payment's fingerprints are counted)…
  await page.goto(`${webUrl}/#/settings`);
  await page.getByRole("button", { name: WORDS[lang].signIn }).click();
  await page.getByRole("button", { name: WORDS[lang].signOut, exact: true }).waitFor({ timeout: 30_000 });
  // …and only for an account a verified person owns: she binds her bank card (实名认证).
  const person = PEOPLE[residentsMade++];
  if (person === undefined) throw new Error("more residents than people to verify them");
  await verifyResident(page, system.serviceUrl, person);
  const issuer = createWalletClient({
    account: localAccount(ROLE_HOLDERS.issuer.index),
    chain,
    transport: http(system.rpcUrl),
  });
  await reservesFor(system, TOP_UP);
  await client.waitForTransactionReceipt({
    hash: await issuer.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "issue",
      args: [stored.address, TOP_UP, keccak256(stringToHex(`account-opened-e2e-${stored.address}`))],
    }),
  });
  return { context, page, cdp, authenticatorId, me: stored.address, x: stored.x, y: stored.y, lang, care };
}

/** Someone else calls the factory with her passkey's public key: her account exists from now on. */
async function strangerCreatesAccountOf(resident: Resident): Promise<void> {
  await client.waitForTransactionReceipt({
    hash: await stranger.writeContract({
      address: system.contracts.CityAccountFactory,
      abi: cityAccountFactoryAbi,
      functionName: "createAccount",
      args: [resident.x, resident.y],
    }),
  });
  expect(await client.getCode({ address: resident.me })).toBeTruthy();
}

/** Opens a shop's payment link and confirms it (the outcome is awaited by the caller). */
async function startPayment(resident: Resident, ref: string): Promise<void> {
  const { page, lang } = resident;
  const link = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${shop}&uint256=${PRICE}&ref=${ref}`;
  await page.goto("about:blank");
  await page.goto(`${webUrl}/#/pay?request=${encodeURIComponent(link)}`);
  await page.getByRole("button", { name: WORDS[lang].review }).click();
  await page.getByRole("button", { name: WORDS[lang].confirm }).click();
}

/** Uses of the device's passkey so far (its creation counts too): one more per fingerprint asked. */
async function fingerprintsAsked(resident: Resident): Promise<number> {
  const { credentials } = await resident.cdp.send("WebAuthn.getCredentials", {
    authenticatorId: resident.authenticatorId,
  });
  return credentials.reduce((sum, c) => sum + c.signCount, 0);
}

/** The JSON-RPC call a request to the bundler carries. */
function bundlerCall(route: Route): { method?: string; params?: [{ factory?: string | null }] } {
  return (route.request().postDataJSON() ?? {}) as { method?: string; params?: [{ factory?: string | null }] };
}

async function expectPaidOnce(resident: Resident, shopBefore: bigint): Promise<void> {
  await resident.page.getByText(WORDS[resident.lang].paid, { exact: true }).waitFor({ timeout: 60_000 });
  expect(await balanceOf(resident.me)).toBe(TOP_UP - PRICE);
  expect(await balanceOf(shop)).toBe(shopBefore + PRICE);
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

describe("a first payment from an account someone else created", () => {
  it("created before she pays: the payment goes without the factory call, one fingerprint, nothing alarming", async () => {
    const resident = await newResident("zh", false);
    await strangerCreatesAccountOf(resident);
    const shopBefore = await balanceOf(shop);
    const asked = await fingerprintsAsked(resident);
    await startPayment(resident, `OPENED-BEFORE-${Date.now()}`);
    await expectPaidOnce(resident, shopBefore);
    expect(await fingerprintsAsked(resident)).toBe(asked + 1);
    expect(await resident.page.locator(".tx-status .error").count()).toBe(0);
    expect(await visibleText(resident.page)).not.toContain(WORDS.zh.askAgain);
    await screenshot(resident.page, "account-opened-before-paid");
  });

  it("created while she confirms: asked once more in plain words, paid once (zh/en, normal/关怀模式, 320/390 px)", async () => {
    const problems: string[] = [];
    for (const lang of ["zh", "en"] as const)
      for (const care of [false, true]) {
        const resident = await newResident(lang, care);
        const { page } = resident;
        let firstSend = true;
        let releaseSecond: () => void = () => undefined;
        const secondHeld = new Promise<void>((resolve) => {
          releaseSecond = resolve;
        });
        // Her signed first operation (with the factory call) is on its way to the bundler: the
        // stranger creates the account just before it arrives. The rebuilt one waits until the
        // screen asking again has been looked at.
        await page.route(
          (url) => url.port === bundlerPort,
          async (route) => {
            const call = bundlerCall(route);
            if (call.method === "eth_sendUserOperation") {
              if (firstSend) {
                firstSend = false;
                expect(call.params?.[0].factory, "her first operation creates the account").toBeTruthy();
                await strangerCreatesAccountOf(resident);
              } else {
                expect(call.params?.[0].factory ?? null, "the rebuilt operation does not").toBeNull();
                await secondHeld;
              }
            }
            await route.continue();
          },
        );
        const shopBefore = await balanceOf(shop);
        const asked = await fingerprintsAsked(resident);
        await startPayment(resident, `OPENED-${lang}-${care ? 1 : 0}-${Date.now()}`);
        await page.getByText(WORDS[lang].askAgain).waitFor({ timeout: 60_000 });
        expect(await balanceOf(resident.me)).toBe(TOP_UP);
        for (const width of [390, 320]) {
          await page.setViewportSize({ width, height: 844 });
          const name = `account-opened-ask-again-${width}-${care ? "care" : "normal"}-${lang}`;
          await screenshot(page, name);
          for (const p of await layoutProblems(page, care)) problems.push(`${name}: ${p.kind}: ${p.what}`);
          for (const word of forbiddenIn(await visibleText(page), lang)) problems.push(`${name}: ${word}`);
        }
        expect(await page.locator(".tx-status .error").count()).toBe(0);
        releaseSecond();
        await expectPaidOnce(resident, shopBefore);
        expect(await fingerprintsAsked(resident)).toBe(asked + 2);
        await screenshot(page, `account-opened-meanwhile-paid-${care ? "care" : "normal"}-${lang}`);
      }
    expect(problems).toEqual([]);
  });
});
