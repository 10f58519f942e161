// The city service's settings, read from the environment with safe defaults: loopback only,
// the local Hardhat chain, an embedded SQLite file, and the dApp's dev origins as the only
// origins allowed to sign in and to change data.

import path from "node:path";
import type { CityBankAccount } from "../../core/api.js";

export interface ServerConfig {
  host: string;
  port: number;
  rpcUrl: string;
  chainId: number;
  dataDir: string;
  /** Where the auditor's `npm run audit` keeps its signed checkpoints; the service publishes the latest. */
  auditCheckpointsDir: string;
  /** postgres://... selects PostgreSQL; unset selects the SQLite file `${dataDir}/city.db`. */
  databaseUrl: string | undefined;
  /** The host[:port] the dApp serves from; must equal the SIWE message's domain. */
  siweDomains: string[];
  /** Exact origins (scheme://host[:port]) allowed for CORS, CSRF and SIWE URIs. */
  allowedOrigins: string[];
  sessionTtlMs: number;
  /** How long a passkey account's "this signer is still yours" answer is trusted before asking the chain again. */
  signerCheckCacheMs: number;
  nonceTtlMs: number;
  /** Sign-in nonces one client may ask for per minute (each is a database row). */
  nonceRatePerMinute: number;
  /** Browsers without a device id one network address may bring per minute (first visits). */
  newDevicesPerAddressPerMinute: number;
  /** How old a SIWE message's issuedAt may be. */
  maxMessageAgeMs: number;
  /** How far in the future a SIWE message's expirationTime may be. */
  maxMessageLifetimeMs: number;
  /** Clock skew tolerated between wallet and service. */
  clockSkewMs: number;
  bodyLimitBytes: number;
  /** How long SQLite waits for another connection's lock before answering 503. */
  sqliteBusyTimeoutMs: number;
  /** How long the start waits for a locked (SQLite) or unreachable (PostgreSQL) database before it fails. */
  databaseStartWaitMs: number;
  /** Blocks behind the head the watcher stays (0 on a local chain, more on a real one). */
  confirmations: number;
  /** PostgreSQL: statement and lock timeouts, wait for a pooled connection, pool size. */
  pgStatementTimeoutMs: number;
  pgLockTimeoutMs: number;
  pgConnectTimeoutMs: number;
  pgPoolSize: number;
  /** HTTP: a client must send its headers within this, and its whole request (body included) within requestTimeoutMs. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed (half-open sockets, idle keep-alives). */
  idleTimeoutMs: number;
  /** Open connections the server holds at most; further ones are refused at once. */
  maxConnections: number;
  /** Open connections one remote address may hold (off behind trusted proxies). */
  maxConnectionsPerAddress: number;
  /** The last places under maxConnections, kept for requests with a live session. */
  reservedConnections: number;
  /** How long a contract-wallet (EIP-1271) signature check may wait for the chain node. */
  erc1271TimeoutMs: number;
  /** Reverse proxies in front of the service whose X-Forwarded-For entries are trusted (0 = none). */
  trustedProxyHops: number;
  /** Sign-in verifications one device, and one account, may attempt per minute. */
  verifyRatePerMinute: number;
  /** Nonces and sign-in attempts one network address may make per minute, whatever device cookies it shows (sized for a NAT). */
  signInAttemptsPerAddressPerMinute: number;
  /** Top-up and cash-out requests one person (a verified identity) or one unverified account may create per minute. */
  requestRatePerAccountPerMinute: number;
  /** Top-up and cash-out requests the unverified accounts behind one network address may create per minute together. */
  requestRatePerClientPerMinute: number;
  /** Top-up and cash-out requests the whole service accepts per minute. */
  requestRatePerMinute: number;
  /** A top-up whose deposit never arrived, or a cash-out never burned, expires after this. */
  requestTtlMs: number;
  /** Writes of private data (profile, contacts, notes, settings) per account and per client per day. */
  dailyWritesPerAccount: number;
  dailyWritesPerClient: number;
  /** The same per minute, per account: a script storing notes in a loop is slowed at once, not after 2,000. */
  writesPerAccountPerMinute: number;
  /** Bytes of notes and contact names (UTF-8, plus 128 per row) one account may store. */
  storageBytesPerAccount: number;
  /** Resident tickets (red packets, voucher campaigns together) one account may ask for per hour. */
  ticketsPerAccountPerHour: number;
  /** Operations the city sponsors per person and Hefei day (ERC-7677, CityPaymaster). */
  sponsoredOperationsPerDay: number;
  /** Accounts whose creation the city sponsors per person, ever. */
  sponsoredAccountsPerPerson: number;
  /** How long a sponsorship signature stays valid. */
  sponsorshipLifetimeMs: number;
  /** Four-element card checks (实名) one account may ask the bank for per hour. */
  cardChecksPerAccountPerHour: number;
  /** City recovery desk: bank re-verifications one person (the keyed hash of the ID number typed) may ask for per hour. */
  deskChecksPerIdentityPerHour: number;
  /**
   * City recovery desk: bank re-verifications asked from one network address per minute, an outer
   * guard sized for many residents behind one address, so that one client typing made-up ID numbers
   * is stopped before it uses up the whole service's allowance.
   */
  deskChecksPerNetworkPerMinute: number;
  /** City recovery desk: bank re-verifications the whole service asks for per minute. */
  deskChecksPerMinute: number;
  pollIntervalMs: number;
  logBlockRange: number;
  /** Simulated bank: how long until a deposit counts as received (0 = instantly). */
  bankDepositDelayMs: number;
  /** The city bank's receiving account residents transfer top-ups to (shown on the top-up page). */
  bankAccount: CityBankAccount;
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

/** The local Hardhat chain, where blocks are never reorganised and 0 confirmations is safe. */
export const LOCAL_CHAIN_ID = 31337;

/**
 * Confirmations default to 0 on the local chain only. Anywhere else a cash-out paid on an event
 * that a reorg later removes would leave the resident with both the tokens and the bank money,
 * so the operator must choose a number (HCY_CONFIRMATIONS=0 still works, but only when written).
 */
function confirmationsFor(env: NodeJS.ProcessEnv, chainId: number): number {
  const raw = env.HCY_CONFIRMATIONS;
  if ((raw === undefined || raw.trim() === "") && chainId !== LOCAL_CHAIN_ID) {
    throw new Error(
      `HCY_CONFIRMATIONS is not set: on chain ${chainId} (not the local chain ${LOCAL_CHAIN_ID}) choose how many ` +
        "blocks an Issued or Redeemed event must be buried under before the service acts on it (e.g. 12)",
    );
  }
  return int(env, "HCY_CONFIRMATIONS", 0);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const allowedOrigins = list(env.HCY_ALLOWED_ORIGINS, DEFAULT_ORIGINS).map((o) => new URL(o).origin);
  const databaseUrl = env.HCY_DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("HCY_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");
  }
  const chainId = int(env, "HCY_CHAIN_ID", LOCAL_CHAIN_ID, 1);
  return {
    host: env.HCY_SERVER_HOST?.trim() || "127.0.0.1",
    port: int(env, "HCY_SERVER_PORT", 8787),
    rpcUrl: env.HCY_RPC_URL?.trim() || "http://127.0.0.1:8545",
    chainId,
    dataDir: path.resolve(env.HCY_DATA_DIR?.trim() || ".data/server"),
    auditCheckpointsDir: path.resolve(env.HCY_AUDIT_CHECKPOINTS_DIR?.trim() || ".data/audit-checkpoints"),
    databaseUrl,
    // By default the SIWE domain is whatever host the allowed origins name.
    siweDomains: list(
      env.HCY_SIWE_DOMAIN,
      allowedOrigins.map((o) => new URL(o).host),
    ),
    allowedOrigins,
    sessionTtlMs: int(env, "HCY_SESSION_TTL_MS", 12 * 60 * 60 * 1000, 1000),
    nonceTtlMs: int(env, "HCY_NONCE_TTL_MS", 5 * 60 * 1000, 1000),
    signerCheckCacheMs: int(env, "HCY_SIGNER_CHECK_MS", 5000),
    nonceRatePerMinute: int(env, "HCY_NONCE_RATE_PER_MINUTE", 30, 1),
    newDevicesPerAddressPerMinute: int(env, "HCY_NEW_DEVICES_PER_ADDRESS_PER_MINUTE", 60, 1),
    maxMessageAgeMs: int(env, "HCY_SIWE_MAX_AGE_MS", 5 * 60 * 1000, 1000),
    maxMessageLifetimeMs: int(env, "HCY_SIWE_MAX_LIFETIME_MS", 24 * 60 * 60 * 1000, 1000),
    clockSkewMs: int(env, "HCY_CLOCK_SKEW_MS", 60 * 1000),
    bodyLimitBytes: int(env, "HCY_BODY_LIMIT_BYTES", 16 * 1024, 1024),
    sqliteBusyTimeoutMs: int(env, "HCY_SQLITE_BUSY_TIMEOUT_MS", 1000),
    databaseStartWaitMs: int(env, "HCY_DB_START_WAIT_MS", 60_000),
    confirmations: confirmationsFor(env, chainId),
    pgStatementTimeoutMs: int(env, "HCY_PG_STATEMENT_TIMEOUT_MS", 2000, 100),
    pgLockTimeoutMs: int(env, "HCY_PG_LOCK_TIMEOUT_MS", 1000, 100),
    pgConnectTimeoutMs: int(env, "HCY_PG_CONNECT_TIMEOUT_MS", 2000, 100),
    pgPoolSize: int(env, "HCY_PG_POOL_SIZE", 10, 1),
    headersTimeoutMs: int(env, "HCY_HEADERS_TIMEOUT_MS", 10_000, 100),
    requestTimeoutMs: int(env, "HCY_REQUEST_TIMEOUT_MS", 20_000, 100),
    idleTimeoutMs: int(env, "HCY_IDLE_TIMEOUT_MS", 15_000, 100),
    maxConnections: int(env, "HCY_MAX_CONNECTIONS", 1000, 1),
    maxConnectionsPerAddress: int(env, "HCY_MAX_CONNECTIONS_PER_ADDRESS", 32, 1),
    reservedConnections: int(env, "HCY_RESERVED_CONNECTIONS", 100, 0),
    erc1271TimeoutMs: int(env, "HCY_ERC1271_TIMEOUT_MS", 3000, 100),
    trustedProxyHops: int(env, "HCY_TRUSTED_PROXY_HOPS", 0),
    verifyRatePerMinute: int(env, "HCY_VERIFY_RATE_PER_MINUTE", 20, 1),
    signInAttemptsPerAddressPerMinute: int(env, "HCY_SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", 600, 1),
    requestRatePerAccountPerMinute: int(env, "HCY_REQUEST_RATE_PER_ACCOUNT_PER_MINUTE", 10, 1),
    requestRatePerClientPerMinute: int(env, "HCY_REQUEST_RATE_PER_CLIENT_PER_MINUTE", 60, 1),
    requestRatePerMinute: int(env, "HCY_REQUEST_RATE_PER_MINUTE", 300, 1),
    requestTtlMs: int(env, "HCY_REQUEST_TTL_MS", 24 * 60 * 60 * 1000, 1000),
    dailyWritesPerAccount: int(env, "HCY_DAILY_WRITES_PER_ACCOUNT", 2000, 1),
    dailyWritesPerClient: int(env, "HCY_DAILY_WRITES_PER_CLIENT", 20_000, 1),
    writesPerAccountPerMinute: int(env, "HCY_WRITES_PER_ACCOUNT_PER_MINUTE", 60, 1),
    storageBytesPerAccount: int(env, "HCY_STORAGE_BYTES_PER_ACCOUNT", 1024 * 1024, 1024),
    ticketsPerAccountPerHour: int(env, "HCY_TICKETS_PER_ACCOUNT_PER_HOUR", 30, 1),
    sponsoredOperationsPerDay: int(env, "HCY_SPONSORED_OPERATIONS_PER_DAY", 20, 1),
    sponsoredAccountsPerPerson: int(env, "HCY_SPONSORED_ACCOUNTS_PER_PERSON", 3, 1),
    sponsorshipLifetimeMs: int(env, "HCY_SPONSORSHIP_LIFETIME_MS", 10 * 60 * 1000, 10_000),
    cardChecksPerAccountPerHour: int(env, "HCY_CARD_CHECKS_PER_ACCOUNT_PER_HOUR", 10, 1),
    deskChecksPerIdentityPerHour: int(env, "HCY_DESK_CHECKS_PER_IDENTITY_PER_HOUR", 5, 1),
    deskChecksPerNetworkPerMinute: int(env, "HCY_DESK_CHECKS_PER_NETWORK_PER_MINUTE", 20, 1),
    deskChecksPerMinute: int(env, "HCY_DESK_CHECKS_PER_MINUTE", 120, 1),
    pollIntervalMs: int(env, "HCY_POLL_INTERVAL_MS", 1000, 50),
    logBlockRange: int(env, "HCY_LOG_BLOCK_RANGE", 2000, 1),
    bankDepositDelayMs: int(env, "HCY_BANK_DEPOSIT_DELAY_MS", 0),
    bankAccount: {
      holder: env.HCY_BANK_ACCOUNT_HOLDER?.trim() || "合肥城市币备付金专户（演示）",
      bank: env.HCY_BANK_NAME?.trim() || "合肥城市银行 政务区支行（演示）",
      number: env.HCY_BANK_ACCOUNT_NUMBER?.trim() || "6230 0000 0000 3417 025",
    },
  };
}
