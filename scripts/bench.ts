// `npm run bench`: performance figures, measured, never guessed. Each benchmark runs in its own
// process (gas under the `production` build profile) and prints its own table; this script runs
// them in turn and fails if any fails. `npm run bench -- <name>` runs only the named ones.
import { spawnSync } from "node:child_process";
import { bin, ROOT } from "./lib/processes.js";

interface Bench {
  name: string;
  what: string;
  command: string;
  args: string[];
}

const benches: Bench[] = [
  {
    name: "token-gas",
    what: "gas per CityYuan operation beside OpenZeppelin ERC20Permit and ERC20Pausable",
    command: bin("hardhat"),
    args: ["run", "--build-profile", "production", "scripts/bench/token-gas.ts"],
  },
  {
    name: "redpacket-gas",
    what: "gas of red packets (permit + create, claims, refund) beside Mask's HappyRedPacket figures",
    command: bin("hardhat"),
    args: ["run", "--build-profile", "production", "scripts/bench/redpacket-gas.ts"],
  },
  {
    name: "vouchers-gas",
    what: "gas of voucher campaigns (create, claim, redeem with permit, reclaim)",
    command: bin("hardhat"),
    args: ["run", "--build-profile", "production", "scripts/bench/vouchers-gas.ts"],
  },
  {
    name: "account-gas",
    what: "gas of a passkey payment (with and without the P-256 precompile) beside a plain address; paymaster overhead",
    command: bin("hardhat"),
    args: ["run", "--build-profile", "production", "scripts/bench/account-gas.ts"],
  },
  {
    name: "bundle",
    what: "initial JavaScript of the production dApp build (gzip)",
    command: bin("tsx"),
    args: ["scripts/bench/bundle.ts"],
  },
  {
    name: "lighthouse",
    what: "Lighthouse accessibility score of each main page, normal and large-text mode (Chromium)",
    command: bin("tsx"),
    args: ["scripts/bench/lighthouse.ts"],
  },
  {
    name: "history",
    what: "history of a resident with 10,000 events on a ledger of 100,000",
    command: bin("tsx"),
    args: ["scripts/bench/history.ts"],
  },
  {
    name: "receipts",
    what: "receipt latency: payment block to the row on the merchant's page (Chromium)",
    command: bin("tsx"),
    args: ["scripts/bench/receipts.ts"],
  },
  {
    name: "passkey-receipt",
    what: "tap to receipt of a passkey payment through the bundler, median of 20 (Chromium, virtual authenticator)",
    command: bin("tsx"),
    args: ["scripts/bench/passkey-receipt.ts"],
  },
  {
    name: "audit-replay",
    what: "audit replay of a ledger of 100,000 events",
    command: bin("tsx"),
    args: ["scripts/bench/audit-replay.ts"],
  },
  {
    name: "server-load",
    what: "city service: signed-in contact reads and writes at 200 req/s",
    command: bin("tsx"),
    args: ["scripts/bench/server-load.ts"],
  },
];

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  process.stdout.write(`\n━━ ${bench.name}: ${bench.what}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [bench.command, ...bench.args], { cwd: ROOT, stdio: "inherit" });
  results.push({ name: bench.name, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
process.stdout.write("\n━━ benchmarks run\n");
for (const result of results) process.stdout.write(`  ${result.ok ? "✓" : "✗"} ${result.name} (${result.seconds} s)\n`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
