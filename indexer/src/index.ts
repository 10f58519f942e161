// The handlers: one for every event of the city's contracts. Each event becomes a `ledger_event`
// row and the history entries it makes (`movement`, src/movements.ts); money events also keep the
// balances, the ledger's totals, the flows per day, the shops' receipts and daily totals, and the
// registry views. Every table is only added to or upserted by key, which Ponder's indexing cache
// keeps in memory and writes in batches.
// Ponder reverts all of it by itself when the chain reorganises.
import { ponder } from "ponder:registry";
import { balance, cityAccount, flowDay, ledger, ledgerEvent, merchant, receipt, shopDay } from "ponder:schema";
import { categoryFromIndex } from "../../core/enums.js";
import { argsToJson, EVENT_KEYS, principal, shanghaiDay } from "../events";
import type { Db } from "./db";
import { endTransaction, recordMovements } from "./movements";

const ZERO = "0x0000000000000000000000000000000000000000";

type Hex = `0x${string}`;
type Args = Record<string, unknown>;
// The registry is typed per event name; every event shares this one handler.
type AnyEvent = {
  args: Args;
  log: { logIndex: number; address: Hex };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: Hex };
};

const lower = (value: unknown) => (value as string).toLowerCase() as Hex;

async function addBalance(db: Db, account: Hex, delta: bigint) {
  await db
    .insert(balance)
    .values({ account, balance: delta })
    .onConflictDoUpdate((row) => ({ balance: row.balance + delta }));
}

async function addFlow(db: Db, day: string, flow: string, amount: bigint) {
  await db
    .insert(flowDay)
    .values({ day, flow, count: 1, amount })
    .onConflictDoUpdate((row) => ({ count: row.count + 1, amount: row.amount + amount }));
}

async function categoryOf(db: Db, shop: Hex): Promise<string> {
  const row = await db.find(merchant, { address: shop });
  return row ? categoryFromIndex(row.category) : "unregistered";
}

type ReceiptFields = {
  shop: Hex;
  payer: Hex;
  kind: "payment" | "voucherPayment" | "familyCardPayment" | "refund" | "voucherRefund";
  amount: bigint;
  discount?: bigint;
  campaignId?: bigint;
  cardId?: bigint;
  orderRef?: Hex;
  paymentId?: Hex;
};

async function addReceipt(db: Db, event: AnyEvent, day: string, fields: ReceiptFields) {
  const refund = fields.kind === "refund" || fields.kind === "voucherRefund";
  await db.insert(receipt).values({
    id: `${event.transaction.hash}:${event.log.logIndex}`,
    ...fields,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
    timestamp: Number(event.block.timestamp),
    day,
  });
  const discount = refund ? 0n : (fields.discount ?? 0n);
  await db
    .insert(shopDay)
    .values({
      shop: fields.shop,
      day,
      payments: refund ? 0 : 1,
      received: refund ? 0n : fields.amount,
      refunds: refund ? 1 : 0,
      refunded: refund ? fields.amount : 0n,
      discounts: discount,
    })
    .onConflictDoUpdate((row) => ({
      payments: row.payments + (refund ? 0 : 1),
      received: row.received + (refund ? 0n : fields.amount),
      refunds: row.refunds + (refund ? 1 : 0),
      refunded: row.refunded + (refund ? fields.amount : 0n),
      discounts: row.discounts + discount,
    }));
  if (refund) await addFlow(db, day, "refund", fields.amount);
  else await addFlow(db, day, `payment.${await categoryOf(db, fields.shop)}`, fields.amount);
}

async function handle(contract: string, name: string, event: AnyEvent, db: Db) {
  const args = event.args;
  const timestamp = Number(event.block.timestamp);
  const day = shanghaiDay(timestamp);
  const { amount, from, to } = principal(name, args);

  await db.insert(ledgerEvent).values({
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
    timestamp,
    day,
    contract,
    name: name,
    args: argsToJson(args),
    amount,
    from,
    to,
  });
  await recordMovements(db, {
    contract,
    name,
    args,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
    timestamp,
  });

  let issued = 0n;
  let redeemed = 0n;
  let supplyDelta = 0n;
  let attestation: bigint | undefined;
  let accountCreated = false;

  switch (`${contract}:${name}`) {
    case "CityYuan:Transfer": {
      const value = args.value as bigint;
      const sender = lower(args.from);
      const receiver = lower(args.to);
      if (value === 0n) break;
      if (sender === ZERO) supplyDelta += value;
      else await addBalance(db, sender, -value);
      if (receiver === ZERO) supplyDelta -= value;
      else await addBalance(db, receiver, value);
      if (sender !== ZERO && receiver !== ZERO) await addFlow(db, day, "transfer", value);
      break;
    }
    case "CityYuan:Issued":
      issued = args.amount as bigint;
      await addFlow(db, day, "issue", issued);
      break;
    case "CityYuan:Redeemed":
      redeemed = args.amount as bigint;
      await addFlow(db, day, "redeem", redeemed);
      break;
    case "CityYuan:ReservesAttested":
      attestation = args.reserves as bigint;
      await addFlow(db, day, "attestation", attestation);
      break;
    case "CityYuan:PaymentMade":
      await addReceipt(db, event, day, {
        shop: lower(args.payee),
        payer: lower(args.payer),
        kind: "payment",
        amount: args.amount as bigint,
        orderRef: args.orderRef as Hex,
        paymentId: args.paymentId as Hex,
      });
      break;
    case "CityYuan:PaymentRefunded":
      await addReceipt(db, event, day, {
        shop: lower(args.payee),
        payer: lower(args.payer),
        kind: "refund",
        amount: args.amount as bigint,
        paymentId: args.paymentId as Hex,
      });
      break;
    case "Vouchers:VoucherRedeemed":
      await addReceipt(db, event, day, {
        shop: lower(args.payee),
        payer: lower(args.payer),
        kind: "voucherPayment",
        amount: args.price as bigint,
        discount: args.discount as bigint,
        campaignId: args.campaignId as bigint,
        orderRef: args.orderRef as Hex,
        paymentId: args.paymentId as Hex,
      });
      await addFlow(db, day, "voucherDiscount", args.discount as bigint);
      break;
    case "Vouchers:VoucherSaleRefunded":
      await addReceipt(db, event, day, {
        shop: lower(args.payee),
        payer: lower(args.payer),
        kind: "voucherRefund",
        amount: (args.paid as bigint) + (args.discount as bigint),
        discount: args.discount as bigint,
        campaignId: args.campaignId as bigint,
        paymentId: args.paymentId as Hex,
      });
      break;
    case "FamilyCards:FamilyCardPaid":
      await addReceipt(db, event, day, {
        shop: lower(args.shop),
        payer: lower(args.funder),
        kind: "familyCardPayment",
        amount: args.amount as bigint,
        cardId: args.cardId as bigint,
        orderRef: args.orderRef as Hex,
        paymentId: args.paymentId as Hex,
      });
      break;
    case "RedPacket:PacketCreated":
      await addFlow(db, day, "redPacketCreated", args.amount as bigint);
      break;
    case "RedPacket:PacketClaimed":
      await addFlow(db, day, "redPacketClaimed", args.amount as bigint);
      break;
    case "RedPacket:PacketRefunded":
      await addFlow(db, day, "redPacketRefunded", args.amount as bigint);
      break;
    case "Vouchers:CampaignCreated":
      await addFlow(db, day, "voucherBudget", args.budget as bigint);
      break;
    case "Vouchers:CampaignStopped":
      await addFlow(db, day, "voucherBudgetReturned", args.refunded as bigint);
      break;
    case "Vouchers:BudgetReclaimed":
      await addFlow(db, day, "voucherBudgetReturned", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferDelayed":
      await addFlow(db, day, "delayedSent", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferReleased":
      await addFlow(db, day, "delayedReleased", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferCancelled":
      await addFlow(db, day, "delayedCancelled", args.amount as bigint);
      break;
    case "MerchantRegistry:MerchantRegistered":
      await db
        .insert(merchant)
        .values({
          address: lower(args.merchant),
          name: args.name as string,
          category: Number(args.category),
          active: true,
          registeredBlock: event.block.number,
        })
        .onConflictDoUpdate({ name: args.name as string, category: Number(args.category), active: true });
      break;
    case "MerchantRegistry:MerchantUpdated":
      await db
        .update(merchant, { address: lower(args.merchant) })
        .set({ name: args.name as string, category: Number(args.category) });
      break;
    case "MerchantRegistry:MerchantDeactivated":
      await db.update(merchant, { address: lower(args.merchant) }).set({ active: false });
      break;
    case "MerchantRegistry:MerchantReactivated":
      await db.update(merchant, { address: lower(args.merchant) }).set({ active: true });
      break;
    case "CityAccountFactory:CityAccountCreated":
      accountCreated = true;
      await db
        .insert(cityAccount)
        .values({
          address: lower(args.account),
          qx: args.qx as Hex,
          qy: args.qy as Hex,
          blockNumber: event.block.number,
        })
        .onConflictDoNothing();
      break;
  }

  await db
    .insert(ledger)
    .values({
      id: 1,
      supply: supplyDelta,
      issued,
      redeemed,
      attestations: attestation === undefined ? 0 : 1,
      lastReserves: attestation ?? null,
      lastAttestationBlock: attestation === undefined ? null : event.block.number,
      cityAccounts: accountCreated ? 1 : 0,
      events: 1,
      lastBlock: event.block.number,
    })
    .onConflictDoUpdate((row) => ({
      supply: row.supply + supplyDelta,
      issued: row.issued + issued,
      redeemed: row.redeemed + redeemed,
      attestations: row.attestations + (attestation === undefined ? 0 : 1),
      lastReserves: attestation ?? row.lastReserves,
      lastAttestationBlock: attestation === undefined ? row.lastAttestationBlock : event.block.number,
      cityAccounts: row.cityAccounts + (accountCreated ? 1 : 0),
      events: row.events + 1,
      lastBlock: event.block.number,
    }));
}

// After every log of a block (Ponder orders a block's own event last): the block's last
// transaction's Transfers are written, so nothing waits in memory past its block.
ponder.on("CityBlock:block", async ({ context }) => endTransaction(context.db));

for (const key of EVENT_KEYS) {
  const [contract, name] = key.split(":") as [string, string];
  // biome-ignore lint/suspicious/noExplicitAny: one handler for every event name of every contract
  (ponder.on as any)(key, async ({ event, context }: { event: AnyEvent; context: { db: Db } }) =>
    handle(contract, name, event, context.db),
  );
}
