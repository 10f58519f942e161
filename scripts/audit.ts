// `npm run audit -- --rpc <url> [--chain-id N] [--block N] [--full] [--auditor 0x…] [--checkpoints dir] [--lang zh|en]`:
// replays every ledger event of the deployment on that chain (addresses from generated/contracts.ts)
// and proves, item by item, that balances, supply, issued − redeemed and both escrows match the
// contracts' own figures. Prints progress on stderr and a clear PASS or the first mismatch; exit
// code 0 on pass, 1 on a mismatch, 2 when the check could not run (bad arguments, unreachable node,
// no deployment, a checkpoint refused).
//
// Checkpoints: with HCY_AUDITOR_KEY (the auditor's private key, from the environment, never a file
// in the repo) a passing audit signs a checkpoint of what it proved and stores it in the checkpoints
// directory; the next run verifies it (signed by the trusted auditor: --auditor, or the key's own
// address; its state matches its signature; the chain still has its block) and replays only what is
// new. --full replays from the deployment whatever checkpoint there is.
//
// Words: Chinese or English (--lang; by default the terminal's locale, LC_ALL / LC_MESSAGES / LANG
// starting with "zh" for Chinese), the audit items and refusals in the ledger page's own words
// (core/audit/auditMessages.ts).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Address, getAddress, type Hex, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { auditMessages } from "../core/audit/auditMessages.js";
import { type AuditCheckpoint, CheckpointRefused, checkpointFileName } from "../core/audit/checkpoint.js";
import {
  CHECK_GROUPS,
  checkGroup,
  describeCoverage,
  describeEscrows,
  describeMismatch,
  describeRefusal,
} from "../core/audit/describe.js";
import { type AuditProgress, type AuditReport, runAudit } from "../core/audit/runAudit.js";
import { interpolate, type Lang } from "../core/i18n.js";
import { deploymentFor } from "../generated/contracts.js";
import { storeSignedCheckpoint } from "./lib/checkpointFile.js";

const DEFAULT_CHECKPOINTS = path.resolve(import.meta.dirname, "..", ".data", "audit-checkpoints");

/** What the command itself says; the audit items are the ledger page's words (auditMessages). */
const WORDS = {
  zh: {
    usage:
      "用法：npm run audit -- --rpc <地址> [--chain-id <链 ID>] [--block <区块号>] [--full] [--auditor <审计方地址>] [--checkpoints <目录>] [--lang zh|en]",
    head: "核对截至区块 {block} 的账本",
    logs: "读取事件：第 {read} / {total} 个区块，{events} 个事件",
    figures: "读取合约数字：{read} / {total}",
    checking: "比对 {events} 个事件和 {accounts} 个账户",
    group: "{mark} {group}：{passed}/{total} 项一致",
    pass: "通过：全部 {items} 项一致（{events} 个事件，{accounts} 个账户，区块 {from}–{block}，{seconds} 秒）",
    more: "（另有 {count} 项不一致）",
    start: "链 {chainId}，CityYuan {cityYuan}，从{from}开始",
    fromCheckpoint: "区块 {block} 的检查点",
    fromBlock: "区块 {block}",
    noAuditor: "已有检查点（{file}），但没有指定信任的审计方（--auditor 或 HCY_AUDITOR_KEY）：重放整本账",
    continued:
      "从区块 {block} 的检查点继续（签名的审计方 {auditor}）：此后 {events} 个新事件，{accounts} 个账户有变动（完整重放：--full）",
    signed: "已在区块 {block} 以 {signer} 签署检查点：{file}",
    refusedHint:
      "运行 `npm run audit -- --rpc {rpc} --full` 重放整本账（设置了 HCY_AUDITOR_KEY 时，完整核对通过后会签署新的检查点）。",
    couldNotRun: "无法核对：{reason}",
    badKey: "HCY_AUDITOR_KEY 必须是十六进制的 32 字节私钥（0x 加 64 个十六进制数字）",
    badAuditor: "--auditor 必须是地址",
    needRpc: "必须给出 --rpc",
    badChainId: "--chain-id 必须是正整数",
    badBlock: "--block 必须是区块号（非负整数）",
    badLang: "--lang 只能是 zh 或 en",
    unreachable: "连不上 {rpc}：{reason}",
    otherChain: "--chain-id {chainId}，但 {rpc} 是链 {actual}",
    noDeployment: "generated/contracts.ts 里没有链 {chainId} 上的部署",
    noCode:
      "{rpc} 上的链 {chainId} 没有合肥城市元：{cityYuan}（生成的部署地址）没有合约代码。请先用 `npm start` 启动系统，或把 --rpc 指向部署了合约的链。",
  },
  en: {
    usage:
      "usage: npm run audit -- --rpc <url> [--chain-id <id>] [--block <number>] [--full] [--auditor <address>] [--checkpoints <dir>] [--lang zh|en]",
    head: "auditing the ledger as of block {block}",
    logs: "reading events: block {read} of {total}, {events} events",
    figures: "reading the contracts' figures: {read} of {total}",
    checking: "comparing {events} events and {accounts} accounts",
    group: "{mark} {group}: {passed}/{total} items match",
    pass: "PASS: all {items} items match ({events} events, {accounts} accounts, blocks {from}-{block}, {seconds} s)",
    more: "({count} more item(s) do not match)",
    start: "chain {chainId}, CityYuan {cityYuan}, from {from}",
    fromCheckpoint: "the checkpoint at block {block}",
    fromBlock: "block {block}",
    noAuditor:
      "a checkpoint exists ({file}) but no auditor to trust was named (--auditor, or HCY_AUDITOR_KEY): replaying the whole ledger",
    continued:
      "continued from the checkpoint at block {block} signed by {auditor}: {events} new events, {accounts} accounts moved since (a full replay: --full)",
    signed: "signed a checkpoint at block {block} as {signer}: {file}",
    refusedHint:
      "Run `npm run audit -- --rpc {rpc} --full` to replay the whole ledger (with HCY_AUDITOR_KEY set, a passing full audit signs a new checkpoint).",
    couldNotRun: "audit could not run: {reason}",
    badKey: "HCY_AUDITOR_KEY must be a 32-byte private key in hex (0x followed by 64 hex digits)",
    badAuditor: "--auditor must be an address",
    needRpc: "--rpc is required",
    badChainId: "--chain-id must be a positive integer",
    badBlock: "--block must be a block number (a whole number, 0 or more)",
    badLang: "--lang must be zh or en",
    unreachable: "cannot reach {rpc}: {reason}",
    otherChain: "--chain-id {chainId}, but {rpc} is chain {actual}",
    noDeployment: "generated/contracts.ts knows no deployment on chain {chainId}",
    noCode:
      "chain {chainId} at {rpc} has no Hefei City Yuan: there is no contract code at {cityYuan} (the generated deployment). Start the system with `npm start`, or point --rpc at the chain the contracts were deployed on.",
  },
} as const satisfies Record<Lang, Record<string, string>>;

type Word = keyof (typeof WORDS)["en"];

/** The terminal's language: Chinese when its locale is (zh_CN.UTF-8, zh_TW …), else English. */
function localeLang(env: NodeJS.ProcessEnv): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return locale.toLowerCase().startsWith("zh") ? "zh" : "en";
}

let lang: Lang = localeLang(process.env);
const say = (word: Word, vars?: Record<string, string | number | bigint>) =>
  interpolate(WORDS[lang][word], vars && Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])));

class UsageError extends Error {}

function progressLine(progress: AuditProgress): string {
  switch (progress.phase) {
    case "head":
      return say("head", { block: progress.block });
    case "logs":
      return say("logs", { read: progress.blocksRead, total: progress.blocksTotal, events: progress.events });
    case "figures":
      return say("figures", { read: progress.read, total: progress.total });
    case "checking":
      return say("checking", { events: progress.events, accounts: progress.accounts });
  }
}

/** On a terminal, progress rewrites one line; in a log file, one line per phase change. */
function progressReporter(): (progress: AuditProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPhase = "";
  let lastWrite = 0;
  return (progress) => {
    const line = progressLine(progress);
    if (tty) {
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastWrite < 100) return;
      lastWrite = now;
      process.stderr.write(`\r\x1b[2K${line}`);
      if (progress.phase === "checking") process.stderr.write("\n");
    } else if (progress.phase !== lastPhase) {
      process.stderr.write(`${line}\n`);
    }
    lastPhase = progress.phase;
  };
}

function printReport(report: AuditReport) {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const group of CHECK_GROUPS) {
    const items = report.checks.filter((check) => checkGroup(check) === group);
    const passed = items.filter((check) => check.ok).length;
    const mark = passed === items.length ? "ok  " : "FAIL";
    out(`  ${say("group", { mark, group: auditMessages[lang][`group_${group}`], passed, total: items.length })}`);
  }
  for (const line of describeEscrows(report, lang)) out(`  ${line}`);
  out(`  ${describeCoverage(report, lang).text}`);
  if (report.ok) {
    out(
      say("pass", {
        items: report.checks.length,
        events: report.eventCount,
        accounts: report.accountCount,
        from: report.fromBlock,
        block: report.block,
        seconds: (report.timings.totalMs / 1000).toFixed(2),
      }),
    );
  } else if (report.firstMismatch) {
    out(describeMismatch(report.firstMismatch, lang));
    const more = report.checks.filter((check) => !check.ok).length - 1;
    if (more > 0) out(say("more", { count: more }));
  }
}

async function rpc(rpcUrl: string, method: string, params: unknown[]): Promise<string> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const reply = (await response.json()) as { result?: string };
  if (typeof reply.result !== "string") throw new Error(`${rpcUrl} did not answer ${method}`);
  return reply.result;
}

async function chainIdOf(rpcUrl: string): Promise<number> {
  return Number(BigInt(await rpc(rpcUrl, "eth_chainId", [])));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      "chain-id": { type: "string" },
      block: { type: "string" },
      full: { type: "boolean" },
      auditor: { type: "string" },
      checkpoints: { type: "string" },
      lang: { type: "string" },
    },
    strict: true,
  });
  if (values.lang !== undefined) {
    if (values.lang !== "zh" && values.lang !== "en") throw new UsageError(`${say("badLang")}\n${say("usage")}`);
    lang = values.lang;
  }
  const usage = (word: Word) => new UsageError(`${say(word)}\n${say("usage")}`);
  const key = process.env.HCY_AUDITOR_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(say("badKey"));
  const signer = key ? privateKeyToAccount(key as Hex) : undefined;
  if (values.auditor !== undefined && !isAddress(values.auditor)) throw usage("badAuditor");
  const trustedAuditor: Address | undefined = values.auditor ? getAddress(values.auditor) : signer?.address;
  if (!values.rpc) throw usage("needRpc");
  if (values.block !== undefined && !/^\d+$/.test(values.block)) throw usage("badBlock");
  const rpcUrl = values.rpc;
  let actualChainId: number;
  try {
    actualChainId = await chainIdOf(rpcUrl);
  } catch (error) {
    throw new Error(say("unreachable", { rpc: rpcUrl, reason: (error as Error).message }));
  }
  const chainId = values["chain-id"] === undefined ? actualChainId : Number(values["chain-id"]);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw usage("badChainId");
  if (chainId !== actualChainId) throw new Error(say("otherChain", { chainId, rpc: rpcUrl, actual: actualChainId }));
  const deployment = deploymentFor(chainId);
  if (!deployment) throw new Error(say("noDeployment", { chainId }));
  const atBlock = values.block === undefined ? undefined : BigInt(values.block);
  // A node of the right chain id may still hold no Hefei City Yuan (a fresh `hardhat node`, another
  // network's fork): say so instead of failing later on an empty call.
  const code = await rpc(rpcUrl, "eth_getCode", [deployment.contracts.CityYuan, "latest"]);
  if (code === "0x" || code === "")
    throw new Error(say("noCode", { chainId, rpc: rpcUrl, cityYuan: deployment.contracts.CityYuan }));

  const directory = values.checkpoints ?? DEFAULT_CHECKPOINTS;
  const file = path.join(directory, checkpointFileName(chainId, deployment.contracts.CityYuan));
  let checkpoint: AuditCheckpoint | undefined;
  if (!values.full && existsSync(file)) {
    if (trustedAuditor === undefined) process.stderr.write(`${say("noAuditor", { file })}\n`);
    else checkpoint = JSON.parse(readFileSync(file, "utf8")) as AuditCheckpoint;
  }

  const from = checkpoint
    ? say("fromCheckpoint", { block: checkpoint.claim.block })
    : say("fromBlock", { block: deployment.deployBlock });
  process.stderr.write(`${say("start", { chainId, cityYuan: deployment.contracts.CityYuan, from })}\n`);
  let report: AuditReport;
  try {
    report = await runAudit({
      rpcUrl,
      contracts: deployment.contracts,
      deployBlock: deployment.deployBlock,
      atBlock,
      onProgress: progressReporter(),
      checkpoint: checkpoint && trustedAuditor && { file: checkpoint, chainId, trustedAuditor },
    });
  } catch (error) {
    if (!(error instanceof CheckpointRefused)) throw error;
    throw new Error(`${describeRefusal(error, lang)} ${say("refusedHint", { rpc: rpcUrl })}`);
  }
  if (report.checkpointBlock !== undefined)
    process.stdout.write(
      `  ${say("continued", {
        block: report.checkpointBlock,
        auditor: trustedAuditor ?? "",
        events: report.eventCount,
        accounts: report.accountCount,
      })}\n`,
    );
  printReport(report);
  if (report.ok && signer) {
    await storeSignedCheckpoint(signer, { chainId, cityYuan: deployment.contracts.CityYuan }, report, file);
    process.stdout.write(`  ${say("signed", { block: report.block, signer: signer.address, file })}\n`);
  }
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n${say("couldNotRun", { reason })}\n`);
    process.exit(2);
  },
);
