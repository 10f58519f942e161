// The sample till (examples/till/) against the whole local system, as a shop's developer runs it:
// a key made the way the README says (scripts/demo-api-key.ts, the shop owner's sign-in), the till
// started as its own process with that key. It registers its webhook receiver, creates a payment
// request and prints the QR; the QR printed in the terminal is decoded (as a phone camera would)
// and paid on chain from a demo resident's wallet exactly as that URI says; the till then gets the
// signed `payment.received` webhook, verifies it (a forged one is refused), and prints the receipt with our transaction and
// block. Afterwards its temporary webhook endpoint is gone again.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import jsQR from "jsqr";
import { createPublicClient, createWalletClient, http } from "viem";
import { describe, expect, inject, it } from "vitest";
import { parsePaymentLink } from "../../core/eip681.js";
import { toOrderRef } from "../../core/orderRef.js";
import { cityYuanAbi } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { bin, ROOT } from "../../scripts/lib/processes.js";
import { localChain } from "./browser.js";

const system = inject("system");
const chain = localChain(system.rpcUrl);
const publicClient = createPublicClient({ chain, transport: http(system.rpcUrl) });
const busCompany = MERCHANTS[2] ?? { index: 14 };
const payer = RESIDENTS[5] ?? { index: 11 };

/** A child process's output so far, and a way to wait for a line in it. */
function watch(child: ChildProcessWithoutNullStreams) {
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    for (const w of waiters) w();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    out: () => out,
    err: () => err,
    exited,
    async waitFor(re: RegExp, ms: number): Promise<RegExpExecArray> {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = re.exec(out);
        if (m !== null) return m;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`never printed ${re} (exit ${child.exitCode}):\n${out}\n${err}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
  };
}

const tsx = (args: string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, [bin("tsx"), ...args], { cwd: ROOT, env: { ...process.env, ...env } });

/**
 * The QR code the till printed (qrcode's small terminal rendering: two modules a character, ▀ ▄ █
 * and space on a white background), decoded with jsQR from a bitmap of it.
 */
function decodeTerminalQr(text: string): string | undefined {
  const lines = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((line) => /[▀▄█]/.test(line))
    // The last line is the white border row over nothing: ▀ drawn in white, lost with the colours.
    .filter((line) => !/^▀+$/.test(line));
  const rows: boolean[][] = [];
  for (const line of lines) {
    const chars = Array.from(line);
    rows.push(chars.map((c) => c === "▀" || c === "█"));
    rows.push(chars.map((c) => c === "▄" || c === "█"));
  }
  const scale = 6;
  const margin = 4;
  const w = (Math.max(...rows.map((r) => r.length)) + 2 * margin) * scale;
  const h = (rows.length + 2 * margin) * scale;
  const pixels = new Uint8ClampedArray(w * h * 4).fill(255);
  rows.forEach((row, y) => {
    row.forEach((black, x) => {
      if (!black) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + margin) * scale + dy) * w + (x + margin) * scale + dx) * 4;
          pixels.fill(0, i, i + 3);
        }
      }
    });
  });
  return jsQR(pixels, w, h)?.data;
}

describe("the sample till", () => {
  it("creates a request, prints a scannable QR, gets the signed payment.received webhook and prints a paid receipt", async () => {
    const keyRun = watch(
      tsx(["scripts/demo-api-key.ts", "--shop", String(busCompany.index), "--label", "E2E till"], {
        HCY_API_URL: system.serviceUrl,
        HCY_DAPP_ORIGIN: system.webUrl,
      }),
    );
    expect(await keyRun.exited, keyRun.err()).toBe(0);
    const key = keyRun.out().trim();
    expect(key).toMatch(/^hcy_live_[0-9a-f]{16}_[0-9a-f]{64}$/);

    const order = `E2E-TILL-${Date.now() % 1_000_000}`;
    const child = tsx(["examples/till/till.ts", "--amount", "3.20", "--order", order], {
      HCY_API_KEY: key,
      HCY_API_URL: system.serviceUrl,
    });
    const till = watch(child);
    try {
      const uri = (await till.waitFor(/^EIP-681:\s+(\S+)$/m, 60_000))[1] as string;
      const [, hookUrl, endpoint] = (await till.waitFor(
        /Webhooks: (http:\/\/\S+) registered as (ep_[0-9a-f]+)/,
        1_000,
      )) as unknown as [string, string, string];
      const requestId = (await till.waitFor(/\(request (pr_[0-9a-f]+)\)/, 1_000))[1] as string;
      // The QR in the terminal says exactly the request's EIP-681 URI.
      expect(decodeTerminalQr(till.out())).toBe(uri);
      const parsed = parsePaymentLink(uri, { token: system.contracts.CityYuan, chainId: chain.id });
      if (!parsed.ok) throw new Error(`the till's URI does not parse: ${parsed.error}`);
      expect(parsed.request.to).toBe(localAccount(busCompany.index).address);
      expect(parsed.request.amountFen).toBe(320n);
      expect(parsed.request.ref).toBe(order);

      // A forged "paid" message (signed with another secret) is refused and changes nothing.
      const body = JSON.stringify({
        type: "payment.received",
        timestamp: new Date().toISOString(),
        data: { id: requestId, orderRef: order, amountFen: "320", status: "paid", payment: null },
      });
      const stamp = String(Math.floor(Date.now() / 1000));
      const forged = await fetch(hookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": "msg_forged",
          "webhook-timestamp": stamp,
          "webhook-signature": `v1,${createHmac("sha256", "not the secret").update(`msg_forged.${stamp}.${body}`).digest("base64")}`,
        },
        body,
      });
      expect(forged.status).toBe(400);
      await till.waitFor(/✗ a webhook with a bad signature was refused \(msg_forged\)/, 5_000);
      expect(child.exitCode).toBe(null);
      expect(till.out()).not.toContain("收据 RECEIPT");

      // A resident pays it from her wallet, as the URI says.
      const wallet = createWalletClient({ account: localAccount(payer.index), chain, transport: http(system.rpcUrl) });
      const hash = await wallet.writeContract({
        address: system.contracts.CityYuan,
        abi: cityYuanAbi,
        functionName: "pay",
        args: [parsed.request.to, parsed.request.amountFen as bigint, toOrderRef(parsed.request.ref as string)],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });

      expect(await till.exited, `${till.out()}\n${till.err()}`).toBe(0);
      const out = till.out();
      expect(out).toMatch(/✓ webhook payment\.received for pr_[0-9a-f]+ \(signature verified, msg_[0-9a-f]+\)/);
      // Only the forged message was refused: the service's real one verified.
      expect(out.match(/bad signature/g)).toEqual(["bad signature"]);
      const printed = out.slice(out.indexOf("收据 RECEIPT"));
      expect(printed).toContain("status:      paid");
      expect(printed).toContain("amount:      3.20 元");
      expect(printed).toContain(`order:       ${order}`);
      expect(printed).toContain(`payer:       ${localAccount(payer.index).address}`);
      expect(printed).toContain(`transaction: ${hash}`);
      expect(printed).toContain(`block:       ${receipt.blockNumber}`);

      // The till removed its temporary endpoint when it stopped.
      const listed = await fetch(`${system.serviceUrl}/api/v1/webhook-endpoints`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const { endpoints } = (await listed.json()) as { endpoints: { id: string }[] };
      expect(endpoints.map((e) => e.id)).not.toContain(endpoint);
    } finally {
      if (child.exitCode === null) child.kill("SIGTERM"); // the till removes its endpoint on SIGTERM too
    }
  });
});
