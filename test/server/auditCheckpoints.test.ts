// GET /api/v1/audit/checkpoints/latest: the auditor's latest signed checkpoint, public and
// read-only, handed on byte for byte as `npm run audit` wrote it (the reader verifies it, not the
// service); 404 no_checkpoint before the first one, 503 for a file that is not JSON or no deployment;
// a replaced file is served at once; the answer is what /openapi.json documents.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AuditCheckpoint,
  CheckpointRefused,
  checkpointFileName,
  replayFromJson,
  signCheckpoint,
  verifyCheckpoint,
} from "../../core/audit/checkpoint.js";
import { fileCheckpointShelf } from "../../server/src/api/auditCheckpoints.js";
import { call, DAPP_ORIGIN, startTestService, type TestService, tempDir } from "./helpers.js";
import { responseChecker } from "./openApiCheck.js";

const CHAIN_ID = 31337;
const CITY_YUAN = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
const ROUTE = "/api/v1/audit/checkpoints/latest";
const BLOCK_HASH = `0x${"ab".repeat(32)}` as Hex;

const emptyEscrow = { funded: "0", paidOut: "0", returned: "0", rescued: "0", created: 0, remaining: [] };

/** A real signed checkpoint of a small ledger: two residents, one packet open. */
async function signed(key: Hex, block = 120n): Promise<AuditCheckpoint> {
  const replay = replayFromJson({
    eventCount: 5,
    balances: [
      ["0x14dc79964da2c08b23698b3d3cc7ca32193d9955", "2500"],
      ["0x976ea74026e726554db657fa54763abd0c3a0aa9", "7000"],
      ["0xa0ee7a142d267c1f36714e4a8f75612f20a79720", "500"],
    ],
    issued: "10000",
    redeemed: "0",
    minted: "10000",
    burned: "0",
    redPacket: { ...emptyEscrow, funded: "500", created: 1, remaining: [["1", "500"]] },
    vouchers: emptyEscrow,
    delayed: emptyEscrow,
  });
  return signCheckpoint(privateKeyToAccount(key), {
    chainId: CHAIN_ID,
    cityYuan: CITY_YUAN,
    replay,
    block,
    blockHash: BLOCK_HASH,
  });
}

let service: TestService | undefined;
let dirs: { remove(): void }[] = [];
afterEach(async () => {
  await service?.close();
  service = undefined;
  for (const d of dirs) d.remove();
  dirs = [];
});

async function withShelf(): Promise<{ service: TestService; file: string }> {
  const dir = tempDir("hcy-checkpoints-");
  dirs.push(dir);
  service = await startTestService({
    deps: { auditCheckpoints: fileCheckpointShelf(dir.dir, CHAIN_ID, CITY_YUAN) },
  });
  return { service, file: path.join(dir.dir, checkpointFileName(CHAIN_ID, CITY_YUAN)) };
}

/** What `npm run audit` does: the whole file written beside, then renamed over the old one. */
function publish(file: string, text: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

async function raw(app: TestService["app"], method = "GET", headers: Record<string, string> = {}) {
  const res = await app.fetch(new Request(`http://127.0.0.1:8787${ROUTE}`, { method, headers }));
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("GET /api/v1/audit/checkpoints/latest", () => {
  it("test_NoCheckpointYet: answers 404 no_checkpoint before the auditor published one", async () => {
    const { service } = await withShelf();
    const res = await call(service.app, "GET", ROUTE, { origin: null });
    expect([res.status, res.json.error]).toEqual([404, "no_checkpoint"]);
  });

  it("test_ServesTheFileAsWritten: no key or cookie, byte for byte, and it verifies against the auditor who signed it", async () => {
    const { service, file } = await withShelf();
    const key = generatePrivateKey();
    const text = `${JSON.stringify(await signed(key), null, 1)}\n`;
    publish(file, text);
    const res = await raw(service.app);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.text).toBe(text);
    // What a reader does with it: verify it against the auditor IT trusts.
    const served = JSON.parse(res.text) as AuditCheckpoint;
    const options = {
      chainId: CHAIN_ID,
      cityYuan: CITY_YUAN,
      blockHashAt: async () => BLOCK_HASH,
      head: 200n,
    };
    const { block, replay } = await verifyCheckpoint(served, {
      ...options,
      trustedAuditor: privateKeyToAccount(key).address,
    });
    expect(block).toBe(120n);
    expect(replay.balances.get("0x976ea74026e726554db657fa54763abd0c3a0aa9")).toBe(7000n);
    // The service vouches for nothing: the same file, read by someone trusting another auditor, is refused.
    const other = privateKeyToAccount(generatePrivateKey()).address;
    const refused = await verifyCheckpoint(served, { ...options, trustedAuditor: other }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckpointRefused);
    expect((refused as CheckpointRefused).reason).toBe("untrustedSigner");
    expect((refused as CheckpointRefused).details).toEqual({
      signer: privateKeyToAccount(key).address,
      trusted: other,
    });
  });

  it("test_NewCheckpointServedAtOnce: a replaced file is what the next request gets", async () => {
    const { service, file } = await withShelf();
    const key = generatePrivateKey();
    publish(file, JSON.stringify(await signed(key, 120n)));
    expect(JSON.parse((await raw(service.app)).text).claim.block).toBe("120");
    publish(file, JSON.stringify(await signed(key, 121n)));
    expect(JSON.parse((await raw(service.app)).text).claim.block).toBe("121");
  });

  it("test_DocumentedAnswer: 200 and 404 match /openapi.json; the route is public (no security)", async () => {
    const { service, file } = await withShelf();
    const doc = (await call(service.app, "GET", "/openapi.json", { origin: null })).json as {
      paths: Record<string, { get: { security?: unknown[]; tags: string[] } }>;
    };
    expect(doc.paths[ROUTE]?.get.security).toBeUndefined();
    expect(doc.paths[ROUTE]?.get.tags).toEqual(["Audit"]);
    const check = await responseChecker(doc);
    const none = await call(service.app, "GET", ROUTE, { origin: null });
    check("get", ROUTE, 404, none.json);
    publish(file, JSON.stringify(await signed(generatePrivateKey())));
    const found = await call(service.app, "GET", ROUTE, { origin: null });
    expect(found.status).toBe(200);
    check("get", ROUTE, 200, found.json);
  });

  it("test_ReadOnly: the dApp may read it cross-origin; nothing can write it", async () => {
    const { service } = await withShelf();
    const read = await raw(service.app, "GET", { origin: DAPP_ORIGIN });
    expect(read.headers.get("access-control-allow-origin")).toBe(DAPP_ORIGIN);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await call(service.app, method, ROUTE, { body: {} });
      expect(res.status, method).toBe(404);
    }
  });

  it("test_UnreadableFile: a file that is not JSON answers 503 checkpoint_unreadable", async () => {
    const { service, file } = await withShelf();
    publish(file, '{"version": 2, "claim": ');
    const res = await call(service.app, "GET", ROUTE, { origin: null });
    expect([res.status, res.json.error]).toEqual([503, "checkpoint_unreadable"]);
  });

  it("test_NoDeployment: without a deployment it answers 503 no_deployment", async () => {
    service = await startTestService();
    const res = await call(service.app, "GET", ROUTE, { origin: null });
    expect([res.status, res.json.error]).toEqual([503, "no_deployment"]);
  });
});
