// What every seed scenario works with: the chain's clients, the city's contracts as typed viem
// instances (built once), the demo clock that walks through the month, and the reserve
// attestations Secure Mint needs before any issue.
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getContract,
  type Hash,
  type Hex,
  http,
  keccak256,
  stringToHex,
} from "viem";
import { hardhat } from "viem/chains";
import {
  cityYuanAbi,
  type Deployment,
  merchantRegistryAbi,
  redPacketAbi,
  vouchersAbi,
} from "../../../generated/contracts.js";
import { localAccount, RESIDENTS, ROLE_HOLDERS } from "../demo-accounts.js";

export const DAY = 24 * 60 * 60;

/** Readable text as a bytes32 reference (order numbers). */
export const reference = (text: string): Hex => stringToHex(text, { size: 32 });

/** A small deterministic PRNG (mulberry32) so the demo month is the same on every start. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type World = Awaited<ReturnType<typeof createWorld>>;

export async function createWorld(rpcUrl: string, deployment: Deployment) {
  const chain = { ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } };
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ chain, transport });
  const testClient = createTestClient({ mode: "hardhat", chain, transport });
  const client = { public: publicClient, wallet: walletClient };
  const { CityYuan, MerchantRegistry, RedPacket, Vouchers } = deployment.contracts;
  const contracts = {
    cityYuan: getContract({ address: CityYuan, abi: cityYuanAbi, client }),
    merchantRegistry: getContract({ address: MerchantRegistry, abi: merchantRegistryAbi, client }),
    redPacket: getContract({ address: RedPacket, abi: redPacketAbi, client }),
    vouchers: getContract({ address: Vouchers, abi: vouchersAbi, client }),
  };

  const latest = await publicClient.getBlock();
  let clock = Math.max(Number(latest.timestamp) + 1, Math.floor(Date.now() / 1000) - 30 * DAY);
  let sent = 0;
  let attestations = 0;
  let order = 1000;

  const world = {
    deployment,
    publicClient,
    testClient,
    ...contracts,
    /** The demo clock: the timestamp the next block gets. */
    get clock() {
      return clock;
    },
    /** Moves the clock on to at least `timestamp`; the next tick counts from there. */
    skipTo(timestamp: number): void {
      clock = Math.max(clock, timestamp);
    },
    /** Brings the chain's clock to the present, so new blocks carry today's time. */
    async toPresent(): Promise<void> {
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(Math.max(clock + 1, Math.floor(Date.now() / 1000))) });
      await testClient.mine({ blocks: 1 });
    },
    /** The next block comes `seconds` after the previous one. */
    async tick(seconds: number): Promise<void> {
      clock += seconds;
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(clock) });
    },
    /** Waits for a seed transaction, which must succeed. */
    async mined(hash: Promise<Hash>, what: string): Promise<void> {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      if (receipt.status !== "success") throw new Error(`seed transaction ${what} reverted`);
      sent++;
    },
    /** The local account of a demo person (viem signs with it, locally). */
    signer: (index: number) => ({ account: localAccount(index) }),
    address: (index: number): Address => localAccount(index).address,
    residentAddress: (i: number): Address => localAccount(RESIDENTS[i].index).address,
    /** A fresh readable order number (ORDER-1000, ORDER-1001, …). */
    nextOrder: (): Hex => reference(`ORDER-${order++}`),
    /**
     * Secure Mint: issuing needs a fresh reserve attestation (no older than the deployment's
     * `maxReportAge`, 35 days locally) covering the supply after issuing. Before each batch of
     * deposits is issued, the attester publishes the bank's reserves including them (supply + what
     * is about to be issued), as the bank would once the deposits have arrived; so every report the
     * seed issues against is minutes old on the demo clock, however far the month has moved.
     */
    async attestBefore(issuing: bigint, label: string): Promise<void> {
      const supply = await contracts.cityYuan.read.totalSupply();
      await world.tick(300);
      await world.mined(
        contracts.cityYuan.write.attestReserves(
          [
            supply + issuing,
            keccak256(stringToHex(`Hefei City Bank reserve report, ${label}`)),
            `https://reserves.hefei.example/reports/${label}.pdf`,
          ],
          world.signer(ROLE_HOLDERS.attester.index),
        ),
        "attestReserves",
      );
      attestations++;
    },
    counts: () => ({ sent, attestations }),
  };
  return world;
}
