// The handlers: one for every event of the city's contracts. Each event becomes a `ledger_event`
// row and the history entries it makes (`movement`, src/movements.ts); money events also keep the
// balances, the ledger's totals, the flows per day, the shops' receipts and daily totals, and the
// registry views. Every table is only added to or upserted by key, which Ponder's indexing cache
// keeps in memory and writes in batches.
// Ponder reverts all of it by itself when the chain reorganises.
import { ponder } from "ponder:registry";
import {
  attestation as attestationTable,
  balance,
  cityAccount,
  flowDay,
  indexedBlock,
  ledger,
  ledgerEvent,
  merchant,
  receipt,
  shopDay,
} from "ponder:schema";
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

// HCY_INDEXER_HANDLERS=off: every event is only counted (the ledger's `events`) and every block
// recorded as done; nothing else is written. For `npm run bench -- indexer`, which measures
// Ponder's own catch-up on the same chain this way: the floor under this indexer's rate.
const HANDLERS_OFF = process.env.HCY_INDEXER_HANDLERS === "off";

// The running views (balances, flows per day, shops' days, the ledger's totals) change with
// almost every event, but are written once a block: the block's changes are added up here and
// upserted by the block's own event, which Ponder hands over after the block's logs. Nothing
// waits past its block, so a reorganisation (undone block by block) finds nothing here.
type ShopDayDelta = { payments: number; received: bigint; refunds: number; refunded: bigint; discounts: bigint };
type LedgerDelta = {
  supply: bigint;
  issued: bigint;
  redeemed: bigint;
  attestations: number;
  lastReserves?: bigint;
  lastAttestationBlock?: bigint;
  cityAccounts: number;
  events: number;
  lastBlock: bigint;
};
let balances = new Map<Hex, bigint>();
let flows = new Map<string, { day: string; flow: string; count: number; amount: bigint }>();
let shopDays = new Map<string, { shop: Hex; day: string } & ShopDayDelta>();
let ledgerDelta: LedgerDelta | undefined;
// The block's reserve attestations: written with the supply after the block (its issues and
// redemptions counted), as the ledger page's supplyAt tells it.
type PendingAttestation = Omit<typeof attestationTable.$inferInsert, "supply">;
let attestations: PendingAttestation[] = [];

function addBalance(account: Hex, delta: bigint) {
  balances.set(account, (balances.get(account) ?? 0n) + delta);
}

function addFlow(day: string, flow: string, amount: bigint) {
  const key = `${day}|${flow}`;
  const row = flows.get(key) ?? { day, flow, count: 0, amount: 0n };
  row.count += 1;
  row.amount += amount;
  flows.set(key, row);
}

function addShopDay(shop: Hex, day: string, delta: ShopDayDelta) {
  const key = `${shop}|${day}`;
  const row = shopDays.get(key) ?? { shop, day, payments: 0, received: 0n, refunds: 0, refunded: 0n, discounts: 0n };
  row.payments += delta.payments;
  row.received += delta.received;
  row.refunds += delta.refunds;
  row.refunded += delta.refunded;
  row.discounts += delta.discounts;
  shopDays.set(key, row);
}

/** Upserts the block's added-up changes to the running views. */
async function writeBlockTotals(db: Db) {
  const [b, f, d, l, a] = [balances, flows, shopDays, ledgerDelta, attestations];
  attestations = [];
  categories = new Map();
  balances = new Map();
  flows = new Map();
  shopDays = new Map();
  ledgerDelta = undefined;
  for (const [account, delta] of b) {
    if (delta === 0n) continue;
    await db
      .insert(balance)
      .values({ account, balance: delta })
      .onConflictDoUpdate((row) => ({ balance: row.balance + delta }));
  }
  for (const row of f.values()) {
    await db
      .insert(flowDay)
      .values(row)
      .onConflictDoUpdate((old) => ({ count: old.count + row.count, amount: old.amount + row.amount }));
  }
  for (const row of d.values()) {
    await db
      .insert(shopDay)
      .values(row)
      .onConflictDoUpdate((old) => ({
        payments: old.payments + row.payments,
        received: old.received + row.received,
        refunds: old.refunds + row.refunds,
        refunded: old.refunded + row.refunded,
        discounts: old.discounts + row.discounts,
      }));
  }
  if (l) {
    await db
      .insert(ledger)
      .values({
        id: 1,
        ...l,
        lastReserves: l.lastReserves ?? null,
        lastAttestationBlock: l.lastAttestationBlock ?? null,
      })
      .onConflictDoUpdate((row) => ({
        supply: row.supply + l.supply,
        issued: row.issued + l.issued,
        redeemed: row.redeemed + l.redeemed,
        attestations: row.attestations + l.attestations,
        lastReserves: l.lastReserves ?? row.lastReserves,
        lastAttestationBlock: l.lastAttestationBlock ?? row.lastAttestationBlock,
        cityAccounts: row.cityAccounts + l.cityAccounts,
        events: row.events + l.events,
        lastBlock: l.lastBlock,
      }));
  }
  if (a.length > 0) {
    const totals = await db.find(ledger, { id: 1 });
    const supply = (totals?.issued ?? 0n) - (totals?.redeemed ?? 0n);
    await db.insert(attestationTable).values(a.map((row) => ({ ...row, supply })));
  }
}

// A shop's registry category, looked up once a block (a block pays the same shops many times, and
// Ponder's cache does not remember a shop it did not find once it is full); a registry event of the
// block forgets the shop's.
let categories = new Map<Hex, string>();

async function categoryOf(db: Db, shop: Hex): Promise<string> {
  const known = categories.get(shop);
  if (known !== undefined) return known;
  const row = await db.find(merchant, { address: shop });
  const category = row ? categoryFromIndex(row.category) : "unregistered";
  categories.set(shop, category);
  return category;
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
  addShopDay(fields.shop, day, {
    payments: refund ? 0 : 1,
    received: refund ? 0n : fields.amount,
    refunds: refund ? 1 : 0,
    refunded: refund ? fields.amount : 0n,
    discounts: discount,
  });
  if (refund) addFlow(day, "refund", fields.amount);
  else addFlow(day, `payment.${await categoryOf(db, fields.shop)}`, fields.amount);
}

async function handle(contract: string, name: string, event: AnyEvent, db: Db) {
  if (HANDLERS_OFF) {
    countEvent(event);
    return;
  }
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
      else addBalance(sender, -value);
      if (receiver === ZERO) supplyDelta -= value;
      else addBalance(receiver, value);
      if (sender !== ZERO && receiver !== ZERO) addFlow(day, "transfer", value);
      break;
    }
    case "CityYuan:Issued":
      issued = args.amount as bigint;
      addFlow(day, "issue", issued);
      break;
    case "CityYuan:Redeemed":
      redeemed = args.amount as bigint;
      addFlow(day, "redeem", redeemed);
      break;
    case "CityYuan:ReservesAttested":
      attestation = args.reserves as bigint;
      addFlow(day, "attestation", attestation);
      attestations.push({
        blockNumber: event.block.number,
        logIndex: event.log.logIndex,
        attestationId: args.attestationId as bigint,
        attester: lower(args.attester),
        reserves: attestation,
        reportHash: args.reportHash as Hex,
        uri: args.uri as string,
        txHash: event.transaction.hash,
        timestamp,
      });
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
      addFlow(day, "voucherDiscount", args.discount as bigint);
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
      addFlow(day, "redPacketCreated", args.amount as bigint);
      break;
    case "RedPacket:PacketClaimed":
      addFlow(day, "redPacketClaimed", args.amount as bigint);
      break;
    case "RedPacket:PacketRefunded":
      addFlow(day, "redPacketRefunded", args.amount as bigint);
      break;
    case "Vouchers:CampaignCreated":
      addFlow(day, "voucherBudget", args.budget as bigint);
      break;
    case "Vouchers:CampaignStopped":
      addFlow(day, "voucherBudgetReturned", args.refunded as bigint);
      break;
    case "Vouchers:BudgetReclaimed":
      addFlow(day, "voucherBudgetReturned", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferDelayed":
      addFlow(day, "delayedSent", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferReleased":
      addFlow(day, "delayedReleased", args.amount as bigint);
      break;
    case "DelayedTransfers:TransferCancelled":
      addFlow(day, "delayedCancelled", args.amount as bigint);
      break;
    case "MerchantRegistry:MerchantRegistered":
      categories.delete(lower(args.merchant));
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
      categories.delete(lower(args.merchant));
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

  const l = countEvent(event);
  l.supply += supplyDelta;
  l.issued += issued;
  l.redeemed += redeemed;
  if (attestation !== undefined) {
    l.attestations += 1;
    l.lastReserves = attestation;
    l.lastAttestationBlock = event.block.number;
  }
  if (accountCreated) l.cityAccounts += 1;
}

/** Counts the event in its block's ledger changes (begun at the block's first event), returned. */
function countEvent(event: AnyEvent): LedgerDelta {
  ledgerDelta ??= {
    supply: 0n,
    issued: 0n,
    redeemed: 0n,
    attestations: 0,
    cityAccounts: 0,
    events: 0,
    lastBlock: event.block.number,
  };
  ledgerDelta.events += 1;
  ledgerDelta.lastBlock = event.block.number;
  return ledgerDelta;
}

// After every log of a block (Ponder orders a block's own event last): the block's last
// transaction's Transfers are written (src/movements.ts) and the block's changes to the views.
// Then the block is recorded as done, with its hash: the API's page cache key.
ponder.on("CityBlock:block", async ({ event, context }) => {
  await endTransaction(context.db);
  await writeBlockTotals(context.db);
  const done = { number: event.block.number, hash: event.block.hash };
  await context.db
    .insert(indexedBlock)
    .values({ id: 1, ...done })
    .onConflictDoUpdate(done);
});

for (const key of EVENT_KEYS) {
  const [contract, name] = key.split(":") as [string, string];
  // biome-ignore lint/suspicious/noExplicitAny: one handler for every event name of every contract
  (ponder.on as any)(key, async ({ event, context }: { event: AnyEvent; context: { db: Db } }) =>
    handle(contract, name, event, context.db),
  );
}
