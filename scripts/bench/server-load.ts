// City service load benchmark: the service in-process on a free loopback port with a fresh
// SQLite database, one resident signed in with SIWE (a viem local account), then autocannon at a
// fixed 200 requests/s for 10 s: signed-in reads and writes of contacts (and the profile and an
// order note). Target: zero errors and p99 < 50 ms.
// Second row (issue 12): a flood of top-up requests from 25 throwaway accounts behind 5 client
// addresses at 500 requests/s, while real residents read at 200 requests/s and sign in (nonce,
// SIWE signature, verify) one after another: the residents' p99 and error rate, and how much of
// the flood the service let through. The flood's clients run in a process of their own (as real
// clients would), so the service's event loop is not shared with their signing and bookkeeping.
// Run alone: `npx tsx scripts/bench/server-load.ts`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { loadConfig } from "../../server/src/config.js";
import { startService } from "../../server/src/main.js";
import { checkTarget, quickNote, sized } from "./mode.js";

export interface ServerLoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  totalRequests: number;
  durationSeconds: number;
  rate: number;
}

// autocannon ships no types; this is the part of its API used here.
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RATE = 200;
// A quick run loads the service for 2 s (the flood's clients, in their own process, read the same mode).
const DURATION_S = sized(10, 2);
const ORIGIN = "http://127.0.0.1:5173";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function signIn(url: string, headers: Record<string, string> = {}): Promise<string> {
  const resident = privateKeyToAccount(generatePrivateKey());
  const asked = await fetch(`${url}/auth/nonce`, { headers });
  // The nonce is bound to the browser's device id: the sign-in sends the same cookie back.
  const device = /hcy_device=[^;]+/.exec(asked.headers.get("set-cookie") ?? "")?.[0];
  const { nonce } = (await asked.json()) as { nonce: string };
  const now = Date.now();
  const message = createSiweMessage({
    domain: "127.0.0.1:5173",
    address: resident.address,
    uri: `${ORIGIN}/`,
    version: "1",
    chainId: 31337,
    nonce,
    issuedAt: new Date(now),
    expirationTime: new Date(now + 3_600_000),
  });
  const signature = await resident.signMessage({ message });
  const res = await fetch(`${url}/auth/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, ...headers, ...(device ? { cookie: device } : {}) },
    body: JSON.stringify({ message, signature }),
  });
  const cookie = /hcy_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (res.status !== 200 || cookie === undefined) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}

export async function benchServerLoad(): Promise<ServerLoadResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "hcy-bench-server-"));
  const config = {
    // This phase measures how fast one signed-in resident is served, not the per-account write
    // limits (60 changes a minute by default, tested in test/server/flood.test.ts): they are raised
    // so every request is served. The flood phase below runs with the defaults.
    ...loadConfig({
      HCY_DATA_DIR: dataDir,
      HCY_WRITES_PER_ACCOUNT_PER_MINUTE: "1000000",
      HCY_DAILY_WRITES_PER_ACCOUNT: "1000000",
    }),
    port: await freePort(),
    databaseUrl: undefined,
  };
  const service = await startService(config, { logger: () => {}, watchChain: false });
  try {
    const cookie = await signIn(service.url);
    // 50 friends: writes rename them in turn, so the contact list stays a realistic size.
    const friends = Array.from({ length: 50 }, (_, i) => getAddress(keccak256(toHex(`friend-${i}`)).slice(0, 42)));
    let write = 0;
    const json = { "content-type": "application/json" };
    const result = await autocannon({
      url: service.url,
      connections: 10,
      overallRate: RATE,
      duration: DURATION_S,
      headers: { cookie, origin: ORIGIN },
      requests: [
        { method: "GET", path: "/contacts" },
        {
          method: "PUT",
          path: "/contacts",
          headers: json,
          setupRequest: (req) => {
            const n = write++;
            return {
              ...req,
              path: `/contacts/${friends[n % friends.length]}`,
              body: JSON.stringify({ name: `朋友 ${n % 997}` }),
            };
          },
        },
        { method: "GET", path: "/contacts" },
        {
          method: "PUT",
          path: `/notes/${keccak256(toHex("order-1"))}`,
          headers: json,
          body: JSON.stringify({ note: "两碗牛肉面，少辣" }),
        },
        { method: "GET", path: "/profile" },
      ],
    });
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      totalRequests: result.requests.total,
      durationSeconds: DURATION_S,
      rate: RATE,
    };
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface ServerFloodResult {
  floodRate: number;
  floodRequests: number;
  floodAccepted: number;
  floodRefused: number;
  residentRate: number;
  residentRequests: number;
  residentP50: number;
  residentP99: number;
  residentErrors: number;
  signIns: number;
  signInP99: number;
  signInFailures: number;
  durationSeconds: number;
}

const FLOOD_RATE = 500;
const THROWAWAY_ACCOUNTS = 25;
const FLOOD_CLIENTS = 5;
const RESIDENTS = 5;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/**
 * The flood's clients: throwaway accounts flooding top-up requests, residents reading and signing
 * in. Runs in a process of its own (see benchServerFlood), as real clients would, so the service's
 * event loop is not shared with the load generator's signing and bookkeeping.
 */
async function floodClients(serviceUrl: string): Promise<ServerFloodResult> {
  const service = { url: serviceUrl };
  const attackerIp = (i: number) => `203.0.113.${(i % FLOOD_CLIENTS) + 1}`;
  const throwaway = await Promise.all(
    Array.from({ length: THROWAWAY_ACCOUNTS }, (_, i) =>
      signIn(service.url, { "x-forwarded-for": attackerIp(i) }).then((cookie) => ({ cookie, ip: attackerIp(i) })),
    ),
  );
  const residentIp = (i: number) => `198.51.100.${i + 1}`;
  const residents = await Promise.all(
    Array.from({ length: RESIDENTS }, (_, i) =>
      signIn(service.url, { "x-forwarded-for": residentIp(i) }).then((cookie) => ({ cookie, ip: residentIp(i) })),
    ),
  );
  let flood = 0;
  let read = 0;
  const json = { "content-type": "application/json" };
  const flooding = autocannon({
    url: service.url,
    connections: 20,
    overallRate: FLOOD_RATE,
    duration: DURATION_S,
    headers: { origin: ORIGIN },
    requests: [
      {
        method: "POST",
        path: "/topups",
        setupRequest: (req) => {
          const who = throwaway[flood++ % throwaway.length] as { cookie: string; ip: string };
          return {
            ...req,
            headers: { ...json, origin: ORIGIN, cookie: who.cookie, "x-forwarded-for": who.ip },
            body: JSON.stringify({ amountFen: 1, cardLast4: "0000" }),
          };
        },
      },
    ],
  });
  const paths = ["/contacts", "/topups", "/profile", "/cashouts", "/alerts"];
  const reading = autocannon({
    url: service.url,
    connections: 10,
    overallRate: RATE,
    duration: DURATION_S,
    headers: { origin: ORIGIN },
    requests: [
      {
        method: "GET",
        path: "/contacts",
        setupRequest: (req) => {
          const n = read++;
          const who = residents[n % residents.length] as { cookie: string; ip: string };
          return {
            ...req,
            path: paths[n % paths.length] as string,
            headers: { origin: ORIGIN, cookie: who.cookie, "x-forwarded-for": who.ip },
          };
        },
      },
    ],
  });
  // Residents signing in, one after another, for the whole run.
  const signInMs: number[] = [];
  let signInFailures = 0;
  const deadline = Date.now() + DURATION_S * 1000;
  const signingIn = (async () => {
    for (let i = 0; Date.now() < deadline; i++) {
      const started = performance.now();
      try {
        await signIn(service.url, { "x-forwarded-for": residentIp(i % RESIDENTS) });
        signInMs.push(performance.now() - started);
      } catch {
        signInFailures++;
      }
    }
  })();
  const [f, r] = await Promise.all([flooding, reading, signingIn]);
  return {
    floodRate: FLOOD_RATE,
    floodRequests: f.requests.total,
    floodAccepted: f.requests.total - f.non2xx - f.errors - f.timeouts,
    floodRefused: f.non2xx,
    residentRate: RATE,
    residentRequests: r.requests.total,
    residentP50: r.latency.p50,
    residentP99: r.latency.p99,
    residentErrors: r.errors + r.timeouts + r.non2xx,
    signIns: signInMs.length,
    signInP99: Math.round(percentile(signInMs, 99)),
    signInFailures,
    durationSeconds: DURATION_S,
  };
}

export async function benchServerFlood(): Promise<ServerFloodResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "hcy-bench-flood-"));
  const config = {
    ...loadConfig({ HCY_DATA_DIR: dataDir }),
    port: await freePort(),
    databaseUrl: undefined,
    // As behind the city's reverse proxy: X-Forwarded-For names the client.
    trustedProxyHops: 1,
    nonceRatePerMinute: 10_000,
    verifyRatePerMinute: 10_000,
    newDevicesPerAddressPerMinute: 10_000,
  };
  const service = await startService(config, { logger: () => {}, watchChain: false });
  try {
    const clients = spawn(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      [fileURLToPath(import.meta.url), "--flood-clients", service.url],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    clients.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => clients.on("exit", resolve));
    if (code !== 0) throw new Error(`the flood's clients failed (exit ${code})`);
    return JSON.parse(out) as ServerFloodResult;
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const floodClientsAt = process.argv.indexOf("--flood-clients");
if (floodClientsAt > 0) {
  process.stdout.write(JSON.stringify(await floodClients(process.argv[floodClientsAt + 1] as string)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchServerLoad();
  if (r.totalRequests === 0) throw new Error("the load run made no request");
  const verdict = r.errors === 0 && r.non2xx === 0 && r.p99 < 50 ? "ok" : "OVER TARGET";
  process.stdout.write(
    [
      `City service load (${r.rate} req/s for ${r.durationSeconds} s, signed-in contacts reads and writes, SQLite)`,
      `  requests/s  ${r.requestsPerSecond}   total ${r.totalRequests}`,
      `  latency     p50 ${r.p50} ms   p99 ${r.p99} ms   target p99 < 50 ms`,
      `  errors      ${r.errors}   non-2xx ${r.non2xx}   target 0   ${verdict}`,
      "",
    ].join("\n"),
  );
  checkTarget(
    r.errors === 0 && r.non2xx === 0 && r.p99 < 50,
    `contacts load: ${r.errors} errors, ${r.non2xx} non-2xx (0), p99 ${r.p99} ms < 50 ms`,
  );
  const f = await benchServerFlood();
  const errorRate = f.residentRequests === 0 ? 0 : (100 * f.residentErrors) / f.residentRequests;
  const floodVerdict = f.residentErrors === 0 && f.signInFailures === 0 && f.residentP99 < 50 ? "ok" : "OVER TARGET";
  process.stdout.write(
    [
      `Under a flood (${f.floodRate} top-up requests/s from ${THROWAWAY_ACCOUNTS} throwaway accounts on ${FLOOD_CLIENTS} client addresses, ${f.durationSeconds} s, SQLite)`,
      `  flood       ${f.floodRequests} requests, ${f.floodAccepted} accepted, ${f.floodRefused} refused (429, or 403 not_verified: no person owns a throwaway account)`,
      `  residents   ${f.residentRequests} reads at ${f.residentRate}/s   p50 ${f.residentP50} ms   p99 ${f.residentP99} ms   errors ${f.residentErrors} (${errorRate.toFixed(2)} %)`,
      `  sign-ins    ${f.signIns} (nonce + SIWE + verify)   p99 ${f.signInP99} ms   failed ${f.signInFailures}   ${floodVerdict}`,
      "",
    ].join("\n") + quickNote(),
  );
  checkTarget(
    f.residentErrors === 0 && f.signInFailures === 0 && f.residentP99 < 50,
    `under the flood: ${f.residentErrors} resident errors, ${f.signInFailures} failed sign-ins (0), resident p99 ${f.residentP99} ms < 50 ms`,
  );
}
