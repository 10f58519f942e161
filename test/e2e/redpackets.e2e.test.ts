// Red packets, vouchers and history as residents use them, in Debian's Chromium against the whole
// local system: Auntie Wang sends a lucky-draw packet by link that Li Ming and Zhang Wei claim in
// their own browsers; the claim page shows who got what and the luckiest; she sends a packet to two
// named friends, one of whom claims it while a third resident is refused; a second claim, an
// expired packet and links for another chain or contract each get their message; she claims a
// voucher, pays with it, and finds the payment, the red packet and the voucher checkout in her
// history, exported as CSV. The same pages in English and large-text mode, checked with axe-core.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cityYuanAbi, redPacketAbi, vouchersAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import {
  type DemoVisit,
  expectNoSeriousA11yViolations,
  launchBrowser,
  localChain,
  openAsDemo,
  screenshot,
} from "./browser.js";
import { officeCampaign } from "./voucherCampaign.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const [wang, li, zhang, chen] = RESIDENTS as [
  (typeof RESIDENTS)[0],
  (typeof RESIDENTS)[0],
  (typeof RESIDENTS)[0],
  (typeof RESIDENTS)[0],
];
const noodleShop = localAccount(MERCHANTS[0]?.index ?? 12).address;

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

/** A browser context acting as a demo resident (the dApp's local-chain demo picker). */
async function openAs(index: number, hash: string, prefs: DemoVisit = {}): Promise<Page> {
  const { context, page } = await openAsDemo(browser, system.webUrl, index, hash, { ...prefs, acceptDownloads: true });
  contexts.push(context);
  return page;
}

const wallet = (index: number) =>
  createWalletClient({ account: localAccount(index), chain, transport: http(system.rpcUrl) });

async function send(hash: Promise<Hex>): Promise<import("viem").TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** A link packet made outside the browser (by Chen Jing), with its one-time key. */
async function linkPacket(
  amount: bigint,
  shares: bigint,
  duration: bigint,
  mode: 0 | 1 = 0,
): Promise<{ id: bigint; key: Hex }> {
  const key = generatePrivateKey();
  const sender = wallet(chen.index);
  await send(
    sender.writeContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [system.contracts.RedPacket, amount],
    }),
  );
  const receipt = await send(
    sender.writeContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "create",
      args: [
        {
          amount,
          shares,
          mode,
          audience: 2,
          audienceKey: `0x${"0".repeat(24)}${privateKeyToAddress(key).slice(2)}` as Hex,
          duration,
          greeting: "过期测试",
        },
      ],
    }),
  );
  const [created] = parseEventLogs({ abi: redPacketAbi, logs: receipt.logs, eventName: "PacketCreated" });
  if (!created) throw new Error("no PacketCreated in the receipt");
  return { id: (created.args as { packetId: bigint }).packetId, key };
}

const claimHash = (id: bigint, key: Hex, chainId = 31337, contract: Address = system.contracts.RedPacket) =>
  `#/redpackets/claim/${chainId}/${contract}/${id}/${key}`;

describe("a lucky-draw red packet shared by link", () => {
  let link = "";

  it("is created in one transaction from the red-packet page and shared as a link", async () => {
    const page = await openAs(wang.index, "#/redpackets");
    await page.getByRole("heading", { name: "发红包" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("总金额（元）").fill("30");
    await page.getByLabel("红包个数").fill("3");
    await page.getByLabel("拼手气（金额随机）").check();
    await page.getByLabel("祝福语").fill("新年快乐");
    await page.getByRole("button", { name: "下一步：核对红包" }).click();
    await page.getByText("从余额扣 ¥30.00（仅此一笔）").waitFor({ timeout: 20_000 });
    await screenshot(page, "redpacket-review");
    const allowanceBefore = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "allowance",
      args: [localAccount(wang.index).address, system.contracts.RedPacket],
    });
    expect(allowanceBefore).toBe(0n);
    await page.getByRole("button", { name: "塞钱进红包" }).click();
    await page.getByRole("heading", { name: "红包已发出" }).waitFor({ timeout: 30_000 });
    link = await page.getByTestId("claim-link").inputValue();
    expect(link).toMatch(/#\/redpackets\/claim\/31337\/0x[0-9a-fA-F]{40}\/\d+\/0x[0-9a-f]{64}$/);
    await page.locator(".qr img").waitFor();
    await screenshot(page, "redpacket-share");
    // The permit was for exactly the amount and the packet used all of it: no allowance is left.
    const allowanceAfter = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "allowance",
      args: [localAccount(wang.index).address, system.contracts.RedPacket],
    });
    expect(allowanceAfter).toBe(0n);
  });

  it("stops the same packet sent twice before anything is signed, and sends a residents' packet on purpose", async () => {
    const page = await openAs(wang.index, "#/redpackets");
    await page.getByRole("heading", { name: "发红包" }).waitFor({ timeout: 30_000 });
    const fill = async () => {
      await page.getByLabel("总金额（元）").fill("30");
      await page.getByLabel("红包个数").fill("3");
      await page.getByLabel("拼手气（金额随机）").check();
      await page.getByLabel("祝福语").fill("新年快乐");
    };
    await fill();
    await page.getByRole("button", { name: "下一步：核对红包" }).click();
    const twin = page.getByTestId("packet-twin");
    await twin.getByText("你刚发过一个一样的红包").waitFor({ timeout: 20_000 });
    await expect(twin.innerText()).resolves.toMatch(/¥30\.00，3 个，“新年快乐”/);
    await screenshot(page, "redpacket-twin");
    // Nothing was signed: no permit review, and stopping leaves the form as it was.
    await expect(page.getByText("从余额扣 ¥30.00（仅此一笔）").count()).resolves.toBe(0);
    await twin.getByRole("button", { name: "不发了" }).click();
    await expect(page.getByTestId("packet-twin").count()).resolves.toBe(0);

    // Only verified residents, one share each: a different packet, so no warning.
    await page.getByLabel("只限本市已验证的居民领取，每人一份（换账户也只能领一份）").check();
    await page.getByRole("button", { name: "下一步：核对红包" }).click();
    await page.getByText("已验证的居民，每人一份").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "塞钱进红包" }).click();
    await page.getByRole("heading", { name: "红包已发出" }).waitFor({ timeout: 30_000 });
    const residentsLink = await page.getByTestId("claim-link").inputValue();
    const id = BigInt(residentsLink.split("/").at(-2) as string);
    const view = await publicClient.readContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "packet",
      args: [id],
    });
    expect(view.audience).toBe(3);

    // A resident who has not signed in to the city service is told what to do, in words.
    const claimer = await openAs(li.index, residentsLink.slice(residentsLink.indexOf("#")));
    await claimer.getByText("这是居民红包：每位已验证的居民只能领一份。").waitFor({ timeout: 30_000 });
    const signInHere = claimer.getByTestId("resident-problem");
    await signInHere.getByText(/领居民红包要先登录城市服务/).waitFor({ timeout: 30_000 });
    // The sign-in is right there, not a pointer to 设置.
    await signInHere.getByRole("button", { name: "用钱包登录城市服务" }).waitFor();
    await expect(claimer.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
  });

  it("is claimed by two friends in their own browsers, and shows who got what and the luckiest", async () => {
    const hash = link.slice(link.indexOf("#"));
    const first = await openAs(li.index, hash);
    await first.getByTestId("packet-greeting").getByText("新年快乐").waitFor({ timeout: 30_000 });
    // Before claiming she is told how a lucky-draw share is drawn and what a late draw pays.
    await first
      .getByTestId("draw-rule")
      .getByText(/256 个区块内一直没有开奖/)
      .waitFor({ timeout: 30_000 });
    await first.getByRole("button", { name: "拆红包" }).click();
    // A random share is drawn from the hash of the claim's block, and the page draws it itself:
    // no button, no prompt (useAutoDraw), so an honest claimer never meets the late rule.
    await first.getByTestId("claimed-mine").waitFor({ timeout: 30_000 });
    await expect(first.getByRole("button", { name: "现在开奖" }).count()).resolves.toBe(0);
    await expect(first.getByTestId("claimed-late").count()).resolves.toBe(0);
    await screenshot(first, "redpacket-drawn");

    const second = await openAs(zhang.index, hash);
    await second.getByTestId("packet-greeting").waitFor({ timeout: 30_000 });
    await expect(second.getByText("手气最佳").count()).resolves.toBe(0);
    await second.getByRole("button", { name: "拆红包" }).click();
    // Her share is drawn by her page too, a block after her claim.
    await second.getByTestId("claimed-mine").waitFor({ timeout: 30_000 });
    const claims = second.getByTestId("claims-list").locator("li");
    await expect.poll(() => claims.count(), { timeout: 20_000 }).toBe(2);
    await expect(second.getByText("手气最佳").count()).resolves.toBe(1);
    const shown = await second.getByTestId("claims-list").innerText();
    expect(shown).toMatch(/¥\d+\.\d{2}/);
    await screenshot(second, "redpacket-claimed");

    // On the ledger: two shares went out, 30.00 in all once the third is claimed.
    const logs = await publicClient.getContractEvents({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      eventName: "PacketClaimed",
      fromBlock: 0n,
    });
    const claimers = logs.map((l) => (l.args.claimer as string).toLowerCase());
    expect(claimers).toContain(localAccount(li.index).address.toLowerCase());
    expect(claimers).toContain(localAccount(zhang.index).address.toLowerCase());

    // Claiming again: the page says it was already claimed, and offers no button.
    await first.reload();
    await first.getByTestId("claimed-mine").waitFor({ timeout: 30_000 });
    await expect(first.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
  });

  it("refuses links for another chain or another contract, in words", async () => {
    const key = generatePrivateKey();
    const page = await openAs(li.index, claimHash(1n, key, 1));
    await expect(page.getByTestId("claim-problem").innerText()).resolves.toMatch(/另一个网络里（编号 1）/);
    await page.goto(`${system.webUrl}/${claimHash(1n, key, 31337, system.contracts.Vouchers)}`);
    await page.reload();
    await expect(page.getByTestId("claim-problem").innerText()).resolves.toMatch(/不是合肥数字钱包的红包/);
    await page.goto(`${system.webUrl}/#/redpackets/claim/31337/nonsense`);
    await page.reload();
    await expect(page.getByTestId("claim-problem").innerText()).resolves.toMatch(/不完整或已损坏/);
    await screenshot(page, "redpacket-bad-link");
  });

  it("says an expired packet can no longer be claimed, and lets its sender take the rest back", async () => {
    const { id, key } = await linkPacket(500n, 2n, 60n);
    await publicClient.request({ method: "evm_increaseTime" as never, params: [120] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    const page = await openAs(li.index, claimHash(id, key));
    await expect(page.getByTestId("claim-problem").innerText()).resolves.toMatch(/已过期/);
    await screenshot(page, "redpacket-expired");

    const sender = await openAs(chen.index, "#/redpackets");
    const item = sender.getByTestId(`sent-packet-${id}`);
    await item.getByText("已过期").waitFor({ timeout: 30_000 });
    await item.getByRole("button", { name: "退回剩余金额" }).click();
    await item.getByRole("button", { name: "退回剩余金额" }).click();
    await item.getByText("已退回").waitFor({ timeout: 30_000 });
    // The done screen says what came back (the packet's own remaining is 0 by then).
    await expect(item.locator(".tx-summary-row").filter({ hasText: "退回金额" }).innerText()).resolves.toMatch(
      /¥5\.00/,
    );
    await screenshot(sender, "redpacket-refunded");
  });
});

describe("a lucky-draw share nobody drew within 256 blocks", () => {
  /** A page whose transactions never reach the chain, to look at the waiting share before it is drawn. */
  const noSending = async (context: BrowserContext) => {
    await context.route(
      (url) => url.href.startsWith(system.rpcUrl),
      (route) =>
        (route.request().postData() ?? "").includes("eth_sendRawTransaction") ? route.abort() : route.continue(),
    );
  };

  /** Li Ming claims a random share of a fresh link packet outside the browser, and nobody draws it. */
  async function lateShare(): Promise<{ id: bigint; key: Hex }> {
    const packet = await linkPacket(2_000n, 4n, 3_600n, 1);
    const claimer = localAccount(li.index);
    const digest = await publicClient.readContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "claimDigest",
      args: [packet.id, claimer.address],
    });
    const signature = await privateKeyToAccount(packet.key).sign({ hash: digest });
    await send(
      wallet(li.index).writeContract({
        address: system.contracts.RedPacket,
        abi: redPacketAbi,
        functionName: "claimWithSignature",
        args: [packet.id, signature],
      }),
    );
    // While it waits, her page counts the blocks left (here it cannot send, so it asks her to draw).
    for (const [name, visit] of [
      ["redpacket-waiting-zh-320-care", { largeText: true, viewport: { width: 320, height: 720 } }],
      ["redpacket-waiting-en-390", { lang: "en" }],
    ] as [string, DemoVisit][]) {
      const waiting = await openAs(li.index, claimHash(packet.id, packet.key), { ...visit, beforeOpen: noSending });
      await waiting.getByTestId("claimed-drawing").waitFor({ timeout: 30_000 });
      await expect(waiting.getByTestId("claimed-drawing").innerText()).resolves.toMatch(
        visit.lang === "en" ? /within 25\d more blocks/ : /还剩 25\d 个区块内开奖有效/,
      );
      await screenshot(waiting, name);
      await waiting.context().close();
    }
    // 257 empty blocks: the claim block's hash is gone. One evm_mine each, not hardhat_mine: that
    // reserves blocks whose hashes the node settles later, which the shared system's indexer, having
    // read them already, would take for a reorganisation below its finality depth.
    for (let i = 0; i < 257; i++) await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    return packet;
  }

  it("tells the claimer who comes back late what she gets, then draws it: 1 fen to her, the rest to the sender", async () => {
    const { id, key } = await lateShare();
    const shots: [string, DemoVisit][] = [
      ["redpacket-late-zh-390", { beforeOpen: noSending }],
      ["redpacket-late-zh-320-care", { beforeOpen: noSending, largeText: true, viewport: { width: 320, height: 720 } }],
      ["redpacket-late-en-390", { beforeOpen: noSending, lang: "en" }],
      [
        "redpacket-late-en-320-care",
        { beforeOpen: noSending, lang: "en", largeText: true, viewport: { width: 320, height: 720 } },
      ],
    ];
    for (const [name, visit] of shots) {
      const waiting = await openAs(li.index, claimHash(id, key), visit);
      await waiting.getByTestId("draw-late").waitFor({ timeout: 30_000 });
      await expect(waiting.getByTestId("draw-late").innerText()).resolves.toMatch(
        visit.lang === "en"
          ? /smallest share, ¥0\.01, and ¥4\.99 goes back to the sender/
          : /¥0\.01 发给你，另外 ¥4\.99 退回发红包的人/,
      );
      await screenshot(waiting, name);
      await expectNoSeriousA11yViolations(waiting, name);
      await waiting.context().close();
    }

    const chenBefore = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [localAccount(chen.index).address],
    });
    const page = await openAs(li.index, claimHash(id, key));
    await page.getByTestId("claimed-late").waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("claimed-mine").innerText()).resolves.toMatch(/你已领到 ¥0\.01/);
    await expect(page.getByTestId("claims-list").innerText()).resolves.toMatch(/开奖超时，按最小金额/);
    await screenshot(page, "redpacket-late-drawn");

    const [late] = await publicClient.getContractEvents({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      eventName: "ShareDrawnLate",
      args: { packetId: id },
      fromBlock: 0n,
    });
    expect(late?.args.claimer?.toLowerCase()).toBe(localAccount(li.index).address.toLowerCase());
    expect(late?.args.returned).toBe(499n);
    const chenAfter = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [localAccount(chen.index).address],
    });
    expect(chenAfter - chenBefore).toBe(499n);
    const view = await publicClient.readContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "packet",
      args: [id],
    });
    expect(view.remaining).toBe(1_500n);

    // The next resident is told the rule before she claims, in 关怀模式 on a small phone too.
    const next = await openAs(zhang.index, claimHash(id, key), {
      largeText: true,
      viewport: { width: 320, height: 720 },
    });
    await next.getByTestId("draw-rule").waitFor({ timeout: 30_000 });
    await screenshot(next, "redpacket-draw-rule-320-care");
  });
});

describe("a red packet for named friends", () => {
  it("is sent to two ticked contacts; one claims it, a third resident is refused, a cut list is damaged", async () => {
    const contact = (name: string, index: number) => ({
      id: `e2e-${index}`,
      name,
      address: localAccount(index).address,
      createdAt: 1,
      updatedAt: 1,
    });
    const contacts = JSON.stringify([contact("李明", li.index), contact("张伟", zhang.index)]);
    const page = await openAs(wang.index, "#/redpackets", {
      storage: { [`hcy.contacts.v1.${localAccount(wang.index).address.toLowerCase()}`]: contacts },
    });
    await page.getByRole("heading", { name: "发红包" }).waitFor({ timeout: 30_000 });
    await page.getByLabel("指定好友（从联系人中勾选几位）").check();
    await page.getByRole("checkbox", { name: "李明" }).check();
    await page.getByRole("checkbox", { name: "张伟" }).check();
    // The shares follow the friends ticked.
    await expect(page.getByLabel("红包个数").inputValue()).resolves.toBe("2");
    await page.getByLabel("总金额（元）").fill("10");
    await page.getByLabel("普通（每个一样多）").check();
    await page.getByLabel("祝福语").fill("好友专享");
    await page.getByRole("button", { name: "下一步：核对红包" }).click();
    await page.getByRole("button", { name: "塞钱进红包" }).click();
    await page.getByRole("heading", { name: "红包已发出" }).waitFor({ timeout: 30_000 });
    const link = await page.getByTestId("claim-link").inputValue();
    const friendsInLink = [localAccount(li.index).address, localAccount(zhang.index).address];
    expect(link).toMatch(
      /#\/redpackets\/claim\/31337\/0x[0-9a-fA-F]{40}\/\d+\/friends\/0x[0-9a-fA-F]{40},0x[0-9a-fA-F]{40}$/,
    );
    for (const friend of friendsInLink) expect(link).toContain(friend);
    const hash = link.slice(link.indexOf("#"));
    const id = BigInt(/\/(\d+)\/friends\//.exec(link)?.[1] ?? "0");
    const view = await publicClient.readContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "packet",
      args: [id],
    });
    expect(view.audience).toBe(1);
    expect(view.shares).toBe(2n);

    const friend = await openAs(li.index, hash);
    await friend.getByTestId("packet-greeting").getByText("好友专享").waitFor({ timeout: 30_000 });
    await friend.getByRole("button", { name: "拆红包" }).click();
    await friend.getByTestId("claimed-mine").getByText("你已领到 ¥5.00。").waitFor({ timeout: 30_000 });
    const claimed = await publicClient.readContract({
      address: system.contracts.RedPacket,
      abi: redPacketAbi,
      functionName: "hasClaimed",
      args: [id, localAccount(li.index).address],
    });
    expect(claimed).toBe(true);

    const stranger = await openAs(chen.index, hash);
    await expect(stranger.getByTestId("claim-problem").innerText()).resolves.toMatch(/只发给指定的好友/);
    await expect(stranger.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
    await screenshot(stranger, "redpacket-friends-refused");

    // A list cut to one friend no longer rebuilds the packet's root: the link is damaged.
    const cut = hash.replace(`,${friendsInLink[1]}`, "").replace(`${friendsInLink[1]},`, "");
    expect(cut).not.toBe(hash);
    const damaged = await openAs(zhang.index, cut);
    await expect(damaged.getByTestId("claim-problem").innerText()).resolves.toMatch(/好友名单不完整或已损坏/);
    await expect(damaged.getByRole("button", { name: "拆红包" }).count()).resolves.toBe(0);
  });
});

describe("vouchers and history", () => {
  it("a shop's residents-only campaign is funded from its page, and a resident not signed in is told why she cannot claim yet", async () => {
    const shop = await openAs(MERCHANTS[0]?.index ?? 12, "#/merchant");
    await shop.getByRole("heading", { name: "新建活动" }).waitFor({ timeout: 30_000 });
    await shop.getByLabel("每张优惠（元）").fill("3");
    await shop.getByLabel("最低消费（元）").fill("15");
    await shop.getByLabel("发放张数").fill("10");
    await shop.getByLabel("每人限领").fill("256");
    await shop.getByText("每人最多限领 255 张").waitFor();
    await shop.getByLabel("每人限领").fill("1");
    await shop.getByLabel("只限本市已验证的居民领取（同一个人换账户也不能多领）").check();
    await shop.getByRole("button", { name: "创建并出资" }).click();
    await shop.getByText("已验证的居民，每人限领 1 张").waitFor({ timeout: 30_000 });
    await shop.getByRole("button", { name: "确认" }).click();
    await shop.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });
    const count = await publicClient.readContract({
      address: system.contracts.Vouchers,
      abi: vouchersAbi,
      functionName: "campaignCount",
    });
    const created = await publicClient.readContract({
      address: system.contracts.Vouchers,
      abi: vouchersAbi,
      functionName: "campaign",
      args: [count],
    });
    expect(created.residentsOnly).toBe(true);
    expect(created.perResidentLimit).toBe(1);

    const resident = await openAs(zhang.index, "#/vouchers");
    const card = resident.getByTestId(`campaign-${count}`);
    await card.getByText("只限本市已验证的居民领取，每人限领 1 张（换账户也一样）").waitFor({ timeout: 30_000 });
    await card.getByRole("button", { name: /^领取/ }).click();
    const voucherSignIn = resident.getByTestId("voucher-resident-problem");
    await voucherSignIn.getByText(/领居民消费券要先登录城市服务/).waitFor({ timeout: 30_000 });
    await voucherSignIn.getByRole("button", { name: "用钱包登录城市服务" }).waitFor();
    await screenshot(resident, "voucher-residents-only");
    await expect(resident.getByRole("button", { name: "领取", exact: true }).count()).resolves.toBe(0);
  });

  it("ranks a campaign, claims it, and applies it at checkout with an exact permit", async () => {
    // The city's voucher office funds a dining campaign: 5.00 off from 20.00.
    await officeCampaign(system, {
      kind: 0,
      discount: 500n,
      minSpend: 2000n,
      totalVouchers: 100,
      perResidentLimit: 2,
      categoryMask: 1,
      merchants: [],
      budget: 50_000n,
      seconds: 7n * 86_400n,
    });
    const request = `ethereum:${system.contracts.CityYuan}@31337/transfer?address=${noodleShop}&uint256=3000&ref=E2E-VOUCHER-1`;

    // Her built-in wallet claims and pays in two steps: the checkout says to claim first.
    const checkout = await openAs(wang.index, `#/pay?request=${encodeURIComponent(request)}`);
    await checkout.getByTestId("voucher-claim-first").waitFor({ timeout: 30_000 });
    await checkout.getByRole("link", { name: "去领券" }).click();

    const page = checkout;
    await page.getByTestId("vouchers-privacy").waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: "满 ¥20.00 减 ¥5.00" }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, "vouchers");
    await page
      .getByRole("button", { name: /^领取 满 ¥20\.00 减 ¥5\.00/ })
      .first()
      .click();
    await page.getByRole("button", { name: "领取" }).click();
    await page.getByText("已完成", { exact: true }).waitFor({ timeout: 30_000 });

    await page.goto(`${system.webUrl}/#/pay?request=${encodeURIComponent(request)}`);
    await page.getByTestId("voucher-suggestion").waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "使用这张券" }).click();
    await page.getByText("你只需付 ¥25.00").waitFor({ timeout: 20_000 });
    const before = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [noodleShop],
    });
    await page.getByRole("button", { name: "核对付款" }).click();
    await page.getByRole("button", { name: "确认付款" }).click();
    await page.getByText("已付款", { exact: true }).waitFor({ timeout: 30_000 });
    const after = await publicClient.readContract({
      address: system.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [noodleShop],
    });
    // The shop gets the full price; the resident paid 25.00 and the budget 5.00.
    expect(after - before).toBe(3000n);
  });

  it("shows the payment, the red packet and the voucher checkout in history, and exports them as CSV", async () => {
    const page = await openAs(wang.index, "#/history");
    await page
      .getByTestId("history-status")
      .getByText(/共 \d+ 条记录/)
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-kind="voucherPayment"]').first().waitFor();
    await page.locator('[data-kind="redPacketSent"]').first().waitFor();
    await expect(page.locator('[data-kind="voucherPayment"]').first().innerText()).resolves.toMatch(
      /-¥25\.00[\s\S]*券省 ¥5\.00/,
    );
    await page.getByRole("img", { name: /每月支出/ }).waitFor();
    await screenshot(page, "history");

    await page.getByLabel("类型").selectOption("payment");
    await page.locator('[data-kind="payment"]').first().waitFor();
    await expect(page.locator('[data-kind="redPacketSent"]').count()).resolves.toBe(0);
    await page.getByRole("button", { name: "清除筛选" }).click();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "导出表格" }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8");
    // Kept with the screenshots as a test artefact.
    mkdirSync(path.resolve(import.meta.dirname, "..", "..", "test-results"), { recursive: true });
    writeFileSync(path.resolve(import.meta.dirname, "..", "..", "test-results", "history-export.csv"), csv);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe("日期,类型,分类,对方,账户号,金额（元）,优惠（元）,订单号/银行流水,交易编号");
    expect(csv).toMatch(
      /\n\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2},用券付款,餐饮,老王牛肉面,0x[0-9a-fA-F]{40},-25\.00,5\.00,E2E-VOUCHER-1,0x/,
    );
    expect(csv).toMatch(/,发红包,红包,红包 #\d+,0x[0-9a-fA-F]{40},-30\.00,,,/);
    expect(csv).toMatch(/,付款,餐饮,老王牛肉面,.*,-\d+\.\d{2},,ORDER-\d+,/);
    // A top-up carries its request's reference (a hash of the request id), shortened.
    expect(lines.find((l) => l.includes(",充值,"))).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:]{8}[+-]\d{2}:\d{2},充值,充值,合肥城市银行,,\d+\.\d{2},,0x[0-9a-f]{4}…[0-9a-f]{4},0x[0-9a-f]{64}$/,
    );
  });

  it("works in English and in large-text mode, with no serious accessibility violation", async () => {
    const history = await openAs(wang.index, "#/history", { lang: "en", largeText: true });
    await history.getByRole("heading", { name: "History", level: 1 }).waitFor({ timeout: 30_000 });
    await history
      .getByTestId("history-status")
      .getByText(/movements, back to the very first/)
      .waitFor({ timeout: 60_000 });
    // Large text pushes the list below the fold; the windowed list renders rows as they scroll in.
    await history.getByRole("heading", { name: "Movements" }).scrollIntoViewIfNeeded();
    await history.locator('[data-kind="voucherPayment"]').getByText("Payment with voucher").first().waitFor();
    await screenshot(history, "history-en-large");
    await expectNoSeriousA11yViolations(history, "history (en, large text)");

    const packets = await openAs(wang.index, "#/redpackets", { lang: "en", largeText: true });
    await packets.getByRole("heading", { name: "Send a red packet" }).waitFor({ timeout: 30_000 });
    await packets.getByRole("heading", { name: "My red packets" }).waitFor();
    await screenshot(packets, "redpackets-en-large");
    await expectNoSeriousA11yViolations(packets, "red packets (en, large text)");

    const vouchersPage = await openAs(wang.index, "#/vouchers", { lang: "en" });
    await vouchersPage.getByText("your spending never leaves this device").waitFor({ timeout: 30_000 });
    await expectNoSeriousA11yViolations(vouchersPage, "vouchers (en)");

    const zh = await openAs(wang.index, "#/history");
    await zh
      .getByTestId("history-status")
      .getByText(/共 \d+ 条记录/)
      .waitFor({ timeout: 60_000 });
    await expectNoSeriousA11yViolations(zh, "history (zh)");
    const zhPackets = await openAs(wang.index, "#/redpackets");
    await zhPackets.getByRole("heading", { name: "我发的红包" }).waitFor({ timeout: 30_000 });
    await expectNoSeriousA11yViolations(zhPackets, "red packets (zh)");
  });
});
