// The indexer against a seeded chain: the whole local system's demo month (through the city
// service), plus a 亲属卡 payment, delayed transfers and a passkey account, indexed by the real
// Ponder app on PGlite. Every answer is compared with what the chain itself says (eth_getLogs,
// balanceOf, totalSupply), read independently here. Then a reorg of the last blocks
// (evm_snapshot / evm_revert) and the answers must equal the new chain's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Abi,
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  parseEventLogs,
  stringToHex,
} from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyMovements,
  filterMovements,
  MOVEMENT_KINDS,
  type Movement,
  supplyAt,
} from "../../core/audit/ledgerMovements.js";
import { readLedgerLogs } from "../../core/audit/readLedger.js";
import { createRpcClient } from "../../core/audit/rpc.js";
import { assembleEntries, type ChainLog } from "../../core/history/assemble.js";
import { createIndexerClient } from "../../core/indexer/indexerClient.js";
import {
  cityAccountFactoryAbi,
  cityYuanAbi,
  delayedTransfersAbi,
  familyCardsAbi,
  vouchersAbi,
} from "../../generated/contracts.js";
import { INDEXED_CONTRACTS } from "../../indexer/contracts.js";
import { shanghaiDay } from "../../indexer/events.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { type RunningIndexer, startIndexer, waitForIndexed } from "../../scripts/lib/indexer.js";
import { softwarePasskey } from "../../scripts/lib/passkey.js";
import { freePort } from "../../scripts/lib/processes.js";
import { type RunningSystem, startSystem } from "../../scripts/lib/system.js";

type Log = ChainLog & { contract: string };
type Json = Record<string, unknown>;

let system: RunningSystem;
/** The indexer the routes are asked of: PGlite's, or PostgreSQL's in the test that swaps it in. */
let indexer: RunningIndexer;
// The same indexer on PostgreSQL (one URL: HCY_TEST_PG_URL, which CI sets), in a schema of its own.
const PG_URL = process.env.HCY_TEST_PG_URL;
let pgIndexer: RunningIndexer | undefined;
let publicClient: ReturnType<typeof createPublicClient>;
const log = (line: string) => process.stderr.write(`[indexer test] ${line}\n`);
const plain = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));

async function api<T = Json>(route: string): Promise<T> {
  const response = await fetch(`${indexer.url}${route}`);
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every log of the city's contracts, decoded, with its block's time: the chain's own account. */
async function chainLogs(): Promise<Log[]> {
  const contracts = system.deployment.contracts as Record<string, Address>;
  const byAddress = new Map(
    Object.keys(INDEXED_CONTRACTS).map((name) => [(contracts[name] as string).toLowerCase(), name]),
  );
  const raw = await publicClient.getLogs({
    address: [...byAddress.keys()] as Address[],
    fromBlock: BigInt(system.deployment.deployBlock),
    toBlock: "latest",
  });
  const times = new Map<bigint, number>();
  for (const block of new Set(raw.map((l) => l.blockNumber as bigint))) {
    times.set(block, Number((await publicClient.getBlock({ blockNumber: block })).timestamp));
  }
  const out: Log[] = [];
  for (const entry of raw) {
    const contract = byAddress.get(entry.address.toLowerCase()) as keyof typeof INDEXED_CONTRACTS;
    const [decoded] = parseEventLogs({ abi: INDEXED_CONTRACTS[contract] as Abi, logs: [entry] });
    if (!decoded) throw new Error(`undecodable log ${entry.transactionHash}:${entry.logIndex}`);
    out.push({
      contract,
      address: entry.address,
      blockNumber: entry.blockNumber as bigint,
      logIndex: entry.logIndex as number,
      transactionHash: entry.transactionHash as Hex,
      blockTimestamp: times.get(entry.blockNumber as bigint) as number,
      eventName: decoded.eventName as string,
      args: decoded.args as unknown as Record<string, unknown>,
    });
  }
  return out;
}

async function allPages<T>(route: string, key: string, limit: number): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const sep = route.includes("?") ? "&" : "?";
    const body: Json = await api(`${route}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    out.push(...(body[key] as T[]));
    cursor = body.next as string | null;
    if (!cursor) return out;
  }
  throw new Error("too many pages");
}

const lower = (a: unknown) => (a as string).toLowerCase();
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

/** What a shop received or paid back, from the chain's logs (as the receipts table should hold it). */
function expectedReceipts(logs: Log[], shop: string) {
  const rows: { id: string; kind: string; amount: string; day: string }[] = [];
  for (const l of logs) {
    const a = l.args;
    const row = (kind: string, who: unknown, amount: bigint) => {
      if (lower(who) === shop)
        rows.push({
          id: `${l.transactionHash}:${l.logIndex}`,
          kind,
          amount: amount.toString(),
          day: shanghaiDay(l.blockTimestamp),
        });
    };
    const key = `${l.contract}:${l.eventName}`;
    if (key === "CityYuan:PaymentMade") row("payment", a.payee, a.amount as bigint);
    if (key === "CityYuan:PaymentRefunded") row("refund", a.payee, a.amount as bigint);
    if (key === "Vouchers:VoucherRedeemed") row("voucherPayment", a.payee, a.price as bigint);
    if (key === "Vouchers:VoucherSaleRefunded")
      row("voucherRefund", a.payee, (a.paid as bigint) + (a.discount as bigint));
    if (key === "FamilyCards:FamilyCardPaid") row("familyCardPayment", a.shop, a.amount as bigint);
  }
  return rows.sort((x, y) => (x.id < y.id ? -1 : 1));
}

/** Checks every answer of the indexer against the chain as it is now. */
async function expectIndexEqualsChain() {
  const logs = await chainLogs();
  const head = Number(await publicClient.getBlockNumber({ cacheTime: 0 }));
  await waitForIndexed(indexer.url, head);
  const contracts = system.deployment.contracts;

  // Every event is one movement, in chain order, newest first.
  const movements = await allPages<Json>("/v1/movements", "movements", 1000);
  expect(movements.map((m) => `${m.blockNumber}-${m.logIndex}-${m.contract}:${m.name}`)).toEqual(
    [...logs].reverse().map((l) => `${l.blockNumber}-${l.logIndex}-${l.contract}:${l.eventName}`),
  );

  // The ledger's figures equal the contracts' own.
  const ledger: Json = await api("/v1/ledger");
  const balanceOf = (who: Address) =>
    publicClient.readContract({
      address: contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "balanceOf",
      args: [who],
    });
  expect(ledger.supply).toBe(
    String(
      await publicClient.readContract({ address: contracts.CityYuan, abi: cityYuanAbi, functionName: "totalSupply" }),
    ),
  );
  for (const escrow of ["RedPacket", "Vouchers", "DelayedTransfers", "FamilyCards"] as const) {
    expect((ledger.escrows as Json)[escrow], escrow).toBe(String(await balanceOf(contracts[escrow])));
  }
  const named = (key: string) => logs.filter((l) => `${l.contract}:${l.eventName}` === key);
  expect(ledger.issued).toBe(String(sum(named("CityYuan:Issued").map((l) => l.args.amount as bigint))));
  expect(ledger.redeemed).toBe(String(sum(named("CityYuan:Redeemed").map((l) => l.args.amount as bigint))));
  expect(ledger.attestations).toBe(named("CityYuan:ReservesAttested").length);
  expect(ledger.cityAccounts).toBe(named("CityAccountFactory:CityAccountCreated").length);
  expect((ledger.merchants as Json).all).toBe(
    new Set(named("MerchantRegistry:MerchantRegistered").map((l) => lower(l.args.merchant))).size,
  );
  expect(ledger.events).toBe(logs.length);

  // Flows per day: issues and payments by day add up to the events'.
  const days = (
    await api<{ days: { day: string; flows: Record<string, { count: number; amount: string }> }[] }>("/v1/ledger/days")
  ).days;
  const flowSum = (match: (flow: string) => boolean) =>
    sum(
      days.flatMap((d) =>
        Object.entries(d.flows)
          .filter(([f]) => match(f))
          .map(([, v]) => BigInt(v.amount)),
      ),
    );
  expect(flowSum((f) => f === "issue")).toBe(BigInt(ledger.issued as string));
  expect(flowSum((f) => f.startsWith("payment."))).toBe(
    sum([
      ...named("CityYuan:PaymentMade").map((l) => l.args.amount as bigint),
      ...named("Vouchers:VoucherRedeemed").map((l) => l.args.price as bigint),
      ...named("FamilyCards:FamilyCardPaid").map((l) => l.args.amount as bigint),
    ]),
  );

  // Every resident's, shop's and escrow's history, paged 3 entries at a time, equals the dApp's own
  // assembly of the chain's logs.
  // The escrows too: each folds Transfers on its own (a red packet's sender no longer sees the
  // Transfer into RedPacket, RedPacket still does).
  const people = [
    ...[...RESIDENTS, ...MERCHANTS].map((p) => localAccount(p.index).address),
    contracts.RedPacket,
    contracts.Vouchers,
    contracts.DelayedTransfers,
    contracts.FamilyCards,
  ];
  for (const person of people) {
    const pages = await allPages<Json>(`/v1/history/${person}`, "entries", 3);
    expect(pages, person).toEqual(
      plain(
        assembleEntries(logs, person, {
          cityYuan: contracts.CityYuan,
          redPacket: contracts.RedPacket,
          vouchers: contracts.Vouchers,
          familyCards: contracts.FamilyCards,
          delayedTransfers: contracts.DelayedTransfers,
        }),
      ),
    );
  }

  // Every shop's receipts and daily totals.
  for (const shop of MERCHANTS.map((m) => localAccount(m.index).address.toLowerCase())) {
    const expected = expectedReceipts(logs, shop);
    const receipts = await allPages<Json>(`/v1/shops/${shop}/receipts`, "receipts", 7);
    expect(
      receipts
        .map((r) => ({ id: r.id, kind: r.kind, amount: r.amount, day: r.day }))
        .sort((x, y) => (String(x.id) < String(y.id) ? -1 : 1)),
      shop,
    ).toEqual(expected);
    const totals = (await api<{ days: Json[] }>(`/v1/shops/${shop}/days`)).days;
    const byDay = new Map<string, bigint>();
    for (const r of expected) {
      const signed = r.kind.endsWith("efund") ? -BigInt(r.amount) : BigInt(r.amount);
      byDay.set(r.day, (byDay.get(r.day) ?? 0n) + signed);
    }
    expect(Object.fromEntries(totals.map((d) => [d.day, d.net])), shop).toEqual(
      Object.fromEntries([...byDay].map(([day, net]) => [day, String(net)])),
    );
  }

  await expectLedgerPageEqualsChain(logs, head);

  const status: Json = await api("/v1/status");
  expect(status.indexedBlock).toBe(head);
  expect(status.behind).toBe(0);
  return logs;
}

/**
 * The ledger page's movements and attestations as the dApp's client reads them from the indexer
 * (every kind, filters, pages of a few, bounded by the head) equal the page's own reading of the
 * chain: classifyMovements and supplyAt over readLedgerLogs.
 */
async function expectLedgerPageEqualsChain(logs: Log[], head: number) {
  const contracts = system.deployment.contracts;
  const events = await readLedgerLogs(createRpcClient(system.rpcUrl), {
    contracts,
    fromBlock: BigInt(system.deployment.deployBlock),
    toBlock: BigInt(head),
  });
  const times = new Map(logs.map((l) => [l.blockNumber, l.blockTimestamp]));
  const chainMovements = classifyMovements(events, contracts, (b) => times.get(b) ?? 0).map((m) => ({
    ...m,
    from: lower(m.from),
    to: lower(m.to),
    timestamp: times.get(m.blockNumber),
  }));
  // The seeded chain has every kind, so each kind's filter is tried on something.
  expect(new Set(chainMovements.map((m) => m.kind))).toEqual(new Set(MOVEMENT_KINDS));
  const client = createIndexerClient({ url: indexer.url, chainId: 31337, cityYuan: contracts.CityYuan });
  const all = async (query: Parameters<typeof client.movements>[0], limit: number) => {
    const out: Movement[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.movements({ ...query, toBlock: BigInt(head) }, { cursor, limit });
      out.push(...page.movements);
      cursor = page.next ?? undefined;
    } while (cursor);
    return out;
  };
  expect(plain(await all({}, 9))).toEqual(plain(chainMovements));
  for (const kind of MOVEMENT_KINDS) {
    expect(plain(await all({ kind }, 4)), kind).toEqual(plain(chainMovements.filter((m) => m.kind === kind)));
  }
  const shop = localAccount((MERCHANTS[0] as { index: number }).index).address;
  const middle = chainMovements[Math.floor(chainMovements.length / 2)] as Movement;
  for (const filter of [
    { account: shop, kind: "payment" as const },
    { account: shop, minAmount: 1_000n, maxAmount: 50_000n },
    { fromTime: middle.timestamp, toTime: middle.timestamp + 86_400 },
  ]) {
    const expected = filterMovements(chainMovements as Movement[], {
      address: filter.account,
      kind: filter.kind,
      minFen: filter.minAmount,
      maxFen: filter.maxAmount,
      fromTime: filter.fromTime,
      toTime: filter.toTime,
    });
    expect(expected.length, JSON.stringify(plain(filter))).toBeGreaterThan(0);
    expect(plain(await all(filter, 5)), JSON.stringify(plain(filter))).toEqual(plain(expected));
  }

  // The attestations, newest first, each with the supply the page computes from every event.
  const attested = logs.filter((l) => l.contract === "CityYuan" && l.eventName === "ReservesAttested").reverse();
  expect(attested.length).toBeGreaterThan(0);
  const attestations = [];
  let cursor: string | undefined;
  do {
    const page = await client.attestations({ cursor, limit: 2, toBlock: BigInt(head) });
    attestations.push(...page.attestations);
    cursor = page.next ?? undefined;
  } while (cursor);
  expect(plain(attestations)).toEqual(
    plain(
      attested.map((l) => ({
        attestationId: l.args.attestationId,
        attester: lower(l.args.attester),
        reserves: l.args.reserves,
        reportHash: l.args.reportHash,
        uri: l.args.uri,
        supply: supplyAt(events, l.blockNumber),
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
        txHash: l.transactionHash,
        timestamp: l.blockTimestamp,
      })),
    ),
  );
}

beforeAll(async () => {
  system = await startSystem({
    chainPort: await freePort(),
    servicePort: await freePort(),
    webPort: await freePort(),
    bundler: false,
    indexer: false,
    web: false,
    dataDir: mkdtempSync(path.join(tmpdir(), "hcy-indexer-svc-")),
    quiet: true,
    log,
  });
  const chain = { ...hardhat, rpcUrls: { default: { http: [system.rpcUrl] } } };
  publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
  const wallet = (index: number) =>
    createWalletClient({ chain, transport: http(system.rpcUrl), account: localAccount(index) });
  const c = system.deployment.contracts;
  const done = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  // What the demo month does not do: a 亲属卡, delayed transfers and a passkey account.
  const [funder, holder, friend] = RESIDENTS.map((r) => r.index);
  const shop = localAccount((MERCHANTS[0] as { index: number }).index).address;
  const max = 2n ** 255n;
  await done(
    await wallet(funder as number).writeContract({
      address: c.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [c.FamilyCards, max],
    }),
  );
  await done(
    await wallet(funder as number).writeContract({
      address: c.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [c.DelayedTransfers, max],
    }),
  );
  await done(
    await wallet(funder as number).writeContract({
      address: c.FamilyCards,
      abi: familyCardsAbi,
      functionName: "offer",
      args: [
        localAccount(holder as number).address,
        { monthlyLimit: 100_000, perPaymentLimit: 50_000, categories: 0xff },
      ],
    }),
  );
  await done(
    await wallet(holder as number).writeContract({
      address: c.FamilyCards,
      abi: familyCardsAbi,
      functionName: "accept",
      args: [1n],
    }),
  );
  await done(
    await wallet(holder as number).writeContract({
      address: c.FamilyCards,
      abi: familyCardsAbi,
      functionName: "pay",
      args: [1n, shop, 1_234n, stringToHex("FAMILY-1", { size: 32 })],
    }),
  );
  const friendAddress = localAccount(friend as number).address;
  const passkey = softwarePasskey(`0x${"11".repeat(32)}`);
  for (const amount of [500n, 700n]) {
    await done(
      await wallet(funder as number).writeContract({
        address: c.DelayedTransfers,
        abi: delayedTransfersAbi,
        functionName: "send",
        args: [friendAddress, amount, 2n * 3600n],
      }),
    );
  }
  await done(
    await wallet(funder as number).writeContract({
      address: c.DelayedTransfers,
      abi: delayedTransfersAbi,
      functionName: "cancel",
      args: [1n],
    }),
  );
  await done(
    await wallet(friend as number).writeContract({
      address: c.CityAccountFactory,
      abi: cityAccountFactoryAbi,
      functionName: "createAccount",
      args: [passkey.x, passkey.y],
    }),
  );
  // The shop refunds the demo month's voucher sale: VoucherSaleRefunded comes before the two
  // Transfers that pay it back, which her history must fold all the same.
  const [sale] = await publicClient.getContractEvents({
    address: c.Vouchers,
    abi: vouchersAbi,
    eventName: "VoucherRedeemed",
    fromBlock: BigInt(system.deployment.deployBlock),
  });
  if (!sale) throw new Error("the demo month has no voucher sale to refund");
  const saleShop = MERCHANTS.find((m) => localAccount(m.index).address === sale.args.payee) as { index: number };
  await done(
    await wallet(saleShop.index).writeContract({
      address: c.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [c.Vouchers, sale.args.price as bigint],
    }),
  );
  await done(
    await wallet(saleShop.index).writeContract({
      address: c.Vouchers,
      abi: vouchersAbi,
      functionName: "refundSale",
      args: [
        sale.args.campaignId as bigint,
        sale.args.payer as Address,
        sale.args.orderRef as Hex,
        sale.args.price as bigint,
      ],
    }),
  );
  indexer = await startIndexer({
    rpcUrl: system.rpcUrl,
    port: await freePort(),
    dir: mkdtempSync(path.join(tmpdir(), "hcy-indexer-db-")),
    quiet: true,
    log,
  });
  if (PG_URL)
    pgIndexer = await startIndexer({
      rpcUrl: system.rpcUrl,
      port: await freePort(),
      databaseUrl: PG_URL,
      schema: "hcy_indexer_test",
      quiet: true,
      log,
    });
  else log("PostgreSQL run skipped: set HCY_TEST_PG_URL=postgres://user:pass@host/db");
}, 400_000);

afterAll(async () => {
  await pgIndexer?.stop();
  await indexer?.stop();
  await system?.stop();
});

describe("the indexer on a seeded chain", () => {
  it("answers every route as the chain does: movements, ledger, flows, histories, shops", async () => {
    const logs = await expectIndexEqualsChain();
    const kinds = new Set(logs.map((l) => `${l.contract}:${l.eventName}`));
    // The seeded chain exercises every handler that keeps a view.
    for (const key of [
      "CityYuan:Transfer",
      "CityYuan:Issued",
      "CityYuan:Redeemed",
      "CityYuan:PaymentMade",
      "CityYuan:PaymentRefunded",
      "CityYuan:ReservesAttested",
      "MerchantRegistry:MerchantRegistered",
      "RedPacket:PacketCreated",
      "RedPacket:PacketClaimed",
      "Vouchers:CampaignCreated",
      "Vouchers:VoucherRedeemed",
      "Vouchers:VoucherSaleRefunded",
      "FamilyCards:FamilyCardPaid",
      "DelayedTransfers:TransferDelayed",
      "DelayedTransfers:TransferCancelled",
      "CityAccountFactory:CityAccountCreated",
    ]) {
      expect(kinds, key).toContain(key);
    }
  }, 300_000);

  it("filters movements and writes them as CSV", async () => {
    const logs = await chainLogs();
    const shop = localAccount((MERCHANTS[0] as { index: number }).index).address;
    const payments = logs.filter((l) => l.eventName === "PaymentMade" && lower(l.args.payee) === shop.toLowerCase());
    const body = await api<{ movements: Json[] }>(`/v1/movements?event=PaymentMade&account=${shop}&limit=1000`);
    expect(body.movements.map((m) => m.txHash)).toEqual([...payments].reverse().map((l) => l.transactionHash));
    const big = logs.filter((l) => l.eventName === "Transfer" && (l.args.value as bigint) >= 100_000n);
    const bigBody = await api<{ movements: Json[] }>(
      "/v1/movements?contract=CityYuan&event=Transfer&minAmount=100000&limit=1000",
    );
    expect(bigBody.movements.length).toBe(big.length);
    const response = await fetch(`${indexer.url}/v1/movements?event=PaymentMade&account=${shop}&format=csv`);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so a spreadsheet reads the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines[0]).toBe("block,log_index,time,contract,event,from,to,amount_yuan,transaction,args");
    expect(lines.length).toBe(payments.length + 1);
    expect(lines[1]).toContain(`+08:00,CityYuan,PaymentMade,`);

    // The ledger page's kinds, as CSV too.
    const refunds = await api<{ movements: Json[] }>("/v1/movements?kind=refund&limit=1000");
    expect(refunds.movements.length).toBeGreaterThan(0);
    expect(new Set(refunds.movements.map((m) => m.kind))).toEqual(new Set(["refund"]));
    const refundCsv = await (await fetch(`${indexer.url}/v1/movements?kind=refund&format=csv`)).text();
    const refundLines = refundCsv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(refundLines[0]).toBe("block,log_index,time,kind,from,to,amount_yuan,transaction");
    expect(refundLines.length).toBe(refunds.movements.length + 1);
    expect(refundLines[1]).toContain("+08:00,refund,");
  });

  it("refuses bad input in words", async () => {
    for (const [route, words] of [
      ["/v1/history/0x1234", "not an address"],
      ["/v1/history/0x0000000000000000000000000000000000000001?cursor=abc", "cursor"],
      ["/v1/history/0x0000000000000000000000000000000000000001?limit=0", "limit"],
      ["/v1/shops/0x0000000000000000000000000000000000000001/days?from=yesterday", "YYYY-MM-DD"],
      ["/v1/movements?contract=Nope", "unknown contract"],
      ["/v1/movements?minAmount=-5", "whole number"],
      ["/v1/movements?kind=gift", "kind must be"],
      ["/v1/movements?kind=payment&event=PaymentMade", "do not go with it"],
      ["/v1/movements?fromTime=yesterday", "whole number"],
      ["/v1/attestations?toBlock=latest", "whole number"],
    ] as const) {
      const response = await fetch(`${indexer.url}${route}`);
      expect(response.status, route).toBe(400);
      expect(((await response.json()) as { error: string }).error, route).toContain(words);
    }
  });

  it("after a reorg of the last blocks answers as the new chain does", async () => {
    const testClient = createTestClient({ mode: "hardhat", chain: hardhat, transport: http(system.rpcUrl) });
    const c = system.deployment.contracts;
    const chain = { ...hardhat, rpcUrls: { default: { http: [system.rpcUrl] } } };
    const pay = async (payer: number, shopIndex: number, amount: bigint, ref: string) => {
      const hash = await createWalletClient({
        chain,
        transport: http(system.rpcUrl),
        account: localAccount(payer),
      }).writeContract({
        address: c.CityYuan,
        abi: cityYuanAbi,
        functionName: "pay",
        args: [localAccount(shopIndex).address, amount, stringToHex(ref, { size: 32 })],
      });
      await publicClient.waitForTransactionReceipt({ hash });
      return hash;
    };
    const [a, b] = RESIDENTS.map((r) => r.index) as [number, number];
    const [x, y] = MERCHANTS.map((m) => m.index) as [number, number];
    // One evm_mine per block (hardhat_mine reserves blocks whose hashes the node settles later).
    const mine = async (blocks: number) => {
      for (let i = 0; i < blocks; i++) await testClient.request({ method: "evm_mine" as never, params: [] as never });
    };
    const snapshot = await testClient.snapshot();
    const gone = await pay(a, x, 4_321n, "REORG-GONE-1");
    await pay(a, x, 1_111n, "REORG-GONE-2");
    await mine(2);
    // The head as the chain says it now (the status answer may be a moment old).
    await waitForIndexed(indexer.url, Number(await publicClient.getBlockNumber({ cacheTime: 0 })));
    const before = await api<{ entries: Json[] }>(`/v1/history/${localAccount(a).address}?limit=5`);
    expect(before.entries.map((e) => e.txHash)).toContain(gone);

    await testClient.revert({ id: snapshot });
    // The new branch: other payments, and longer than the old one so the indexer must follow it.
    await pay(b, y, 2_222n, "REORG-NEW-1");
    await mine(6);
    await expectIndexEqualsChain();
    const after = await api<{ entries: Json[] }>(`/v1/history/${localAccount(a).address}?limit=5`);
    expect(after.entries.map((e) => e.txHash)).not.toContain(gone);
  }, 300_000);

  it.skipIf(!PG_URL)(
    "on PostgreSQL answers every route as the chain does, after the same reorg",
    async () => {
      const pglite = indexer;
      indexer = pgIndexer as RunningIndexer;
      try {
        const status = await api<{ ready: boolean }>("/v1/status");
        expect(status.ready).toBe(true);
        await expectIndexEqualsChain();
      } finally {
        indexer = pglite;
      }
    },
    300_000,
  );
});
