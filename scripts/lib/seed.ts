// Seeds the local chain with a month in Hefei: merchants registered, residents topped up by the
// city bank, everyday payments across categories, transfers between friends, a refund, a cash-out
// and a reserve attestation, spread over the last 30 days. Deterministic: same data every run.
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  stringToHex,
  toHex,
} from "viem";
import { hardhat } from "viem/chains";
import { cityYuanAbi, type Deployment, merchantRegistryAbi } from "../../generated/contracts.js";
import { CATEGORY_INDEX, localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "./demo-accounts.js";

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
  const { CityYuan, MerchantRegistry } = deployment.contracts;
  const random = prng(20261128);
  let sent = 0;

  const wallet = (index: number) => createWalletClient({ account: localAccount(index), chain, transport });
  const at = async (timestamp: number) => {
    await publicClient.request({ method: "evm_setNextBlockTimestamp" as never, params: [toHex(timestamp)] as never });
  };
  const send = async (
    index: number,
    address: Address,
    abi: typeof cityYuanAbi | typeof merchantRegistryAbi,
    functionName: string,
    args: readonly unknown[],
  ) => {
    const hash = await wallet(index).writeContract({ address, abi, functionName, args } as never);
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

  // Day 0: the registrar registers the shops, the attester publishes the opening reserves, the
  // city bank tops up every resident.
  for (const merchant of MERCHANTS) {
    await tick(60);
    await send(ROLE_HOLDERS.registrar.index, MerchantRegistry, merchantRegistryAbi, "register", [
      localAccount(merchant.index).address,
      merchant.name,
      CATEGORY_INDEX[merchant.category],
    ]);
  }
  const topUps = [500_000n, 300_000n, 200_000n, 250_000n, 150_000n, 400_000n];
  let issued = 0n;
  for (const [i, resident] of RESIDENTS.entries()) {
    await tick(300);
    await send(ROLE_HOLDERS.issuer.index, CityYuan, cityYuanAbi, "issue", [
      localAccount(resident.index).address,
      topUps[i],
      reference(`BANK-DEP-${String(i + 1).padStart(4, "0")}`),
    ]);
    issued += topUps[i];
  }
  await tick(600);
  await send(ROLE_HOLDERS.attester.index, CityYuan, cityYuanAbi, "attestReserves", [
    issued,
    keccak256(stringToHex("Hefei City Bank reserve report, opening")),
    "https://reserves.hefei.example/reports/opening.pdf",
  ]);

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
      // Payday: the city bank tops everyone up again.
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

  // Bring the chain clock to the present so new blocks carry today's time.
  await at(Math.max(clock + 1, Math.floor(Date.now() / 1000)));
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
  log(`${payments} payments, ${transfers} transfers, 1 refund, 1 cash-out`);
  return `${sent} transactions seeded across ${MERCHANTS.length} merchants and ${RESIDENTS.length} residents`;
}
