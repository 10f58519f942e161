// How the indexer reads an event generically: which arguments are addresses (the parties whose
// history it belongs to), which are integers (stored as decimal strings in JSON and revived as
// bigint), and which argument is its principal amount and parties. Shared by the handlers and
// the API, so a row written by one is read back by the other with the same types.
import type { Abi, AbiEvent } from "viem";
import { INDEXED_CONTRACTS, type IndexedContract } from "./contracts";

export type EventShape = {
  contract: IndexedContract;
  name: string;
  addresses: string[];
  integers: string[];
};

const shapes = new Map<string, EventShape>();
for (const [contract, abi] of Object.entries(INDEXED_CONTRACTS) as [IndexedContract, Abi][]) {
  for (const item of abi) {
    if (item.type !== "event") continue;
    const event = item as AbiEvent;
    shapes.set(`${contract}:${event.name}`, {
      contract,
      name: event.name,
      addresses: event.inputs.filter((i) => i.type === "address" && i.name).map((i) => i.name as string),
      integers: event.inputs.filter((i) => /^u?int\d*$/.test(i.type) && i.name).map((i) => i.name as string),
    });
  }
}

/** Every `Contract:Event` the indexer registers a handler for. */
export const EVENT_KEYS = [...shapes.keys()];

export function eventShape(contract: string, name: string): EventShape | undefined {
  return shapes.get(`${contract}:${name}`);
}

/** Arguments as JSON: bigints (also inside tuples) as decimal strings. */
export function argsToJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(argsToJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = argsToJson(inner);
    return out;
  }
  return value;
}

/** The stored JSON arguments with the event's top-level integers as bigint again (as viem decodes them). */
export function argsFromJson(contract: string, name: string, json: unknown): Record<string, unknown> {
  const args = { ...(json as Record<string, unknown>) };
  for (const key of eventShape(contract, name)?.integers ?? []) {
    if (typeof args[key] === "string") args[key] = BigInt(args[key] as string);
  }
  return args;
}

const FROM_KEYS = ["from", "payer", "sender", "funder", "owner", "issuer", "account", "sponsor", "merchant"];
const TO_KEYS = ["to", "payee", "receiver", "claimer", "shop", "holder", "resident", "spender"];
const AMOUNT_KEYS = ["value", "amount", "price", "budget", "refunded", "reserves", "returned"];

/** The event's principal amount and parties (money moves from → to), where it has them. */
export function principal(
  name: string,
  args: Record<string, unknown>,
): { amount: bigint | null; from: `0x${string}` | null; to: `0x${string}` | null } {
  const pick = (keys: string[]) => keys.find((key) => args[key] !== undefined);
  if (name === "PaymentRefunded" || name === "VoucherSaleRefunded") {
    // The shop pays the payer back.
    const amount =
      name === "PaymentRefunded" ? (args.amount as bigint) : (args.paid as bigint) + (args.discount as bigint);
    const lower = (value: unknown) => (value as string).toLowerCase() as `0x${string}`;
    return { amount, from: lower(args.payee), to: lower(args.payer) };
  }
  const amountKey = pick(AMOUNT_KEYS);
  const fromKey = pick(FROM_KEYS);
  const toKey = pick(TO_KEYS.filter((key) => key !== fromKey));
  const amount = amountKey && typeof args[amountKey] === "bigint" ? (args[amountKey] as bigint) : null;
  const address = (key: string | undefined) =>
    key && typeof args[key] === "string" ? ((args[key] as string).toLowerCase() as `0x${string}`) : null;
  return { amount, from: address(fromKey), to: address(toKey) };
}

/** The Asia/Shanghai calendar day (UTC+8 all year) of a Unix time in seconds, as YYYY-MM-DD. */
export function shanghaiDay(unixSeconds: number): string {
  return new Date((unixSeconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}
