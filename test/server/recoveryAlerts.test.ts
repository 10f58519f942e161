// 找回账户 alerts from the chain watcher, against a real `hardhat node`: a recovery started and
// agreed to, a change of helpers scheduled, and recoveries cancelled are told to the account and to
// each helper (the words differ: `yours`), once each even when the watcher reads the blocks again.
// The account here is a plain key (CityRecovery keys an account's settings by msg.sender), so the
// recovery is not executed: that step calls the passkey account (test/e2e/recovery.e2e.test.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { p256 } from "@noble/curves/p256";
import { type Abi, type Address, bytesToHex, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainWatcher } from "../../server/src/chain/ChainWatcher.js";
import {
  account,
  call,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  signIn,
  startTestService,
  type TestService,
  walletFor,
} from "./helpers.js";

const recoveryArtifact = () =>
  JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/accounts/CityRecovery.sol/CityRecovery.json"), "utf8"),
  ) as {
    abi: Abi;
    bytecode: Hex;
  };

let node: HardhatNode;
let service: TestService;
let cityYuan: Address;
let recovery: Address;
let deployBlock: bigint;
const abi = recoveryArtifact().abi;

async function write(index: number, functionName: string, args: readonly unknown[]): Promise<void> {
  const hash = await walletFor(node.url, account(index)).writeContract({ address: recovery, abi, functionName, args });
  const receipt = await publicClientFor(node.url).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

/** A new phone's passkey: a point of P-256. */
function newPasskey(): { qx: Hex; qy: Hex } {
  const point = p256.getPublicKey(p256.utils.randomPrivateKey(), false);
  return { qx: bytesToHex(point.slice(1, 33)), qy: bytesToHex(point.slice(33, 65)) };
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  const deployed = await deployCityYuan(node.url);
  cityYuan = deployed.cityYuan;
  deployBlock = deployed.deployBlock;
  const { bytecode } = recoveryArtifact();
  const hash = await walletFor(node.url, account(0)).deployContract({
    abi,
    bytecode,
    args: [48 * 3600, 7 * 24 * 3600, account(0).address, 0],
  });
  recovery = (await publicClientFor(node.url).waitForTransactionReceipt({ hash })).contractAddress as Address;
  service = await startTestService();
});

afterAll(async () => {
  await service?.close();
  await node?.stop();
});

type AlertJson = { kind: string; counterparty: string; details: Record<string, unknown> };

describe("找回账户 alerts", () => {
  it("tell her and each helper of every step, once", async () => {
    const wang = account(6);
    const son = account(7);
    const daughter = account(9);
    const neighbour = account(8);
    await write(6, "setGuardians", [[son.address, daughter.address], 2, false]);
    const key = newPasskey();
    await write(7, "startRecovery", [wang.address, key.qx, key.qy, []]);
    const id = (await publicClientFor(node.url).readContract({
      address: recovery,
      abi,
      functionName: "recoveryId",
      args: [wang.address, key.qx, key.qy, []],
    })) as Hex;
    await write(9, "approveRecovery", [id]);
    await write(6, "cancelRecoveries", []);
    // A change of helpers waits out the delay: her son and daughter are told, and so is the neighbour it names.
    await write(6, "setGuardians", [[son.address, neighbour.address], 2, false]);

    const watcher = new ChainWatcher({
      db: service.db,
      client: publicClientFor(node.url),
      deployment: { chainId: 31337, deployBlock, cityYuan, escrows: [], cityRecovery: recovery },
      confirmations: 0,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
    });
    await watcher.pollOnce();

    const alertsOf = async (who: ReturnType<typeof account>) => {
      const { cookie } = await signIn(service, who);
      const res = await call(service.app, "GET", "/alerts", { cookie });
      expect(res.status).toBe(200);
      return res.json.alerts as AlertJson[];
    };
    const hers = await alertsOf(wang);
    expect(hers.map((a) => a.kind).sort()).toEqual(
      [
        "guardians_change_scheduled",
        "recoveries_cancelled",
        "recovery_approved",
        "recovery_approved",
        "recovery_started",
      ].sort(),
    );
    expect(hers.every((a) => a.details.yours === true)).toBe(true);
    const started = hers.find((a) => a.kind === "recovery_started");
    expect(started?.counterparty.toLowerCase()).toBe(son.address.toLowerCase());
    const enough = hers.find((a) => a.kind === "recovery_approved" && a.details.approvals === 2);
    expect(Number(enough?.details.readyAt)).toBeGreaterThan(0);

    const sons = await alertsOf(son);
    expect(sons.map((a) => a.kind).sort()).toEqual(hers.map((a) => a.kind).sort());
    expect(sons.every((a) => a.details.yours === false)).toBe(true);
    const daughters = await alertsOf(daughter);
    expect(daughters.map((a) => a.kind)).toContain("guardians_change_scheduled");
    // The neighbour is told only of the change that names him.
    expect((await alertsOf(neighbour)).map((a) => a.kind)).toEqual(["guardians_change_scheduled"]);

    // Read again from the start (a restart that lost its cursor): nothing doubles.
    await service.db.run("DELETE FROM chain_cursor");
    await watcher.pollOnce();
    expect((await alertsOf(wang)).length).toBe(hers.length);
    // Her family acted: no alert says the city did.
    expect(hers.every((a) => a.details.actedBy === undefined)).toBe(true);
  });

  it("say when the city desk acted, not the clerk's account number", async () => {
    const zhou = account(11);
    const daughter = account(12);
    const clerk = account(10);
    const client = publicClientFor(node.url);
    const deskRole = (await client.readContract({ address: recovery, abi, functionName: "RECOVERY_DESK_ROLE" })) as Hex;
    await write(0, "grantRole", [deskRole, clerk.address]);
    await write(11, "setGuardians", [[daughter.address], 1, true]);
    const fromBlock = await client.getBlockNumber();
    // The desk starts one recovery; his daughter another.
    await write(10, "startRecovery", [zhou.address, ...Object.values(newPasskey()), []]);
    await write(12, "startRecovery", [zhou.address, ...Object.values(newPasskey()), []]);

    const watcher = new ChainWatcher({
      db: service.db,
      client,
      deployment: { chainId: 31337, deployBlock: fromBlock, cityYuan, escrows: [], cityRecovery: recovery },
      confirmations: 0,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
    });
    await watcher.pollOnce();
    const { cookie } = await signIn(service, zhou);
    const alerts = (await call(service.app, "GET", "/alerts", { cookie })).json.alerts as AlertJson[];
    const byClerk = alerts.filter((a) => a.counterparty.toLowerCase() === clerk.address.toLowerCase());
    const byDaughter = alerts.filter((a) => a.counterparty.toLowerCase() === daughter.address.toLowerCase());
    expect(byClerk.map((a) => a.kind).sort()).toEqual(["recovery_approved", "recovery_started"]);
    expect(byClerk.every((a) => a.details.actedBy === "desk")).toBe(true);
    expect(byDaughter.map((a) => a.kind).sort()).toEqual(["recovery_approved", "recovery_started"]);
    expect(byDaughter.every((a) => a.details.actedBy === undefined)).toBe(true);
    // Someone without the desk role is no guardian at all: the chain refuses him.
    await expect(write(13, "startRecovery", [zhou.address, ...Object.values(newPasskey()), []])).rejects.toThrow();
  });
});
