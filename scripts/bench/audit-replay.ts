// Audit replay benchmark: seeds a ledger of 100,000 CityYuan events on a local node of its own,
// then times the full audit the ledger page and `npm run audit` run: every event read from the
// deployment block, replayed, and checked against the contracts' figures. Target: under 5 s.
// `benchAuditReplay()` feeds `npm run bench`; run alone with `npx tsx scripts/bench/audit-replay.ts`.
//
// Seeding: one transaction per payment was tried first and is too slow here (the node accepts
// about 16 pending transactions per sender, and a block of ~100 takes over a second to accept),
// so a small payer contract, compiled on the spot with the solc that Hardhat uses, makes 250 real
// CityYuan.pay calls per transaction: every event is a genuine Transfer + PaymentMade from the
// token, issued to the payer against a bank reference like any other money. 100,000 events then
// take 200 transactions.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, type Hex, http, keccak256, stringToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { type AuditCheckpoint, signCheckpoint } from "../../core/audit/checkpoint.js";
import { runAudit } from "../../core/audit/runAudit.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, ROLE_HOLDERS } from "../lib/demo-accounts.js";
import { freePort } from "../lib/processes.js";
import { startSystem } from "../lib/system.js";
import { checkTarget, quickNote, sized } from "./mode.js";

const PAYER_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
interface ICityYuanPay { function pay(address payee, uint256 amount, bytes32 orderRef) external returns (bytes32); }
contract BenchPayer {
    function payMany(address token, address[] calldata payees, uint256 first, uint256 count) external {
        for (uint256 n = first; n < first + count; ++n) {
            ICityYuanPay(token).pay(payees[n % payees.length], 100 + (n % 5000), bytes32(n + 1));
        }
    }
}`;

const payerAbi = [
  {
    type: "function",
    name: "payMany",
    stateMutability: "nonpayable",
    inputs: [
      { name: "token", type: "address" },
      { name: "payees", type: "address[]" },
      { name: "first", type: "uint256" },
      { name: "count", type: "uint256" },
    ],
    outputs: [],
  },
] as const;

function compilePayer(): Hex {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "BenchPayer.sol": { content: PAYER_SOURCE } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          outputSelection: { "*": { "*": ["evm.bytecode.object"] } },
        },
      }),
    ),
  );
  const bytecode = output.contracts?.["BenchPayer.sol"]?.BenchPayer?.evm?.bytecode?.object;
  if (!bytecode) throw new Error(`compiling BenchPayer failed: ${JSON.stringify(output.errors)}`);
  return `0x${bytecode}`;
}

const PAYS_PER_TX = 250;
const TXS_PER_BLOCK = 4;

export async function seedPaymentLedger(
  rpcUrl: string,
  token: Hex,
  events: number,
  log: (line: string) => void,
  /** The bank reference of the funding issue (one issue per reference: each seeding needs its own). */
  fundingRef = "BENCH-FUND-PAYER",
) {
  const chain = { ...hardhat, rpcUrls: { default: { http: [rpcUrl] } } };
  const transport = http(rpcUrl);
  const client = createPublicClient({ chain, transport });
  const deployer = createWalletClient({ account: localAccount(ROLE_HOLDERS.admin.index), chain, transport });
  const issuer = createWalletClient({ account: localAccount(ROLE_HOLDERS.issuer.index), chain, transport });
  const deployHash = await deployer.deployContract({ abi: payerAbi, bytecode: compilePayer() });
  const payer = (await client.waitForTransactionReceipt({ hash: deployHash })).contractAddress as Hex;
  const attester = createWalletClient({ account: localAccount(ROLE_HOLDERS.attester.index), chain, transport });
  const payments = Math.ceil(events / 2);
  // Every payment is at most 50.99 HCY. Issuing is bounded by the latest attested reserves
  // (Secure Mint), so the attester first publishes reserves covering the supply after funding, as
  // the bank would once the deposit arrived; the issuer then issues within its allowance.
  const funding = BigInt(payments) * 5_100n;
  const supply = await client.readContract({ address: token, abi: cityYuanAbi, functionName: "totalSupply" });
  const mined = async (hash: Hex, what: string) => {
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`seeding: ${what} reverted`);
  };
  await mined(
    await attester.writeContract({
      address: token,
      abi: cityYuanAbi,
      functionName: "attestReserves",
      args: [
        supply + funding,
        keccak256(stringToHex("Hefei City Bank reserve report, audit-replay bench")),
        "https://reserves.hefei.example/reports/bench-audit-replay.pdf",
      ],
    }),
    "attestReserves",
  );
  await mined(
    await issuer.writeContract({
      address: token,
      abi: cityYuanAbi,
      functionName: "issue",
      args: [payer, funding, stringToHex(fundingRef, { size: 32 })],
    }),
    "issue",
  );
  const payees = MERCHANTS.map((m) => localAccount(m.index).address);
  await client.request({ method: "evm_setAutomine" as never, params: [false] as never });
  try {
    let nonce = await client.getTransactionCount({ address: deployer.account.address });
    for (let first = 0; first < payments; ) {
      const hashes: Hex[] = [];
      for (let k = 0; k < TXS_PER_BLOCK && first < payments; k++) {
        const count = Math.min(PAYS_PER_TX, payments - first);
        hashes.push(
          await deployer.writeContract({
            address: payer,
            abi: payerAbi,
            functionName: "payMany",
            args: [token, payees, BigInt(first), BigInt(count)],
            gas: 15_000_000n,
            nonce: nonce++,
          }),
        );
        first += count;
      }
      await client.request({ method: "evm_mine" as never, params: [] as never });
      const receipt = await client.getTransactionReceipt({ hash: hashes[hashes.length - 1] });
      if (receipt.status !== "success") throw new Error("a seeding transaction reverted");
      if (first % 10_000 < PAYS_PER_TX * TXS_PER_BLOCK) log(`${first} / ${payments} payments`);
    }
  } finally {
    await client.request({ method: "evm_setAutomine" as never, params: [true] as never });
  }
  return { payer, payments };
}

export interface AuditReplayFigures {
  events: number;
  blocks: number;
  accounts: number;
  seedSeconds: number;
  /** Each timed run of the whole audit, in ms. */
  runsMs: number[];
  medianMs: number;
  logsMs: number;
  figuresMs: number;
  passed: boolean;
  targetMs: number;
  /** Continued from a checkpoint signed after the last full run: the new events, ms, verdict. */
  continued: { events: number; accounts: number; ms: number; passed: boolean };
}

export async function benchAuditReplay(
  options: { events?: number; chainPort?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<AuditReplayFigures> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const system = await startSystem({
    // No indexer: this benchmark reads the chain (the `indexer` benchmark measures the indexer).
    indexer: false,
    chainPort: options.chainPort ?? (await freePort()),
    seed: false,
    service: false,
    web: false,
    // Payments from a plain contract: no passkey account, so no bundler.
    bundler: false,
    quiet: true,
    log: (line) => log(`[chain] ${line}`),
  });
  try {
    const seedStart = performance.now();
    await seedPaymentLedger(system.rpcUrl, system.deployment.contracts.CityYuan, options.events ?? 100_000, log);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const runs = options.runs ?? 3;
    const reports = [];
    for (let run = 0; run < runs; run++) {
      const report = await runAudit({
        rpcUrl: system.rpcUrl,
        contracts: system.deployment.contracts,
        deployBlock: system.deployment.deployBlock,
      });
      reports.push(report);
      log(
        `audit run ${run + 1}: ${report.eventCount} events in ${report.timings.totalMs} ms (${report.ok ? "PASS" : "MISMATCH"})`,
      );
    }
    // A checkpoint signed after the last run, then 1 % more events: the audit continues from it.
    const last = reports[reports.length - 1];
    const auditor = privateKeyToAccount(generatePrivateKey());
    const chainId = await createPublicClient({ transport: http(system.rpcUrl) }).getChainId();
    const cityYuan = system.deployment.contracts.CityYuan;
    const signed = await signCheckpoint(auditor, {
      chainId,
      cityYuan,
      replay: last.replay,
      block: last.block,
      blockHash: last.blockHash,
    });
    const file = JSON.parse(JSON.stringify(signed)) as AuditCheckpoint; // as read back from disk
    await seedPaymentLedger(system.rpcUrl, cityYuan, Math.ceil(last.eventCount / 100), log, "BENCH-FUND-PAYER-2");
    const continued = await runAudit({
      rpcUrl: system.rpcUrl,
      contracts: system.deployment.contracts,
      deployBlock: system.deployment.deployBlock,
      checkpoint: { file, chainId, trustedAuditor: auditor.address },
    });
    log(
      `continued from the checkpoint: ${continued.eventCount} new events in ${continued.timings.totalMs} ms (${continued.ok ? "PASS" : "MISMATCH"})`,
    );
    const sorted = [...reports].sort((a, b) => a.timings.totalMs - b.timings.totalMs);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      events: median.eventCount,
      blocks: Number(median.block - median.fromBlock + 1n),
      accounts: median.accountCount,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      runsMs: reports.map((r) => r.timings.totalMs),
      medianMs: median.timings.totalMs,
      logsMs: median.timings.logsMs,
      figuresMs: median.timings.figuresMs,
      passed: reports.every((r) => r.ok) && continued.ok,
      targetMs: 5_000,
      continued: {
        events: continued.eventCount,
        accounts: continued.accountCount,
        ms: continued.timings.totalMs,
        passed: continued.ok,
      },
    };
  } finally {
    await system.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchAuditReplay({ events: sized(100_000, 600), runs: sized(3, 1) });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n${quickNote()}`);
  process.stdout.write(
    `audit replay of ${figures.events} events: median ${figures.medianMs} ms (target < ${figures.targetMs} ms), ` +
      `${figures.passed ? "every run PASS" : "MISMATCH"}; continued from a signed checkpoint over ` +
      `${figures.continued.events} new events: ${figures.continued.ms} ms\n`,
  );
  // A mismatch is a wrong audit, not a slow one: it fails in a quick run too.
  if (!figures.passed) process.exitCode = 1;
  checkTarget(
    figures.medianMs < figures.targetMs,
    `audit replay median ${figures.medianMs} ms < ${figures.targetMs} ms`,
  );
}
