// The dApp's client of the city's indexer (indexer/src/api/index.ts): every request has a time
// limit, and every answer is checked field by field into the types the pages already use
// (HistoryEntry with bigint amounts, a status with block numbers) before anything is shown. An
// indexer that is away, slow, of another chain or deployment, or that answers something else is an
// IndexerError, never half a page: the caller then reads the chain itself. No React here.
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";
import type { LedgerEvent } from "../audit/ledgerEvents.js";
import { MOVEMENT_KINDS, type MovementKind } from "../audit/ledgerMovements.js";
import { HISTORY_KINDS, type HistoryEntry, type HistoryKind } from "../history/assemble.js";

export type IndexerFailure = "unreachable" | "timeout" | "http" | "invalid" | "otherChain";

export class IndexerError extends Error {
  constructor(
    readonly reason: IndexerFailure,
    message: string,
  ) {
    super(message);
    this.name = "IndexerError";
  }
}

export type IndexStatus = {
  /** The last block the index has fully processed (null before the first). */
  indexedBlock: bigint | null;
  /** The backfill from the deployment block is complete. */
  ready: boolean;
  /** The chain's head as the indexer sees it (null when its node does not answer). */
  chainHead: bigint | null;
  /** Blocks the index is behind its view of the head (null when unknown). */
  behind: number | null;
};

export type HistoryPage = { entries: HistoryEntry[]; next: string | null; indexed: IndexStatus };

/** A shop's receipt as the indexer keeps it: payments received and refunds paid back (fen > 0). */
export type IndexedReceipt = {
  id: string;
  kind: "payment" | "voucherPayment" | "familyCardPayment" | "refund" | "voucherRefund";
  payer: Address;
  amount: bigint;
  discount: bigint | null;
  campaignId: bigint | null;
  cardId: bigint | null;
  orderRef: Hex | null;
  paymentId: Hex | null;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  timestamp: number;
};

export type ReceiptsPage = { receipts: IndexedReceipt[]; next: string | null; indexed: IndexStatus };

export type LedgerTotals = {
  supply: bigint;
  issued: bigint;
  redeemed: bigint;
  escrows: Record<string, bigint>;
  attestations: number;
  events: number;
  indexed: IndexStatus;
};

/** A token movement of the public ledger (a CityYuan Transfer) with the kind the ledger page names it by. */
export type IndexedMovement = {
  kind: MovementKind;
  from: Address;
  to: Address;
  amount: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  timestamp: number;
};

/** The ledger page's filters, as the indexer applies them (amounts fen, times Unix seconds, inclusive). */
export type MovementQuery = {
  kind?: MovementKind;
  /** Money from or to it. */
  account?: Address;
  minAmount?: bigint;
  maxAmount?: bigint;
  fromTime?: number;
  toTime?: number;
  /** Only movements up to this block (the page reads the blocks after it from the chain). */
  toBlock?: bigint;
};

export type MovementsPage = { movements: IndexedMovement[]; next: string | null; indexed: IndexStatus };

export type IndexedAttestation = {
  attestationId: bigint;
  attester: Address;
  reserves: bigint;
  reportHash: Hex;
  uri: string;
  /** The token's supply right after the attestation's block. */
  supply: bigint;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  timestamp: number;
};

export type AttestationsPage = { attestations: IndexedAttestation[]; next: string | null; indexed: IndexStatus };

export type FlowDay = { day: string; flows: Record<string, { count: number; amount: bigint }> };

export interface IndexerClient {
  readonly url: string;
  /** The index's progress, after checking the indexer serves this chain and this CityYuan. */
  status(): Promise<IndexStatus>;
  /** One page of the account's history, newest first; `cursor` is a page's `next` (or "block-0": below that block). */
  history(account: Address, page?: { cursor?: string; limit?: number }): Promise<HistoryPage>;
  shopReceipts(shop: Address, page?: { cursor?: string; limit?: number }): Promise<ReceiptsPage>;
  ledger(): Promise<LedgerTotals>;
  ledgerDays(range?: { from?: string; to?: string }): Promise<{ days: FlowDay[]; indexed: IndexStatus }>;
  /** One page of the ledger's movements that pass the filters, newest first. */
  movements(query: MovementQuery, page?: { cursor?: string; limit?: number }): Promise<MovementsPage>;
  /** One page of the reserve attestations, newest first. */
  attestations(page?: { cursor?: string; limit?: number; toBlock?: bigint }): Promise<AttestationsPage>;
}

export type IndexerClientOptions = {
  url: string;
  chainId: number;
  /** The deployment's CityYuan: an indexer of another deployment is refused. */
  cityYuan: Address;
  /** Per request (default 4 s): a stopped indexer that accepts connections but never answers is "timeout". */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

// ——— the checks ———

class Invalid extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Invalid(`${what} is not an object`);
  return value as Json;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${what} is not a list`);
  return value;
}

/** A non-negative whole number given as a decimal string or a safe integer. */
function uint(value: unknown, what: string): bigint {
  if (typeof value === "string" && /^\d{1,78}$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new Invalid(`${what} is not a whole number: ${String(value)}`);
}

function smallInt(value: unknown, what: string): number {
  const n = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new Invalid(`${what} is not a whole number`);
  return n;
}

/** Lower case, as the chain path decodes addresses from log topics (pages compare them case-blind). */
function address(value: unknown, what: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) throw new Invalid(`${what} is not an address`);
  return value.toLowerCase() as Address;
}

function hex32(value: unknown, what: string): Hex {
  if (typeof value !== "string" || !isHex(value) || value.length !== 66)
    throw new Invalid(`${what} is not a 32-byte hex`);
  return value.toLowerCase() as Hex;
}

function nullable<T>(value: unknown, parse: (v: unknown, what: string) => T, what: string): T | null {
  return value === null || value === undefined ? null : parse(value, what);
}

function cursor(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || !/^\d{1,20}-\d{1,9}$/.test(value)) throw new Invalid("next is not a cursor");
  return value;
}

function parseStatus(value: unknown): IndexStatus {
  const s = object(value, "indexed");
  if (typeof s.ready !== "boolean") throw new Invalid("indexed.ready is not true or false");
  return {
    indexedBlock: nullable(s.indexedBlock, uint, "indexed.indexedBlock"),
    ready: s.ready,
    chainHead: nullable(s.chainHead, uint, "indexed.chainHead"),
    behind: nullable(s.behind, smallInt, "indexed.behind"),
  };
}

const KINDS = new Set<string>(HISTORY_KINDS);

/** One history entry, exactly the shape core/history/assemble.ts makes from the chain's logs. */
export function parseHistoryEntry(value: unknown): HistoryEntry {
  const e = object(value, "entry");
  if (typeof e.kind !== "string" || !KINDS.has(e.kind)) throw new Invalid(`entry.kind is unknown: ${String(e.kind)}`);
  if (e.direction !== "in" && e.direction !== "out") throw new Invalid("entry.direction is not in or out");
  const txHash = hex32(e.txHash, "entry.txHash");
  const logIndex = smallInt(e.logIndex, "entry.logIndex");
  const id = `${txHash}:${logIndex}`;
  if (typeof e.id !== "string" || e.id.toLowerCase() !== id) throw new Invalid("entry.id does not name its log");
  const entry: HistoryEntry = {
    id,
    kind: e.kind as HistoryKind,
    direction: e.direction,
    amount: uint(e.amount, "entry.amount"),
    blockNumber: uint(e.blockNumber, "entry.blockNumber"),
    logIndex,
    txHash,
    timestamp: smallInt(e.timestamp, "entry.timestamp"),
  };
  if (e.counterparty != null) entry.counterparty = address(e.counterparty, "entry.counterparty");
  if (e.orderRef != null) entry.orderRef = hex32(e.orderRef, "entry.orderRef");
  if (e.paymentId != null) entry.paymentId = hex32(e.paymentId, "entry.paymentId");
  if (e.bankRef != null) entry.bankRef = hex32(e.bankRef, "entry.bankRef");
  if (e.packetId != null) entry.packetId = uint(e.packetId, "entry.packetId");
  if (e.greeting != null) {
    if (typeof e.greeting !== "string") throw new Invalid("entry.greeting is not text");
    entry.greeting = e.greeting;
  }
  if (e.shares != null) entry.shares = uint(e.shares, "entry.shares");
  if (e.campaignId != null) entry.campaignId = uint(e.campaignId, "entry.campaignId");
  if (e.price != null) entry.price = uint(e.price, "entry.price");
  if (e.discount != null) entry.discount = uint(e.discount, "entry.discount");
  if (e.familyCard != null) {
    const f = object(e.familyCard, "entry.familyCard");
    entry.familyCard = { cardId: uint(f.cardId, "familyCard.cardId"), holder: address(f.holder, "familyCard.holder") };
  }
  if (e.delayed != null) {
    const d = object(e.delayed, "entry.delayed");
    if (d.state !== "sent" && d.state !== "cancelled" && d.state !== "released")
      throw new Invalid("entry.delayed.state is unknown");
    entry.delayed = { transferId: uint(d.transferId, "delayed.transferId"), state: d.state };
    if (d.releaseAt != null) entry.delayed.releaseAt = smallInt(d.releaseAt, "delayed.releaseAt");
  }
  return entry;
}

const RECEIPT_KINDS = new Set(["payment", "voucherPayment", "familyCardPayment", "refund", "voucherRefund"]);

export function parseIndexedReceipt(value: unknown, shop: Address): IndexedReceipt {
  const r = object(value, "receipt");
  if (typeof r.kind !== "string" || !RECEIPT_KINDS.has(r.kind)) throw new Invalid("receipt.kind is unknown");
  if (address(r.shop, "receipt.shop") !== shop.toLowerCase()) throw new Invalid("receipt of another shop");
  const txHash = hex32(r.txHash, "receipt.txHash");
  const logIndex = smallInt(r.logIndex, "receipt.logIndex");
  if (typeof r.id !== "string" || r.id.toLowerCase() !== `${txHash}:${logIndex}`)
    throw new Invalid("receipt.id does not name its log");
  return {
    id: `${txHash}:${logIndex}`,
    kind: r.kind as IndexedReceipt["kind"],
    payer: address(r.payer, "receipt.payer"),
    amount: uint(r.amount, "receipt.amount"),
    discount: nullable(r.discount, uint, "receipt.discount"),
    campaignId: nullable(r.campaignId, uint, "receipt.campaignId"),
    cardId: nullable(r.cardId, uint, "receipt.cardId"),
    orderRef: nullable(r.orderRef, hex32, "receipt.orderRef"),
    paymentId: nullable(r.paymentId, hex32, "receipt.paymentId"),
    blockNumber: uint(r.blockNumber, "receipt.blockNumber"),
    logIndex,
    txHash,
    timestamp: smallInt(r.timestamp, "receipt.timestamp"),
  };
}

const MOVEMENT_KIND_SET = new Set<string>(MOVEMENT_KINDS);

/** One movement of the ledger, and that it is one the filters let through. */
export function parseIndexedMovement(value: unknown, query: MovementQuery): IndexedMovement {
  const m = object(value, "movement");
  if (m.contract !== "CityYuan" || m.name !== "Transfer") throw new Invalid("movement is not a CityYuan Transfer");
  if (typeof m.kind !== "string" || !MOVEMENT_KIND_SET.has(m.kind))
    throw new Invalid(`movement.kind is unknown: ${String(m.kind)}`);
  const movement: IndexedMovement = {
    kind: m.kind as MovementKind,
    from: address(m.from, "movement.from"),
    to: address(m.to, "movement.to"),
    amount: uint(m.amount, "movement.amount"),
    blockNumber: uint(m.blockNumber, "movement.blockNumber"),
    logIndex: smallInt(m.logIndex, "movement.logIndex"),
    transactionHash: hex32(m.txHash, "movement.txHash"),
    timestamp: smallInt(m.timestamp, "movement.timestamp"),
  };
  const q = query;
  const account = q.account?.toLowerCase();
  if (
    movement.amount === 0n ||
    (q.kind && movement.kind !== q.kind) ||
    (account && movement.from !== account && movement.to !== account) ||
    (q.minAmount !== undefined && movement.amount < q.minAmount) ||
    (q.maxAmount !== undefined && movement.amount > q.maxAmount) ||
    (q.fromTime !== undefined && movement.timestamp < q.fromTime) ||
    (q.toTime !== undefined && movement.timestamp > q.toTime) ||
    (q.toBlock !== undefined && movement.blockNumber > q.toBlock)
  )
    throw new Invalid("a movement does not pass the filters asked for");
  return movement;
}

export function parseIndexedAttestation(value: unknown, toBlock?: bigint): IndexedAttestation {
  const a = object(value, "attestation");
  if (typeof a.uri !== "string") throw new Invalid("attestation.uri is not text");
  const attestation: IndexedAttestation = {
    attestationId: uint(a.attestationId, "attestation.attestationId"),
    attester: address(a.attester, "attestation.attester"),
    reserves: uint(a.reserves, "attestation.reserves"),
    reportHash: hex32(a.reportHash, "attestation.reportHash"),
    uri: a.uri,
    supply: uint(a.supply, "attestation.supply"),
    blockNumber: uint(a.blockNumber, "attestation.blockNumber"),
    logIndex: smallInt(a.logIndex, "attestation.logIndex"),
    txHash: hex32(a.txHash, "attestation.txHash"),
    timestamp: smallInt(a.timestamp, "attestation.timestamp"),
  };
  if (toBlock !== undefined && attestation.blockNumber > toBlock)
    throw new Invalid("an attestation lies after the block asked for");
  return attestation;
}

/** An answer bounded by `toBlock` is whole only when the index has come that far. */
function checkReached(indexed: IndexStatus, toBlock: bigint | undefined) {
  if (toBlock === undefined) return;
  if (indexed.indexedBlock === null || indexed.indexedBlock < toBlock)
    throw new Invalid(`the index has not reached block ${toBlock}`);
}

/** Newest first with no repeats: what a cursor page promises. */
function checkOrder(rows: { blockNumber: bigint; logIndex: number }[], what: string): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1] as { blockNumber: bigint; logIndex: number };
    const b = rows[i] as { blockNumber: bigint; logIndex: number };
    if (a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex <= b.logIndex))
      throw new Invalid(`${what} are not newest first`);
  }
}

/** A page's rows all lie below the cursor it was asked for. */
function checkBelow(rows: { blockNumber: bigint; logIndex: number }[], asked: string | undefined, what: string) {
  if (!asked) return;
  const [block, index] = asked.split("-");
  const first = rows[0];
  if (!first) return;
  const b = BigInt(block as string);
  if (first.blockNumber > b || (first.blockNumber === b && first.logIndex >= Number(index)))
    throw new Invalid(`${what} are not below the cursor`);
}

// ——— the client ———

export function createIndexerClient(options: IndexerClientOptions): IndexerClient {
  const base = options.url.replace(/\/$/, "");
  const timeoutMs = options.timeoutMs ?? 4_000;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const cityYuan = getAddress(options.cityYuan);

  async function get(route: string): Promise<unknown> {
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await doFetch(`${base}${route}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as { name?: string })?.name;
      if (name === "TimeoutError" || name === "AbortError")
        throw new IndexerError("timeout", `The indexer did not answer within ${timeoutMs} ms.`);
      throw new IndexerError("unreachable", `The indexer cannot be reached: ${String(error)}`);
    }
    if (!response.ok) throw new IndexerError("http", `The indexer answered ${response.status} to ${route}.`);
    try {
      return await response.json();
    } catch (error) {
      const name = (error as { name?: string })?.name;
      if (name === "TimeoutError" || name === "AbortError")
        throw new IndexerError("timeout", `The indexer did not finish its answer within ${timeoutMs} ms.`);
      throw new IndexerError("invalid", `The indexer's answer to ${route} is not JSON.`);
    }
  }

  async function checked<T>(route: string, parse: (body: unknown) => T): Promise<T> {
    const body = await get(route);
    try {
      return parse(body);
    } catch (error) {
      if (error instanceof Invalid || error instanceof IndexerError) {
        if (error instanceof IndexerError) throw error;
        throw new IndexerError(
          "invalid",
          `The indexer's answer to ${route} is not one it should give: ${error.message}`,
        );
      }
      throw error;
    }
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const parts = Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return parts.length ? `?${parts.join("&")}` : "";
  };

  return {
    url: base,
    status: () =>
      checked("/v1/status", (body) => {
        const b = object(body, "status");
        const contracts = object(b.contracts, "status.contracts");
        if (b.chainId !== options.chainId || address(contracts.CityYuan, "CityYuan") !== cityYuan.toLowerCase())
          throw new IndexerError("otherChain", "The indexer serves another chain or another deployment.");
        return parseStatus(b);
      }),
    history: (account, page) =>
      checked(`/v1/history/${account}${query({ limit: page?.limit, cursor: page?.cursor })}`, (body) => {
        const b = object(body, "history");
        if (address(b.account, "history.account") !== account.toLowerCase())
          throw new Invalid("the page is another account's");
        const entries = array(b.entries, "history.entries").map(parseHistoryEntry);
        checkOrder(entries, "entries");
        checkBelow(entries, page?.cursor, "entries");
        return { entries, next: cursor(b.next), indexed: parseStatus(b.indexed) };
      }),
    shopReceipts: (shop, page) =>
      checked(`/v1/shops/${shop}/receipts${query({ limit: page?.limit, cursor: page?.cursor })}`, (body) => {
        const b = object(body, "receipts");
        if (address(b.shop, "receipts.shop") !== shop.toLowerCase()) throw new Invalid("the page is another shop's");
        const receipts = array(b.receipts, "receipts.receipts").map((r) => parseIndexedReceipt(r, shop));
        checkOrder(receipts, "receipts");
        checkBelow(receipts, page?.cursor, "receipts");
        return { receipts, next: cursor(b.next), indexed: parseStatus(b.indexed) };
      }),
    ledger: () =>
      checked("/v1/ledger", (body) => {
        const b = object(body, "ledger");
        const escrows: Record<string, bigint> = {};
        for (const [name, amount] of Object.entries(object(b.escrows, "ledger.escrows")))
          escrows[name] = uint(amount, `escrows.${name}`);
        return {
          supply: uint(b.supply, "ledger.supply"),
          issued: uint(b.issued, "ledger.issued"),
          redeemed: uint(b.redeemed, "ledger.redeemed"),
          escrows,
          attestations: smallInt(b.attestations, "ledger.attestations"),
          events: smallInt(b.events, "ledger.events"),
          indexed: parseStatus(b.indexed),
        };
      }),
    ledgerDays: (range) =>
      checked(`/v1/ledger/days${query({ from: range?.from, to: range?.to })}`, (body) => {
        const b = object(body, "ledger days");
        const days = array(b.days, "days").map((value): FlowDay => {
          const d = object(value, "day");
          if (typeof d.day !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(d.day)) throw new Invalid("day is not a date");
          const flows: FlowDay["flows"] = {};
          for (const [flow, v] of Object.entries(object(d.flows, "day.flows"))) {
            const f = object(v, `flow ${flow}`);
            flows[flow] = { count: smallInt(f.count, "flow.count"), amount: uint(f.amount, "flow.amount") };
          }
          return { day: d.day, flows };
        });
        return { days, indexed: parseStatus(b.indexed) };
      }),
    movements: (q, page) =>
      checked(
        `/v1/movements${query({
          kind: q.kind ?? "any",
          account: q.account,
          minAmount: q.minAmount?.toString(),
          maxAmount: q.maxAmount?.toString(),
          fromTime: q.fromTime,
          toTime: q.toTime,
          toBlock: q.toBlock?.toString(),
          limit: page?.limit,
          cursor: page?.cursor,
        })}`,
        (body) => {
          const b = object(body, "movements");
          const movements = array(b.movements, "movements.movements").map((m) => parseIndexedMovement(m, q));
          checkOrder(movements, "movements");
          checkBelow(movements, page?.cursor, "movements");
          const indexed = parseStatus(b.indexed);
          checkReached(indexed, q.toBlock);
          return { movements, next: cursor(b.next), indexed };
        },
      ),
    attestations: (page) =>
      checked(
        `/v1/attestations${query({ limit: page?.limit, cursor: page?.cursor, toBlock: page?.toBlock?.toString() })}`,
        (body) => {
          const b = object(body, "attestations");
          const attestations = array(b.attestations, "attestations.attestations").map((a) =>
            parseIndexedAttestation(a, page?.toBlock),
          );
          checkOrder(attestations, "attestations");
          checkBelow(attestations, page?.cursor, "attestations");
          const indexed = parseStatus(b.indexed);
          checkReached(indexed, page?.toBlock);
          return { attestations, next: cursor(b.next), indexed };
        },
      ),
  };
}

const ZERO32 = `0x${"00".repeat(32)}` as Hex;

/**
 * An indexed receipt as the ledger event the chain path reads for it (core/history/shopEvents.ts),
 * so the shop's receipts are built by the very same code whichever way they came: a 亲属卡 payment
 * in PaymentMade's shape with its funder as payer, a voucher sale's refund split into paid and
 * discount.
 */
export function receiptLedgerEvent(r: IndexedReceipt, shop: Address): LedgerEvent {
  const position = {
    blockNumber: r.blockNumber,
    logIndex: r.logIndex,
    transactionHash: r.txHash,
    blockTimestamp: r.timestamp,
  };
  const paymentId = r.paymentId ?? ZERO32;
  switch (r.kind) {
    case "payment":
    case "familyCardPayment":
      return {
        ...position,
        kind: "PaymentMade",
        paymentId,
        payer: r.payer,
        payee: shop,
        amount: r.amount,
        orderRef: r.orderRef ?? ZERO32,
      };
    case "voucherPayment":
      return {
        ...position,
        kind: "VoucherRedeemed",
        paymentId,
        payer: r.payer,
        payee: shop,
        price: r.amount,
        orderRef: r.orderRef ?? ZERO32,
        campaignId: r.campaignId ?? 0n,
        discount: r.discount ?? 0n,
      };
    case "refund":
      return { ...position, kind: "PaymentRefunded", paymentId, payee: shop, payer: r.payer, amount: r.amount };
    case "voucherRefund": {
      const discount = r.discount ?? 0n;
      return {
        ...position,
        kind: "VoucherSaleRefunded",
        paymentId,
        payer: r.payer,
        payee: shop,
        campaignId: r.campaignId ?? 0n,
        paid: r.amount - discount,
        discount,
      };
    }
  }
}
