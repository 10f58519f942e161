// 找回账户 through the city recovery desk, and the new phone finishing by itself, against a real
// `hardhat node` with CityRecovery and real CityAccounts (made by the factory; the factory's
// "EntryPoint" here is a plain key, which may call the account's `execute`, so her account chooses
// its helpers without a bundler). The desk's clerk key holds RECOVERY_DESK_ROLE. On SQLite and
// PostgreSQL: she re-verifies with the bank on the new phone (four elements, then the code sent to
// the phone the bank holds), the clerk key starts the recovery on chain, 7 days pass on the chain,
// the new phone asks the service to finish — refused before the delay, one transaction when asked
// twice at once after it — and the lost phone is gone. Each refusal: another person, a wrong code,
// a mismatch at the bank, an account that did not choose the desk, a second request while one is
// pending, too many checks for one person (per identity, whatever account is named).
import { readFileSync } from "node:fs";
import path from "node:path";
import { p256 } from "@noble/curves/p256";
import {
  type Abi,
  type Address,
  bytesToHex,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  parseAbiParameters,
  parseEventLogs,
  toHex,
} from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cityAccountAbi, cityRecoveryAbi } from "../../generated/contracts.js";
import { recoveryDeskChain } from "../../server/src/chain/recoveryDesk.js";
import type { ServerConfig } from "../../server/src/config.js";
import {
  account,
  bindCard,
  call,
  DATABASES,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  signIn,
  startTestService,
  type TestService,
  WANG,
  WANG_XIUYING,
  walletFor,
} from "./helpers.js";

const artifact = (file: string) =>
  JSON.parse(readFileSync(path.join(ROOT, "artifacts/contracts/accounts", file), "utf8")) as {
    abi: Abi;
    bytecode: Hex;
  };

const DESK_DELAY = 7 * 24 * 3600;
const BATCH_MODE: Hex = `0x01${"00".repeat(31)}`;
const entryPoint = account(5);
const desk = account(17);
let node: HardhatNode;
let recovery: Address;
let factory: Address;

function newPasskey(): { qx: Hex; qy: Hex } {
  const point = p256.getPublicKey(p256.utils.randomPrivateKey(), false);
  return { qx: bytesToHex(point.slice(1, 33)), qy: bytesToHex(point.slice(33, 65)) };
}

async function mined(hash: Hex) {
  const receipt = await publicClientFor(node.url).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/**
 * A passkey account with its first passkey, whose one helper is the city desk (or, without it, her
 * son), or the helpers given.
 */
async function residentAccount(
  cityDesk: boolean,
  helpers?: { family: Address[]; threshold: number },
): Promise<{ account: Address; old: { qx: Hex; qy: Hex } }> {
  const old = newPasskey();
  const { abi } = artifact("CityAccountFactory.sol/CityAccountFactory.json");
  const receipt = await mined(
    await walletFor(node.url, entryPoint).writeContract({
      address: factory,
      abi,
      functionName: "createAccount",
      args: [old.qx, old.qy],
    }),
  );
  const created = parseEventLogs({ abi, logs: receipt.logs, eventName: "CityAccountCreated" })[0] as unknown as {
    args: { account: Address };
  };
  const acct = created.args.account;
  const setGuardians = encodeFunctionData({
    abi: cityRecoveryAbi,
    functionName: "setGuardians",
    // The desk alone, or (not choosing it) her son alone.
    args: helpers ? [helpers.family, helpers.threshold, cityDesk] : [cityDesk ? [] : [account(7).address], 1, cityDesk],
  });
  const batch = encodeAbiParameters(parseAbiParameters("(address, uint256, bytes)[]"), [
    [[recovery, 0n, setGuardians]],
  ]);
  await mined(
    await walletFor(node.url, entryPoint).writeContract({
      address: acct,
      abi: cityAccountAbi,
      functionName: "execute",
      args: [BATCH_MODE, batch],
    }),
  );
  return { account: acct, old };
}

/** Links `acct` to the identity of the person `signer` bound (what her passkey account's sign-in + 实名 does). */
async function linkTo(service: TestService, signer: ReturnType<typeof account>, acct: Address) {
  const row = await service.db.get<{ identity_id: string }>(
    "SELECT identity_id FROM identity_addresses WHERE address = ?",
    [signer.address.toLowerCase()],
  );
  await service.db.run("INSERT INTO identity_addresses (address, identity_id, linked_at) VALUES (?, ?, ?)", [
    acct.toLowerCase(),
    row?.identity_id as string,
    service.clock.now(),
  ]);
}

const isPasskey = (acct: Address, k: { qx: Hex; qy: Hex }) =>
  publicClientFor(node.url).readContract({
    address: acct,
    abi: cityAccountAbi,
    functionName: "isPasskey",
    args: [k.qx, k.qy],
  });

async function rpc(method: string, params: unknown[]) {
  await fetch(node.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  const rec = artifact("CityRecovery.sol/CityRecovery.json");
  const admin = walletFor(node.url, account(0));
  recovery = (
    await mined(
      await admin.deployContract({
        abi: rec.abi,
        bytecode: rec.bytecode,
        args: [48 * 3600, DESK_DELAY, account(0).address, 0],
      }),
    )
  ).contractAddress as Address;
  await mined(
    await admin.writeContract({
      address: recovery,
      abi: cityRecoveryAbi,
      functionName: "grantRole",
      args: [keccak256(toHex("RECOVERY_DESK_ROLE")), desk.address],
    }),
  );
  const fac = artifact("CityAccountFactory.sol/CityAccountFactory.json");
  factory = (
    await mined(
      await admin.deployContract({ abi: fac.abi, bytecode: fac.bytecode, args: [entryPoint.address, recovery] }),
    )
  ).contractAddress as Address;
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

describe.each(DATABASES)("the city recovery desk on %s", (database) => {
  let service: TestService;
  afterEach(async () => service?.close());

  const start = async (config: Partial<ServerConfig> = {}) => {
    service = await startTestService({
      database,
      config,
      deps: {
        recoveryDesk: recoveryDeskChain({
          client: publicClientFor(node.url),
          rpcUrl: node.url,
          recovery,
          account: desk,
        }),
      },
    });
    // 王阿姨 verified with her bank card from one of her addresses (实名).
    const { cookie } = await signIn(service, account(6));
    expect((await bindCard(service, cookie, WANG)).status).toBe(201);
  };

  it("re-verified at the desk, 7 days later the new phone finishes by itself, once, and the lost phone is gone", async () => {
    await start();
    const { account: acct, old } = await residentAccount(true);
    await linkTo(service, account(6), acct);
    const oldKey = `${old.qx.slice(2)}${old.qy.slice(2)}`.toLowerCase();
    await service.db.run(
      "INSERT INTO device_names (owner, passkey, name, platform, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      [acct.toLowerCase(), oldKey, "旧手机", "android", 1, 1],
    );
    const fresh = newPasskey();

    const asked = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...fresh } });
    expect(asked.status).toBe(201);
    expect(asked.json).toMatchObject({ account: acct, phoneLast4: "0006", deskDelay: DESK_DELAY });
    expect(asked.json.devices).toEqual([{ passkey: oldKey, name: "旧手机", platform: "android" }]);
    const id = asked.json.id as string;
    const code = asked.json.shownCode as string;
    // Nothing about her in clear in the request.
    const stored = JSON.stringify(await service.db.all("SELECT * FROM recovery_desk_requests"));
    expect(stored).not.toContain(WANG.idNumber);
    expect(stored).not.toContain(WANG.name);
    expect(stored).not.toContain(code);

    const wrong = await call(service.app, "POST", `/recovery/desk/${id}/confirm`, {
      body: { code: code === "000000" ? "000001" : "000000" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error).toBe("desk_code_wrong");

    const confirmed = await call(service.app, "POST", `/recovery/desk/${id}/confirm`, {
      body: { code, removeLost: true },
    });
    expect(confirmed.status).toBe(200);
    const block = await publicClientFor(node.url).getBlock();
    expect(confirmed.json).toMatchObject({ account: acct, approvals: 1, threshold: 1 });
    expect(confirmed.json.readyAt).toBe(Number(block.timestamp) + DESK_DELAY);
    expect(confirmed.json.lost).toEqual([old]);
    const again = await call(service.app, "POST", `/recovery/desk/${id}/confirm`, { body: { code } });
    expect(again.json.error).toBe("desk_already_confirmed");

    // A second request while this one waits.
    const second = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...newPasskey() } });
    expect(second.status).toBe(409);
    expect(second.json.error).toBe("desk_recovery_pending");

    const finish = { account: acct, ...fresh, lost: [old] };
    const early = await call(service.app, "POST", "/recovery/finish", { body: finish });
    expect(early.status).toBe(409);
    expect(early.json.error).toBe("recovery_not_ready");
    // The wrong lost list names another recovery, which nobody started.
    const other = await call(service.app, "POST", "/recovery/finish", { body: { ...finish, lost: [] } });
    expect(other.json.error).toBe("recovery_not_pending");

    await rpc("evm_increaseTime", [DESK_DELAY]);
    await rpc("evm_mine", []);
    const from = await publicClientFor(node.url).getBlockNumber();
    const [a, b] = await Promise.all([
      call(service.app, "POST", "/recovery/finish", { body: finish }),
      call(service.app, "POST", "/recovery/finish", { body: finish }),
    ]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([200]));
    for (const r of [a, b]) expect([200, 202]).toContain(r.status);
    // One of them sent the transaction; the other found it sent (202) or already done.
    expect([a, b].filter((r) => r.status === 200 && typeof r.json.txHash === "string")).toHaveLength(1);
    const executed = await publicClientFor(node.url).getContractEvents({
      address: recovery,
      abi: cityRecoveryAbi,
      eventName: "RecoveryExecuted",
      args: { account: acct },
      fromBlock: from,
    });
    expect(executed).toHaveLength(1);
    expect(await isPasskey(acct, fresh)).toBe(true);
    expect(await isPasskey(acct, old)).toBe(false);
    // Asked again later: done, nothing sent.
    const later = await call(service.app, "POST", "/recovery/finish", { body: finish });
    expect(later.status).toBe(200);
    expect(later.json.done).toBe(true);
    expect(later.json.txHash).toBeUndefined();
  });

  it("agrees for the desk to a recovery her family started; a second family member's agreement brings 7 days down to 48 hours", async () => {
    await start();
    const [son, daughter] = [account(7), account(9)];
    const { account: acct } = await residentAccount(true, { family: [son.address, daughter.address], threshold: 2 });
    await linkTo(service, account(6), acct);
    const fresh = newPasskey();
    await mined(
      await walletFor(node.url, son).writeContract({
        address: recovery,
        abi: cityRecoveryAbi,
        functionName: "startRecovery",
        args: [acct, fresh.qx, fresh.qy, []],
      }),
    );
    const asked = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...fresh } });
    expect(asked.status).toBe(201);
    const confirmed = await call(service.app, "POST", `/recovery/desk/${asked.json.id}/confirm`, {
      body: { code: asked.json.shownCode, removeLost: false },
    });
    expect(confirmed.status).toBe(200);
    const deskAt = Number((await publicClientFor(node.url).getBlock()).timestamp);
    expect(confirmed.json).toMatchObject({ approvals: 2, threshold: 2, readyAt: deskAt + DESK_DELAY, lost: [] });
    await mined(
      await walletFor(node.url, daughter).writeContract({
        address: recovery,
        abi: cityRecoveryAbi,
        functionName: "approveRecovery",
        args: [confirmed.json.recoveryId as Hex],
      }),
    );
    const familyAt = Number((await publicClientFor(node.url).getBlock()).timestamp);
    const r = await publicClientFor(node.url).readContract({
      address: recovery,
      abi: cityRecoveryAbi,
      functionName: "recoveryOf",
      args: [confirmed.json.recoveryId as Hex],
    });
    expect(r.deskApproved).toBe(true);
    expect(Number(r.readyAt)).toBe(familyAt + 48 * 3600);
  });

  it("refuses another person, a mismatch at the bank, an account that did not choose the desk, an expired or spent code", async () => {
    await start();
    const { account: hers } = await residentAccount(true);
    await linkTo(service, account(6), hers);
    // 王秀英 (another person, whose card also ends in 6206) verified on her own account.
    const { cookie } = await signIn(service, account(8));
    expect((await bindCard(service, cookie, WANG_XIUYING)).status).toBe(201);

    const other = await call(service.app, "POST", "/recovery/desk", {
      body: { ...WANG_XIUYING, ...newPasskey(), account: hers },
    });
    expect(other.status).toBe(403);
    expect(other.json.error).toBe("desk_other_person");

    const mismatch = await call(service.app, "POST", "/recovery/desk", {
      body: { ...WANG, phone: "13855100007", ...newPasskey() },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.error).toBe("cardholder_phone");

    // 王秀英's account never chose the desk.
    const { account: notDesk } = await residentAccount(false);
    await linkTo(service, account(8), notDesk);
    const refused = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG_XIUYING, ...newPasskey() } });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe("desk_not_chosen");

    // Three wrong codes spend the request; an expired one is refused.
    const asked = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...newPasskey() } });
    expect(asked.status).toBe(201);
    const code = asked.json.shownCode as string;
    const bad = code === "111111" ? "222222" : "111111";
    for (let i = 0; i < 3; i++) {
      const r = await call(service.app, "POST", `/recovery/desk/${asked.json.id}/confirm`, { body: { code: bad } });
      expect(r.json.error).toBe("desk_code_wrong");
    }
    const spent = await call(service.app, "POST", `/recovery/desk/${asked.json.id}/confirm`, { body: { code } });
    expect(spent.json.error).toBe("desk_code_tries");
    const late = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...newPasskey() } });
    service.clock.advance(6 * 60 * 1000);
    const expired = await call(service.app, "POST", `/recovery/desk/${late.json.id}/confirm`, {
      body: { code: late.json.shownCode },
    });
    expect(expired.json.error).toBe("desk_code_expired");
    // Nothing was started on chain by any of this.
    const started = await publicClientFor(node.url).getContractEvents({
      address: recovery,
      abi: cityRecoveryAbi,
      eventName: "RecoveryStarted",
      args: { account: hers },
      fromBlock: 0n,
    });
    expect(started).toHaveLength(0);
  });

  it("limits checks per person, whatever account or key is named, and not another person", async () => {
    await start();
    const limit = service.config.deskChecksPerIdentityPerHour;
    for (let i = 0; i < limit; i++) {
      const r = await call(service.app, "POST", "/recovery/desk", {
        body: { ...WANG, phone: "13855100007", ...newPasskey() },
      });
      expect(r.json.error).toBe("cardholder_phone");
    }
    const over = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG, ...newPasskey() } });
    expect(over.status).toBe(429);
    expect(over.json.error).toBe("too_many_requests");
    // Another person is not held up by her limit.
    const other = await call(service.app, "POST", "/recovery/desk", { body: { ...WANG_XIUYING, ...newPasskey() } });
    expect(other.status).toBe(404);
    expect(other.json.error).toBe("desk_no_account");
  });

  it("stops one network address flooding the desk before it uses up the city's allowance", async () => {
    // Behind one reverse proxy: the client is the X-Forwarded-For entry the proxy appended.
    await start({ trustedProxyHops: 1, deskChecksPerNetworkPerMinute: 3, deskChecksPerMinute: 100 });
    const from = (ip: string) => ({ "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) {
      const r = await call(service.app, "POST", "/recovery/desk", {
        headers: from("203.0.113.9"),
        body: { ...WANG, phone: "13855100007", ...newPasskey() },
      });
      expect(r.json.error).toBe("cardholder_phone");
    }
    // Below her own limit (5 an hour), but the network's 3 a minute are used up.
    expect(service.config.deskChecksPerIdentityPerHour).toBeGreaterThan(3);
    const fourth = await call(service.app, "POST", "/recovery/desk", {
      headers: from("203.0.113.9"),
      body: { ...WANG_XIUYING, ...newPasskey() },
    });
    expect(fourth.status).toBe(429);
    expect(fourth.json.error).toBe("too_many_requests");
    expect(fourth.headers.get("retry-after")).toBeTruthy();
    // Someone on another network still reaches the desk.
    const elsewhere = await call(service.app, "POST", "/recovery/desk", {
      headers: from("198.51.100.4"),
      body: { ...WANG_XIUYING, ...newPasskey() },
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error).toBe("desk_no_account");
  });
});
