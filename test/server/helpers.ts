// Shared fixtures for the city service tests: a real SQLite file in a temp folder, the Hono app
// driven through app.fetch, SIWE sign-in with viem local accounts, and a real `hardhat node`
// child process with CityYuan deployed from its compiled artefact.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toHex,
} from "viem";
import { type LocalAccount, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createSiweMessage } from "viem/siwe";
import { CONSENT_VERSION, type IdentityView } from "../../core/identity.js";
import { createApp } from "../../server/src/app.js";
import type { BankGateway } from "../../server/src/bank/BankGateway.js";
import { BankRequests } from "../../server/src/bank/requests.js";
import { SimulatedBank } from "../../server/src/bank/SimulatedBank.js";
import { SIMULATED_CUSTOMERS } from "../../server/src/bank/simulatedCustomers.js";
import { loadConfig, type ServerConfig } from "../../server/src/config.js";
import type { AppDeps } from "../../server/src/http.js";
import type { Database } from "../../server/src/storage/Database.js";
import { openDatabase } from "../../server/src/storage/open.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const DAPP_ORIGIN = "http://127.0.0.1:5173";
export const MNEMONIC = "test test test test test test test test test test test junk";
export const account = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index });

export function tempDir(prefix = "hcy-server-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig({ HCY_DATA_DIR: dataDir }), ...overrides };
}

/** A controllable clock: tests move time instead of waiting for it. */
export class Clock {
  constructor(public t = Date.now()) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export type DatabaseKind = "sqlite" | "postgres";
export const PG_URL = process.env.HCY_TEST_PG_URL;
/** Every attack test runs on both: SQLite always, PostgreSQL when HCY_TEST_PG_URL is set. */
export const DATABASES: DatabaseKind[] = PG_URL === undefined ? ["sqlite"] : ["sqlite", "postgres"];
if (PG_URL === undefined) {
  process.stderr.write("[server tests] PostgreSQL runs skipped: set HCY_TEST_PG_URL=postgres://user:pass@host/db\n");
}

/** A fresh PostgreSQL schema of its own (dropped by `drop`), as a connection URL with its search_path. */
export async function pgSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `hcy_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(PG_URL as string);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await a.end();
    },
  };
}

export interface TestService {
  app: ReturnType<typeof createApp>;
  db: Database;
  bank: BankRequests;
  config: ServerConfig;
  clock: Clock;
  close(): Promise<void>;
}

export async function startTestService(
  options: {
    dataDir?: string;
    config?: Partial<ServerConfig>;
    isIssuer?: AppDeps["isIssuer"];
    provider?: AppDeps["provider"];
    database?: DatabaseKind;
    stillCanonical?: (block: bigint, hash: Hex) => Promise<boolean>;
    finality?: { confirmations: number; head: () => Promise<bigint> };
    issuedOnChain?: AppDeps["issuedOnChain"];
    deps?: Partial<AppDeps>;
    /** The bank the service talks to, given the database and the test clock (default: SimulatedBank). */
    bankGateway?: (db: Database, now: () => number) => BankGateway;
    /** Receives every line the service logs (the bank requests and the HTTP app). */
    log?: (message: string) => void;
  } = {},
): Promise<TestService> {
  const temp = options.dataDir === undefined ? tempDir() : undefined;
  const schema = options.database === "postgres" ? await pgSchema() : undefined;
  const config = testConfig(options.dataDir ?? (temp as { dir: string }).dir, {
    ...(schema ? { databaseUrl: schema.url } : {}),
    ...options.config,
  });
  const db = await openDatabase(config);
  const clock = new Clock();
  const bank = new BankRequests(
    db,
    options.bankGateway?.(db, clock.now) ?? new SimulatedBank(db, 0, undefined, clock.now),
    () => {},
    options.stillCanonical,
    options.finality,
  );
  const app = createApp(
    {
      config,
      db,
      bank,
      provider: options.provider,
      isIssuer: options.isIssuer ?? (async () => false),
      issuedOnChain: options.issuedOnChain,
      now: clock.now,
      ...options.deps,
    },
    options.log,
  );
  return {
    app,
    db,
    bank,
    config,
    clock,
    async close() {
      await bank.settled();
      await db.close();
      await schema?.drop();
      temp?.remove();
    },
  };
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  cookie?: string;
  origin?: string | null;
  headers?: Record<string, string>;
  /**
   * The browser's device cookie (`hcy_device=...`). By default each app has one browser: the device
   * id it first handed out is sent on every later call. null sends none (another, fresh browser).
   */
  device?: string | null;
}

/** Per app, the device cookie of "the" browser the tests drive. */
const deviceJars = new WeakMap<object, string>();
/** Which device cookie each nonce was issued to. */
const nonceDevices = new Map<string, string>();

export async function call(
  app: TestService["app"],
  method: string,
  pathname: string,
  o: CallOptions = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.origin !== null) headers.origin = o.origin ?? DAPP_ORIGIN;
  // A sign-in goes with the browser its nonce was issued to (concurrent first visits each get their own).
  const nonceInBody = /\nNonce: (\w+)/.exec(String((o.body as { message?: unknown } | undefined)?.message ?? ""))?.[1];
  const fromNonce = nonceInBody === undefined ? undefined : nonceDevices.get(nonceInBody);
  const device = o.device === undefined ? (fromNonce ?? deviceJars.get(app)) : (o.device ?? undefined);
  const cookies = [o.cookie, o.cookie?.includes("hcy_device=") ? undefined : device].filter((x) => x !== undefined);
  if (cookies.length > 0) headers.cookie = cookies.join("; ");
  let body: string | undefined;
  if (o.rawBody !== undefined || o.body !== undefined) {
    body = o.rawBody ?? JSON.stringify(o.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await app.fetch(new Request(`http://127.0.0.1:8787${pathname}`, { method, headers, body }));
  const text = await res.text();
  const issued = /hcy_device=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (issued !== undefined && o.device === undefined && !deviceJars.has(app)) deviceJars.set(app, issued);
  const nonce = /^\{"nonce":"(\w+)"/.exec(text)?.[1];
  const usedDevice = issued ?? device;
  if (nonce !== undefined && usedDevice !== undefined) {
    if (nonceDevices.size > 50_000) nonceDevices.clear();
    nonceDevices.set(nonce, usedDevice);
  }
  return {
    status: res.status,
    json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: res.headers,
  };
}

export function sessionCookie(headers: Headers): string | undefined {
  const set = headers.get("set-cookie") ?? "";
  const match = /hcy_session=([^;]*)/.exec(set);
  return match && match[1] !== "" ? `hcy_session=${match[1]}` : undefined;
}

export interface SiweFields {
  domain?: string;
  uri?: string;
  chainId?: number;
  nonce?: string;
  issuedAt?: Date;
  expirationTime?: Date | null;
  notBefore?: Date;
  address?: Address;
}

export async function getNonce(service: TestService): Promise<string> {
  const res = await call(service.app, "GET", "/auth/nonce", { origin: null });
  return res.json.nonce as string;
}

/** Builds and signs a SIWE message the way the dApp does (viem's createSiweMessage). */
export async function signedMessage(
  service: TestService,
  signer: LocalAccount,
  fields: SiweFields = {},
): Promise<{ message: string; signature: Hex }> {
  const message = await siweMessage(service, fields.address ?? signer.address, fields);
  return { message, signature: await signer.signMessage({ message }) };
}

/** A SIWE message for `address`, built the way the dApp does (viem's createSiweMessage), unsigned. */
export async function siweMessage(service: TestService, address: Address, fields: SiweFields = {}): Promise<string> {
  const now = service.clock.now();
  return createSiweMessage({
    domain: fields.domain ?? "127.0.0.1:5173",
    address,
    statement: "Sign in to Hefei City Wallet",
    uri: fields.uri ?? `${DAPP_ORIGIN}/`,
    version: "1",
    chainId: fields.chainId ?? service.config.chainId,
    nonce: fields.nonce ?? (await getNonce(service)),
    issuedAt: fields.issuedAt ?? new Date(now),
    expirationTime: fields.expirationTime === null ? undefined : (fields.expirationTime ?? new Date(now + 3_600_000)),
    notBefore: fields.notBefore,
  });
}

export async function signIn(
  service: TestService,
  signer: LocalAccount,
  cookie?: string,
): Promise<{ cookie: string; status: number }> {
  const body = await signedMessage(service, signer);
  const res = await call(service.app, "POST", "/auth/verify", { body, cookie });
  const fresh = sessionCookie(res.headers);
  if (res.status !== 200 || fresh === undefined) throw new Error(`sign-in failed: ${JSON.stringify(res.json)}`);
  return { cookie: fresh, status: res.status };
}

/** 王阿姨 as her bank knows her (the simulated bank's customer C0006). */
export const WANG = {
  name: "王秀芳",
  idNumber: "340104195603120020",
  cardNumber: "6217000010036206",
  phone: "13855100006",
};
/** Another person, 王秀英, whose card also ends in 6206 (customer C0101). */
export const WANG_XIUYING = {
  name: "王秀英",
  idNumber: "340104195808230020",
  cardNumber: "6228480012345086206",
  phone: "13955100101",
};

/** Binds a card to the signed-in account (real-name verification), with the current consent. */
export async function bindCard(service: TestService, cookie: string, person: typeof WANG) {
  return call(service.app, "POST", "/identity/card", {
    cookie,
    body: { ...person, consentVersion: CONSENT_VERSION },
  });
}

/** The four elements a customer of the simulated bank types (her first card), by her name or id. */
export function customer(nameOrId: string): typeof WANG {
  const c = SIMULATED_CUSTOMERS.find((x) => x.name === nameOrId || x.id === nameOrId);
  const card = c?.cards[0];
  if (c === undefined || card === undefined) throw new Error(`the simulated bank has no customer ${nameOrId}`);
  return { name: c.name, idNumber: c.idNumber, cardNumber: card.number, phone: c.phone };
}

/**
 * Verifies the signed-in account at the phone level (实名认证 by a one-time code), as the dApp does
 * with the simulated SMS gateway, which shows the code (the test service's default gateway). Throws
 * with the service's answer if refused. Each phone is one person.
 */
export async function verifyPhone(service: TestService, cookie: string, phone: string): Promise<IdentityView> {
  const asked = await call(service.app, "POST", "/identity/phone", { cookie, body: { phone } });
  const code = asked.json.shownCode;
  if (asked.status !== 201 || typeof code !== "string")
    throw new Error(`phone code refused: ${JSON.stringify(asked.json)}`);
  const confirmed = await call(service.app, "POST", "/identity/phone/code", { cookie, body: { code } });
  if (confirmed.status !== 200) throw new Error(`phone code not accepted: ${JSON.stringify(confirmed.json)}`);
  return confirmed.json as unknown as IdentityView;
}

/** A mobile number no other test person has (a person of its own at the phone level). */
export const freshPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/**
 * Signs `signer` in and verifies her as a person: by `who`'s bank card (level bank) or, by default,
 * by a fresh phone of her own (level phone). Top-ups and cash-outs need a verified person.
 */
export async function signInVerified(
  service: TestService,
  signer: LocalAccount,
  who?: typeof WANG,
): Promise<{ cookie: string }> {
  const { cookie } = await signIn(service, signer);
  if (who === undefined) {
    await verifyPhone(service, cookie, freshPhone());
  } else {
    const bound = await bindCard(service, cookie, who);
    if (bound.status !== 201) throw new Error(`实名认证 refused: ${JSON.stringify(bound.json)}`);
  }
  return { cookie };
}

export const randomAccount = () => privateKeyToAccount(keccak256(toHex(`${Math.random()}-${Date.now()}`)));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A real `hardhat node` on loopback; stop() kills it, start() brings up a fresh chain on the same port. */
export class HardhatNode {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = path.join(ROOT, "node_modules", ".bin", "hardhat");
    const node = path.join(ROOT, "node_modules", ".bin", "node");
    this.child = spawn(node, [bin, "node", "--hostname", "127.0.0.1", "--port", String(this.port)], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`hardhat node exited with ${this.child.exitCode}`);
      try {
        const res = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error("hardhat node did not start within 60 s");
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.child = undefined;
  }
}

const chain = { ...hardhat, id: 31337 } as const;

export function publicClientFor(url: string): PublicClient {
  return createPublicClient({ chain, transport: http(url, { retryCount: 0 }) }) as PublicClient;
}

export function walletFor(url: string, signer: LocalAccount) {
  return createWalletClient({ chain, account: signer, transport: http(url, { retryCount: 0 }) });
}

export const cityYuanArtifact = () =>
  JSON.parse(readFileSync(path.join(ROOT, "artifacts/contracts/CityYuan.sol/CityYuan.json"), "utf8")) as {
    abi: readonly unknown[];
    bytecode: Hex;
  };

export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

export interface Deployed {
  cityYuan: Address;
  deployBlock: bigint;
  abi: readonly unknown[];
}

/** The reserve attester (and attester admin) of the test deployments: apart from the admin and the
 * issuer, as CityYuan requires. */
export const RESERVE_ATTESTER = 19;

/** Deploys CityYuan with account #0 as admin, #1 as issuer with a large allowance and #19 as the
 * reserve attester, with large reserves attested (reports valid 35 days). */
export async function deployCityYuan(url: string): Promise<Deployed> {
  const { abi, bytecode } = cityYuanArtifact();
  const client = publicClientFor(url);
  const admin = walletFor(url, account(0));
  const attesterAddress = account(RESERVE_ATTESTER).address;
  const hash = await admin.deployContract({
    abi,
    bytecode,
    args: [account(0).address, 0, attesterAddress, attesterAddress, 35 * 24 * 3600],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  const cityYuan = receipt.contractAddress as Address;
  const grant = await admin.writeContract({
    address: cityYuan,
    abi,
    functionName: "grantRole",
    args: [ISSUER_ROLE, account(1).address],
  });
  await client.waitForTransactionReceipt({ hash: grant });
  const allowance = await admin.writeContract({
    address: cityYuan,
    abi,
    functionName: "increaseIssuerAllowance",
    args: [account(1).address, 10n ** 15n],
  });
  await client.waitForTransactionReceipt({ hash: allowance });
  // Secure Mint: issuing is bounded by the latest reserve attestation, by the attester.
  const attest = await walletFor(url, account(RESERVE_ATTESTER)).writeContract({
    address: cityYuan,
    abi,
    functionName: "attestReserves",
    args: [10n ** 15n, keccak256(toHex("test reserves")), "https://reserves.example/test.pdf"],
  });
  await client.waitForTransactionReceipt({ hash: attest });
  return { cityYuan, deployBlock: receipt.blockNumber, abi };
}

export async function send(
  url: string,
  deployed: Deployed,
  signer: LocalAccount,
  functionName: string,
  args: readonly unknown[],
): Promise<Hex> {
  const hash = await walletFor(url, signer).writeContract({
    address: deployed.cityYuan,
    abi: deployed.abi,
    functionName,
    args,
  });
  await publicClientFor(url).waitForTransactionReceipt({ hash });
  return hash;
}
