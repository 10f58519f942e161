// Starts the whole local system once for the browser tests and hands the URLs to the tests through `inject("system")`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../scripts/lib/processes.js";
import { type RunningSystem, startSystem } from "../../scripts/lib/system.js";

export interface SystemUrls {
  rpcUrl: string;
  serviceUrl: string;
  webUrl: string;
  bundlerUrl?: string;
  /** The indexer's API and process group (browser tests stop it with SIGSTOP and continue it). */
  indexerUrl?: string;
  indexerPid?: number;
  contracts: RunningSystem["deployment"]["contracts"];
  /** The chain's last block once the system (and its demo seed) is up, before any test ran. */
  readyAtBlock: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    system: SystemUrls;
  }
}

let system: RunningSystem | undefined;

export async function setup(project: TestProject) {
  system = await startSystem({
    // Ports of their own, so a running `npm start` (or another test run) is never disturbed.
    chainPort: await freePort(),
    servicePort: await freePort(),
    webPort: await freePort(),
    bundlerPort: await freePort(),
    indexerPort: await freePort(),
    dataDir: mkdtempSync(path.join(tmpdir(), "hcy-e2e-")),
    // Not .data/audit-checkpoints: the same chain id and addresses as a running `npm start`.
    checkpointsDir: mkdtempSync(path.join(tmpdir(), "hcy-e2e-checkpoints-")),
    quiet: true,
    log: (line) => process.stderr.write(`[e2e system] ${line}\n`),
  });
  project.provide("system", {
    rpcUrl: system.rpcUrl,
    serviceUrl: system.serviceUrl,
    webUrl: system.webUrl,
    bundlerUrl: system.bundlerUrl,
    indexerUrl: system.indexerUrl,
    indexerPid: system.indexerPid,
    contracts: system.deployment.contracts,
    readyAtBlock: await blockNumber(system.rpcUrl),
  });
}

export async function teardown() {
  await system?.stop();
}

async function blockNumber(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return Number(((await response.json()) as { result: string }).result);
}
