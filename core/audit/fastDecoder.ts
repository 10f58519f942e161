// Decodes event logs straight from their topics and head words, driven by the ABI, without
// viem's general decoder. The audit replays every event of a deployment (100,000 and more), and
// viem's decodeEventLog costs too much per log for that; the events it needs carry only static
// values (addresses, uints, bytes32, enums) in their topics and head words. Dynamic values
// (strings, arrays, dynamic tuples) sit behind an offset and are left out here: callers that show
// them decode those few logs with viem (see decodeEventFull).
import { type Abi, type AbiEvent, decodeEventLog, type Hex, toEventSelector } from "viem";

/** A log as eth_getLogs returns it (hex quantities), before any formatting. */
export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  blockTimestamp?: Hex;
}

export type DecodedArgs = Record<string, bigint | boolean | Hex | number>;

type Reader = (log: RawLog) => bigint | boolean | Hex | number;

const WORD = 64; // hex characters in a 32-byte word

function staticReader(type: string, word: (log: RawLog) => string): Reader | undefined {
  if (type === "address") return (log) => `0x${word(log).slice(24)}` as Hex;
  if (type === "bool") return (log) => word(log).endsWith("1");
  if (type === "bytes32") return (log) => `0x${word(log)}` as Hex;
  if (/^uint\d*$/.test(type)) return (log) => BigInt(`0x${word(log)}`);
  if (/^int\d*$/.test(type)) {
    const bits = Number(type.slice(3) || 256);
    return (log) => BigInt.asIntN(bits, BigInt(`0x${word(log)}`));
  }
  return undefined;
}

/**
 * The same readers for an indexed value, straight from its topic: a topic as nodes send it is
 * "0x" and 64 hex digits, so an address is its last 40 and a number the whole topic (no padding or
 * second slice per log: the audit decodes hundreds of thousands). A topic of another length falls
 * back to the padded word.
 */
function topicReader(type: string, at: number): Reader | undefined {
  const padded = (log: RawLog) => (log.topics[at] ?? "0x").slice(2).padStart(WORD, "0");
  const full = (log: RawLog) => {
    const topic = log.topics[at];
    return topic !== undefined && topic.length === WORD + 2 ? topic : `0x${padded(log)}`;
  };
  if (type === "address") {
    return (log) => {
      const topic = log.topics[at];
      return (
        topic !== undefined && topic.length === WORD + 2 ? `0x${topic.slice(26)}` : `0x${padded(log).slice(24)}`
      ) as Hex;
    };
  }
  if (type === "bytes32") return (log) => full(log) as Hex;
  if (/^uint\d*$/.test(type)) return (log) => BigInt(full(log));
  return staticReader(type, padded);
}

/** Whether an ABI type takes exactly one head word (dynamic types and static tuples do not). */
function isSingleWordStatic(type: string): boolean {
  return staticReader(type, () => "") !== undefined;
}

export interface FastEventDecoder {
  eventName: string;
  selector: Hex;
  decode(log: RawLog): DecodedArgs;
}

/**
 * Builds a decoder for one event. Indexed parameters come from the topics (a dynamic indexed
 * value is its hash); each non-indexed parameter takes one head word, read when it is a static
 * single-word type and skipped otherwise. A static tuple or fixed array would shift every head
 * word after it, so such events are refused here rather than decoded wrongly.
 */
export function fastDecoderFor(event: AbiEvent): FastEventDecoder {
  const readers: [string, Reader][] = [];
  let topic = 1;
  let head = 0;
  for (const input of event.inputs) {
    const name = input.name ?? "";
    if (input.indexed) {
      const at = topic++;
      const reader = topicReader(input.type, at);
      readers.push([name, reader ?? ((log) => log.topics[at] as Hex)]);
      continue;
    }
    if (input.type.startsWith("tuple") && !input.type.endsWith("]") && !hasDynamic(input)) {
      throw new Error(`fastDecoderFor: ${event.name}.${name} is a static tuple`);
    }
    if (/\[\d+\]$/.test(input.type)) throw new Error(`fastDecoderFor: ${event.name}.${name} is a fixed array`);
    const at = head++;
    if (!isSingleWordStatic(input.type)) continue;
    const from = 2 + at * WORD;
    const reader = staticReader(input.type, (log) => log.data.slice(from, from + WORD));
    if (reader) readers.push([name, reader]);
  }
  return {
    eventName: event.name,
    selector: toEventSelector(event),
    decode(log) {
      const args: DecodedArgs = {};
      for (const [name, read] of readers) args[name] = read(log);
      return args;
    },
  };
}

function hasDynamic(input: { type: string; components?: readonly { type: string; components?: unknown }[] }): boolean {
  if (input.type === "string" || input.type === "bytes" || input.type.endsWith("[]")) return true;
  return (input.components ?? []).some((c) => hasDynamic(c as typeof input));
}

/** Every argument, dynamic ones included, through viem: for the few logs a page shows in full. */
export function decodeEventFull(abi: Abi, log: RawLog): Record<string, unknown> {
  const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: false });
  return (decoded.args ?? {}) as Record<string, unknown>;
}
