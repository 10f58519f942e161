// City service load benchmark: the service in-process on a free loopback port with a fresh
// SQLite database, one resident signed in with SIWE (a viem local account), then autocannon at a
// fixed 200 requests/s for 10 s: signed-in reads and writes of contacts (and the profile and an
// order note). Target: zero errors and p99 < 50 ms.
// Run alone: `npx tsx scripts/bench/server-load.ts`.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { getAddress, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { loadConfig } from "../../server/src/config.js";
import { startService } from "../../server/src/main.js";

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

const RATE = 200;
const DURATION_S = 10;
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

async function signIn(url: string): Promise<string> {
  const resident = privateKeyToAccount(generatePrivateKey());
  const { nonce } = (await (await fetch(`${url}/auth/nonce`)).json()) as { nonce: string };
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
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ message, signature }),
  });
  const cookie = /hcy_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (res.status !== 200 || cookie === undefined) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}

export async function benchServerLoad(): Promise<ServerLoadResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "hcy-bench-server-"));
  const config = {
    ...loadConfig({ HCY_DATA_DIR: dataDir }),
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchServerLoad();
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
}
