// City load: the whole local system (Hardhat node, the city service, the Alto bundler, the city
// paymaster) under many residents at once. N residents with passkey accounts (software P-256
// passkeys signing in the WebAuthn format CityAccount checks), each signed in to the city service
// with SIWE (ERC-6492 before the account exists) and verified through the simulated bank (实名认证:
// the city sponsors only a verified person's operations), pay shops and claim red packets from a
// shared link, through the service's ERC-7677 paymaster and the bundler, as fast as each one's
// receipts come back; beside them M residents with plain addresses pay shops with their own
// transactions. Nothing is mocked: every payment is a real sponsored user operation.
//
// Reported: sustained payments (and claims) per second, tap-to-receipt p50/p99 (from building the
// operation to its receipt from the bundler), the service's p99 (its pm_getPaymasterData answers),
// the paymaster's signing time (the ECDSA signature alone, timed in process), each stage's share of
// a payment, the CPU each process used, the bundles' size — and, from those, the first bottleneck.
//
// Per-client limits meant for one network client (sign-in rates, request rates, connections per
// address) are raised here, since every simulated resident comes from 127.0.0.1 (as `npm start` does for the request limit); the per-person quotas are
// raised so the run is not cut short by "today's 20 sponsored operations are used up".
// Quick mode (CI): 6 passkey + 2 plain residents for 15 s. Full: 40 + 12 for 60 s.
// Run alone: npx tsx scripts/bench/city-load.ts
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  maxUint256,
  numberToHex,
  pad,
  parseAbi,
  serializeErc6492Signature,
  stringToHex,
  toHex,
} from "viem";
import { getUserOperationHash } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createSiweMessage } from "viem/siwe";
import { personalSignHash } from "../../core/accountSignature.js";
import { PACKET_AUDIENCE, PACKET_MODE } from "../../core/enums.js";
import { CONSENT_VERSION } from "../../core/identity.js";
import { sponsorshipTypedData } from "../../core/sponsorship.js";
import {
  cityAccountAbi,
  cityAccountFactoryAbi,
  cityYuanAbi,
  entryPointAddress,
  redPacketAbi,
} from "../../generated/contracts.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";
import { sponsorKey } from "../../server/src/routes/paymaster.js";
import { localAccount, MERCHANTS, ROLE_HOLDERS } from "../lib/demo-accounts.js";
import { cityAccountSignature, executeBatch, type SoftwarePasskey, softwarePasskey } from "../lib/passkey.js";
import { freePort } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { checkTarget, quickNote, sized } from "./mode.js";

const CHAIN_ID = 31337;
/** Gas limits within the paymaster's caps (ignition/modules/CityAccounts.ts), as test/e2e/bundler.e2e uses. */
const GAS = {
  callGasLimit: 300_000n,
  verificationGasLimit: 900_000n,
  preVerificationGas: 150_000n,
  paymasterVerificationGasLimit: 150_000n,
  paymasterPostOpGasLimit: 0n,
};
/** Every CLAIM_EVERY-th operation of a passkey resident claims a red-packet share instead of paying. */
const CLAIM_EVERY = 4;
const SHARES_PER_PACKET = 100n;
const POLL_MS = 50;
const entryPointNonceAbi = parseAbi(["function getNonce(address sender, uint192 key) view returns (uint256)"]);

export interface CityLoadOptions {
  passkeyResidents: number;
  plainResidents: number;
  seconds: number;
  log?: (line: string) => void;
}

interface Sample {
  kind: "pay" | "claim" | "plain";
  /** Tap to receipt, ms. */
  totalMs: number;
  /** Stages of a passkey operation, ms: the service's paymaster answer, the passkey signature, the bundler accepting it, inclusion until the receipt. */
  serviceMs?: number;
  signMs?: number;
  submitMs?: number;
  inclusionMs?: number;
  ok: boolean;
  endedAt: number;
  userOpHash?: Hex;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** CPU seconds (user + system) of each process under this one, by what it runs. */
function cpuByRole(): Map<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const children = new Map<number, number[]>();
  const info = new Map<number, { cmd: string; cpu: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticks;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      info.set(pid, { cmd, cpu });
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while being read
    }
  }
  const roles = new Map<string, number>();
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      const cmd = info.get(child)?.cmd ?? "";
      const role = /hardhat(\.js)?\s+node|hardhat node/.test(cmd)
        ? "chain (Hardhat node)"
        : /alto/.test(cmd)
          ? "bundler (Alto)"
          : /server\/src\/main\.ts/.test(cmd)
            ? "city service"
            : undefined;
      if (role) roles.set(role, (roles.get(role) ?? 0) + (info.get(child)?.cpu ?? 0));
      walk(child);
    }
  };
  walk(process.pid);
  roles.set("this bench (residents' devices)", process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
  return roles;
}

async function rpc<T>(url: string, method: string, params: unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string; data?: unknown } };
  if (body.error) throw new Error(`${method}: ${body.error.message} ${JSON.stringify(body.error.data ?? "")}`);
  return body.result as T;
}

type Operation = {
  sender: Address;
  nonce: bigint;
  factory?: Address;
  factoryData?: Hex;
  callData: Hex;
  callGasLimit: bigint;
  verificationGasLimit: bigint;
  preVerificationGas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  paymaster?: Address;
  paymasterVerificationGasLimit: bigint;
  paymasterPostOpGasLimit: bigint;
  paymasterData?: Hex;
  signature: Hex;
};

/** The operation as JSON-RPC carries it (quantities in hex). */
function rpcOperation(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(op)) {
    if (value === undefined) continue;
    out[key] = typeof value === "bigint" ? numberToHex(value) : value;
  }
  return out;
}

export async function benchCityLoad(options: CityLoadOptions) {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const total = options.passkeyResidents;
  Object.assign(process.env, {
    HCY_SPONSORED_OPERATIONS_PER_DAY: "1000000",
    HCY_SPONSORED_ACCOUNTS_PER_PERSON: String(total + 1),
    HCY_NONCE_RATE_PER_MINUTE: "100000",
    HCY_VERIFY_RATE_PER_MINUTE: "100000",
    HCY_REQUEST_RATE_PER_CLIENT_PER_MINUTE: "100000",
    HCY_MAX_CONNECTIONS_PER_ADDRESS: "1000",
    // The ERC-6492 check simulates the account's deployment on the node, which is busy here.
    HCY_ERC1271_TIMEOUT_MS: "20000",
  });
  const webPort = await freePort();
  const system = await startSystem({
    chainPort: await freePort(),
    webPort,
    bundlerPort: await freePort(),
    servicePort: await freePort(),
    dataDir: mkdtempSync(path.join(tmpdir(), "hcy-bench-city-load-")),
    seed: false,
    web: false,
    quiet: true,
    log: (line) => log(`[system] ${line}`),
  });
  try {
    const bundlerUrl = system.bundlerUrl as string;
    const chain = { ...hardhat, rpcUrls: { default: { http: [system.rpcUrl] } } };
    const transport = http(system.rpcUrl);
    const client = createPublicClient({ chain, transport, pollingInterval: POLL_MS });
    const { CityYuan, CityAccountFactory, CityPaymaster, RedPacket } = system.deployment.contracts;
    const shops = MERCHANTS.map((m) => localAccount(m.index).address);
    // The local chain starts a month back (for `npm start`'s month of demo history, which this run
    // does not seed): bring its clock to now, or the paymaster's window (from the service's clock)
    // is not yet open by the block's.
    await client.request({
      method: "evm_setNextBlockTimestamp" as never,
      params: [toHex(Math.floor(Date.now() / 1000))] as never,
    });
    await client.request({ method: "evm_mine" as never, params: [] as never });
    const origin = `http://127.0.0.1:${webPort}`;

    // ── Residents: passkey accounts (counterfactual) and plain addresses.
    const passkeys = Array.from({ length: total }, (_, i) => softwarePasskey(keccak256(stringToHex(`city-load ${i}`))));
    const accounts: Address[] = [];
    for (const passkey of passkeys) {
      accounts.push(
        await client.readContract({
          address: CityAccountFactory,
          abi: cityAccountFactoryAbi,
          functionName: "accountAddress",
          args: [passkey.x, passkey.y],
        }),
      );
    }
    const plain = Array.from({ length: options.plainResidents }, (_, i) =>
      privateKeyToAccount(keccak256(stringToHex(`city-load plain ${i}`))),
    );
    const packetSender = privateKeyToAccount(keccak256(stringToHex("city-load packet sender")));
    for (const account of [...plain, packetSender]) {
      await client.request({
        method: "hardhat_setBalance" as never,
        params: [account.address, toHex(10n ** 20n)] as never,
      });
    }

    // ── Money: the bank's reserves attested, then HCY issued to each resident (and the packets'
    // sender): enough for a payment of at most 1.49 HCY every 10 ms of the window, so nobody's
    // balance runs out however fast the machine is (500 HCY ran out on a quiet machine: a plain
    // address paid about 30 times a second).
    const perResident = BigInt(options.seconds) * 100n * 150n;
    const packetsNeeded = Math.ceil((total * options.seconds) / CLAIM_EVERY / Number(SHARES_PER_PACKET)) + 1;
    const packetAmount = SHARES_PER_PACKET * 100n;
    const senderFunds = BigInt(packetsNeeded) * packetAmount;
    const funded = [...accounts, ...plain.map((p) => p.address)];
    const supply = await client.readContract({ address: CityYuan, abi: cityYuanAbi, functionName: "totalSupply" });
    const attester = createWalletClient({ account: localAccount(ROLE_HOLDERS.attester.index), chain, transport });
    const issuer = createWalletClient({ account: localAccount(ROLE_HOLDERS.issuer.index), chain, transport });
    const mined = async (hash: Hex, what: string) => {
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`setup: ${what} reverted`);
    };
    await mined(
      await attester.writeContract({
        address: CityYuan,
        abi: cityYuanAbi,
        functionName: "attestReserves",
        args: [
          supply + BigInt(funded.length) * perResident + senderFunds,
          keccak256(stringToHex("Hefei City Bank reserve report, city-load bench")),
          "https://reserves.hefei.example/reports/bench-city-load.pdf",
        ],
      }),
      "attestReserves",
    );
    let lastIssue: Hex = "0x";
    for (const [i, to] of [...funded, packetSender.address].entries()) {
      lastIssue = await issuer.writeContract({
        address: CityYuan,
        abi: cityYuanAbi,
        functionName: "issue",
        args: [
          to,
          to === packetSender.address ? senderFunds : perResident,
          stringToHex(`CITY-LOAD-${i}`, { size: 32 }),
        ],
      });
    }
    await mined(lastIssue, "issue");

    // ── Red packets shared by link: the link's one-time key signs each claimer's address.
    const linkKey = privateKeyToAccount(keccak256(stringToHex("city-load link key")));
    const sender = createWalletClient({ account: packetSender, chain, transport });
    await mined(
      await sender.writeContract({
        address: CityYuan,
        abi: cityYuanAbi,
        functionName: "approve",
        args: [RedPacket, maxUint256],
      }),
      "approve",
    );
    const packetIds: bigint[] = [];
    let packetCreateGas = 0n;
    for (let i = 0; i < packetsNeeded; i++) {
      const createHash = await sender.writeContract({
        address: RedPacket,
        abi: redPacketAbi,
        functionName: "create",
        args: [
          {
            amount: packetAmount,
            shares: SHARES_PER_PACKET,
            mode: PACKET_MODE.equal,
            audience: PACKET_AUDIENCE.link,
            audienceKey: pad(linkKey.address),
            duration: 0n,
            greeting: "新年快乐",
          },
        ],
      });
      await mined(createHash, "create packet");
      packetCreateGas = (await client.getTransactionReceipt({ hash: createHash })).gasUsed;
      packetIds.push(await client.readContract({ address: RedPacket, abi: redPacketAbi, functionName: "packetCount" }));
    }
    let claimsHandedOut = 0;
    /** The next share to claim: packet id, or undefined when every share is taken. */
    const nextShare = () => {
      const packet = packetIds[Math.floor(claimsHandedOut / Number(SHARES_PER_PACKET))];
      if (packet !== undefined) claimsHandedOut++;
      return packet;
    };
    const redPacketDomain = {
      name: "Hefei City Red Packet",
      version: "1",
      chainId: CHAIN_ID,
      verifyingContract: RedPacket,
    };

    // ── Each passkey resident signs in (SIWE, ERC-6492) and binds a simulated bank customer's card.
    const sessions: string[] = [];
    const signInStarted = performance.now();
    for (const [i, passkey] of passkeys.entries()) {
      const address = accounts[i];
      const asked = await fetch(`${system.serviceUrl}/auth/nonce`);
      const device = /hcy_device=[^;]+/.exec(asked.headers.get("set-cookie") ?? "")?.[0];
      const { nonce } = (await asked.json()) as { nonce: string };
      const now = Date.now();
      const message = createSiweMessage({
        domain: new URL(origin).host,
        address,
        uri: `${origin}/`,
        version: "1",
        chainId: CHAIN_ID,
        nonce,
        issuedAt: new Date(now),
        expirationTime: new Date(now + 3_600_000),
      });
      const signature = serializeErc6492Signature({
        address: CityAccountFactory,
        data: encodeFunctionData({
          abi: cityAccountFactoryAbi,
          functionName: "createAccount",
          args: [passkey.x, passkey.y],
        }),
        signature: cityAccountSignature(passkey, personalSignHash(address, CHAIN_ID, message)),
      });
      const verified = await fetch(`${system.serviceUrl}/auth/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, ...(device ? { cookie: device } : {}) },
        body: JSON.stringify({ message, signature }),
      });
      const session = /hcy_session=[^;]+/.exec(verified.headers.get("set-cookie") ?? "")?.[0];
      if (verified.status !== 200 || !session)
        throw new Error(`sign-in of resident ${i} failed: ${verified.status} ${await verified.text()}`);
      const customer = SIMULATED_CUSTOMERS[i % SIMULATED_CUSTOMERS.length];
      const card = await fetch(`${system.serviceUrl}/identity/card`, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie: session },
        body: JSON.stringify({
          name: customer.name,
          idNumber: customer.idNumber,
          cardNumber: customer.cards[0].number,
          phone: customer.phone,
          consentVersion: CONSENT_VERSION,
        }),
      });
      if (card.status !== 201)
        throw new Error(`实名认证 of resident ${i} refused: ${card.status} ${await card.text()}`);
      sessions.push(session);
    }
    const signInMs = (performance.now() - signInStarted) / total;
    log(`${total} residents signed in and verified (${round(signInMs)} ms each)`);

    // ── One operation of a passkey resident, timed stage by stage.
    const nonces = new Map<Address, bigint>();
    const operate = async (i: number, kind: "pay" | "claim", n: number): Promise<Sample> => {
      const started = performance.now();
      const address = accounts[i];
      const passkey: SoftwarePasskey = passkeys[i];
      let nonce = nonces.get(address);
      const deployed = nonce !== undefined;
      if (nonce === undefined) {
        nonce = await client.readContract({
          address: entryPointAddress,
          abi: entryPointNonceAbi,
          functionName: "getNonce",
          args: [address, 0n],
        });
      }
      let call: { to: Address; data: Hex };
      if (kind === "claim") {
        const packetId = nextShare();
        if (packetId === undefined) return operate(i, "pay", n);
        const linkSignature = await linkKey.signTypedData({
          domain: redPacketDomain,
          types: {
            Claim: [
              { name: "packetId", type: "uint256" },
              { name: "claimer", type: "address" },
            ],
          },
          primaryType: "Claim",
          message: { packetId, claimer: address },
        });
        call = {
          to: RedPacket,
          data: encodeFunctionData({
            abi: redPacketAbi,
            functionName: "claimWithSignature",
            args: [packetId, linkSignature],
          }),
        };
      } else {
        const shop = shops[(i + n) % shops.length];
        call = {
          to: CityYuan,
          data: encodeFunctionData({
            abi: cityYuanAbi,
            functionName: "pay",
            args: [shop, 100n + BigInt(n % 50), keccak256(stringToHex(`city-load ${i} ${n}`))],
          }),
        };
      }
      const { mode, executionData } = executeBatch([call]);
      const op: Operation = {
        sender: address,
        nonce,
        ...(deployed || n > 0
          ? {}
          : {
              factory: CityAccountFactory,
              factoryData: encodeFunctionData({
                abi: cityAccountFactoryAbi,
                functionName: "createAccount",
                args: [passkey.x, passkey.y],
              }),
            }),
        callData: encodeFunctionData({ abi: cityAccountAbi, functionName: "execute", args: [mode, executionData] }),
        ...GAS,
        maxFeePerGas: 0n,
        maxPriorityFeePerGas: 0n,
        signature: "0x",
      };
      const toService = performance.now();
      const sponsored = await rpc<{ paymaster: Address; paymasterData: Hex }>(
        `${system.serviceUrl}/paymaster`,
        "pm_getPaymasterData",
        [rpcOperation({ ...op, paymaster: CityPaymaster }), entryPointAddress, toHex(CHAIN_ID), {}],
        { origin, cookie: sessions[i] },
      );
      const toSign = performance.now();
      const withPaymaster: Operation = {
        ...op,
        paymaster: sponsored.paymaster,
        paymasterData: sponsored.paymasterData,
      };
      const hash = getUserOperationHash({
        chainId: CHAIN_ID,
        entryPointAddress,
        entryPointVersion: "0.8",
        userOperation: withPaymaster,
      });
      const signed = { ...withPaymaster, signature: cityAccountSignature(passkey, hash) };
      const toBundler = performance.now();
      const userOpHash = await rpc<Hex>(bundlerUrl, "eth_sendUserOperation", [rpcOperation(signed), entryPointAddress]);
      const sent = performance.now();
      let receipt: { success: boolean } | null = null;
      for (;;) {
        receipt = await rpc<{ success: boolean } | null>(bundlerUrl, "eth_getUserOperationReceipt", [userOpHash]);
        if (receipt) break;
        if (performance.now() - sent > 60_000) throw new Error(`user operation ${userOpHash} not included in 60 s`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      nonces.set(address, nonce + 1n);
      const ended = performance.now();
      return {
        kind,
        totalMs: ended - started,
        serviceMs: toSign - toService,
        signMs: toBundler - toSign,
        submitMs: sent - toBundler,
        inclusionMs: ended - sent,
        ok: receipt.success,
        endedAt: ended,
        userOpHash,
      };
    };

    // Each account is created by its first operation (a payment): not part of the measured window.
    const createStarted = performance.now();
    // In waves of 8: the bundler holds only a few operations of one unstaked factory at a time (ERC-7562).
    const created: Sample[] = [];
    for (let first = 0; first < accounts.length; first += 8) {
      const wave = accounts.slice(first, first + 8).map((_, k) => operate(first + k, "pay", 0));
      created.push(...(await Promise.all(wave)));
    }
    if (!created.every((s) => s.ok)) throw new Error("an account-creating payment failed");
    const createMs = performance.now() - createStarted;
    log(`${total} passkey accounts created by their first payment in ${round(createMs)} ms`);

    const plainPay = async (i: number, n: number): Promise<Sample> => {
      const started = performance.now();
      const wallet = createWalletClient({ account: plain[i], chain, transport });
      const hash = await wallet.writeContract({
        address: CityYuan,
        abi: cityYuanAbi,
        functionName: "pay",
        args: [
          shops[(i + n) % shops.length],
          100n + BigInt(n % 50),
          keccak256(stringToHex(`city-load plain ${i} ${n}`)),
        ],
      });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: POLL_MS });
      const ended = performance.now();
      return { kind: "plain", totalMs: ended - started, ok: receipt.status === "success", endedAt: ended };
    };

    // ── The measured window: everyone taps again as soon as the last receipt arrived.
    const samples: Sample[] = [];
    const errors: string[] = [];
    const blockBefore = await client.getBlockNumber();
    const cpuBefore = cpuByRole();
    const windowStart = performance.now();
    const until = windowStart + options.seconds * 1000;
    const passkeyLoop = async (i: number) => {
      for (let n = 1; performance.now() < until; n++) {
        try {
          samples.push(await operate(i, n % CLAIM_EVERY === 0 ? "claim" : "pay", n));
        } catch (error) {
          errors.push((error as Error).message.slice(0, 200));
          nonces.delete(accounts[i]);
        }
      }
    };
    const plainLoop = async (i: number) => {
      for (let n = 1; performance.now() < until; n++) {
        try {
          samples.push(await plainPay(i, n));
        } catch (error) {
          errors.push((error as Error).message.slice(0, 200));
        }
      }
    };
    await Promise.all([...accounts.map((_, i) => passkeyLoop(i)), ...plain.map((_, i) => plainLoop(i))]);
    const windowMs = performance.now() - windowStart;
    const cpuAfter = cpuByRole();
    const blockAfter = await client.getBlockNumber();

    // Bundles: handleOps transactions and the user operations in them over the window.
    const userOperationEvent = parseAbi([
      "event UserOperationEvent(bytes32 indexed userOpHash, address indexed sender, address indexed paymaster, uint256 nonce, bool success, uint256 actualGasCost, uint256 actualGasUsed)",
    ]);
    const opLogs = await client.getLogs({
      address: entryPointAddress,
      event: userOperationEvent[0],
      fromBlock: blockBefore + 1n,
      toBlock: blockAfter,
    });
    const bundles = new Set(opLogs.map((l) => l.transactionHash)).size;
    // Gas of each kind of operation, as the EntryPoint counted it (this run's default build, not `production`).
    const kindOf = new Map(samples.filter((s) => s.userOpHash).map((s) => [s.userOpHash?.toLowerCase(), s.kind]));
    const gasOf = (kind: Sample["kind"]) => {
      const used = opLogs
        .filter((l) => kindOf.get(l.args.userOpHash?.toLowerCase()) === kind)
        .map((l) => Number(l.args.actualGasUsed));
      return used.length ? Math.round(used.reduce((a, b) => a + b, 0) / used.length) : 0;
    };
    let gasUsed = 0n;
    let transactions = 0;
    for (let b = blockBefore + 1n; b <= blockAfter; b++) {
      const block = await client.getBlock({ blockNumber: b });
      gasUsed += block.gasUsed;
      transactions += block.transactions.length;
    }

    // The paymaster's signature alone, in process: what the service spends signing one operation.
    const cityKey = privateKeyToAccount(sponsorKey(CHAIN_ID, {}) as Hex);
    const signings = sized(500, 100);
    const signStarted = performance.now();
    for (let k = 0; k < signings; k++) {
      await cityKey.signTypedData(
        sponsorshipTypedData(
          CHAIN_ID,
          CityPaymaster,
          {
            sender: accounts[0],
            nonce: BigInt(k),
            callData: "0x",
            ...GAS,
            maxFeePerGas: 0n,
            maxPriorityFeePerGas: 0n,
          },
          { validAfter: 0, validUntil: 1 },
        ),
      );
    }
    const paymasterSignMs = (performance.now() - signStarted) / signings;

    const ok = samples.filter((s) => s.ok);
    const passkeyOps = ok.filter((s) => s.kind !== "plain");
    const payments = ok.filter((s) => s.kind === "pay" || s.kind === "plain");
    const seconds = windowMs / 1000;
    const cpu = [...cpuAfter].map(([role, after]) => ({
      role,
      corePercent: round(((after - (cpuBefore.get(role) ?? 0)) / seconds) * 100),
    }));
    const stage = (pick: (s: Sample) => number | undefined) => {
      const values = passkeyOps.map(pick).filter((v): v is number => v !== undefined);
      return {
        p50: round(percentile(values, 50)),
        p99: round(percentile(values, 99)),
        mean: round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
      };
    };
    const stages = {
      service: stage((s) => s.serviceMs),
      sign: stage((s) => s.signMs),
      submit: stage((s) => s.submitMs),
      inclusion: stage((s) => s.inclusionMs),
    };
    return {
      passkeyResidents: total,
      plainResidents: options.plainResidents,
      seconds: round(seconds, 1),
      signInMs: round(signInMs),
      accountCreation: {
        ms: round(createMs),
        perAccountP50: round(
          percentile(
            created.map((s) => s.totalMs),
            50,
          ),
        ),
      },
      operations: ok.length,
      failed: samples.length - ok.length + errors.length,
      errors: [...new Set(errors)].slice(0, 5),
      paymentsPerSecond: round(payments.length / seconds, 1),
      passkeyPaymentsPerSecond: round(ok.filter((s) => s.kind === "pay").length / seconds, 1),
      plainPaymentsPerSecond: round(ok.filter((s) => s.kind === "plain").length / seconds, 1),
      claimsPerSecond: round(ok.filter((s) => s.kind === "claim").length / seconds, 1),
      operationsPerSecond: round(ok.length / seconds, 1),
      tapToReceipt: {
        passkeyP50: round(
          percentile(
            passkeyOps.map((s) => s.totalMs),
            50,
          ),
        ),
        passkeyP99: round(
          percentile(
            passkeyOps.map((s) => s.totalMs),
            99,
          ),
        ),
        plainP50: round(
          percentile(
            ok.filter((s) => s.kind === "plain").map((s) => s.totalMs),
            50,
          ),
        ),
        plainP99: round(
          percentile(
            ok.filter((s) => s.kind === "plain").map((s) => s.totalMs),
            99,
          ),
        ),
      },
      stages,
      serviceP99: stages.service.p99,
      paymasterSignMs: round(paymasterSignMs, 2),
      chain: {
        blocks: Number(blockAfter - blockBefore),
        blocksPerSecond: round(Number(blockAfter - blockBefore) / seconds, 1),
        transactions,
        gasPerSecond: Math.round(Number(gasUsed) / seconds),
        bundles,
        operationsPerBundle: round(opLogs.length / Math.max(1, bundles), 2),
        gas: { passkeyPay: gasOf("pay"), passkeyClaim: gasOf("claim"), packetCreate: Number(packetCreateGas) },
      },
      loadAverage: loadavg().map((l) => round(l, 1)),
      cpu,
    };
  } finally {
    await system.stop();
  }
}

export type CityLoadFigures = Awaited<ReturnType<typeof benchCityLoad>>;

/**
 * The first bottleneck, with its evidence: the stage that takes the largest share of a payment,
 * and whether the process behind it is using a whole core (Node and the Hardhat node each run one
 * event loop: a process near 100 % of a core is saturated, whatever the machine's other core does).
 */
export function firstBottleneck(figures: CityLoadFigures): { name: string; evidence: string } {
  const { stages, cpu } = figures;
  const cpuOf = (prefix: string) => cpu.find((c) => c.role.startsWith(prefix))?.corePercent ?? 0;
  const totalCpu = cpu.reduce((sum, c) => sum + c.corePercent, 0);
  const shares = [
    { stage: "service", ms: stages.service.mean },
    { stage: "sign", ms: stages.sign.mean },
    { stage: "submit", ms: stages.submit.mean },
    { stage: "inclusion", ms: stages.inclusion.mean },
  ].sort((a, b) => b.ms - a.ms);
  const whole = shares.reduce((sum, s) => sum + s.ms, 0) || 1;
  const top = shares[0];
  const pct = (ms: number) => `${Math.round((ms / whole) * 100)} %`;
  const cpuLine = cpu.map((c) => `${c.role} ${c.corePercent} % of a core`).join(", ");
  const machine = `the machine's 2 cores ran at ${round(totalCpu)} % of one core in all (${cpuLine})`;
  let name: string;
  const stuck = figures.errors.filter((e) => e.includes("not included")).length;
  if (stuck > 0) {
    return {
      name: "bundler (it accepted operations and did not include them)",
      evidence: `${figures.failed} operations failed, ${stuck} of the first errors: accepted by the bundler, not included in 60 s, while plain addresses' payments were mined (${figures.plainPaymentsPerSecond}/s); ${machine}`,
    };
  }
  if (top.stage === "service") {
    name =
      figures.paymasterSignMs > stages.service.mean / 2
        ? "paymaster signing"
        : "service (the paymaster route's checks: session, quota in the database, nonce read from the chain)";
  } else if (top.stage === "sign") {
    name = "the residents' devices (passkey signatures, here simulated in the bench process)";
  } else if (cpuOf("chain") >= Math.max(cpuOf("bundler"), 60)) {
    name = "chain (the node executing the bundles)";
  } else {
    name = "bundler (simulating each operation on accept and bundling)";
  }
  const evidence =
    `${top.stage} takes ${pct(top.ms)} of a passkey payment (mean ${top.ms} ms of ${round(whole)} ms: ` +
    shares.map((s) => `${s.stage} ${s.ms} ms`).join(", ") +
    `); ${machine}; the paymaster's ECDSA signature alone takes ${figures.paymasterSignMs} ms; ` +
    `${figures.chain.operationsPerBundle} operations per bundle, ${figures.chain.blocksPerSecond} blocks/s`;
  return { name, evidence };
}

if (path.resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const figures = await benchCityLoad({
    passkeyResidents: sized(12, 6),
    plainResidents: sized(8, 2),
    seconds: sized(60, 15),
  });
  const bottleneck = firstBottleneck(figures);
  process.stdout.write(`${JSON.stringify({ ...figures, bottleneck }, null, 2)}\n`);
  const t = figures.tapToReceipt;
  process.stdout.write(
    "| measure | value |\n|---|---|\n" +
      `| residents | ${figures.passkeyResidents} passkey accounts (verified, sponsored) + ${figures.plainResidents} plain addresses, ${figures.seconds} s |\n` +
      `| sustained payments | ${figures.paymentsPerSecond} /s (passkey ${figures.passkeyPaymentsPerSecond} /s through the bundler, plain ${figures.plainPaymentsPerSecond} /s) |\n` +
      `| red-packet claims | ${figures.claimsPerSecond} /s |\n` +
      `| all operations | ${figures.operationsPerSecond} /s, ${figures.failed} failed |\n` +
      `| tap to receipt, passkey (bundler + paymaster) | p50 ${t.passkeyP50} ms, p99 ${t.passkeyP99} ms |\n` +
      `| tap to receipt, plain address | p50 ${t.plainP50} ms, p99 ${t.plainP99} ms |\n` +
      `| service (pm_getPaymasterData) | p50 ${figures.stages.service.p50} ms, p99 ${figures.serviceP99} ms |\n` +
      `| paymaster signing (the signature alone) | ${figures.paymasterSignMs} ms |\n` +
      `| bundler accept (eth_sendUserOperation) | p50 ${figures.stages.submit.p50} ms, p99 ${figures.stages.submit.p99} ms |\n` +
      `| inclusion (accepted to receipt) | p50 ${figures.stages.inclusion.p50} ms, p99 ${figures.stages.inclusion.p99} ms |\n` +
      `| chain | ${figures.chain.blocksPerSecond} blocks/s, ${figures.chain.operationsPerBundle} operations per bundle, ${figures.chain.gasPerSecond} gas/s |\n` +
      `| gas (default build, EntryPoint's count) | passkey pay ${figures.chain.gas.passkeyPay}, passkey claim ${figures.chain.gas.passkeyClaim}, packet create (plain address) ${figures.chain.gas.packetCreate} |\n` +
      `| load average at the end (2 cores, shared) | ${figures.loadAverage.join(" / ")} |\n` +
      `| first bottleneck | ${bottleneck.name} |\n` +
      `\nEvidence: ${bottleneck.evidence}\n${quickNote()}`,
  );
  // Payments that fail are a broken system, not a slow one: that fails in a quick run too.
  if (figures.operations === 0 || figures.failed > 0) {
    process.stdout.write(`city-load: ${figures.failed} operations failed: ${figures.errors.join(" | ")}\n`);
    process.exitCode = 1;
  }
  checkTarget(figures.paymentsPerSecond > 0, `sustained payments ${figures.paymentsPerSecond}/s measured`);
}
