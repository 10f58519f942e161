// `npm start`: the whole city on one machine. Ctrl-C stops everything.
import { localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "./lib/demo-accounts.js";
import { LOCAL_AUDITOR_INDEX, localAuditor } from "./lib/localAuditor.js";
import { SystemStartError, startSystem } from "./lib/system.js";

const out = (line = "") => process.stdout.write(`${line}\n`);

let system: Awaited<ReturnType<typeof startSystem>>;
try {
  system = await startSystem({
    chainPort: Number(process.env.HCY_CHAIN_PORT ?? 8545),
    servicePort: Number(process.env.HCY_SERVER_PORT ?? 8787),
    webPort: Number(process.env.HCY_WEB_PORT ?? 5173),
    bundlerPort: Number(process.env.HCY_BUNDLER_PORT ?? 4337),
    indexerPort: Number(process.env.HCY_INDEXER_PORT ?? 42069),
    restartIndexer: true,
  });
} catch (error) {
  out();
  out(error instanceof SystemStartError ? `✗ ${error.message}` : `✗ Could not start: ${(error as Error).stack}`);
  process.exit(1);
}

out();
out("Hefei City Wallet (合肥数字钱包) is running:");
out(`  dApp           ${system.webUrl}  (for passkeys open ${system.webUrl.replace("127.0.0.1", "localhost")})`);
out(`  city service   ${system.serviceUrl}`);
out(`  local chain    ${system.rpcUrl}  (chain id 31337, WebSocket on the same port)`);
if (system.indexerUrl) {
  out(
    `  indexer        ${system.indexerUrl}  (history, receipts, ledger aggregates: ${system.indexerUrl}/v1/status; ` +
      `${process.env.HCY_INDEXER_DATABASE_URL ? "PostgreSQL" : "PGlite in .data/"})`,
  );
}
out(
  `  bundler        ${system.bundlerUrl}  (Alto, ERC-4337 EntryPoint v0.8, city paymaster ${system.deployment.contracts.CityPaymaster})`,
);
out();
out("Contracts:");
const contracts = Object.entries(system.deployment.contracts);
// One column for the addresses, however long the longest contract name.
const nameWidth = Math.max(...contracts.map(([name]) => name.length)) + 2;
for (const [name, address] of contracts) out(`  ${name.padEnd(nameWidth)}${address}`);
out();
out("Demo accounts (local chain only; pick them in the dApp under “演示账户 / Demo accounts”):");
for (const [role, holder] of Object.entries(ROLE_HOLDERS)) {
  out(
    `  ${role.padEnd(11)} #${String(holder.index).padEnd(3)}${localAccount(holder.index).address}  ${holder.name} / ${holder.nameEn}`,
  );
}
for (const resident of RESIDENTS) {
  out(
    `  resident    #${String(resident.index).padEnd(3)}${localAccount(resident.index).address}  ${resident.name} / ${resident.nameEn}`,
  );
}
for (const merchant of MERCHANTS) {
  out(
    `  merchant    #${String(merchant.index).padEnd(3)}${localAccount(merchant.index).address}  ${merchant.name} / ${merchant.nameEn} (${merchant.category})`,
  );
}
out(
  `  auditor     #${String(LOCAL_AUDITOR_INDEX).padEnd(3)}${localAuditor().address}  本地审计方 / Local auditor ` +
    "(signs a checkpoint after each passing audit; the ledger page continues from it)",
);
out();
out("Press Ctrl-C to stop everything.");

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  out("\nStopping…");
  await system.stop();
  out("Stopped.");
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
