// Issue 21: a registered shop opening 500 one-fen campaigns hid the city's campaign from the dApp,
// which read the id scan 10 pages of 50. The dApp's own read path (web/src/features/vouchers/
// readCampaigns.ts), run against the deployed contracts, finds the city's campaign for the
// Vouchers page and for a checkout at any shop, the spamming one included, and lists the spamming
// shop's campaigns only a few times.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, type PublicClient, zeroHash } from "viem";
import { categoryIndex, DISCOUNT_KIND } from "../../core/enums.js";
import { MERCHANTS, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import {
  CAMPAIGNS_PER_SHOP,
  MAX_PAGES,
  readCheckoutCampaigns,
  readListedCampaigns,
  readScannedCampaigns,
} from "../../web/src/features/vouchers/readCampaigns.js";
import { deployCity } from "./fixture.js";

const SPAM = 500;
const DAY = 86_400n;

describe("the dApp's voucher reads with 500 spam campaigns", () => {
  it("finds the city's campaign on the Vouchers page and at every checkout", async () => {
    const { publicClient, contracts, walletAt, fund } = await deployCity();
    const office = walletAt(ROLE_HOLDERS.registrar.index); // also the city's voucher office
    const [spammer, other] = [walletAt(MERCHANTS[0].index), walletAt(MERCHANTS[1].index)];
    for (const [shop, m] of [
      [spammer, MERCHANTS[0]],
      [other, MERCHANTS[1]],
    ] as const) {
      await publicClient.waitForTransactionReceipt({
        hash: await contracts.merchantRegistry.write.register(
          [shop.account.address, m.name, categoryIndex(m.category)],
          { account: office.account },
        ),
      });
    }
    await fund(spammer.account.address, 10_000n);
    await fund(office.account.address, 1_000_000n);

    const now = (await publicClient.getBlock()).timestamp;
    const terms = (over: Partial<Terms>): Terms => ({
      kind: DISCOUNT_KIND.fixed,
      discount: 1n,
      cap: 0n,
      minSpend: 1n,
      startsAt: Number(now),
      endsAt: Number(now + 7n * DAY),
      totalVouchers: 1,
      perResidentLimit: 1,
      categoryMask: 0,
      merchants: [],
      eligibleRoot: zeroHash,
      listSalt: zeroHash,
      residentsOnly: false,
      ...over,
    });

    await publicClient.waitForTransactionReceipt({
      hash: await contracts.cityYuan.write.approve([contracts.vouchers.address, BigInt(SPAM)], {
        account: spammer.account,
      }),
    });
    const spam = terms({ merchants: [spammer.account.address] });
    let last: `0x${string}` = zeroHash;
    for (let i = 0; i < SPAM; i++) {
      last = await contracts.vouchers.write.createCampaign([spam], { account: spammer.account });
    }
    await publicClient.waitForTransactionReceipt({ hash: last });

    // The city's "spend 100, save 20 at any restaurant", after the spam.
    const city = terms({
      discount: 2_000n,
      minSpend: 10_000n,
      totalVouchers: 50,
      categoryMask: 1 << categoryIndex(MERCHANTS[0].category),
    });
    await publicClient.waitForTransactionReceipt({
      hash: await contracts.cityYuan.write.approve([contracts.vouchers.address, 100_000n], {
        account: office.account,
      }),
    });
    await publicClient.waitForTransactionReceipt({
      hash: await contracts.vouchers.write.createCampaign([city], { account: office.account }),
    });
    const cityId = BigInt(SPAM + 1);
    assert.equal(await contracts.vouchers.read.campaignCount(), cityId);

    const client = publicClient as unknown as PublicClient;
    const vouchers = { address: contracts.vouchers.address, abi: contracts.vouchers.abi };
    const ids = (list: readonly { campaignId: bigint }[]) => list.map((c) => c.campaignId);

    // The attack as the dApp met it: the id scan alone runs out of pages before the city's.
    const scanned = await readScannedCampaigns(client, vouchers);
    assert.equal(scanned.length, MAX_PAGES * 50);
    assert.ok(!ids(scanned).includes(cityId), "the id scan alone misses the city's campaign");

    // The Vouchers page: the city's first, the spamming shop a few times only.
    const listed = await readListedCampaigns(client, vouchers);
    assert.equal(listed[0]?.campaignId, cityId);
    assert.equal(listed.length, 1 + CAMPAIGNS_PER_SHOP);
    const fromSpammer = listed.filter((c) => c.sponsor.toLowerCase() === spammer.account.address.toLowerCase());
    assert.equal(fromSpammer.length, CAMPAIGNS_PER_SHOP);

    // A checkout at the spamming shop and at another restaurant both find the city's campaign.
    for (const shop of [spammer.account.address, other.account.address] as Address[]) {
      const offered = await readCheckoutCampaigns(client, vouchers, shop);
      assert.ok(ids(offered).includes(cityId), `checkout at ${shop} offers the city's campaign`);
      assert.ok(offered.length <= 1 + CAMPAIGNS_PER_SHOP);
    }
  });
});

interface Terms {
  kind: number;
  discount: bigint;
  cap: bigint;
  minSpend: bigint;
  startsAt: number;
  endsAt: number;
  totalVouchers: number;
  perResidentLimit: number;
  categoryMask: number;
  merchants: Address[];
  eligibleRoot: `0x${string}`;
  listSalt: `0x${string}`;
  residentsOnly: boolean;
}
