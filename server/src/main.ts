// Entry point of the city service: reads the environment, opens the database, starts the chain
// watcher and the HTTP server, and closes everything cleanly on SIGINT / SIGTERM.
import type { Server as HttpServer } from "node:http";
import type { Socket } from "node:net";
import { serve } from "@hono/node-server";
import { JsonRpcProvider, Network } from "ethers";
import { createPublicClient, http, type PublicClient } from "viem";
import { deploymentFor } from "../../generated/contracts.js";
import { fileCheckpointShelf } from "./api/auditCheckpoints.js";
import { chainInsightsSource, NO_CONTRACT } from "./api/insights.js";
import { chainShopLedger } from "./api/ledger.js";
import { WebhookSender } from "./api/webhooks.js";
import { createApp } from "./app.js";
import { sweepExpired } from "./auth/sessions.js";
import { BankRequests } from "./bank/requests.js";
import { SimulatedBank } from "./bank/SimulatedBank.js";
import { ChainWatcher } from "./chain/ChainWatcher.js";
import { resolveDeployment } from "./chain/deployment.js";
import { issuedOnChainCheck, issuerRoleCheck } from "./chain/issuerRole.js";
import { recoveryDeskAccount, recoveryDeskChain } from "./chain/recoveryDesk.js";
import { loadConfig, type ServerConfig } from "./config.js";
import { ConnectionGuard } from "./connections.js";
import { openDatabase } from "./storage/open.js";

const log = (message: string) => process.stderr.write(`[city-service] ${message}\n`);

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: (message: string) => void;
  /** Follow the chain (default true); the HTTP benchmark turns it off to measure HTTP alone. */
  watchChain?: boolean;
}

/** Starts the whole service; used by this file's CLI entry and by the benchmark. */
export async function startService(config: ServerConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? log;
  const db = await openDatabase(config, logger);
  const client = createPublicClient({
    transport: http(config.rpcUrl, { retryCount: 0, timeout: 10_000 }),
  }) as PublicClient;
  const deployment = resolveDeployment(config.chainId, process.env);
  const bank = new BankRequests(
    db,
    new SimulatedBank(db, config.bankDepositDelayMs),
    logger,
    async (blockNumber, hash) => (await client.getBlock({ blockNumber })).hash === hash,
    { confirmations: config.confirmations, head: () => client.getBlockNumber({ cacheTime: 0 }) },
  );
  logger(
    `finality: a cash-out is paid once its Redeemed event is ${config.confirmations} block(s) deep (HCY_CONFIRMATIONS)` +
      (config.confirmations === 0
        ? "; 0 is safe only on a chain that never reorganises (a single local node, QBFT)"
        : ""),
  );
  // A fixed network: ethers would otherwise probe the node in a loop while it is down.
  const provider = new JsonRpcProvider(config.rpcUrl, Network.from(config.chainId), { staticNetwork: true });

  let watcher: ChainWatcher | undefined;
  if (options.watchChain === false) {
    logger("chain watcher off");
  } else if (deployment === undefined) {
    logger(`no CityYuan deployment known for chain ${config.chainId}: alerts and top-up settlement are off`);
  } else {
    watcher = new ChainWatcher({
      db,
      client,
      deployment,
      confirmations: config.confirmations,
      blockRange: config.logBlockRange,
      pollIntervalMs: config.pollIntervalMs,
      log: logger,
      onRedeemed: () => bank.payOutRedeemed(),
    });
    watcher.start();
  }
  await bank.resume();

  const shopLedger = deployment
    ? chainShopLedger({
        client,
        chainId: config.chainId,
        cityYuan: deployment.cityYuan,
        merchantRegistry: deployment.merchantRegistry,
        deployBlock: deployment.deployBlock,
        blockRange: config.logBlockRange,
      })
    : undefined;
  // Merchant API webhooks: events found and due deliveries sent every few seconds.
  const webhooks =
    shopLedger && options.watchChain !== false
      ? new WebhookSender({ db, ledger: shopLedger, confirmations: config.confirmations, log: logger })
      : undefined;
  let webhookRun: Promise<void> | undefined;
  const webhookTimer = webhooks
    ? setInterval(() => {
        if (webhookRun !== undefined) return; // the last round is still running
        webhookRun = webhooks
          .tick()
          .catch((error) => logger(`webhooks: ${String(error)}`))
          .finally(() => {
            webhookRun = undefined;
          });
      }, 2_000)
    : undefined;
  webhookTimer?.unref();

  // The city recovery desk's clerk key (HCY_RECOVERY_DESK_KEY; the public local key on the local chain).
  const deskAccount = recoveryDeskAccount(config.chainId);
  const recoveryDesk =
    deployment?.cityRecovery && deskAccount
      ? recoveryDeskChain({ client, rpcUrl: config.rpcUrl, recovery: deployment.cityRecovery, account: deskAccount })
      : undefined;
  logger(
    recoveryDesk
      ? `recovery desk: clerk ${recoveryDesk.clerk} (must hold RECOVERY_DESK_ROLE on CityRecovery)`
      : "recovery desk: off (no HCY_RECOVERY_DESK_KEY or no CityRecovery)",
  );

  const connections = new ConnectionGuard({
    maxConnections: config.maxConnections,
    perAddress: config.maxConnectionsPerAddress,
    reserved: Math.min(config.reservedConnections, config.maxConnections - 1),
    capPerAddress: config.trustedProxyHops === 0,
  });
  const app = createApp(
    {
      config,
      connections,
      db,
      bank,
      provider,
      isIssuer: deployment ? issuerRoleCheck(client, deployment.cityYuan) : async () => false,
      issuedOnChain: deployment ? issuedOnChainCheck(client, deployment.cityYuan, deployment.deployBlock) : undefined,
      watcherStatus: watcher ? () => watcher.status : undefined,
      shopLedger,
      insightsSource: insightsSourceFor(config, deployment),
      auditCheckpoints: deployment
        ? fileCheckpointShelf(config.auditCheckpointsDir, config.chainId, deployment.cityYuan)
        : undefined,
      recoveryDesk,
    },
    logger,
  );
  const sweep = async () => {
    await sweepExpired(db, Date.now());
    await bank.expireStale(Date.now(), config.requestTtlMs);
  };
  await sweep();
  const sweeper = setInterval(() => {
    sweep().catch((error) => logger(`sweep failed: ${String(error)}`));
  }, 60_000);
  sweeper.unref();

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: config.host,
        port: config.port,
        // Slow clients: headers, then the whole request, must arrive in time, and Node checks
        // every second rather than every 30 s (its default), so a slow body cannot hold a socket.
        serverOptions: {
          headersTimeout: config.headersTimeoutMs,
          requestTimeout: config.requestTimeoutMs,
          keepAliveTimeout: Math.min(5000, config.idleTimeoutMs),
          connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
        },
      },
      () => resolve(s),
    );
    // A socket that sends nothing (half-open, or idle between requests) is closed; beyond the
    // cap, new connections are refused at once instead of exhausting file descriptors.
    const http1 = s as HttpServer;
    http1.setTimeout(config.idleTimeoutMs, (socket: Socket) => socket.destroy());
    connections.attach(http1);
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger(`listening on ${url} (database: ${db.dialect}, chain ${config.chainId} at ${config.rpcUrl})`);
  logger(
    `connections: at most ${config.maxConnections}, ${config.maxConnectionsPerAddress} per address` +
      `${config.trustedProxyHops > 0 ? " (off: behind trusted proxies)" : ""}, the last ${config.reservedConnections} for signed-in residents; ` +
      `headers within ${config.headersTimeoutMs} ms, the whole request within ${config.requestTimeoutMs} ms`,
  );

  return {
    url,
    async close() {
      clearInterval(sweeper);
      clearInterval(webhookTimer);
      await webhookRun;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await watcher?.stop();
      await bank.settled();
      provider.destroy();
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  const service = await startService(loadConfig());
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
    service.close().then(
      () => process.exit(0),
      (error) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    log(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}

/** The insights' reads: the generated deployment's contracts when it is the one in use, else CityYuan alone. */
function insightsSourceFor(config: ServerConfig, deployment: ReturnType<typeof resolveDeployment>) {
  if (deployment === undefined) return undefined;
  const generated = deploymentFor(config.chainId);
  const same = generated?.contracts.CityYuan.toLowerCase() === deployment.cityYuan.toLowerCase();
  const c = same ? generated?.contracts : undefined;
  return chainInsightsSource({
    rpcUrl: config.rpcUrl,
    deployBlock: deployment.deployBlock,
    contracts: {
      CityYuan: deployment.cityYuan,
      RedPacket: c?.RedPacket ?? NO_CONTRACT,
      Vouchers: c?.Vouchers ?? NO_CONTRACT,
      DelayedTransfers: c?.DelayedTransfers ?? NO_CONTRACT,
      FamilyCards: c?.FamilyCards ?? NO_CONTRACT,
      MerchantRegistry: deployment.merchantRegistry,
    },
  });
}
