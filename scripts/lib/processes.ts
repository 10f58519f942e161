// Child processes of the local system: start them with their output prefixed, wait until they
// answer, and stop them all (process groups, so grandchildren such as esbuild die too).
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; log: (line: string) => void; quiet?: boolean },
): Managed {
  // Run JS tools with this very Node (22, pinned by the project), never the system's.
  const child = spawn(process.execPath, [command, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const forward = (chunk: Buffer) => {
    if (options.quiet) return;
    for (const line of chunk.toString().split("\n")) if (line.trim()) options.log(`[${name}] ${line}`);
  };
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    tail.push(chunk.toString());
    if (tail.length > 40) tail.shift();
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", (chunk: Buffer) => {
    remember(chunk);
    forward(chunk);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      if (code !== 0 && code !== null && options.quiet) options.log(`[${name}] ${tail.join("")}`);
      resolve(code);
    });
  });
  return { name, child, exited };
}

export async function stopProcess(managed: Managed): Promise<void> {
  const { child } = managed;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5000).unref());
  if ((await Promise.race([managed.exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export function portInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Polls `probe` until it returns true, the process dies, or the time is up. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; process?: Managed },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let dead = false;
  options.process?.exited.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${what} exited before it was ready (see its output above)`);
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not become ready within ${options.timeoutMs / 1000} s`);
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}

export async function rpcChainId(url: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(2000),
  });
  const body = (await response.json()) as { result: string };
  return Number(body.result);
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
