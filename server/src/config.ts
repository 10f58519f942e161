// The city service's settings, read from the environment with safe defaults: loopback only,
// the local Hardhat chain, an embedded SQLite file, and the dApp's dev origins as the only
// origins allowed to sign in and to change data.
import path from "node:path";

export interface ServerConfig {
  host: string;
  port: number;
  rpcUrl: string;
  chainId: number;
  dataDir: string;
  /** postgres://... selects PostgreSQL; unset selects the SQLite file `${dataDir}/city.db`. */
  databaseUrl: string | undefined;
  /** The host[:port] the dApp serves from; must equal the SIWE message's domain. */
  siweDomains: string[];
  /** Exact origins (scheme://host[:port]) allowed for CORS, CSRF and SIWE URIs. */
  allowedOrigins: string[];
  sessionTtlMs: number;
  nonceTtlMs: number;
  /** Sign-in nonces one client may ask for per minute (each is a database row). */
  nonceRatePerMinute: number;
  /** How old a SIWE message's issuedAt may be. */
  maxMessageAgeMs: number;
  /** How far in the future a SIWE message's expirationTime may be. */
  maxMessageLifetimeMs: number;
  /** Clock skew tolerated between wallet and service. */
  clockSkewMs: number;
  bodyLimitBytes: number;
  /** How long SQLite waits for another connection's lock before answering 503. */
  sqliteBusyTimeoutMs: number;
  /** Blocks behind the head the watcher stays (0 on a local chain, more on a real one). */
  confirmations: number;
  pollIntervalMs: number;
  logBlockRange: number;
  /** Simulated bank: how long until a deposit counts as received (0 = instantly). */
  bankDepositDelayMs: number;
}

const DEFAULT_ORIGINS = ["http://127.0.0.1:5173", "http://localhost:5173"];

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined || value.trim() === "") return fallback;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const allowedOrigins = list(env.HCY_ALLOWED_ORIGINS, DEFAULT_ORIGINS).map((o) => new URL(o).origin);
  const databaseUrl = env.HCY_DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("HCY_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");
  }
  return {
    host: env.HCY_SERVER_HOST?.trim() || "127.0.0.1",
    port: int(env, "HCY_SERVER_PORT", 8787),
    rpcUrl: env.HCY_RPC_URL?.trim() || "http://127.0.0.1:8545",
    chainId: int(env, "HCY_CHAIN_ID", 31337, 1),
    dataDir: path.resolve(env.HCY_DATA_DIR?.trim() || ".data/server"),
    databaseUrl,
    // By default the SIWE domain is whatever host the allowed origins name.
    siweDomains: list(
      env.HCY_SIWE_DOMAIN,
      allowedOrigins.map((o) => new URL(o).host),
    ),
    allowedOrigins,
    sessionTtlMs: int(env, "HCY_SESSION_TTL_MS", 12 * 60 * 60 * 1000, 1000),
    nonceTtlMs: int(env, "HCY_NONCE_TTL_MS", 5 * 60 * 1000, 1000),
    nonceRatePerMinute: int(env, "HCY_NONCE_RATE_PER_MINUTE", 30, 1),
    maxMessageAgeMs: int(env, "HCY_SIWE_MAX_AGE_MS", 5 * 60 * 1000, 1000),
    maxMessageLifetimeMs: int(env, "HCY_SIWE_MAX_LIFETIME_MS", 24 * 60 * 60 * 1000, 1000),
    clockSkewMs: int(env, "HCY_CLOCK_SKEW_MS", 60 * 1000),
    bodyLimitBytes: int(env, "HCY_BODY_LIMIT_BYTES", 16 * 1024, 1024),
    sqliteBusyTimeoutMs: int(env, "HCY_SQLITE_BUSY_TIMEOUT_MS", 1000),
    confirmations: int(env, "HCY_CONFIRMATIONS", 0),
    pollIntervalMs: int(env, "HCY_POLL_INTERVAL_MS", 1000, 50),
    logBlockRange: int(env, "HCY_LOG_BLOCK_RANGE", 2000, 1),
    bankDepositDelayMs: int(env, "HCY_BANK_DEPOSIT_DELAY_MS", 0),
  };
}
