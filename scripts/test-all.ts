// `npm test`: every test, in the order a failure is cheapest to find. Runs all steps, prints a
// summary, and fails if any step failed. `npm test -- --only <step>` runs one step.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { CHROMIUM } from "../test/e2e/browser.js";
import { bin, ROOT } from "./lib/processes.js";

interface Step {
  name: string;
  command: string;
  args: string[];
  before?: () => boolean;
}

function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  process.stdout.write(`Chromium is not at ${CHROMIUM}; installing Debian's chromium and a CJK font…\n`);
  const root = process.getuid?.() === 0;
  const run = (args: string[]) =>
    spawnSync(root ? args[0] : "sudo", root ? args.slice(1) : args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  run(["apt-get", "update", "-qq"]);
  run([
    "apt-get",
    "install",
    "-y",
    "-qq",
    "--no-install-recommends",
    "chromium",
    "fonts-wqy-microhei",
    "fonts-noto-color-emoji",
  ]);
  if (existsSync(CHROMIUM)) return true;
  process.stderr.write(
    "Could not install Chromium: run `apt-get install -y chromium fonts-wqy-microhei` (or set HCY_CHROMIUM).\n",
  );
  return false;
}

const steps: Step[] = [
  { name: "bindings are up to date", command: bin("tsx"), args: ["scripts/gen-bindings.ts", "--check"] },
  {
    name: "merchant API client types are up to date",
    command: bin("tsx"),
    args: ["scripts/gen-api-client.ts", "--check"],
  },
  { name: "contracts: Solidity unit, fuzz and invariant tests", command: bin("hardhat"), args: ["test", "solidity"] },
  { name: "contracts: TypeScript flows through Ignition", command: bin("hardhat"), args: ["test", "nodejs"] },
  { name: "web and service unit tests", command: bin("vitest"), args: ["run", "--project", "unit"] },
  {
    name: "browser tests (Chromium, whole local system)",
    command: bin("vitest"),
    args: ["run", "--project", "e2e"],
    before: ensureChromium,
  },
];

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const results: { name: string; ok: boolean; seconds: number }[] = [];

const compile = spawnSync(process.execPath, [bin("hardhat"), "compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
if (compile.status !== 0) process.exit(1);

for (const step of steps) {
  if (only && !step.name.includes(only)) continue;
  process.stdout.write(`\n━━ ${step.name}\n`);
  const started = Date.now();
  const ready = step.before ? step.before() : true;
  const result = ready
    ? spawnSync(process.execPath, [step.command, ...step.args], { cwd: ROOT, stdio: "inherit" })
    : { status: 1 };
  results.push({ name: step.name, ok: result.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

process.stdout.write("\n━━ summary\n");
for (const result of results) process.stdout.write(`  ${result.ok ? "✓" : "✗"} ${result.name} (${result.seconds} s)\n`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
