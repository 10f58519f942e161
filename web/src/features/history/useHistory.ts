// `useHistory(account)`: the account's movements, newest first, live. One loader per account for
// the whole app (Home's "latest movements" and the History page share it and its cache); it
// follows new blocks through the public client's block watcher. With VITE_INDEXER_URL set, the
// older part comes from the city's indexer and the newest blocks from the chain (the loader's
// snapshot says when the indexer is away or behind and the chain is read instead).

import type { HistoryContracts } from "@core/history/assemble";
import { HistoryLoader, type HistorySnapshot } from "@core/history/historyLoader";
import type { HistoryStore } from "@core/history/historyStore";
import { createIndexerClient, type IndexerClient } from "@core/indexer/indexerClient";
import { useEffect, useSyncExternalStore } from "react";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { deployment } from "../../contracts";
import { indexerUrl } from "../../env";
import { indexedDbHistoryStore } from "./indexedDbHistoryStore";

type Shared = { loader: HistoryLoader; users: number; unwatch?: () => void; started: boolean };
// `started`: the loader read its cache and began; later visits only refresh from where it is.

const shared = new Map<string, Shared>();
let store: HistoryStore | undefined;
let indexer: IndexerClient | undefined;

const EMPTY: HistorySnapshot = {
  entries: [],
  complete: false,
  loading: false,
  error: null,
  indexer: { state: "none" },
};

/** The city's indexer client, when one is configured for this build (shared by the pages that read it). */
export function cityIndexer(): IndexerClient | undefined {
  if (!indexerUrl || !deployment) return undefined;
  indexer ??= createIndexerClient({ url: indexerUrl, chainId: cityChain.id, cityYuan: deployment.contracts.CityYuan });
  return indexer;
}

export function historyContracts(): HistoryContracts | undefined {
  if (!deployment) return undefined;
  return {
    cityYuan: deployment.contracts.CityYuan,
    redPacket: deployment.contracts.RedPacket,
    vouchers: deployment.contracts.Vouchers,
    familyCards: deployment.contracts.FamilyCards,
    delayedTransfers: deployment.contracts.DelayedTransfers,
  };
}

function acquire(client: PublicClient, account: Address): Shared | undefined {
  const contracts = historyContracts();
  if (!contracts || !deployment) return undefined;
  const key = account.toLowerCase();
  let entry = shared.get(key);
  if (!entry) {
    store ??= indexedDbHistoryStore();
    const loader = new HistoryLoader({
      client,
      chainId: cityChain.id,
      account,
      contracts,
      deployBlock: BigInt(deployment.deployBlock),
      store,
      indexer: cityIndexer(),
    });
    entry = { loader, users: 0, started: false };
    shared.set(key, entry);
  }
  return entry;
}

export function useHistory(account: Address | undefined): HistorySnapshot & { refresh: () => void } {
  const client = usePublicClient({ chainId: cityChain.id });
  const entry = client && account ? acquire(client as PublicClient, account) : undefined;

  useEffect(() => {
    if (!entry || !client) return;
    entry.users++;
    if (!entry.started) {
      entry.started = true;
      void entry.loader.start();
    } else void entry.loader.refresh();
    if (!entry.unwatch) {
      entry.unwatch = client.watchBlockNumber({
        emitMissed: false,
        onBlockNumber: () => void entry.loader.refresh(),
        onError: () => undefined,
      });
    }
    return () => {
      entry.users--;
      // Keep the loader (and its entries) while the app runs; stop watching when nobody looks.
      if (entry.users === 0) {
        entry.unwatch?.();
        entry.unwatch = undefined;
      }
    };
  }, [entry, client]);

  const snapshot = useSyncExternalStore(
    (listener) => (entry ? entry.loader.subscribe(listener) : () => undefined),
    () => (entry ? entry.loader.snapshot : EMPTY),
    () => EMPTY,
  );
  return { ...snapshot, refresh: () => void entry?.loader.refresh() };
}
