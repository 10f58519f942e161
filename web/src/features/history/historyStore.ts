// Where the history page keeps what it already read: per chain, token contract and account, the
// entries and the block range they cover, plus the hash of the newest block read so a reset chain
// (a fresh `npm start`) is noticed and the stale cache dropped. IndexedDB in the browser (entries
// hold bigints, which IndexedDB stores natively), a Map elsewhere (tests, benchmark).
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

export const CACHE_VERSION = 1;

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

const DB_NAME = "hcy-history";
const STORE = "accounts";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * IndexedDB-backed store. Falls back to memory when IndexedDB is unavailable (private mode in some
 * browsers): the history still works, it is just read again next time.
 */
export function indexedDbHistoryStore(): HistoryStore {
  if (typeof indexedDB === "undefined") return memoryHistoryStore();
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return db;
  };
  const fallback = memoryHistoryStore();
  return {
    async load(key) {
      try {
        const value = (await request((await open()).transaction(STORE).objectStore(STORE).get(key))) as
          | CachedHistory
          | undefined;
        return value?.version === CACHE_VERSION ? value : undefined;
      } catch {
        return fallback.load(key);
      }
    },
    async save(key, value) {
      try {
        await request((await open()).transaction(STORE, "readwrite").objectStore(STORE).put(value, key));
      } catch {
        await fallback.save(key, value);
      }
    },
    async remove(key) {
      try {
        await request((await open()).transaction(STORE, "readwrite").objectStore(STORE).delete(key));
      } catch {
        await fallback.remove(key);
      }
    },
  };
}
