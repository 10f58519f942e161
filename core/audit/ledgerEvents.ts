// The ledger's events the audit, the ledger page and the merchant's receipts read, decoded into
// plain typed records. Each event is accepted only from the contract that owns it (a Transfer
// from any other address is not an HCY movement), keyed by (address, topic0).
// Imports carry .js so the module runs unchanged under Vite, Vitest and Node (the audit CLI).
import type { Address, Hex } from "viem";
import { cityYuanAbi, delayedTransfersAbi, redPacketAbi, vouchersAbi } from "../../generated/contracts.js";
import { type DecodedArgs, type FastEventDecoder, fastDecoderFor, type RawLog } from "./fastDecoder.js";

export interface LogPosition {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** Block time in seconds when the node puts it on the log (newer nodes do); otherwise absent. */
  blockTimestamp?: number;
}

export type LedgerEvent = LogPosition &
  (
    | { kind: "Transfer"; from: Address; to: Address; value: bigint }
    | { kind: "Issued"; issuer: Address; to: Address; amount: bigint; bankRef: Hex }
    | { kind: "Redeemed"; account: Address; amount: bigint; bankRef: Hex }
    | { kind: "PaymentMade"; paymentId: Hex; payer: Address; payee: Address; amount: bigint; orderRef: Hex }
    | { kind: "PaymentRefunded"; paymentId: Hex; payee: Address; payer: Address; amount: bigint }
    | { kind: "ReservesAttested"; attestationId: bigint; attester: Address; reserves: bigint; reportHash: Hex }
    | { kind: "AccountFrozen"; account: Address; officer: Address }
    | { kind: "AccountUnfrozen"; account: Address; officer: Address }
    | { kind: "PacketCreated"; packetId: bigint; sender: Address; amount: bigint }
    | { kind: "PacketClaimed"; packetId: bigint; claimer: Address; amount: bigint }
    | { kind: "PacketRefunded"; packetId: bigint; sender: Address; amount: bigint }
    | { kind: "CampaignCreated"; campaignId: bigint; sponsor: Address; budget: bigint }
    | { kind: "VoucherClaimed"; campaignId: bigint; resident: Address }
    | {
        kind: "VoucherRedeemed";
        paymentId: Hex;
        payer: Address;
        payee: Address;
        price: bigint;
        orderRef: Hex;
        campaignId: bigint;
        discount: bigint;
      }
    | {
        kind: "VoucherSaleRefunded";
        paymentId: Hex;
        payer: Address;
        payee: Address;
        campaignId: bigint;
        paid: bigint;
        discount: bigint;
      }
    | { kind: "CampaignStopped"; campaignId: bigint; sponsor: Address; refunded: bigint }
    | { kind: "BudgetReclaimed"; campaignId: bigint; sponsor: Address; amount: bigint }
    | { kind: "ExcessRescued"; escrow: EscrowName; to: Address; amount: bigint }
    | {
        kind: "TransferDelayed";
        transferId: bigint;
        sender: Address;
        receiver: Address;
        amount: bigint;
        releaseAt: bigint;
      }
    | { kind: "TransferCancelled"; transferId: bigint; sender: Address; receiver: Address; amount: bigint }
    | {
        kind: "TransferReleased";
        transferId: bigint;
        sender: Address;
        receiver: Address;
        amount: bigint;
        releasedBy: Address;
      }
  );

/** The two escrows; `ExcessRescued` has the same shape in both and says which one emitted it. */
export type EscrowName = "RedPacket" | "Vouchers";

export type LedgerEventKind = LedgerEvent["kind"];

export interface LedgerContracts {
  CityYuan: Address;
  RedPacket: Address;
  Vouchers: Address;
  /** 转账延时到账: holds each delayed transfer until it is released or taken back. */
  DelayedTransfers: Address;
}

const OWNED: Record<keyof LedgerContracts, { abi: readonly unknown[]; events: LedgerEventKind[] }> = {
  CityYuan: {
    abi: cityYuanAbi,
    events: [
      "Transfer",
      "Issued",
      "Redeemed",
      "PaymentMade",
      "PaymentRefunded",
      "ReservesAttested",
      "AccountFrozen",
      "AccountUnfrozen",
    ],
  },
  RedPacket: {
    abi: redPacketAbi,
    events: ["PacketCreated", "PacketClaimed", "PacketRefunded", ...optional(redPacketAbi, "ExcessRescued")],
  },
  Vouchers: {
    abi: vouchersAbi,
    events: [
      "CampaignCreated",
      "VoucherClaimed",
      "VoucherRedeemed",
      "VoucherSaleRefunded",
      "CampaignStopped",
      "BudgetReclaimed",
      "ExcessRescued",
    ],
  },
  DelayedTransfers: {
    abi: delayedTransfersAbi,
    events: ["TransferDelayed", "TransferCancelled", "TransferReleased"],
  },
};

/** An event read only when the contract's ABI has it (RedPacket gains `ExcessRescued` in issue 11). */
function optional(abi: readonly unknown[], name: LedgerEventKind): LedgerEventKind[] {
  return (abi as { type: string; name?: string }[]).some((e) => e.type === "event" && e.name === name) ? [name] : [];
}

function abiEvent(abi: readonly unknown[], name: string) {
  const item = (abi as { type: string; name?: string }[]).find(
    (entry) => entry.type === "event" && entry.name === name,
  );
  if (!item) throw new Error(`event ${name} missing from the generated ABI`);
  return item as Parameters<typeof fastDecoderFor>[0];
}

/** topic0 of each event the ledger reads, by contract: for getLogs filters. */
export function ledgerTopics(): Hex[] {
  const topics = new Set<Hex>();
  for (const owned of Object.values(OWNED)) {
    for (const name of owned.events) topics.add(fastDecoderFor(abiEvent(owned.abi, name)).selector);
  }
  return [...topics];
}

/**
 * The events that move or hold money, which the audit's replay counts (replay.ts): transfers,
 * issues and redemptions, attestations, and every escrow's funding, pay-outs and returns. The
 * others — a payment's receipt (`PaymentMade`, `PaymentRefunded`: the money moved in their
 * `Transfer`), freezes, voucher claims — change no figure the audit checks, so the audit does not
 * ask the node for them: on a ledger of shop payments that halves what it reads.
 */
export const MONEY_EVENTS: readonly LedgerEventKind[] = [
  "Transfer",
  "Issued",
  "Redeemed",
  "ReservesAttested",
  "PacketCreated",
  "PacketClaimed",
  "PacketRefunded",
  "ExcessRescued",
  "CampaignCreated",
  "VoucherRedeemed",
  "VoucherSaleRefunded",
  "CampaignStopped",
  "BudgetReclaimed",
  "TransferDelayed",
  "TransferCancelled",
  "TransferReleased",
];

/** topic0 of each money event (MONEY_EVENTS) the contracts emit: the audit's getLogs filter. */
export function moneyTopics(): Hex[] {
  const topics = new Set<Hex>();
  for (const owned of Object.values(OWNED)) {
    for (const name of owned.events) {
      if (MONEY_EVENTS.includes(name)) topics.add(fastDecoderFor(abiEvent(owned.abi, name)).selector);
    }
  }
  return [...topics];
}

/** topic0 of one ledger event. */
export function ledgerTopic(kind: LedgerEventKind): Hex {
  for (const owned of Object.values(OWNED)) {
    if (owned.events.includes(kind)) return fastDecoderFor(abiEvent(owned.abi, kind)).selector;
  }
  throw new Error(`unknown ledger event ${kind}`);
}

/** A decoder for the logs of one deployment: unknown contracts or events give `undefined`. */
export function ledgerDecoder(contracts: LedgerContracts): (log: RawLog) => LedgerEvent | undefined {
  // address (lower case) -> topic0 -> decoder: two lookups per log, no key string built per log.
  const byAddress = new Map<string, Map<string, { decoder: FastEventDecoder; contract: keyof LedgerContracts }>>();
  for (const [name, owned] of Object.entries(OWNED) as [keyof LedgerContracts, (typeof OWNED)["CityYuan"]][]) {
    const address = contracts[name].toLowerCase();
    const byTopic = byAddress.get(address) ?? new Map();
    byAddress.set(address, byTopic);
    for (const eventName of owned.events) {
      const decoder = fastDecoderFor(abiEvent(owned.abi, eventName));
      byTopic.set(decoder.selector, { decoder, contract: name });
    }
  }
  // Block numbers repeat across many logs: convert each hex once.
  const blocks = new Map<string, bigint>();
  return (log) => {
    const topic0 = log.topics[0];
    if (!topic0) return undefined;
    // Nodes send addresses in lower case; any other case is looked up again lower-cased.
    const byTopic = byAddress.get(log.address) ?? byAddress.get(log.address.toLowerCase());
    const entry = byTopic?.get(topic0) ?? byTopic?.get(topic0.toLowerCase());
    if (!entry) return undefined;
    const { decoder } = entry;
    const event = decoder.decode(log) as DecodedArgs & Partial<LogPosition> & { kind?: string; escrow?: string };
    if (decoder.eventName === "ExcessRescued") event.escrow = entry.contract;
    let blockNumber = blocks.get(log.blockNumber);
    if (blockNumber === undefined) {
      blockNumber = BigInt(log.blockNumber);
      blocks.set(log.blockNumber, blockNumber);
    }
    event.kind = decoder.eventName;
    event.blockNumber = blockNumber;
    event.logIndex = Number(log.logIndex);
    event.transactionHash = log.transactionHash;
    if (log.blockTimestamp) event.blockTimestamp = Number(log.blockTimestamp);
    return event as unknown as LedgerEvent;
  };
}

/** Chain order: block, then position in the block. */
export function compareChainOrder(a: LogPosition, b: LogPosition): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}
