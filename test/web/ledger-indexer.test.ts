// The dApp's indexer client for the ledger page: the movements and attestations answers are checked
// field by field (amounts to bigint, addresses, kinds), and a page that is not newest first, not
// below its cursor, after the block asked for, of another kind or account than asked, or from an
// index that has not reached the block asked for is refused as "invalid", never shown. A local
// HTTP server plays the indexer's wrong answers (nothing else could); the real indexer's answers
// are checked against the chain in test/indexer/indexer.test.ts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createIndexerClient,
  IndexerError,
  parseIndexedAttestation,
  parseIndexedMovement,
} from "../../core/indexer/indexerClient";

const SHOP = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const PAYER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const TX = `0x${"ab".repeat(32)}`;
const indexed = { indexedBlock: "120", indexedTimestamp: 1, ready: true, chainHead: "121", behind: 1 };

function movement(block: number, logIndex: number, extra: Record<string, unknown> = {}) {
  return {
    blockNumber: String(block),
    logIndex,
    txHash: TX,
    timestamp: 1_700_000_000 + block,
    day: "2023-11-15",
    contract: "CityYuan",
    name: "Transfer",
    kind: "payment",
    from: PAYER.toLowerCase(),
    to: SHOP.toLowerCase(),
    amount: "1250",
    ...extra,
  };
}

function attestation(block: number, extra: Record<string, unknown> = {}) {
  return {
    blockNumber: String(block),
    logIndex: 0,
    attestationId: String(block),
    attester: PAYER,
    reserves: "100000000",
    reportHash: `0x${"cd".repeat(32)}`,
    uri: "https://audit.example/2026-11.pdf",
    supply: "99999999",
    txHash: TX,
    timestamp: 1_700_000_000 + block,
    ...extra,
  };
}

let server: Server;
let url: string;
let answer: (path: string) => unknown = () => ({});
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? "");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answer(req.url ?? "")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => createIndexerClient({ url, chainId: 31337, cityYuan: SHOP, timeoutMs: 2_000 });

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IndexerError);
    return `${(error as IndexerError).reason}: ${(error as Error).message}`;
  }
  throw new Error("the answer was accepted");
}

describe("the ledger page's indexer answers", () => {
  it("turns a movement and an attestation into the page's shapes: bigint amounts, lower-case addresses", () => {
    expect(parseIndexedMovement(movement(100, 3), {})).toEqual({
      kind: "payment",
      from: PAYER.toLowerCase(),
      to: SHOP.toLowerCase(),
      amount: 1250n,
      blockNumber: 100n,
      logIndex: 3,
      transactionHash: TX,
      timestamp: 1_700_000_100,
    });
    expect(parseIndexedAttestation(attestation(90))).toMatchObject({
      attestationId: 90n,
      attester: PAYER.toLowerCase(),
      reserves: 100_000_000n,
      supply: 99_999_999n,
      blockNumber: 90n,
      uri: "https://audit.example/2026-11.pdf",
    });
    for (const bad of [
      { kind: "gift" },
      { amount: "-5" },
      { amount: "12.50" },
      { from: "0x1234" },
      { txHash: "0x12" },
      { name: "PaymentMade" },
      { contract: "Vouchers" },
    ]) {
      expect(() => parseIndexedMovement(movement(100, 3, bad), {}), JSON.stringify(bad)).toThrow();
    }
    expect(() => parseIndexedAttestation(attestation(90, { uri: 7 }))).toThrow("uri");
    expect(() => parseIndexedAttestation(attestation(90, { supply: "lots" }))).toThrow("supply");
    // A movement the filters asked for would not let through is refused.
    expect(() => parseIndexedMovement(movement(100, 3), { kind: "refund" })).toThrow("filters");
    expect(() => parseIndexedMovement(movement(100, 3), { account: `0x${"11".repeat(20)}` })).toThrow("filters");
    expect(() => parseIndexedMovement(movement(100, 3), { minAmount: 1251n })).toThrow("filters");
    expect(() => parseIndexedMovement(movement(100, 3), { toTime: 1_700_000_099 })).toThrow("filters");
    expect(() => parseIndexedMovement(movement(100, 3), { toBlock: 99n })).toThrow("filters");
    expect(parseIndexedMovement(movement(100, 3), { account: SHOP, kind: "payment", maxAmount: 1250n }).amount).toBe(
      1250n,
    );
  });

  it("sends the filters as query parameters and accepts a right page", async () => {
    answer = () => ({ movements: [movement(110, 2), movement(110, 1), movement(90, 7)], next: "90-7", indexed });
    const page = await client().movements(
      {
        kind: "payment",
        account: SHOP as `0x${string}`,
        minAmount: 100n,
        maxAmount: 5000n,
        fromTime: 1_700_000_000,
        toTime: 1_800_000_000,
        toBlock: 120n,
      },
      { cursor: "111-0", limit: 3 },
    );
    expect(page.movements.map((m) => `${m.blockNumber}-${m.logIndex}`)).toEqual(["110-2", "110-1", "90-7"]);
    expect(page.next).toBe("90-7");
    const query = new URL(`http://x${asked.at(-1)}`).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      kind: "payment",
      account: SHOP,
      minAmount: "100",
      maxAmount: "5000",
      fromTime: "1700000000",
      toTime: "1800000000",
      toBlock: "120",
      limit: "3",
      cursor: "111-0",
    });
    await client().movements({});
    expect(new URL(`http://x${asked.at(-1)}`).searchParams.get("kind")).toBe("any");
  });

  it("refuses a page out of order, above its cursor, after its block, or from an index short of it", async () => {
    const cases: [string, unknown, string][] = [
      ["order", { movements: [movement(90, 1), movement(110, 1)], next: null, indexed }, "newest first"],
      ["repeat", { movements: [movement(90, 1), movement(90, 1)], next: null, indexed }, "newest first"],
      ["cursor", { movements: [movement(111, 0)], next: null, indexed }, "below the cursor"],
      ["block", { movements: [movement(100, 0, { blockNumber: "121" })], next: null, indexed }, "filters"],
      ["short", { movements: [], next: null, indexed: { ...indexed, indexedBlock: "119" } }, "not reached"],
      ["next", { movements: [], next: "soon", indexed }, "cursor"],
      ["list", { movements: {}, next: null, indexed }, "not a list"],
    ];
    for (const [name, body, words] of cases) {
      answer = () => body;
      const why = await refusal(client().movements({ toBlock: 120n }, { cursor: "111-0" }));
      expect(why, name).toMatch(/^invalid: /);
      expect(why, name).toContain(words);
    }
    const attestationCases: [string, unknown, string][] = [
      ["order", { attestations: [attestation(80), attestation(90)], next: null, indexed }, "newest first"],
      ["block", { attestations: [attestation(121)], next: null, indexed }, "after the block"],
      ["short", { attestations: [], next: null, indexed: { ...indexed, indexedBlock: null } }, "not reached"],
    ];
    for (const [name, body, words] of attestationCases) {
      answer = () => body;
      const why = await refusal(client().attestations({ toBlock: 120n }));
      expect(why, name).toMatch(/^invalid: /);
      expect(why, name).toContain(words);
    }
    answer = () => ({ attestations: [attestation(100), attestation(90)], next: null, indexed });
    expect((await client().attestations({ toBlock: 120n, limit: 2 })).attestations.map((a) => a.attestationId)).toEqual(
      [100n, 90n],
    );
  });
});
