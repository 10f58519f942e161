// What the merchant API reads from the chain: whether an address is a registered shop, payments to
// a shop (CityYuan `PaymentMade`) and its refunds (`PaymentRefunded`), and block times. The chain
// is the source of truth; the API never says "paid" for a payment fewer than the city's
// confirmations deep.
import { type Address, getAddress, type Hex, type PublicClient } from "viem";
import { cityYuanAbi, merchantRegistryAbi } from "../../../generated/contracts.js";

export interface ShopPayment {
  paymentId: Hex;
  payer: Address;
  amount: bigint;
  orderRef: Hex;
  txHash: Hex;
  blockNumber: bigint;
  logIndex: number;
}

export interface ShopRefund {
  paymentId: Hex;
  payer: Address;
  amount: bigint;
  txHash: Hex;
  blockNumber: bigint;
  logIndex: number;
}

export interface ShopLedger {
  readonly cityYuan: Address;
  readonly chainId: number;
  /** Whether the city's MerchantRegistry lists `address` (asked at the head). */
  isShop(address: Address): Promise<boolean>;
  head(): Promise<bigint>;
  paymentsTo(shop: Address, fromBlock: bigint, toBlock: bigint): Promise<ShopPayment[]>;
  refundsBy(shop: Address, fromBlock: bigint, toBlock: bigint): Promise<ShopRefund[]>;
  /** Unix seconds of block `n`. */
  blockTime(n: bigint): Promise<number>;
  /** The first block at or after unix second `at` (head + 1 when none is yet). */
  firstBlockAtOrAfter(at: number, head: bigint): Promise<bigint>;
}

/** A ShopLedger that asks a node through viem, `blockRange` blocks per getLogs call. */
export function chainShopLedger(options: {
  client: PublicClient;
  chainId: number;
  cityYuan: Address;
  merchantRegistry: Address | undefined;
  deployBlock: bigint;
  blockRange: number;
}): ShopLedger {
  const { client, cityYuan, merchantRegistry, deployBlock } = options;
  const range = BigInt(Math.max(1, options.blockRange));
  const times = new Map<bigint, number>();

  async function chunked<T>(from: bigint, to: bigint, read: (a: bigint, b: bigint) => Promise<T[]>): Promise<T[]> {
    const out: T[] = [];
    for (let a = from < deployBlock ? deployBlock : from; a <= to; a += range) {
      const b = a + range - 1n < to ? a + range - 1n : to;
      out.push(...(await read(a, b)));
    }
    return out;
  }

  const blockTime = async (n: bigint): Promise<number> => {
    const cached = times.get(n);
    if (cached !== undefined) return cached;
    const block = await client.getBlock({ blockNumber: n });
    const t = Number(block.timestamp);
    if (times.size > 100_000) times.clear();
    times.set(n, t);
    return t;
  };

  return {
    cityYuan,
    chainId: options.chainId,
    async isShop(address) {
      if (merchantRegistry === undefined) return false;
      const record = await client.readContract({
        address: merchantRegistry,
        abi: merchantRegistryAbi,
        functionName: "merchantOf",
        args: [address],
      });
      return record.registeredAt !== 0n;
    },
    head: () => client.getBlockNumber({ cacheTime: 0 }),
    paymentsTo: (shop, fromBlock, toBlock) =>
      chunked(fromBlock, toBlock, async (a, b) => {
        const logs = await client.getContractEvents({
          address: cityYuan,
          abi: cityYuanAbi,
          eventName: "PaymentMade",
          args: { payee: shop },
          fromBlock: a,
          toBlock: b,
          strict: true,
        });
        return logs.map((log) => ({
          paymentId: log.args.paymentId,
          payer: getAddress(log.args.payer),
          amount: log.args.amount,
          orderRef: log.args.orderRef,
          txHash: log.transactionHash,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        }));
      }),
    refundsBy: (shop, fromBlock, toBlock) =>
      chunked(fromBlock, toBlock, async (a, b) => {
        const logs = await client.getContractEvents({
          address: cityYuan,
          abi: cityYuanAbi,
          eventName: "PaymentRefunded",
          args: { payee: shop },
          fromBlock: a,
          toBlock: b,
          strict: true,
        });
        return logs.map((log) => ({
          paymentId: log.args.paymentId,
          payer: getAddress(log.args.payer),
          amount: log.args.amount,
          txHash: log.transactionHash,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        }));
      }),
    blockTime,
    // Binary search on block times (they never decrease): about log2(head) block reads.
    async firstBlockAtOrAfter(at, head) {
      let lo = deployBlock;
      let hi = head + 1n;
      while (lo < hi) {
        const mid = (lo + hi) / 2n;
        if ((await blockTime(mid)) >= at) hi = mid;
        else lo = mid + 1n;
      }
      return lo;
    },
  };
}
