// Seeds the local chain with a month in Hefei: merchants registered, residents topped up by the
// city bank, everyday payments across categories, transfers between friends, a refund, a cash-out
// and a reserve attestation, spread over the last 30 days. Deterministic: same data every run.
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  stringToHex,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { categoryIndex, DISCOUNT_KIND } from "../../core/enums.js";
import {
  cityYuanAbi,
  type Deployment,
  merchantRegistryAbi,
  redPacketAbi,
  vouchersAbi,
} from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "./demo-accounts.js";

const DAY = 24 * 60 * 60;

/** A small deterministic PRNG (mulberry32) so the demo month is the same on every start. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const reference = (text: string): Hex => stringToHex(text, { size: 32 });

export async function seedDemo(rpcUrl: string, deployment: Deployment, log: (line: string) => void): Promise<string> {
  const chain = { ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } };
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const { CityYuan, MerchantRegistry, RedPacket, Vouchers } = deployment.contracts;
  const random = prng(20261128);
  let sent = 0;

  const wallet = (index: number) => createWalletClient({ account: localAccount(index), chain, transport });
  const at = async (timestamp: number) => {
    await publicClient.request({ method: "evm_setNextBlockTimestamp" as never, params: [toHex(timestamp)] as never });
  };
  const send = async (index: number, address: Address, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const hash = await wallet(index).writeContract({ address, abi, functionName, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`seed transaction ${functionName} reverted`);
    sent++;
  };

  const latest = await publicClient.getBlock();
  const now = Math.floor(Date.now() / 1000);
  let clock = Math.max(Number(latest.timestamp) + 1, now - 30 * DAY);
  const tick = async (seconds: number) => {
    clock += seconds;
    await at(clock);
  };

  const residentAddress = (i: number) => localAccount(RESIDENTS[i].index).address;
  const padAddress = (address: Address): Hex => `0x${address.slice(2).toLowerCase().padStart(64, "0")}`;
  const packetCount = async () =>
    publicClient.readContract({ address: RedPacket, abi: redPacketAbi, functionName: "packetCount" });
  /** Ids of the packets still holding money, in order, as `rescueExcess` wants them. */
  const livePacketIds = async (): Promise<bigint[]> => {
    const ids: bigint[] = [];
    for (let id = 1n; id <= (await packetCount()); id++) {
      const p = await publicClient.readContract({
        address: RedPacket,
        abi: redPacketAbi,
        functionName: "packet",
        args: [id],
      });
      if (p.remaining > 0n && p.claimed < p.shares && !p.refunded) ids.push(id);
    }
    return ids;
  };

  // Secure Mint: issuing needs reserves attested first. Before each batch of deposits is issued, the
  // attester publishes the bank's reserves including those deposits (supply + what is about to be
  // issued), as the bank would once the deposits have arrived.
  let attestations = 0;
  /** Deposits the bank holds at month end for top-ups the desk has not issued yet (10,000 yuan). */
  const DEPOSITS_AWAITING_ISSUE = 1_000_000n;
  async function attestBefore(issuing: bigint, label: string) {
    const supply = await publicClient.readContract({
      address: CityYuan,
      abi: cityYuanAbi,
      functionName: "totalSupply",
    });
    await tick(300);
    await send(ROLE_HOLDERS.attester.index, CityYuan, cityYuanAbi, "attestReserves", [
      supply + issuing,
      keccak256(stringToHex(`Hefei City Bank reserve report, ${label}`)),
      `https://reserves.hefei.example/reports/${label}.pdf`,
    ]);
    attestations++;
  }

  async function seedRedPackets(): Promise<string> {
    const [auntie, liMing, zhangWei, chenJing] = [0, 1, 2, 3];
    // The link's one-time key: derived from the seed so the demo link is the same every run.
    const linkKey = privateKeyToAccount(keccak256(stringToHex("hefei demo red packet link key")));
    await tick(3600);
    await send(RESIDENTS[auntie].index, CityYuan, cityYuanAbi, "approve", [RedPacket, 8_888n]);
    await tick(30);
    await send(RESIDENTS[auntie].index, RedPacket, redPacketAbi, "create", [
      {
        amount: 8_888n,
        shares: 3n,
        mode: 1,
        audience: 2,
        audienceKey: padAddress(linkKey.address),
        duration: 0n,
        greeting: "恭喜发财，大吉大利",
      },
    ]);
    const groupPacket = await packetCount();
    for (const claimer of [liMing, zhangWei]) {
      const digest = await publicClient.readContract({
        address: RedPacket,
        abi: redPacketAbi,
        functionName: "claimDigest",
        args: [groupPacket, residentAddress(claimer)],
      });
      const signature = await linkKey.sign({ hash: digest });
      await tick(300);
      await send(RESIDENTS[claimer].index, RedPacket, redPacketAbi, "claimWithSignature", [groupPacket, signature]);
    }
    // Each random claim only commits its share; the next claim draws the one before. The sender's
    // dApp settles the last waiting share when she looks at the packet.
    await tick(60);
    await send(RESIDENTS[auntie].index, RedPacket, redPacketAbi, "settle", [groupPacket]);
    await tick(600);
    await send(RESIDENTS[chenJing].index, CityYuan, cityYuanAbi, "approve", [RedPacket, 520n]);
    await tick(30);
    await send(RESIDENTS[chenJing].index, RedPacket, redPacketAbi, "create", [
      {
        amount: 520n,
        shares: 1n,
        mode: 0,
        audience: 0,
        audienceKey: padAddress(residentAddress(liMing)),
        duration: 0n,
        greeting: "生日快乐",
      },
    ]);
    await tick(120);
    await send(RESIDENTS[liMing].index, RedPacket, redPacketAbi, "claim", [await packetCount()]);
    await tick(600);
    await send(RESIDENTS[zhangWei].index, CityYuan, cityYuanAbi, "approve", [RedPacket, 1_000n]);
    await tick(30);
    await send(RESIDENTS[zhangWei].index, RedPacket, redPacketAbi, "create", [
      {
        amount: 1_000n,
        shares: 2n,
        mode: 0,
        audience: 2,
        audienceKey: padAddress(linkKey.address),
        duration: 3600n,
        greeting: "周末快乐",
      },
    ]);
    const forgotten = await packetCount();
    await tick(2 * 3600);
    await send(RESIDENTS[chenJing].index, RedPacket, redPacketAbi, "refundExpired", [forgotten]);
    return "3 red packets (3 claims, 1 refund)";
  }

  async function seedVouchers(): Promise<string> {
    const office = ROLE_HOLDERS.registrar.index; // the city's voucher office
    const noodle = MERCHANTS[0];
    const start = clock + 60;
    const end = Math.floor(Date.now() / 1000) + 30 * DAY;
    const cityBudget = 500n * 2_000n;
    await attestBefore(cityBudget, "voucher-budget");
    await tick(60);
    await send(ROLE_HOLDERS.issuer.index, CityYuan, cityYuanAbi, "issue", [
      localAccount(office).address,
      cityBudget,
      reference("CITY-VOUCHER-BUDGET-2026-11"),
    ]);
    await tick(30);
    await send(office, CityYuan, cityYuanAbi, "approve", [Vouchers, cityBudget]);
    const diningAndGrocery = (1 << categoryIndex("dining")) | (1 << categoryIndex("grocery"));
    await tick(30);
    await send(office, Vouchers, vouchersAbi, "createCampaign", [
      {
        kind: DISCOUNT_KIND.fixed,
        discount: 2_000n,
        cap: 0n,
        minSpend: 10_000n,
        startsAt: start,
        endsAt: end,
        totalVouchers: 500,
        perResidentLimit: 2,
        categoryMask: diningAndGrocery,
        merchants: [],
        eligibleRoot: `0x${"0".repeat(64)}`,
        listSalt: `0x${"0".repeat(64)}`,
        residentsOnly: false,
      },
    ]);
    const cityCampaign =
      (await publicClient.readContract({ address: Vouchers, abi: vouchersAbi, functionName: "nextCampaignId" })) - 1n;
    const shopBudget = 100n * 500n;
    await tick(60);
    await send(noodle.index, CityYuan, cityYuanAbi, "approve", [Vouchers, shopBudget]);
    await tick(30);
    await send(noodle.index, Vouchers, vouchersAbi, "createCampaign", [
      {
        kind: DISCOUNT_KIND.percentage,
        discount: 1_000n,
        cap: 500n,
        minSpend: 2_000n,
        startsAt: start,
        endsAt: end,
        totalVouchers: 100,
        perResidentLimit: 1,
        categoryMask: 0,
        merchants: [localAccount(noodle.index).address],
        eligibleRoot: `0x${"0".repeat(64)}`,
        listSalt: `0x${"0".repeat(64)}`,
        residentsOnly: false,
      },
    ]);
    // Two residents claim the city voucher; Li Ming uses his at the noodle shop for a 128 yuan dinner.
    await tick(120);
    for (const i of [1, 2]) {
      await tick(60);
      await send(RESIDENTS[i].index, Vouchers, vouchersAbi, "claim", [cityCampaign, []]);
    }
    const price = 12_800n;
    await tick(3600);
    await send(RESIDENTS[1].index, CityYuan, cityYuanAbi, "approve", [Vouchers, price - 2_000n]);
    await tick(30);
    await send(RESIDENTS[1].index, Vouchers, vouchersAbi, "redeem", [
      cityCampaign,
      localAccount(noodle.index).address,
      price,
      reference(`ORDER-${order++}`),
    ]);
    return "2 voucher campaigns (2 claims, 1 redemption)";
  }

  // Day 0: the registrar registers the shops, the attester publishes the opening reserves, the
  // city bank tops up every resident.
  for (const merchant of MERCHANTS) {
    await tick(60);
    await send(ROLE_HOLDERS.registrar.index, MerchantRegistry, merchantRegistryAbi, "register", [
      localAccount(merchant.index).address,
      merchant.name,
      categoryIndex(merchant.category),
    ]);
  }
  const topUps = [500_000n, 300_000n, 200_000n, 250_000n, 150_000n, 400_000n];
  const allTopUps = topUps.reduce((a, b) => a + b, 0n);
  await attestBefore(allTopUps, "opening");
  for (const [i, resident] of RESIDENTS.entries()) {
    await tick(300);
    await send(ROLE_HOLDERS.issuer.index, CityYuan, cityYuanAbi, "issue", [
      localAccount(resident.index).address,
      topUps[i],
      reference(`BANK-DEP-${String(i + 1).padStart(4, "0")}`),
    ]);
  }

  // Days 1..29: everyday life. Prices in fen, per category.
  const priceRange: Record<string, [number, number]> = {
    dining: [1200, 4500],
    grocery: [800, 6000],
    transport: [200, 400],
    medical: [1500, 12000],
    education: [2000, 9000],
  };
  let payments = 0;
  let transfers = 0;
  let order = 1000;
  const startDay = clock;
  for (let day = 1; day < 30; day++) {
    clock = Math.max(clock, startDay + day * DAY + 7 * 3600);
    if (day === 15) {
      // Payday: the deposits arrive, the attester publishes them, the city bank tops everyone up.
      await attestBefore(allTopUps, "payday");
      for (const [i, resident] of RESIDENTS.entries()) {
        await tick(120);
        await send(ROLE_HOLDERS.issuer.index, CityYuan, cityYuanAbi, "issue", [
          localAccount(resident.index).address,
          topUps[i],
          reference(`BANK-DEP-${String(i + 101).padStart(4, "0")}`),
        ]);
      }
    }
    const perDay = 2 + Math.floor(random() * 3);
    for (let n = 0; n < perDay; n++) {
      const resident = RESIDENTS[Math.floor(random() * RESIDENTS.length)];
      const merchant = MERCHANTS[Math.floor(random() * MERCHANTS.length)];
      const [low, high] = priceRange[merchant.category];
      const price = BigInt(low + Math.floor(random() * (high - low)));
      await tick(1800 + Math.floor(random() * 7200));
      await send(resident.index, CityYuan, cityYuanAbi, "pay", [
        localAccount(merchant.index).address,
        price,
        reference(`ORDER-${order++}`),
      ]);
      payments++;
    }
    if (day % 3 === 0) {
      const from = RESIDENTS[Math.floor(random() * RESIDENTS.length)];
      const to = RESIDENTS[(RESIDENTS.indexOf(from) + 1 + Math.floor(random() * 5)) % RESIDENTS.length];
      await tick(3600);
      await send(from.index, CityYuan, cityYuanAbi, "transfer", [
        localAccount(to.index).address,
        BigInt(1000 + Math.floor(random() * 20000)),
      ]);
      transfers++;
    }
  }

  // A refund at the noodle shop, pointing at the original payment, and a cash-out to the bank.
  const noodle = MERCHANTS[0];
  const auntie = RESIDENTS[0];
  await tick(3600);
  await send(auntie.index, CityYuan, cityYuanAbi, "pay", [
    localAccount(noodle.index).address,
    2800n,
    reference("ORDER-REFUND-1"),
  ]);
  await tick(600);
  await send(noodle.index, CityYuan, cityYuanAbi, "refund", [
    localAccount(auntie.index).address,
    reference("ORDER-REFUND-1"),
    1400n,
  ]);
  await tick(3600);
  await send(RESIDENTS[1].index, CityYuan, cityYuanAbi, "redeem", [20_000n, reference("BANK-OUT-0001")]);

  // Red packets: a random group packet shared by link that two friends claim, a 1:1 packet to a
  // friend, and a packet nobody opened that went back to its sender after 24 hours.
  const redPackets = await seedRedPackets();
  // A mistake the escrow must not swallow: Zhang Wei sends 12.00 straight to the red-packet escrow
  // instead of through 发红包. The admin moves exactly the excess back to her (never a fen of what the
  // live packets owe); the ledger page and `npm run audit` report it as rescued.
  await tick(1800);
  await send(RESIDENTS[2].index, CityYuan, cityYuanAbi, "transfer", [RedPacket, 1_200n]);
  await tick(3600);
  await send(ROLE_HOLDERS.admin.index, RedPacket, redPacketAbi, "rescueExcess", [
    residentAddress(2),
    await livePacketIds(),
  ]);
  // Vouchers: the city's dining and grocery voucher (满100减20), and the noodle shop's own 10% off.
  const vouchers = await seedVouchers();

  // Month end: the attester publishes the bank's reserves: everything now in circulation plus the
  // deposits received for top-ups not yet issued (so the desk can still approve top-ups; Secure Mint
  // refuses any issue beyond this attestation).
  await attestBefore(DEPOSITS_AWAITING_ISSUE, "month-end");

  // Bring the chain clock to the present so new blocks carry today's time.
  await at(Math.max(clock + 1, Math.floor(Date.now() / 1000)));
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
  log(
    `${payments} payments, ${transfers} transfers, 1 refund, 1 cash-out, ${redPackets}, 1 escrow rescue, ${vouchers}, ${attestations} attestations`,
  );
  return `${sent} transactions seeded across ${MERCHANTS.length} merchants and ${RESIDENTS.length} residents`;
}
