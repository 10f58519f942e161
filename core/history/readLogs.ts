// Reads, for one account and one block range, every log that can move its money: three
// eth_getLogs filtered by the account's topic position (one HTTP request with a batching
// transport), decoded against our own ABIs (imported by relative path so the benchmark runs this
// very file under plain tsx). Only the account's logs cross the wire, so a
// resident's history costs the same on a ledger of a hundred or a million other movements.

import {
  type Abi,
  type AbiEvent,
  type Address,
  decodeEventLog,
  type Hex,
  hexToBigInt,
  type PublicClient,
  pad,
  toEventSelector,
  toHex,
} from "viem";
import {
  cityYuanAbi,
  delayedTransfersAbi,
  familyCardsAbi,
  redPacketAbi,
  vouchersAbi,
} from "../../generated/contracts.js";
import type { ChainLog, HistoryContracts } from "./assemble.js";

export type RpcLog = {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  logIndex: Hex;
  transactionHash: Hex;
  blockTimestamp?: Hex;
  removed?: boolean;
};

function eventsOf(abi: Abi, names: readonly string[]): AbiEvent[] {
  return names.map((name) => {
    const item = abi.find((entry): entry is AbiEvent => entry.type === "event" && entry.name === name);
    if (!item) throw new Error(`event ${name} missing from the generated ABI`);
    return item;
  });
}

const TOKEN_EVENTS = eventsOf(cityYuanAbi, ["Transfer", "PaymentMade", "PaymentRefunded", "Issued", "Redeemed"]);
const PACKET_EVENTS = eventsOf(redPacketAbi, ["PacketCreated", "PacketClaimed", "PacketRefunded"]);
const VOUCHER_EVENTS = eventsOf(vouchersAbi, ["VoucherRedeemed", "VoucherSaleRefunded"]);
const FAMILY_EVENTS = eventsOf(familyCardsAbi, ["FamilyCardPaid"]);
const DELAYED_EVENTS = eventsOf(delayedTransfersAbi, ["TransferDelayed", "TransferCancelled", "TransferReleased"]);

const selector = (event: AbiEvent) => toEventSelector(event);
const sel = Object.fromEntries(
  [...TOKEN_EVENTS, ...PACKET_EVENTS, ...VOUCHER_EVENTS, ...FAMILY_EVENTS, ...DELAYED_EVENTS].map((e) => [
    e.name,
    selector(e),
  ]),
) as Record<string, Hex>;

/** The event an (emitter kind, topic0) pair decodes as. */
const DECODERS = new Map<string, AbiEvent>([
  ...TOKEN_EVENTS.map((e) => [`token:${sel[e.name]}`, e] as const),
  ...PACKET_EVENTS.map((e) => [`packet:${sel[e.name]}`, e] as const),
  ...VOUCHER_EVENTS.map((e) => [`voucher:${sel[e.name]}`, e] as const),
  ...FAMILY_EVENTS.map((e) => [`family:${sel[e.name]}`, e] as const),
  ...DELAYED_EVENTS.map((e) => [`delayed:${sel[e.name]}`, e] as const),
]);

/** The three filters that together catch every log naming `account` as a party. */
export function historyFilters(account: Address, contracts: HistoryContracts, fromBlock: bigint, toBlock: bigint) {
  const me = pad(account.toLowerCase() as Hex, { size: 32 });
  const range = { fromBlock: toHex(fromBlock), toBlock: toHex(toBlock) };
  // 亲属卡 and 转账延时到账, where deployed: a card payment names its funder second (his history
  // says 亲属卡 · 妈妈) and its shop third, a delayed transfer its sender second and receiver third.
  const family = contracts.familyCards ? [contracts.familyCards] : [];
  const delayed = contracts.delayedTransfers ? [contracts.delayedTransfers] : [];
  const familySecond = [
    ...(family.length > 0 ? [sel.FamilyCardPaid] : []),
    ...(delayed.length > 0 ? [sel.TransferDelayed, sel.TransferCancelled, sel.TransferReleased] : []),
  ];
  const delayedThird = delayed.length > 0 ? [sel.TransferDelayed, sel.TransferReleased] : [];
  const familyThird = family.length > 0 ? [sel.FamilyCardPaid] : [];
  return [
    // The account as the second indexed party: Transfer to, payer, the payee who refunds, top-up
    // receiver, packet sender and claimer, voucher payer (and her refund of a voucher sale).
    {
      ...range,
      address: [contracts.cityYuan, contracts.redPacket, contracts.vouchers, ...family, ...delayed],
      topics: [
        [
          sel.Transfer,
          sel.PaymentMade,
          sel.PaymentRefunded,
          sel.Issued,
          sel.PacketCreated,
          sel.PacketClaimed,
          sel.PacketRefunded,
          sel.VoucherRedeemed,
          sel.VoucherSaleRefunded,
          ...familySecond,
        ],
        null,
        me,
      ],
    },
    // The account first: Transfer from, cash-out.
    { ...range, address: [contracts.cityYuan], topics: [[sel.Transfer, sel.Redeemed], me] },
    // The account third: payee of a payment or voucher checkout (or of its refund), payer receiving
    // a refund.
    {
      ...range,
      address: [contracts.cityYuan, contracts.vouchers, ...family, ...delayed],
      topics: [
        [
          sel.PaymentMade,
          sel.PaymentRefunded,
          sel.VoucherRedeemed,
          sel.VoucherSaleRefunded,
          ...familyThird,
          ...delayedThird,
        ],
        null,
        null,
        me,
      ],
    },
  ];
}

export type RangeRead = { logs: ChainLog[]; rawCount: number };

/**
 * Reads [fromBlock, toBlock] for `account`. Block times come with the logs on nodes that include
 * `blockTimestamp` (Hardhat/EDR, recent geth); otherwise the blocks are fetched once each.
 */
export async function readAccountLogs(
  client: PublicClient,
  account: Address,
  contracts: HistoryContracts,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<RangeRead> {
  const filters = historyFilters(account, contracts, fromBlock, toBlock);
  const results = await Promise.all(
    filters.map((filter) => client.request({ method: "eth_getLogs", params: [filter as never] }) as Promise<RpcLog[]>),
  );
  const raw = results.flat().filter((log) => !log.removed);
  const missing = new Set<string>();
  for (const log of raw) if (!log.blockTimestamp) missing.add(log.blockNumber);
  const times = new Map<string, number>();
  if (missing.size > 0) {
    const blocks = await Promise.all(
      [...missing].map((n) => client.getBlock({ blockNumber: hexToBigInt(n as Hex), includeTransactions: false })),
    );
    for (const block of blocks) times.set(toHex(block.number), Number(block.timestamp));
  }
  const logs: ChainLog[] = [];
  for (const log of raw) {
    const decoded = decodeHistoryLog(log, contracts);
    if (!decoded) continue;
    logs.push({
      address: log.address,
      blockNumber: hexToBigInt(log.blockNumber),
      logIndex: Number(log.logIndex),
      transactionHash: log.transactionHash,
      blockTimestamp: log.blockTimestamp
        ? Number(log.blockTimestamp)
        : (times.get(toHex(hexToBigInt(log.blockNumber))) ?? 0),
      eventName: decoded.eventName,
      args: decoded.args,
    });
  }
  return { logs, rawCount: raw.length };
}

export function decodeHistoryLog(
  log: RpcLog,
  contracts: HistoryContracts,
): { eventName: string; args: Record<string, unknown> } | null {
  const address = log.address.toLowerCase();
  const kind =
    address === contracts.cityYuan.toLowerCase()
      ? "token"
      : address === contracts.redPacket.toLowerCase()
        ? "packet"
        : address === contracts.vouchers.toLowerCase()
          ? "voucher"
          : address === contracts.familyCards?.toLowerCase()
            ? "family"
            : address === contracts.delayedTransfers?.toLowerCase()
              ? "delayed"
              : null;
  const topic0 = log.topics[0];
  if (!kind || !topic0) return null;
  const event = DECODERS.get(`${kind}:${topic0.toLowerCase()}`);
  if (!event) return null;
  const fast = decodeFixed(event.name, log);
  if (fast) return fast;
  try {
    const decoded = decodeEventLog({
      abi: [event],
      data: log.data,
      topics: log.topics as [Hex, ...Hex[]],
      strict: true,
    });
    return { eventName: decoded.eventName as string, args: decoded.args as unknown as Record<string, unknown> };
  } catch {
    // A log that does not fit our ABI is not ours to interpret.
    return null;
  }
}

// A resident's history is mostly transfers and payments: decoding their fixed layouts by hand is
// several times faster than the generic ABI decoder, which matters at 10,000 entries. Only logs
// whose topic and data sizes fit exactly take this path; anything else goes to viem.
const word = (data: Hex, i: number): Hex => `0x${data.slice(2 + i * 64, 2 + (i + 1) * 64)}` as Hex;
const topicAddress = (topic: Hex): Address => `0x${topic.slice(26)}` as Address;
const FIXED: Record<string, { topics: number; words: number; read: (t: Hex[], d: Hex) => Record<string, unknown> }> = {
  Transfer: {
    topics: 3,
    words: 1,
    read: (t, d) => ({ from: topicAddress(t[1]), to: topicAddress(t[2]), value: BigInt(d) }),
  },
  PaymentMade: {
    topics: 4,
    words: 2,
    read: (t, d) => ({
      paymentId: t[1],
      payer: topicAddress(t[2]),
      payee: topicAddress(t[3]),
      amount: BigInt(word(d, 0)),
      orderRef: word(d, 1),
    }),
  },
  PaymentRefunded: {
    topics: 4,
    words: 1,
    read: (t, d) => ({ paymentId: t[1], payee: topicAddress(t[2]), payer: topicAddress(t[3]), amount: BigInt(d) }),
  },
  Issued: {
    topics: 4,
    words: 1,
    read: (t, d) => ({ issuer: topicAddress(t[1]), to: topicAddress(t[2]), bankRef: t[3], amount: BigInt(d) }),
  },
  Redeemed: {
    topics: 3,
    words: 1,
    read: (t, d) => ({ account: topicAddress(t[1]), bankRef: t[2], amount: BigInt(d) }),
  },
  PacketClaimed: {
    topics: 3,
    words: 2,
    read: (t, d) => ({
      packetId: BigInt(t[1]),
      claimer: topicAddress(t[2]),
      amount: BigInt(word(d, 0)),
      index: BigInt(word(d, 1)),
    }),
  },
  PacketRefunded: {
    topics: 4,
    words: 1,
    read: (t, d) => ({
      packetId: BigInt(t[1]),
      sender: topicAddress(t[2]),
      caller: topicAddress(t[3]),
      amount: BigInt(d),
    }),
  },
};

function decodeFixed(name: string, log: RpcLog): { eventName: string; args: Record<string, unknown> } | null {
  const layout = FIXED[name];
  if (!layout || log.topics.length !== layout.topics || log.data.length !== 2 + layout.words * 64) return null;
  return { eventName: name, args: layout.read(log.topics, log.data) };
}
