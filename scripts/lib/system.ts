// Starts the whole local system: a Hardhat node, the Ignition deployment, the ERC-4337 EntryPoint
// with the city paymaster funded, the city service, a month of demo data (seeded through the
// service), the Alto bundler and the dApp. Used by `npm start` and by the browser tests, so both run the
// same thing.
import { rmSync } from "node:fs";
import path from "node:path";
import { toHex } from "viem";
import { deploymentFor } from "../../generated/contracts.js";
import { ENTRY_POINT_V08 } from "../../ignition/modules/CityAccounts.js";
import { localAccount } from "./demo-accounts.js";
import { fundLocalPaymaster, putEntryPointOnChain } from "./entrypoint.js";
import { spawnIndexer } from "./indexer.js";
import { clearLocalCheckpoint, localAuditor, type RunningAuditor, startLocalAuditor } from "./localAuditor.js";
import {
  bin,
  httpOk,
  type Managed,
  portInUse,
  ROOT,
  rpcChainId,
  startProcess,
  stopProcess,
  waitFor,
} from "./processes.js";

export const LOCAL_CHAIN_ID = 31337;
/** Local accounts (Hardhat's test mnemonic) that only the bundler uses: it signs handleOps with the
 * executor and deploys its simulation contracts with the utility key. */
const BUNDLER_EXECUTOR_INDEX = 18;
const BUNDLER_UTILITY_INDEX = 19;
const DAY = 24 * 60 * 60 * 1000;

export interface SystemOptions {
  chainPort?: number;
  servicePort?: number;
  webPort?: number;
  /** Port of the Alto bundler (default HCY_BUNDLER_PORT or 4337). */
  bundlerPort?: number;
  /** Start the Alto bundler (default true). */
  bundler?: boolean;
  /** Start the indexer (default true). */
  indexer?: boolean;
  /** Port of the indexer's API (default HCY_INDEXER_PORT or 42069). */
  indexerPort?: number;
  /** Index into PostgreSQL at this URL instead of PGlite (default HCY_INDEXER_DATABASE_URL). */
  indexerDatabaseUrl?: string;
  /**
   * Start the indexer again on its database when its process exits unexpectedly (crash, killed,
   * out of memory), with a line in the log; `npm start` does (default false: tests stop it on purpose).
   */
  restartIndexer?: boolean;
  /** Seed a month of demo residents, merchants and payments (default true). */
  seed?: boolean;
  /** Start the city service (default true). */
  service?: boolean;
  /** Build and serve the dApp (default true). */
  web?: boolean;
  /** Where the service keeps its database (default .data/server). */
  dataDir?: string;
  /**
   * Where the auditor's signed checkpoints are kept and the service publishes them from (default
   * .data/audit-checkpoints, where `npm run audit` writes them).
   */
  checkpointsDir?: string;
  /** Run the local demo auditor in the background once the demo data is seeded (default true with the seed). */
  auditor?: boolean;
  log?: (line: string) => void;
  /** Hide the children's own output (tests). */
  quiet?: boolean;
}

export interface RunningSystem {
  rpcUrl: string;
  serviceUrl: string;
  webUrl: string;
  /** The Alto bundler's JSON-RPC URL, when it was started. */
  bundlerUrl?: string;
  /** The indexer's API, when it was started. */
  indexerUrl?: string;
  /** The indexer's process (its own process group), for tests that stop and continue it. */
  indexerPid?: number;
  deployment: NonNullable<ReturnType<typeof deploymentFor>>;
  stop(): Promise<void>;
}

export class SystemStartError extends Error {}

export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const chainPort = options.chainPort ?? 8545;
  const servicePort = options.servicePort ?? 8787;
  const webPort = options.webPort ?? 5173;
  const bundlerPort = options.bundlerPort ?? Number(process.env.HCY_BUNDLER_PORT ?? 4337);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const quiet = options.quiet ?? false;
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const bundlerUrl = options.bundler !== false ? `http://127.0.0.1:${bundlerPort}` : undefined;
  const indexerPort = options.indexerPort ?? Number(process.env.HCY_INDEXER_PORT ?? 42069);
  const indexerUrl = options.indexer !== false ? `http://127.0.0.1:${indexerPort}` : undefined;
  const indexerDatabaseUrl = options.indexerDatabaseUrl ?? process.env.HCY_INDEXER_DATABASE_URL;
  const checkpointsDir = options.checkpointsDir ?? path.join(ROOT, ".data", "audit-checkpoints");
  const running: Managed[] = [];
  const cleanups: (() => void)[] = [];
  let auditor: RunningAuditor | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await auditor?.stop();
    for (const managed of running.reverse()) await stopProcess(managed);
    running.length = 0;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };

  if (options.seed !== false && options.service === false) {
    throw new SystemStartError("The demo seed goes through the city service: start it too (or seed: false).");
  }
  const wanted: [number, string][] = [[chainPort, "the local chain"]];
  if (options.service !== false) wanted.push([servicePort, "the city service"]);
  if (options.web !== false) wanted.push([webPort, "the dApp"]);
  if (options.bundler !== false) wanted.push([bundlerPort, "the bundler"]);
  if (indexerUrl) wanted.push([indexerPort, "the indexer"]);
  for (const [port, what] of wanted) {
    if (await portInUse(port)) {
      throw new SystemStartError(
        `Port ${port} (for ${what}) is already in use. Is another \`npm start\` running? ` +
          "Stop it with Ctrl-C in its terminal (or end the process using that port), then start again.",
      );
    }
  }

  try {
    log("Compiling contracts…");
    const compile = startProcess("compile", bin("hardhat"), ["compile", "--quiet"], { log, quiet: true });
    if ((await compile.exited) !== 0) throw new SystemStartError("Compiling the contracts failed (see above).");

    // A fresh chain every time: it starts a month ago so the demo has a month of history.
    const initialDate = new Date(Date.now() - 31 * DAY).toISOString();
    log(`Starting the local chain on ${rpcUrl} …`);
    const chain = startProcess(
      "chain",
      bin("hardhat"),
      ["node", "--hostname", "127.0.0.1", "--port", String(chainPort)],
      { env: { HCY_CHAIN_INITIAL_DATE: initialDate }, log, quiet: true },
    );
    running.push(chain);
    await waitFor("the local chain", async () => (await rpcChainId(rpcUrl)) === LOCAL_CHAIN_ID, {
      timeoutMs: 60_000,
      process: chain,
    });

    log("Deploying the contracts with Hardhat Ignition…");
    const deployment = await deployLocal(rpcUrl);
    log(`  CityYuan ${deployment.contracts.CityYuan}`);
    clearLocalCheckpoint(checkpointsDir, LOCAL_CHAIN_ID, deployment.contracts.CityYuan);

    // After Ignition (and from the bundler's own account), so the city's addresses never move.
    log("Putting the ERC-4337 EntryPoint v0.8 on the chain and funding the city paymaster…");
    await putEntryPointOnChain(rpcUrl, localAccount(BUNDLER_UTILITY_INDEX));
    await fundLocalPaymaster(rpcUrl, deployment.contracts.CityPaymaster);
    log(`  EntryPoint ${ENTRY_POINT_V08}, paymaster ${deployment.contracts.CityPaymaster}`);

    // The indexer starts now and follows the chain while the rest starts and the seed runs; it is
    // waited for at the end. A fresh index per start (the chain is new), per port (the browser
    // tests' indexer and `npm start`'s never share one).
    let indexerReady: Promise<void> | undefined;
    let indexerPid: number | undefined;
    const indexerDir = path.join(ROOT, ".data", `indexer-${indexerPort}`);
    if (indexerUrl) {
      log(`Starting the indexer on ${indexerUrl} (${indexerDatabaseUrl ? "PostgreSQL" : "PGlite"}) …`);
      // An unexpected exit (crash, SIGKILL, out of memory) starts it again on the same database:
      // Ponder goes back to its last committed block and indexes on from there (see
      // test/indexer/crash.test.ts). Three exits within a minute end the restarts.
      const exits: number[] = [];
      const startIndexerProcess = async (keep: boolean) => {
        const indexer = await spawnIndexer({
          rpcUrl,
          port: indexerPort,
          chainId: LOCAL_CHAIN_ID,
          dir: indexerDir,
          databaseUrl: indexerDatabaseUrl,
          keep,
          log,
          quiet,
        });
        running.push(indexer.process);
        if (options.restartIndexer) {
          void indexer.process.exited.then(async (code) => {
            if (stopping) return;
            const at = running.indexOf(indexer.process);
            if (at >= 0) running.splice(at, 1);
            const how = indexer.process.child.signalCode ?? `exit code ${code}`;
            exits.push(Date.now());
            if (exits.length >= 3 && Date.now() - (exits.at(-3) as number) < 60_000) {
              log(`✗ The indexer exited unexpectedly (${how}), the third time within a minute: not restarting it.`);
              return;
            }
            log(`✗ The indexer exited unexpectedly (${how}); restarting it on its database …`);
            try {
              const again = await startIndexerProcess(true);
              await again.ready;
              log(`✓ The indexer answers again on ${indexerUrl} (it resumes from its last committed block).`);
            } catch (error) {
              log(`✗ The indexer could not be restarted: ${(error as Error).message}`);
            }
          });
        }
        return indexer;
      };
      const indexer = await startIndexerProcess(false);
      indexerReady = indexer.ready;
      indexerPid = indexer.process.child.pid;
      if (!indexerDatabaseUrl) cleanups.push(() => rmSync(indexerDir, { recursive: true, force: true }));
    }

    if (options.service !== false) {
      log(`Starting the city service on ${serviceUrl} …`);
      // The chain is new on every start, so the service's data from an earlier chain goes too:
      // top-ups issued there must not come back as pending (nor contacts point at a dead world).
      const dataDir = options.dataDir ?? path.join(ROOT, ".data", "server");
      rmSync(dataDir, { recursive: true, force: true });
      const service = startProcess("service", bin("tsx"), ["server/src/main.ts"], {
        env: {
          HCY_SERVER_HOST: "127.0.0.1",
          HCY_SERVER_PORT: String(servicePort),
          HCY_RPC_URL: rpcUrl,
          HCY_CHAIN_ID: String(LOCAL_CHAIN_ID),
          HCY_DATA_DIR: dataDir,
          HCY_AUDIT_CHECKPOINTS_DIR: checkpointsDir,
          HCY_ALLOWED_ORIGINS: `${webUrl},http://localhost:${webPort}`,
          // On one machine every resident, shop and desk (and the seed) is the same client,
          // 127.0.0.1: the per-client cap meant for one network client would count the whole
          // demo city as one (the seed alone makes 14 requests).
          HCY_REQUEST_RATE_PER_CLIENT_PER_MINUTE: process.env.HCY_REQUEST_RATE_PER_CLIENT_PER_MINUTE ?? "120",
        },
        log,
        quiet,
      });
      running.push(service);
      await waitFor("the city service", () => httpOk(`${serviceUrl}/health`), {
        timeoutMs: 60_000,
        process: service,
      });
    }

    if (options.seed !== false) {
      // Through the city service, as residents and the desk would: every seeded issue and burn has
      // its request, so the service's reconciliation starts with nothing to report.
      log("Seeding a month of demo data through the city service…");
      const { seedDemo } = await import("./seed.js");
      const { cityServiceClient } = await import("./cityService.js");
      const summary = await seedDemo(rpcUrl, deployment, cityServiceClient(serviceUrl, webUrl), (line) =>
        log(`  ${line}`),
      );
      log(`  ${summary}`);
      if (options.auditor !== false) {
        // In the background: the first audit replays the whole seeded month while the rest starts.
        log(`Starting the local auditor (${localAuditor().address}), checkpoints in ${checkpointsDir} …`);
        auditor = startLocalAuditor({ rpcUrl, chainId: LOCAL_CHAIN_ID, deployment, directory: checkpointsDir, log });
      }
    }

    if (bundlerUrl) {
      log(`Starting the Alto bundler on ${bundlerUrl} …`);
      const key = (index: number) => toHex(localAccount(index).getHdKey().privateKey as Uint8Array);
      const bundler = startProcess(
        "bundler",
        path.join(ROOT, "scripts", "lib", "alto-loopback.mjs"),
        [
          "--rpc-url",
          rpcUrl,
          "--port",
          String(bundlerPort),
          "--entrypoints",
          ENTRY_POINT_V08,
          "--executor-private-keys",
          key(BUNDLER_EXECUTOR_INDEX),
          "--utility-private-key",
          key(BUNDLER_UTILITY_INDEX),
          // No debug_traceCall on EDR, so no ERC-7562 tracing: the paymaster and factory follow
          // the rules anyway (see contracts/accounts), and public chains' bundlers enforce them.
          "--safe-mode",
          "false",
          "--is-gas-free-chain",
          "true",
          "--enable-cors",
          "true",
          "--log-level",
          "warn",
        ],
        { log, quiet },
      );
      running.push(bundler);
      await waitFor("the bundler", () => bundlerAnswers(bundlerUrl), { timeoutMs: 120_000, process: bundler });
    }

    if (options.web !== false) {
      log("Building the dApp…");
      const webEnv = {
        VITE_CHAIN_ID: String(LOCAL_CHAIN_ID),
        VITE_RPC_URL: rpcUrl,
        VITE_SERVICE_URL: serviceUrl,
        // Whose checkpoints the ledger page trusts: set here, with the build, never asked of the service
        // that publishes them (a service naming its own auditor could vouch for itself).
        VITE_AUDITOR_ADDRESS: localAuditor().address,
        ...(bundlerUrl ? { VITE_BUNDLER_URL: bundlerUrl } : {}),
        ...(indexerUrl ? { VITE_INDEXER_URL: indexerUrl } : {}),
      };
      const viteConfig = path.join(ROOT, "web", "vite.config.ts");
      // A build directory per port, outside web/dist (which a plain `vite build` empties): the browser
      // tests' dApp and `npm start`'s never overwrite each other. Removed when the system stops.
      const outDir = path.join(ROOT, ".data", `web-${webPort}`);
      cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
      const build = startProcess(
        "web build",
        bin("vite"),
        ["build", "--config", viteConfig, "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
        { env: webEnv, log, quiet: true },
      );
      if ((await build.exited) !== 0) throw new SystemStartError("Building the dApp failed (see above).");
      const web = startProcess(
        "web",
        bin("vite"),
        [
          "preview",
          "--config",
          viteConfig,
          "--outDir",
          outDir,
          "--host",
          "127.0.0.1",
          "--port",
          String(webPort),
          "--strictPort",
        ],
        { env: webEnv, log, quiet },
      );
      running.push(web);
      await waitFor("the dApp", () => httpOk(webUrl), { timeoutMs: 60_000, process: web });
    }

    if (indexerReady) await indexerReady;
    return { rpcUrl, serviceUrl, webUrl, bundlerUrl, indexerUrl, indexerPid, deployment, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Whether the bundler answers `eth_supportedEntryPoints` with the v0.8 EntryPoint. */
async function bundlerAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
    });
    const body = (await response.json()) as { result?: string[] };
    return body.result?.some((address) => address.toLowerCase() === ENTRY_POINT_V08.toLowerCase()) ?? false;
  } catch {
    return false;
  }
}

/**
 * Deploys through the same Ignition module and parameters as every network. The chain is new, so
 * an Ignition journal from an earlier run is stale and removed first.
 */
async function deployLocal(rpcUrl: string) {
  // One journal per port, so the browser tests' chain and a running `npm start` never share one.
  const deploymentId = `local-${new URL(rpcUrl).port}`;
  rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  const { network } = await import("hardhat");
  const { default: CityAccounts } = await import("../../ignition/modules/CityAccounts.js");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  const deployed = await connection.ignition.deploy(CityAccounts, {
    parameters: path.join(ROOT, "ignition", "parameters", "localhost.json"),
    displayUi: false,
    deploymentId,
  });
  await connection.close();
  const expected = deploymentFor(LOCAL_CHAIN_ID);
  const actual = {
    CityYuan: deployed.cityYuan.address,
    MerchantRegistry: deployed.merchantRegistry.address,
    RedPacket: deployed.redPacket.address,
    Vouchers: deployed.vouchers.address,
    CityRecovery: deployed.cityRecovery.address,
    CityAccountFactory: deployed.cityAccountFactory.address,
    CityPaymaster: deployed.cityPaymaster.address,
    FamilyCards: deployed.familyCards.address,
    DelayedTransfers: deployed.delayedTransfers.address,
  };
  if (
    !expected ||
    Object.entries(actual).some(
      ([name, address]) => expected.contracts[name as keyof typeof actual]?.toLowerCase() !== address.toLowerCase(),
    )
  ) {
    throw new SystemStartError(
      "The deployed addresses differ from generated/contracts.ts, so the dApp and service would talk to the wrong " +
        "contracts. Run `npm run bindings`, then start again.",
    );
  }
  return expected;
}
