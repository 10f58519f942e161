// The indexer's tables. Every event of the city's contracts is one `ledger_event` row; the rest are
// views kept up to date by the handlers (src/index.ts) so the API answers from an index, not a scan.
// Amounts are fen (bigint). `day` is the Asia/Shanghai calendar day (UTC+8, no daylight saving).
import { index, onchainTable, primaryKey } from "ponder";

/** Every event, in chain order (block, log index). */
export const ledgerEvent = onchainTable(
  "ledger_event",
  (t) => ({
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
    /** Unix seconds of the block. */
    timestamp: t.integer().notNull(),
    day: t.text().notNull(),
    contract: t.text().notNull(),
    name: t.text().notNull(),
    /** The decoded arguments (uint values as decimal strings). */
    args: t.json().notNull(),
    /** The event's principal amount in fen, when it has one (value, amount, price, budget, …). */
    amount: t.bigint(),
    /** The event's first and second party (from/payer/sender/… and to/payee/receiver/…), when it has them. */
    from: t.hex(),
    to: t.hex(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.blockNumber, table.logIndex] }),
    txIdx: index().on(table.txHash),
    nameIdx: index().on(table.name, table.blockNumber),
    dayIdx: index().on(table.day),
    // The movement search by account: the event's first or second party (money from / to).
    fromIdx: index().on(table.from, table.blockNumber, table.logIndex),
    toIdx: index().on(table.to, table.blockNumber, table.logIndex),
  }),
);

/**
 * A person's history, ready to show: one row per (account, movement of her money), exactly the
 * entries core/history/assemble.ts makes from the chain's logs (a payment is one row, not its
 * Transfer and its PaymentMade), written by the handlers as the events arrive. A history page is
 * one range read of the primary key (account, block desc, log index desc): no join, no scan of
 * the transactions it shows. Rows are only ever added (src/movements.ts).
 */
export const movement = onchainTable(
  "movement",
  (t) => ({
    account: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    /** The log that defines the entry (the PaymentMade, not its Transfer). */
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
    timestamp: t.integer().notNull(),
    /** payment | voucherPayment | refund | transfer | redPacketSent | … (core/history/assemble.ts HistoryKind) */
    kind: t.text().notNull(),
    /** true: money in; false: money out. */
    incoming: t.boolean().notNull(),
    amount: t.bigint().notNull(),
    /** The other side, as the chain spells it (checksummed); null for top-ups and cash-outs. */
    counterparty: t.text(),
    /** The entry's other fields (orderRef, paymentId, packetId, price, …; integers as decimal strings). */
    details: t.json(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.account, table.blockNumber, table.logIndex] }),
  }),
);

/** HCY balances from Transfer events (the escrows' balances are their holdings). */
export const balance = onchainTable("balance", (t) => ({
  account: t.hex().primaryKey(),
  balance: t.bigint().notNull(),
}));

/** The ledger's running totals: one row, id 1. */
export const ledger = onchainTable("ledger", (t) => ({
  id: t.integer().primaryKey(),
  supply: t.bigint().notNull(),
  issued: t.bigint().notNull(),
  redeemed: t.bigint().notNull(),
  attestations: t.integer().notNull(),
  lastReserves: t.bigint(),
  lastAttestationBlock: t.bigint(),
  cityAccounts: t.integer().notNull(),
  events: t.integer().notNull(),
  lastBlock: t.bigint().notNull(),
}));

/** Money flows per Asia/Shanghai day and kind (issue, redeem, payment.<category>, refund, …). */
export const flowDay = onchainTable(
  "flow_day",
  (t) => ({
    day: t.text().notNull(),
    flow: t.text().notNull(),
    count: t.integer().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.day, table.flow] }) }),
);

/** What a shop received or paid back: payments, voucher checkouts, 亲属卡 payments and refunds. */
export const receipt = onchainTable(
  "receipt",
  (t) => ({
    /** `${txHash}:${logIndex}` of the event. */
    id: t.text().notNull(),
    shop: t.hex().notNull(),
    payer: t.hex().notNull(),
    /** payment | voucherPayment | familyCardPayment | refund | voucherRefund */
    kind: t.text().notNull(),
    /** Fen the shop received (a refund: paid back, as a positive number). */
    amount: t.bigint().notNull(),
    discount: t.bigint(),
    campaignId: t.bigint(),
    cardId: t.bigint(),
    orderRef: t.hex(),
    paymentId: t.hex(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
    timestamp: t.integer().notNull(),
    day: t.text().notNull(),
  }),
  (table) => ({
    // A shop's receipts page is a range read of this key; rows arrive in key order per shop.
    pk: primaryKey({ columns: [table.shop, table.blockNumber, table.logIndex] }),
    shopDayIdx: index().on(table.shop, table.day),
  }),
);

/** A shop's totals per Asia/Shanghai day. */
export const shopDay = onchainTable(
  "shop_day",
  (t) => ({
    shop: t.hex().notNull(),
    day: t.text().notNull(),
    payments: t.integer().notNull(),
    received: t.bigint().notNull(),
    refunds: t.integer().notNull(),
    refunded: t.bigint().notNull(),
    /** Of `received`, what vouchers paid. */
    discounts: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.shop, table.day] }) }),
);

/** The merchant registry as it stands. */
export const merchant = onchainTable("merchant", (t) => ({
  address: t.hex().primaryKey(),
  name: t.text().notNull(),
  category: t.integer().notNull(),
  active: t.boolean().notNull(),
  registeredBlock: t.bigint().notNull(),
}));

/** Passkey accounts the city's factory created. */
export const cityAccount = onchainTable("city_account", (t) => ({
  address: t.hex().primaryKey(),
  qx: t.hex().notNull(),
  qy: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/**
 * The public ledger page's movements: every CityYuan Transfer of a non-zero value with the kind the
 * page names it by (core/audit/ledgerMovements.ts: issue, redeem, payment, refund, transfer,
 * redPacket, voucher), which the transaction's other events tell, so a row is written once its
 * transaction's last event has been handled (src/movements.ts). Only ever added.
 */
export const tokenMovement = onchainTable(
  "token_movement",
  (t) => ({
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
    timestamp: t.integer().notNull(),
    kind: t.text().notNull(),
    /** Lower case; the zero address for an issue's from and a redemption's to. */
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.blockNumber, table.logIndex] }),
    kindIdx: index().on(table.kind, table.blockNumber, table.logIndex),
    fromIdx: index().on(table.from, table.blockNumber, table.logIndex),
    toIdx: index().on(table.to, table.blockNumber, table.logIndex),
  }),
);

/** The reserve attestations, with the supply (Σ issued − Σ redeemed) right after their block. */
export const attestation = onchainTable(
  "attestation",
  (t) => ({
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    attestationId: t.bigint().notNull(),
    attester: t.hex().notNull(),
    reserves: t.bigint().notNull(),
    reportHash: t.hex().notNull(),
    uri: t.text().notNull(),
    /** The token's supply after the attestation's block, as the ledger page's supplyAt counts it. */
    supply: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    timestamp: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.blockNumber, table.logIndex] }) }),
);

/**
 * The last block the handlers finished (its own event, after its logs), with its hash: one row,
 * id 1. Ponder reverts it with everything else on a reorganisation, so (number, hash) names what
 * the tables hold up to that block; the API keys its page cache by it (src/api/index.ts).
 */
export const indexedBlock = onchainTable("indexed_block", (t) => ({
  id: t.integer().primaryKey(),
  number: t.bigint().notNull(),
  hash: t.hex().notNull(),
}));
