// The chain node restarting: a real `hardhat node` is killed (the watcher keeps retrying without
// crashing) and started again as a fresh chain on the same port, as `npm start` does after a
// restart. The watcher must notice the reset, drop what it derived from blocks that no longer
// exist, reopen requests settled in them, and follow the new chain without doubling anything.
import { setTimeout as sleep } from "node:timers/promises";
import { type Hex, keccak256, toHex } from "viem";
import { afterAll, expect, it } from "vitest";
import { ChainWatcher } from "../../server/src/chain/ChainWatcher.js";
import { putLargePaymentFen } from "../../server/src/privateData.js";
import {
  account,
  call,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  publicClientFor,
  send,
  signInVerified,
  startTestService,
  WANG,
} from "./helpers.js";

const service = await startTestService();
let node: HardhatNode | undefined;
afterAll(async () => {
  await node?.stop();
  await service.close();
});

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

it("test_ChainNodeRestarted_WatcherSurvivesAndFollowsTheNewChain", async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  let deployed: Deployed = await deployCityYuan(node.url);
  const wang = account(6);
  const issuer = account(1);
  const cookie = (await signInVerified(service, wang, WANG)).cookie;
  await putLargePaymentFen(service.db, wang.address, 1_000n, Date.now());

  // Old chain: a top-up issued and a large payment.
  const topUp = await call(service.app, "POST", "/topups", { cookie, body: { amountFen: 90_000, cardLast4: "1234" } });
  await service.bank.settled();
  await send(node.url, deployed, issuer, "issue", [wang.address, 90_000n, topUp.json.bankRef as Hex]);
  await send(node.url, deployed, wang, "pay", [account(12).address, 50_000n, keccak256(toHex("old-order"))]);
  for (let i = 0; i < 3; i++) await send(node.url, deployed, wang, "transfer", [account(12).address, 1n]);

  const logs: string[] = [];
  const watcher = new ChainWatcher({
    db: service.db,
    client: publicClientFor(node.url),
    deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
    confirmations: 0,
    blockRange: 2000,
    pollIntervalMs: 100,
    maxBackoffMs: 1000,
    log: (m) => logs.push(m),
  });
  watcher.start();
  try {
    const oldHead = Number(await publicClientFor(node.url).getBlockNumber());
    await until("the old chain to be processed", () => watcher.status.lastBlock === oldHead);
    const before = (await call(service.app, "GET", "/alerts", { cookie })).json.alerts as {
      kind: string;
      txHash: string;
    }[];
    expect(before.map((a) => a.kind).sort()).toEqual(["first_payment", "large_payment"]);
    expect(((await call(service.app, "GET", "/topups", { cookie })).json.topUps as { state: string }[])[0].state).toBe(
      "issued",
    );

    // The node goes away: the watcher reports it and keeps trying.
    await node.stop();
    await until("the watcher to notice the node is gone", () => !watcher.status.connected);
    expect(logs.some((l) => /retrying with backoff/.test(l))).toBe(true);
    await sleep(500);

    // A fresh chain on the same port, same deployment address, other history, ending longer than
    // before: while it grows the watcher sees a lower head, and at the end a changed block hash.
    await node.start();
    deployed = await deployCityYuan(node.url);
    await send(node.url, deployed, issuer, "issue", [wang.address, 5_000n, keccak256(toHex("new-chain-deposit"))]);
    for (let i = 0; i < 4; i++) await send(node.url, deployed, wang, "transfer", [account(13).address, 1n]);
    await send(node.url, deployed, issuer, "issue", [account(13).address, 1n, keccak256(toHex("lengthen"))]);
    const newHead = Number(await publicClientFor(node.url).getBlockNumber());
    expect(newHead).toBeGreaterThan(oldHead);

    await until("the reset to be handled", () => watcher.status.resets >= 1 && watcher.status.lastBlock === newHead);
    expect(logs.some((l) => /chain reset detected/.test(l))).toBe(true);

    const after = (await call(service.app, "GET", "/alerts", { cookie })).json.alerts as {
      kind: string;
      txHash: string;
      counterparty: string;
    }[];
    // The old chain's alerts are gone with its blocks; the new chain's first payment is there, once.
    expect(after.map((a) => a.kind)).toEqual(["first_payment"]);
    expect(after[0].counterparty).toBe(account(13).address);
    const oldTx = new Set(before.map((a) => a.txHash));
    expect(after.some((a) => oldTx.has(a.txHash))).toBe(false);
    // The top-up's Issued event no longer exists: the desk has to issue it again.
    expect(((await call(service.app, "GET", "/topups", { cookie })).json.topUps as { state: string }[])[0].state).toBe(
      "deposit_confirmed",
    );
    const transfers = await service.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM chain_transfers");
    expect(Number(transfers?.n)).toBe(4);
  } finally {
    await watcher.stop();
  }
});
