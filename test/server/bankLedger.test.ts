// Bank reconciliation attacks from issue 12 against a real `hardhat node`, on SQLite and
// PostgreSQL: every Issued and Redeemed lands in the append-only bank_events ledger, requests move
// only from the states that allow it, and whatever does not fit (a second issue on one reference,
// an issue for a rejected, expired or unknown request, another amount or recipient, someone
// burning another resident's cash-out reference, a second burn, a paid cash-out reorged away)
// becomes a problem on the desk and in the account's history.
import { type Address, createPublicClient, custom, type Hex, http, keccak256, type PublicClient, toHex } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChainWatcher } from "../../server/src/chain/ChainWatcher.js";
import { issuedOnChainCheck, issuerRoleCheck } from "../../server/src/chain/issuerRole.js";
import {
  account,
  call,
  customer,
  DATABASES,
  type Deployed,
  deployCityYuan,
  freePort,
  HardhatNode,
  ISSUER_ROLE,
  publicClientFor,
  send,
  signIn,
  signInVerified,
  startTestService,
  type TestService,
  walletFor,
} from "./helpers.js";

let node: HardhatNode;
beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
});
afterAll(async () => {
  await node?.stop();
});

const issuer = account(1);
const resident = account(6);
const attacker = account(9);
const rpc = async (method: string, params: unknown[] = []) =>
  (
    (await (
      await fetch(node.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      })
    ).json()) as { result: unknown }
  ).result;
const ref = (s: string) => keccak256(toHex(`${s}-${Math.random()}`));

type Problem = { kind: string; account: Address; requestId: string | null; bankRef: Hex; resolvedAt: number | null };

describe.each(DATABASES)("bank reconciliation on %s", (database) => {
  let service: TestService;
  let deployed: Deployed;
  let watcher: ChainWatcher;
  let residentCookie: string;
  let deskCookie: string;

  afterEach(async () => {
    await service?.close();
  });

  async function setUp(o: { confirmations?: number; chainRoles?: boolean } = {}): Promise<void> {
    deployed = await deployCityYuan(node.url);
    const client = publicClientFor(node.url);
    const confirmations = o.confirmations ?? 0;
    service = await startTestService({
      database,
      isIssuer: o.chainRoles ? issuerRoleCheck(client, deployed.cityYuan) : async (a) => a === issuer.address,
      issuedOnChain: issuedOnChainCheck(client, deployed.cityYuan, deployed.deployBlock),
      stillCanonical: async (blockNumber, hash) => (await client.getBlock({ blockNumber })).hash === hash,
      finality: { confirmations, head: () => client.getBlockNumber({ cacheTime: 0 }) },
    });
    watcher = new ChainWatcher({
      db: service.db,
      client,
      deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
      confirmations,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
      onRedeemed: () => service.bank.payOutRedeemed(),
    });
    residentCookie = (await signInVerified(service, resident, customer("李明"))).cookie;
    deskCookie = (await signIn(service, issuer)).cookie;
  }

  const chain = (signer: ReturnType<typeof account>, fn: string, args: readonly unknown[]) =>
    send(node.url, deployed, signer, fn, args);
  const issue = (to: Address, fen: bigint, bankRef: Hex) => chain(issuer, "issue", [to, fen, bankRef]);

  async function topUp(fen: number): Promise<{ id: string; bankRef: Hex }> {
    const res = await call(service.app, "POST", "/topups", {
      cookie: residentCookie,
      body: { amountFen: fen, cardLast4: "6225" },
    });
    expect(res.status).toBe(201);
    await service.bank.settled();
    return { id: res.json.id as string, bankRef: res.json.bankRef as Hex };
  }

  async function cashOut(fen: number, cookie = residentCookie): Promise<{ id: string; bankRef: Hex }> {
    const res = await call(service.app, "POST", "/cashouts", { cookie, body: { amountFen: fen, cardLast4: "1234" } });
    expect(res.status).toBe(201);
    return { id: res.json.id as string, bankRef: res.json.bankRef as Hex };
  }

  const deskProblems = async () =>
    (await call(service.app, "GET", "/desk/problems?open=true", { cookie: deskCookie })).json.problems as Problem[];
  /** Without the tokens the tests issue to themselves outside any request (also flagged, as they should be). */
  const deskProblemsButSeeds = async () => (await deskProblems()).filter((p) => p.kind !== "issued_without_request");
  const myProblems = async (cookie = residentCookie) =>
    (await call(service.app, "GET", "/bank-problems", { cookie })).json.problems as Problem[];
  const eventsFor = async (bankRef: Hex) =>
    service.db.all<{ kind: string; request_id: string | null; orphaned_at: number | null }>(
      "SELECT kind, request_id, orphaned_at FROM bank_events WHERE bank_ref = ? ORDER BY block_number, log_index",
      [bankRef.toLowerCase()],
    );

  it("test_IssueTwiceOnOneReference_SecondRefusedOnChain_RequestKeepsTheFirst", async () => {
    await setUp();
    const t = await topUp(20_000);
    const first = await issue(resident.address, 20_000n, t.bankRef);
    // A double click, or a second clerk: CityYuan refuses a second issue under one bank reference.
    await expect(issue(resident.address, 20_000n, t.bankRef)).rejects.toThrow(/CityYuanBankReferenceUsed/);
    await watcher.pollOnce();
    const request = await service.bank.topUp(t.id);
    expect(request).toMatchObject({ state: "issued", issuedTx: first, problem: null });
    expect((await eventsFor(t.bankRef)).map((e) => [e.kind, e.request_id])).toEqual([["issued", t.id]]);
    expect(await deskProblems()).toEqual([]);
    expect(await myProblems()).toEqual([]);
  });

  it("test_IssueAgainstARejectedRequest_KeepsTheRejection", async () => {
    await setUp();
    const t = await topUp(10_000);
    const rejected = await call(service.app, "POST", `/desk/topups/${t.id}/reject`, {
      cookie: deskCookie,
      body: { reason: "deposit came from another name" },
    });
    expect(rejected.json.state).toBe("rejected");
    await issue(resident.address, 10_000n, t.bankRef);
    await watcher.pollOnce();
    expect(await service.bank.topUp(t.id)).toMatchObject({
      state: "rejected",
      problem: "deposit came from another name",
      issuedTx: null,
    });
    expect(await deskProblems()).toEqual([
      expect.objectContaining({ kind: "issued_for_rejected", requestId: t.id, account: resident.address }),
    ]);
  });

  it("test_IssueForAnExpiredOrUnknownRequest_IsAProblem", async () => {
    await setUp();
    const t = await topUp(500);
    await service.db.run("UPDATE topups SET state = 'awaiting_deposit' WHERE id = ?", [t.id]);
    service.clock.advance(service.config.requestTtlMs + 1);
    await service.bank.expireStale(service.clock.now(), service.config.requestTtlMs);
    deskCookie = (await signIn(service, issuer)).cookie; // a day later: a fresh desk session
    const unknown = ref("made-up");
    await issue(resident.address, 500n, t.bankRef);
    await issue(attacker.address, 700n, unknown);
    await watcher.pollOnce();
    expect((await service.bank.topUp(t.id))?.state).toBe("expired");
    const kinds = (await deskProblems()).map((p) => [p.kind, p.bankRef]).sort();
    expect(kinds).toEqual(
      [
        ["issued_for_expired", t.bankRef],
        ["issued_without_request", unknown],
      ].sort(),
    );
    expect((await eventsFor(unknown)).length).toBe(1);
  });

  it("test_IssueWithAnotherAmountOrRecipient_IsAMismatchAndAProblem", async () => {
    await setUp();
    const a = await topUp(1_000);
    const b = await topUp(2_000);
    await issue(resident.address, 100_000n, a.bankRef);
    await issue(attacker.address, 2_000n, b.bankRef);
    await watcher.pollOnce();
    expect(await service.bank.topUp(a.id)).toMatchObject({
      state: "mismatch",
      problem: "issued 100000 fen, requested 1000",
    });
    expect((await service.bank.topUp(b.id))?.state).toBe("mismatch");
    expect((await myProblems()).map((p) => p.kind).sort()).toEqual(["issued_amount_differs", "issued_to_other"]);
  });

  it("test_SomeoneBurnsAnothersCashOutReference_OwnerStillPaid_BurnerFlagged", async () => {
    await setUp();
    await issue(resident.address, 100_000n, ref("seed"));
    await issue(attacker.address, 1_000n, ref("seed-attacker"));
    const attackerCookie = (await signIn(service, attacker)).cookie;
    const c = await cashOut(5_000);
    // The attacker burns 1 fen with the resident's reference first.
    await chain(attacker, "redeem", [1n, c.bankRef]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("awaiting_redeem");
    expect((await myProblems(attackerCookie)).filter((p) => p.kind === "redeemed_others_reference")).toEqual([
      expect.objectContaining({ account: attacker.address, requestId: null, bankRef: c.bankRef }),
    ]);
    expect((await myProblems()).filter((p) => p.kind === "redeemed_others_reference")).toEqual([]);
    // The owner's own burn still completes the cash-out.
    await chain(resident, "redeem", [5_000n, c.bankRef]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
    expect(
      await service.db.get("SELECT account, amount_fen FROM simulated_bank_payouts WHERE bank_ref = ?", [
        c.bankRef.toLowerCase(),
      ]),
    ).toEqual({ account: resident.address.toLowerCase(), amount_fen: "5000" });
    expect((await eventsFor(c.bankRef)).map((e) => e.request_id)).toEqual([null, c.id]);
  });

  it("test_SecondBurnOnOneCashOut_AndABurnWithoutRequest_AreFlagged", async () => {
    await setUp();
    await issue(resident.address, 100_000n, ref("seed"));
    const c = await cashOut(3_000);
    await chain(resident, "redeem", [3_000n, c.bankRef]);
    await chain(resident, "redeem", [3_000n, c.bankRef]);
    const stray = ref("stray");
    await chain(resident, "redeem", [42n, stray]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
    const problems = (await myProblems()).filter((p) => p.kind.startsWith("redeemed"));
    expect(problems.map((p) => [p.kind, p.bankRef]).sort()).toEqual(
      [
        ["redeemed_twice", c.bankRef],
        ["redeemed_without_request", stray],
      ].sort(),
    );
    expect((await eventsFor(c.bankRef)).length).toBe(2);
  });

  it("test_PaidCashOutReorgedAway_IsFlaggedOnTheDesk_IssuedTopUpReopened", async () => {
    await setUp();
    await issue(resident.address, 100_000n, ref("seed"));
    const c = await cashOut(4_000);
    const t = await topUp(6_000);
    await watcher.pollOnce();
    const snapshot = await rpc("evm_snapshot");
    await chain(resident, "redeem", [4_000n, c.bankRef]);
    await issue(resident.address, 6_000n, t.bankRef);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
    expect((await service.bank.topUp(t.id))?.state).toBe("issued");

    // The blocks are replaced by others (a reorg): the burn and the issue never happened.
    expect(await rpc("evm_revert", [snapshot])).toBe(true);
    for (let i = 0; i < 4; i++) await chain(account(10), "transfer", [account(11).address, 0n]).catch(() => {});
    await rpc("hardhat_mine", ["0x3"]);
    await watcher.pollOnce();

    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
    expect((await service.bank.topUp(t.id))?.state).toBe("deposit_confirmed");
    const problems = await deskProblemsButSeeds();
    expect(problems.map((p) => [p.kind, p.requestId]).sort()).toEqual(
      [
        ["issue_reorged", t.id],
        ["payout_reorged", c.id],
      ].sort(),
    );
    expect((await eventsFor(c.bankRef)).every((e) => e.orphaned_at !== null)).toBe(true);

    // The desk records what it did; the problem stays, resolved.
    const payout = problems.find((p) => p.kind === "payout_reorged") as Problem & { id: string };
    const resolved = await call(service.app, "POST", `/desk/problems/${payout.id}/resolve`, {
      cookie: deskCookie,
      body: { resolution: "asked the resident to redeem again" },
    });
    expect(resolved.json).toMatchObject({
      resolvedBy: issuer.address,
      resolution: "asked the resident to redeem again",
    });
    expect(
      (
        await call(service.app, "POST", `/desk/problems/${payout.id}/resolve`, {
          cookie: deskCookie,
          body: { resolution: "x" },
        })
      ).status,
    ).toBe(409);
    expect((await deskProblemsButSeeds()).map((p) => p.kind)).toEqual(["issue_reorged"]);
    // Residents cannot reach the desk's problem list.
    expect((await call(service.app, "GET", "/desk/problems", { cookie: residentCookie })).status).toBe(403);
  });

  it("test_ReorgWhileTheWatcherReads_TheNewBranchsIssueIsStillSettled", async () => {
    await setUp();
    await issue(resident.address, 100_000n, ref("seed"));
    const t = await topUp(7_000);
    await watcher.pollOnce();
    const snapshot = await rpc("evm_snapshot");
    // Blocks without a log the watcher reads: no log of theirs can show that they were replaced.
    await rpc("hardhat_mine", ["0x3"]);
    // The watcher reads the logs of the old branch (none); before it reads the range's last block,
    // the chain drops those blocks for a branch where the desk issued the top-up.
    const direct = http(node.url)({ chain: hardhat });
    let reorgAfterLogs = true;
    const reading = new ChainWatcher({
      db: service.db,
      client: createPublicClient({
        chain: hardhat,
        transport: custom({
          async request(args) {
            const answer = await direct.request(args);
            if (args.method === "eth_getLogs" && reorgAfterLogs) {
              reorgAfterLogs = false;
              expect(await rpc("evm_revert", [snapshot])).toBe(true);
              await issue(resident.address, 7_000n, t.bankRef);
              await rpc("hardhat_mine", ["0x3"]);
            }
            return answer;
          },
        }),
      }) as PublicClient,
      deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
      confirmations: 0,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
    });
    await expect(reading.pollOnce()).rejects.toThrow(/changed while reading/);
    expect(reorgAfterLogs).toBe(false);
    await reading.pollOnce();
    expect((await service.bank.topUp(t.id))?.state).toBe("issued");
    expect((await eventsFor(t.bankRef)).map((e) => [e.kind, e.request_id])).toEqual([["issued", t.id]]);
  });

  it("test_PayoutHeldWhenTheRedeemedBlockIsNoLongerCanonical", async () => {
    await setUp();
    await issue(resident.address, 100_000n, ref("seed"));
    const c = await cashOut(2_000);
    await chain(resident, "redeem", [2_000n, c.bankRef]);
    // The watcher settles the burn, then the block is replaced before the bank is asked to pay.
    const paying = new ChainWatcher({
      db: service.db,
      client: publicClientFor(node.url),
      deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
      confirmations: 0,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
    });
    await paying.pollOnce();
    await service.db.run("UPDATE bank_events SET block_hash = ? WHERE request_id = ?", [`0x${"00".repeat(32)}`, c.id]);
    expect(await service.bank.payOutRedeemed()).toBe(0);
    expect((await service.bank.cashOut(c.id))?.state).toBe("redeemed");
  });

  it("test_RejectRacingAnIssue_RefusedOnceTheIssueIsMined_EvenUnconfirmed", async () => {
    // 3 confirmations: the watcher has not settled the issue yet when the second clerk rejects.
    await setUp({ confirmations: 3 });
    const t = await topUp(7_000);
    await issue(resident.address, 7_000n, t.bankRef); // clerk A's issue is mined
    await watcher.pollOnce();
    expect((await service.bank.topUp(t.id))?.state).toBe("deposit_confirmed");
    const reject = await call(service.app, "POST", `/desk/topups/${t.id}/reject`, {
      cookie: deskCookie,
      body: { reason: "clerk B: wrong name on the deposit" },
    });
    expect(reject.status).toBe(409);
    expect(reject.json.error).toBe("issue_in_flight");
    await rpc("hardhat_mine", ["0x3"]);
    await watcher.pollOnce();
    expect(await service.bank.topUp(t.id)).toMatchObject({ state: "issued", problem: null });
    expect(await deskProblemsButSeeds()).toEqual([]);

    // A request with no issue on chain is still rejected as before.
    const other = await topUp(8_000);
    const ok = await call(service.app, "POST", `/desk/topups/${other.id}/reject`, {
      cookie: deskCookie,
      body: { reason: "no such deposit" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.state).toBe("rejected");
  });

  it("test_RejectRacingAnIssueSentButNotMined_Refused", async () => {
    await setUp();
    const t = await topUp(9_000);
    await rpc("evm_setAutomine", [false]);
    try {
      // Clerk A sends the issue; it waits in the node's pending block.
      await walletFor(node.url, issuer).writeContract({
        address: deployed.cityYuan,
        abi: deployed.abi,
        functionName: "issue",
        args: [resident.address, 9_000n, t.bankRef],
        chain: null,
      });
      const reject = await call(service.app, "POST", `/desk/topups/${t.id}/reject`, {
        cookie: deskCookie,
        body: { reason: "clerk B, a second later" },
      });
      expect(reject.status).toBe(409);
      expect(reject.json.error).toBe("issue_in_flight");
    } finally {
      await rpc("evm_setAutomine", [true]);
      await rpc("hardhat_mine", ["0x1"]);
    }
    await watcher.pollOnce();
    expect(await service.bank.topUp(t.id)).toMatchObject({ state: "issued", problem: null });
  });

  it("test_CashOutPaidOnlyAfterConfirmations_AReorgBeforeThemPaysNothing", async () => {
    await setUp({ confirmations: 3 });
    await issue(resident.address, 100_000n, ref("seed"));
    const c = await cashOut(3_000);
    await rpc("hardhat_mine", ["0x3"]);
    await watcher.pollOnce();
    const snapshot = await rpc("evm_snapshot");
    await chain(resident, "redeem", [3_000n, c.bankRef]);
    await rpc("hardhat_mine", ["0x1"]);
    await watcher.pollOnce();
    // 1 block deep: not settled, not paid.
    expect((await service.bank.cashOut(c.id))?.state).toBe("awaiting_redeem");
    expect(await service.db.all("SELECT * FROM simulated_bank_payouts")).toEqual([]);

    // The burn is reorged away before it was final: nothing was paid, nothing to flag.
    expect(await rpc("evm_revert", [snapshot])).toBe(true);
    await rpc("hardhat_mine", ["0x6"]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("awaiting_redeem");
    expect(await service.db.all("SELECT * FROM simulated_bank_payouts")).toEqual([]);
    expect(await deskProblemsButSeeds()).toEqual([]);

    // Burned again and buried 3 deep: paid.
    await chain(resident, "redeem", [3_000n, c.bankRef]);
    await rpc("hardhat_mine", ["0x2"]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("awaiting_redeem");
    expect(await service.db.all("SELECT * FROM simulated_bank_payouts")).toEqual([]);
    await rpc("hardhat_mine", ["0x1"]);
    await watcher.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
    expect((await service.db.all("SELECT bank_ref FROM simulated_bank_payouts")).length).toBe(1);
  });

  it("test_BankHoldsAPayoutNotYetFinal_EvenWhenTheRequestSaysRedeemed", async () => {
    await setUp({ confirmations: 5 });
    await issue(resident.address, 100_000n, ref("seed"));
    const c = await cashOut(1_500);
    await chain(resident, "redeem", [1_500n, c.bankRef]);
    // A watcher run with fewer confirmations (a lowered setting, another instance) settled the burn.
    const hasty = new ChainWatcher({
      db: service.db,
      client: publicClientFor(node.url),
      deployment: { chainId: 31337, deployBlock: deployed.deployBlock, cityYuan: deployed.cityYuan, escrows: [] },
      confirmations: 0,
      blockRange: 2000,
      pollIntervalMs: 50,
      log: () => {},
    });
    await hasty.pollOnce();
    expect((await service.bank.cashOut(c.id))?.state).toBe("redeemed");
    expect(await service.bank.payOutRedeemed()).toBe(0);
    expect((await service.bank.cashOut(c.id))?.state).toBe("redeemed");
    await rpc("hardhat_mine", ["0x5"]);
    expect(await service.bank.payOutRedeemed()).toBe(1);
    expect((await service.bank.cashOut(c.id))?.state).toBe("paid");
  });

  it("test_RevokedIssuer_RefusedAtTheDeskOnTheNextWrite", async () => {
    await setUp({ chainRoles: true });
    const t = await topUp(5_000);
    // The desk's queue is read (and the role answer cached), then the role is revoked on chain.
    expect((await call(service.app, "GET", "/desk/topups", { cookie: deskCookie })).status).toBe(200);
    await chain(account(0), "revokeRole", [ISSUER_ROLE, issuer.address]);
    const reject = await call(service.app, "POST", `/desk/topups/${t.id}/reject`, {
      cookie: deskCookie,
      body: { reason: "after revocation" },
    });
    expect(reject.status).toBe(403);
    expect(reject.json.error).toBe("not_issuer");
    expect((await service.bank.topUp(t.id))?.state).toBe("deposit_confirmed");
    const resolve = await call(service.app, "POST", "/desk/problems/00000000-0000-0000-0000-000000000000/resolve", {
      cookie: deskCookie,
      body: { resolution: "x" },
    });
    expect(resolve.status).toBe(403);
  });
});
