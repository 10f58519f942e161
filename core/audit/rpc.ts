// A minimal JSON-RPC client over fetch that sends many calls in one HTTP request (a JSON-RPC
// batch), several requests at a time. The audit reads thousands of balances and hundreds of
// log ranges; one round trip per read would dominate its running time. Nodes that refuse batches
// get the same calls one by one.
export interface RpcCall {
  method: string;
  params: unknown[];
}

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = "RpcError";
  }
}

interface Reply {
  id: number;
  result?: unknown;
  error?: { code?: number; message: string };
}

export interface RpcClientOptions {
  /** Calls per HTTP request (default 500). */
  batchSize?: number;
  /** HTTP requests in flight at once (default 4). */
  concurrency?: number;
  fetch?: typeof fetch;
}

export interface RpcClient {
  call<T>(method: string, params: unknown[]): Promise<T>;
  /** Results in the order of `calls`; throws the first error. */
  batch<T>(calls: RpcCall[]): Promise<T[]>;
  /** Same as batch, but each result or error is returned in place. */
  batchSettled(calls: RpcCall[]): Promise<({ ok: true; result: unknown } | { ok: false; error: RpcError })[]>;
}

export function createRpcClient(url: string, options: RpcClientOptions = {}): RpcClient {
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 4;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let batchesRefused = false;

  async function post(body: unknown): Promise<unknown> {
    const response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new RpcError("http", response.status, `HTTP ${response.status} from ${url}`);
    return response.json();
  }

  async function sendChunk(calls: RpcCall[]): Promise<Reply[]> {
    if (!batchesRefused) {
      const replies = await post(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call })));
      if (Array.isArray(replies)) return replies as Reply[];
      batchesRefused = true;
    }
    return Promise.all(
      calls.map(async (call, id) => ({ ...((await post({ jsonrpc: "2.0", id, ...call })) as Reply), id })),
    );
  }

  async function batchSettled(calls: RpcCall[]) {
    const results: ({ ok: true; result: unknown } | { ok: false; error: RpcError })[] = new Array(calls.length);
    const chunks: number[] = [];
    for (let start = 0; start < calls.length; start += batchSize) chunks.push(start);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const start = chunks[next++];
        const chunk = calls.slice(start, start + batchSize);
        const replies = await sendChunk(chunk);
        for (const reply of replies) {
          const call = chunk[reply.id];
          if (!call) continue;
          results[start + reply.id] = reply.error
            ? { ok: false, error: new RpcError(call.method, reply.error.code, reply.error.message) }
            : { ok: true, result: reply.result };
        }
        for (let i = 0; i < chunk.length; i++) {
          results[start + i] ??= { ok: false, error: new RpcError(chunk[i].method, undefined, "no reply") };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
    return results;
  }

  return {
    batchSettled,
    async batch<T>(calls: RpcCall[]) {
      const settled = await batchSettled(calls);
      return settled.map((entry) => {
        if (!entry.ok) throw entry.error;
        return entry.result as T;
      });
    },
    async call<T>(method: string, params: unknown[]) {
      const [result] = await this.batch<T>([{ method, params }]);
      return result;
    },
  };
}
