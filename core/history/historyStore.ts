// Where the history page keeps what it already read: per chain, token contract and account, the
// entries and the block range they cover, plus the hash of the newest block read so a reset chain
// (a fresh `npm start`) is noticed and the stale cache dropped. The dApp keeps it in IndexedDB
// (web/src/features/history/indexedDbHistoryStore.ts); tests and the benchmark use the Map here.
import type { Address, Hex } from "viem";
import type { HistoryEntry } from "./assemble";

export type CachedHistory = {
  version: typeof CACHE_VERSION;
  entries: HistoryEntry[];
  /** Every block in [bottom, top] has been read. */
  top: bigint;
  bottom: bigint;
  topHash: Hex;
};

export interface HistoryStore {
  load(key: string): Promise<CachedHistory | undefined>;
  save(key: string, value: CachedHistory): Promise<void>;
  remove(key: string): Promise<void>;
}

export const CACHE_VERSION = 2;

export function historyCacheKey(chainId: number, token: Address, account: Address): string {
  return `hcy.history.v${CACHE_VERSION}:${chainId}:${token.toLowerCase()}:${account.toLowerCase()}`;
}

export function memoryHistoryStore(): HistoryStore {
  const map = new Map<string, CachedHistory>();
  return {
    async load(key) {
      return map.get(key);
    },
    async save(key, value) {
      map.set(key, value);
    },
    async remove(key) {
      map.delete(key);
    },
  };
}
