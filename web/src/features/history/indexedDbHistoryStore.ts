// The history cache in IndexedDB (entries hold bigints, which IndexedDB stores natively). The
// store's shape and the in-memory fallback live in core/history/historyStore.ts.
import { CACHE_VERSION, type CachedHistory, type HistoryStore, memoryHistoryStore } from "@core/history/historyStore";

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
