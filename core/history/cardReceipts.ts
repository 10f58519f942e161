// A shop's 亲属卡 receipts: FamilyCards moves the funder's HCY to the shop and records the payment
// with CityYuan as his (refundable against `paymentId`, like any payment) but CityYuan emits no
// PaymentMade for it; the card's FamilyCardPaid is the receipt. Read for a block range with the
// shop's other receipts and handed over in PaymentMade's shape (payer: the funder, whose money it
// was and to whom a refund goes), so totals, refunds and the CSV treat it as the payment it is.

import { type Address, decodeEventLog, getAbiItem, type Hex, hexToBigInt, pad, toEventSelector, toHex } from "viem";
import { familyCardsAbi } from "../../generated/contracts.js";
import type { LedgerEvent } from "../audit/ledgerEvents.js";
import type { RpcClient } from "../audit/rpc.js";

const PAID = getAbiItem({ abi: familyCardsAbi, name: "FamilyCardPaid" });
const PAID_TOPIC = toEventSelector(PAID);

type RpcLog = {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  logIndex: Hex;
  transactionHash: Hex;
  blockTimestamp?: Hex;
  removed?: boolean;
};

export async function readCardReceipts(
  rpc: RpcClient,
  familyCards: Address,
  shop: Address,
  from: bigint,
  to: bigint,
): Promise<LedgerEvent[]> {
  const logs = await rpc.call<RpcLog[]>("eth_getLogs", [
    {
      address: familyCards,
      fromBlock: toHex(from),
      toBlock: toHex(to),
      topics: [PAID_TOPIC, null, null, pad(shop.toLowerCase() as Hex, { size: 32 })],
    },
  ]);
  const events: LedgerEvent[] = [];
  for (const log of logs) {
    if (log.removed || log.address.toLowerCase() !== familyCards.toLowerCase()) continue;
    try {
      const { args } = decodeEventLog({
        abi: [PAID],
        data: log.data,
        topics: log.topics as [Hex, ...Hex[]],
        strict: true,
      });
      events.push({
        kind: "PaymentMade",
        paymentId: args.paymentId,
        payer: args.funder,
        payee: args.shop,
        amount: args.amount,
        orderRef: args.orderRef,
        blockNumber: hexToBigInt(log.blockNumber),
        logIndex: Number(log.logIndex),
        transactionHash: log.transactionHash,
        blockTimestamp: log.blockTimestamp ? Number(log.blockTimestamp) : undefined,
      });
    } catch {
      // Not our event's shape: not a receipt.
    }
  }
  return events;
}
