// The city's indexer: every event of the city's contracts, from the deployment the system writes
// (generated/contracts.ts), into PGlite (default, under .data/indexer) or PostgreSQL (one URL).
// Environment: HCY_RPC_URL, HCY_CHAIN_ID, HCY_INDEXER_DATABASE_URL (PostgreSQL), HCY_INDEXER_DIR
// (PGlite directory), HCY_INDEXER_POLL_MS, HCY_INDEXER_LOGS_BLOCKS, HCY_INDEXER_RPC_CACHE. Started by scripts/lib/indexer.ts (`npm start`).
import path from "node:path";
import { createConfig } from "ponder";
import { INDEXED_CONTRACTS, indexerDeployment } from "./contracts";
import { cityTransport } from "./transport";

const deployment = indexerDeployment();
const rpcUrl = process.env.HCY_RPC_URL ?? "http://127.0.0.1:8545";
const databaseUrl = process.env.HCY_INDEXER_DATABASE_URL;
// A local chain is new on every start and reuses its addresses: nothing read from an earlier
// chain may be served again, so its RPC cache is off (HCY_INDEXER_RPC_CACHE=1 turns it on, for a
// benchmark that re-indexes the same chain from a PGlite directory of its own).
const localChain = deployment.chainId === 31337;
const rpcCache = process.env.HCY_INDEXER_RPC_CACHE === "1" || !localChain;
// Blocks per eth_getLogs request (see transport.ts).
const logsBlockRange = Number(process.env.HCY_INDEXER_LOGS_BLOCKS ?? (localChain ? 10 : 500));

const contract = <A>(name: keyof typeof INDEXED_CONTRACTS, abi: A) => ({
  network: "city" as const,
  abi,
  address: deployment.contracts[name],
  startBlock: deployment.deployBlock,
});

export default createConfig({
  database: databaseUrl
    ? { kind: "postgres", connectionString: databaseUrl }
    : {
        kind: "pglite",
        directory: process.env.HCY_INDEXER_DIR ?? path.join(import.meta.dirname, "..", ".data", "indexer"),
      },
  networks: {
    city: {
      chainId: deployment.chainId,
      transport: cityTransport(rpcUrl, { logsBlockRange }),
      pollingInterval: Number(process.env.HCY_INDEXER_POLL_MS ?? (localChain ? 200 : 1000)),
      maxRequestsPerSecond: localChain ? 1000 : 50,
      disableCache: !rpcCache,
    },
  },
  // Every block, for its own event after its logs (src/index.ts: a history's last Transfers).
  blocks: {
    CityBlock: { network: "city", startBlock: deployment.deployBlock, interval: 1 },
  },
  contracts: {
    CityYuan: contract("CityYuan", INDEXED_CONTRACTS.CityYuan),
    MerchantRegistry: contract("MerchantRegistry", INDEXED_CONTRACTS.MerchantRegistry),
    RedPacket: contract("RedPacket", INDEXED_CONTRACTS.RedPacket),
    Vouchers: contract("Vouchers", INDEXED_CONTRACTS.Vouchers),
    CityAccountFactory: contract("CityAccountFactory", INDEXED_CONTRACTS.CityAccountFactory),
    CityPaymaster: contract("CityPaymaster", INDEXED_CONTRACTS.CityPaymaster),
    FamilyCards: contract("FamilyCards", INDEXED_CONTRACTS.FamilyCards),
    DelayedTransfers: contract("DelayedTransfers", INDEXED_CONTRACTS.DelayedTransfers),
  },
});
