// The history's hand-written decoders for fixed-layout events must agree with viem's ABI decoder
// on every event they cover, and logs of other emitters must not be decoded at all.
import { cityYuanAbi, redPacketAbi, vouchersAbi } from "@generated/contracts";
import { type Abi, type Address, decodeEventLog, encodeAbiParameters, encodeEventTopics, type Hex, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { decodeHistoryLog, historyFilters, type RpcLog } from "../../core/history/readLogs";

const contracts = {
  cityYuan: "0xC17c17C17c17c17C17c17C17C17C17c17c17c17C" as Address,
  redPacket: "0xEd0ed0eD0ed0eD0Ed0ed0ED0eD0ed0ED0ed0eD0e" as Address,
  vouchers: "0xF0f0F0F0f0F0F0f0F0F0f0f0F0F0f0F0f0F0f0f0" as Address,
};
const A = "0x1111111111111111111111111111111111111111" as Address;
const B = "0x2222222222222222222222222222222222222222" as Address;
const REF = `0x${"12".repeat(32)}` as Hex;

function rpcLog(abi: Abi, address: Address, eventName: string, args: Record<string, unknown>): RpcLog {
  const event = abi.find((e) => e.type === "event" && e.name === eventName);
  if (event?.type !== "event") throw new Error(eventName);
  const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as Hex[];
  const unindexed = event.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(
    unindexed,
    unindexed.map((i) => args[i.name as string]),
  );
  return {
    address,
    topics,
    data,
    blockNumber: "0x1",
    blockHash: REF,
    logIndex: "0x0",
    transactionHash: REF,
    blockTimestamp: toHex(1),
  };
}

const cases: [Abi, Address, string, Record<string, unknown>][] = [
  [cityYuanAbi, contracts.cityYuan, "Transfer", { from: A, to: B, value: 123n }],
  [cityYuanAbi, contracts.cityYuan, "PaymentMade", { paymentId: REF, payer: A, payee: B, amount: 5n, orderRef: REF }],
  [cityYuanAbi, contracts.cityYuan, "PaymentRefunded", { paymentId: REF, payee: B, payer: A, amount: 7n }],
  [cityYuanAbi, contracts.cityYuan, "Issued", { issuer: A, to: B, amount: 300_000n, bankRef: REF }],
  [cityYuanAbi, contracts.cityYuan, "Redeemed", { account: A, amount: 9n, bankRef: REF }],
  [redPacketAbi, contracts.redPacket, "PacketClaimed", { packetId: 4n, claimer: A, amount: 88n, index: 2n }],
  [redPacketAbi, contracts.redPacket, "PacketRefunded", { packetId: 4n, sender: A, caller: B, amount: 12n }],
  [
    redPacketAbi,
    contracts.redPacket,
    "PacketCreated",
    {
      packetId: 4n,
      sender: A,
      audienceKey: REF,
      audience: 2,
      mode: 1,
      amount: 100n,
      shares: 3n,
      expiry: 99n,
      greeting: "恭喜发财",
    },
  ],
  [
    vouchersAbi,
    contracts.vouchers,
    "VoucherRedeemed",
    { paymentId: REF, payer: A, payee: B, price: 3000n, orderRef: REF, campaignId: 2n, discount: 500n },
  ],
];

const normalise = (args: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "string" ? v.toLowerCase() : v]));

describe("decodeHistoryLog", () => {
  it.each(cases)("decodes %#: the same as viem", (abi, address, eventName, args) => {
    const log = rpcLog(abi, address, eventName, args);
    const ours = decodeHistoryLog(log, contracts);
    const viem = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    expect(ours?.eventName).toBe(eventName);
    expect(normalise(ours?.args ?? {})).toEqual(normalise(viem.args as unknown as Record<string, unknown>));
  });

  it("does not decode our events when another contract emits them", () => {
    const log = rpcLog(cityYuanAbi, B, "Transfer", { from: A, to: B, value: 1n });
    expect(decodeHistoryLog(log, contracts)).toBeNull();
    // nor a red-packet event claimed to come from the token
    const packet = rpcLog(redPacketAbi, contracts.cityYuan, "PacketClaimed", {
      packetId: 1n,
      claimer: A,
      amount: 1n,
      index: 0n,
    });
    expect(decodeHistoryLog(packet, contracts)).toBeNull();
  });

  it("asks the node only for logs naming the account, in the three topic positions", () => {
    const filters = historyFilters(A, contracts, 10n, 20n);
    const me = `0x${"0".repeat(24)}${A.slice(2)}`;
    expect(filters.map((f) => (f.topics as unknown[]).indexOf(me))).toEqual([2, 1, 3]);
    expect(filters.every((f) => f.fromBlock === "0xa" && f.toBlock === "0x14")).toBe(true);
  });
});
