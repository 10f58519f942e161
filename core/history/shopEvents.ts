// One block range of a shop's receipts and refunds, as ledger events, with the time of every block
// they are in: CityYuan payments, voucher checkouts and their refunds, and 亲属卡 payments. The
// dApp's merchant page reads its live receipts with it, and the city service its insights.
import { type Address, type Hex, pad } from "viem";
import { type LedgerContracts, type LedgerEvent, ledgerTopic } from "../audit/ledgerEvents.js";
import { readLedgerLogs } from "../audit/readLedger.js";
import type { RpcClient } from "../audit/rpc.js";
import { readCardReceipts } from "./cardReceipts.js";

export async function readShopEvents(
  rpc: RpcClient,
  contracts: LedgerContracts & { FamilyCards: Address },
  shop: Address,
  from: bigint,
  to: bigint,
): Promise<{ events: LedgerEvent[]; times: Map<bigint, number>; hashes: Map<bigint, Hex> }> {
  const me = pad(shop.toLowerCase() as Hex, { size: 32 });
  const [paid, refunded, byCard] = await Promise.all([
    readLedgerLogs(rpc, {
      contracts,
      fromBlock: from,
      toBlock: to,
      only: ["CityYuan", "Vouchers"],
      // A voucher sale's refund names the shop as payee in the same place as the receipts.
      topics: [
        [ledgerTopic("PaymentMade"), ledgerTopic("VoucherRedeemed"), ledgerTopic("VoucherSaleRefunded")],
        null,
        null,
        me,
      ],
    }),
    readLedgerLogs(rpc, {
      contracts,
      fromBlock: from,
      toBlock: to,
      only: ["CityYuan"],
      topics: [ledgerTopic("PaymentRefunded"), null, me],
    }),
    // 亲属卡 payments: the card's FamilyCardPaid is the receipt (CityYuan records no PaymentMade).
    readCardReceipts(rpc, contracts.FamilyCards, shop, from, to),
  ]);
  const events = [...paid, ...refunded, ...byCard];
  // Block times, one batched read of the distinct blocks (and of `to`, for "last block seen"; its
  // hash lets the next read notice a reorg under it).
  const blocks = [...new Set([...events.map((e) => e.blockNumber), to])];
  const headers = await rpc.batch<{ timestamp: Hex; hash: Hex }>(
    blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [`0x${b.toString(16)}`, false] })),
  );
  return {
    events,
    times: new Map(blocks.map((b, i) => [b, Number(BigInt(headers[i]?.timestamp ?? "0x0"))])),
    hashes: new Map(blocks.map((b, i) => [b, headers[i]?.hash as Hex])),
  };
}
