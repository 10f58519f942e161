// `npm start` keeps the indexer running: when its process dies (here SIGKILL, as the OOM killer
// would), the system says so in its log and starts it again on the same database, and it goes on
// indexing the chain from where it had committed.
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, ROLE_HOLDERS } from "../../scripts/lib/demo-accounts.js";
import { waitForIndexed } from "../../scripts/lib/indexer.js";
import { freePort, waitFor } from "../../scripts/lib/processes.js";
import { type RunningSystem, startSystem } from "../../scripts/lib/system.js";

let system: RunningSystem;
const lines: string[] = [];
const log = (line: string) => {
  lines.push(line);
  process.stderr.write(`[indexer restart test] ${line}\n`);
};

beforeAll(async () => {
  system = await startSystem({
    chainPort: await freePort(),
    indexerPort: await freePort(),
    restartIndexer: true,
    seed: false,
    service: false,
    web: false,
    bundler: false,
    quiet: true,
    log,
  });
}, 240_000);

afterAll(async () => {
  await system?.stop();
});

describe("npm start's indexer", () => {
  it("is started again after its process is killed, says so, and indexes on", async () => {
    const url = system.indexerUrl as string;
    const chain = { ...hardhat, rpcUrls: { default: { http: [system.rpcUrl] } } };
    const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
    // The chain's own head (the indexer's idea of it may be half a second old).
    await waitForIndexed(url, Number(await publicClient.getBlockNumber({ cacheTime: 0 })));
    const before = (await (await fetch(`${url}/v1/ledger`)).json()) as { events: number };
    process.kill(system.indexerPid as number, "SIGKILL");
    await waitFor("the restart line", async () => lines.some((l) => l.includes("The indexer exited unexpectedly")), {
      timeoutMs: 10_000,
    });
    expect(lines.find((l) => l.includes("The indexer exited unexpectedly"))).toContain("SIGKILL");
    // Ponder waits for the killed process's lock on its schema to expire (25 s) before it starts.
    await waitFor("the indexer to answer again", async () => lines.some((l) => l.includes("answers again")), {
      timeoutMs: 120_000,
    });

    // A transaction after the restart is indexed too.
    const admin = createWalletClient({
      chain,
      transport: http(system.rpcUrl),
      account: localAccount(ROLE_HOLDERS.admin.index),
    });
    const hash = await admin.writeContract({
      address: system.deployment.contracts.CityYuan,
      abi: cityYuanAbi,
      functionName: "approve",
      args: [localAccount(1).address, 1n],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    // Its own block, not "the head": the indexer's idea of the head may be half a second old.
    await waitForIndexed(url, Number(receipt.blockNumber), 60_000);
    const after = (await (await fetch(`${url}/v1/ledger`)).json()) as { events: number };
    expect(after.events).toBe(before.events + 1);
  }, 240_000);
});
