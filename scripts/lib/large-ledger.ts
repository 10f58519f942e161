// Seeds a big ledger for benchmarks (history loading, audit replay): `events` CityYuan logs, of
// which `residentEvents` involve one resident. Uses the node's own unlocked accounts and JSON-RPC
// batches with automine off, so 100,000 events take about a minute instead of signing each in JS.
import { type Address, encodeFunctionData, type Hex, stringToHex, toHex } from "viem";
import { cityYuanAbi, type Deployment } from "../../generated/contracts.js";
import { localAccount, MERCHANTS, RESIDENTS, ROLE_HOLDERS } from "./demo-accounts.js";

export interface LargeLedger {
  resident: Address;
  /** CityYuan logs written (each payment writes two: Transfer and PaymentMade). */
  events: number;
  residentEvents: number;
  payments: number;
}

const BATCH = 400; // transactions per block; a pay costs ~60k gas, well within the block gas limit

async function rpc(url: string, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
  });
  const replies = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  replies.sort((a, b) => a.id - b.id);
  const failed = replies.find((reply) => reply.error);
  if (failed) throw new Error(`RPC ${calls[failed.id].method} failed: ${failed.error?.message}`);
  return replies.map((reply) => reply.result);
}

export async function seedLargeLedger(
  rpcUrl: string,
  deployment: Deployment,
  options: { events?: number; residentEvents?: number; log?: (line: string) => void } = {},
): Promise<LargeLedger> {
  const events = options.events ?? 100_000;
  const residentEvents = options.residentEvents ?? 10_000;
  const log = options.log ?? (() => {});
  const token = deployment.contracts.CityYuan;
  const resident = localAccount(RESIDENTS[0].index).address;
  const issuer = localAccount(ROLE_HOLDERS.issuer.index).address;
  // The node unlocks the first 20 accounts of the test mnemonic; everyone but the role holders pays.
  const payers = Array.from({ length: 20 }, (_, i) => localAccount(i).address).filter(
    (_, i) => i >= RESIDENTS[0].index && i !== RESIDENTS[0].index,
  );
  const merchants = MERCHANTS.map((m) => localAccount(m.index).address);
  const send = (from: Address, data: Hex) => ({
    method: "eth_sendTransaction",
    params: [{ from, to: token, data, gas: toHex(120_000) }],
  });
  const pay = (from: Address, to: Address, n: number) =>
    send(
      from,
      encodeFunctionData({
        abi: cityYuanAbi,
        functionName: "pay",
        args: [to, BigInt(100 + (n % 5000)), stringToHex(`BENCH-${n}`, { size: 32 })],
      }),
    );

  await rpc(rpcUrl, [{ method: "evm_setAutomine", params: [false] }]);
  try {
    const funding = [resident, ...payers].map((to, i) =>
      send(
        issuer,
        encodeFunctionData({
          abi: cityYuanAbi,
          functionName: "issue",
          args: [to, 1_000_000_000n, stringToHex(`BENCH-FUND-${i}`, { size: 32 })],
        }),
      ),
    );
    await rpc(rpcUrl, [...funding, { method: "evm_mine", params: [] }]);

    const residentPayments = Math.floor(residentEvents / 2);
    const totalPayments = Math.floor(events / 2);
    let queued: { method: string; params: unknown[] }[] = [];
    for (let n = 0; n < totalPayments; n++) {
      const mine = n < residentPayments;
      const from = mine ? resident : payers[n % payers.length];
      queued.push(pay(from, merchants[n % merchants.length], n));
      if (queued.length === BATCH || n === totalPayments - 1) {
        await rpc(rpcUrl, [...queued, { method: "evm_mine", params: [] }]);
        queued = [];
        if ((n + 1) % 10_000 < BATCH) log(`${n + 1} / ${totalPayments} payments`);
      }
    }
    return { resident, events: totalPayments * 2, residentEvents: residentPayments * 2, payments: totalPayments };
  } finally {
    await rpc(rpcUrl, [{ method: "evm_setAutomine", params: [true] }]);
  }
}
