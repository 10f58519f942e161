// The web-standard globals core/ may use: each exists in browsers and in Node 22 alike. Only
// core/tsconfig.json reads this file (web and the root project see the full DOM and Node types),
// so a use of anything else (document, localStorage, node:fs, Buffer) fails `tsc -p core`.

declare function setTimeout(callback: (...args: unknown[]) => void, ms?: number): unknown;

declare const performance: { now(): number };

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}

declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

declare function fetch(
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
): Promise<FetchResponse>;

/** Only its timeout: a request that takes longer is aborted (core/indexer/indexerClient.ts). */
interface AbortSignal {
  readonly aborted: boolean;
}
declare const AbortSignal: { timeout(ms: number): AbortSignal };

declare class URLSearchParams {
  constructor(init?: string);
  get(name: string): string | null;
}

declare class URL {
  constructor(url: string, base?: string);
  readonly hash: string;
  readonly searchParams: URLSearchParams;
}
