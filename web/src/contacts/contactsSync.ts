// Two-way sync of this device's contacts with the city service (the shared copy a resident sees on
// every device). Runs after sign-in, after each local edit while signed in, when the tab regains
// focus and every so often; the merge rule itself is in contactsMerge.ts.

import type { Contact as ServiceContact } from "@core/api";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { CityServiceError, deleteContact, getContacts, putContact } from "../service/cityService";
import { CITY_SESSION_KEY } from "../service/useCitySession";
import { hasPendingChanges, mergeContacts, settlePlan } from "./contactsMerge";
import { listContacts, listTombstones, replaceContacts, subscribeContacts } from "./contactsStore";

export type SyncOutcome = { ok: true; at: number } | { ok: false; error: unknown };

/** Rounds before giving up when the resident keeps editing while a sync is in flight. */
const MAX_ROUNDS = 3;
const PULL_EVERY_MS = 30_000;
const PUSH_DEBOUNCE_MS = 300;

const inFlight = new Map<string, Promise<SyncOutcome>>();
/** Set while sync itself writes the store, so that write does not schedule another sync. */
let writingFromSync = false;

/** Syncs once (or joins the sync already running for this owner). */
export function syncContacts(owner: Address): Promise<SyncOutcome> {
  const k = owner.toLowerCase();
  const running = inFlight.get(k);
  if (running) return running;
  const p = runSync(owner).finally(() => inFlight.delete(k));
  inFlight.set(k, p);
  return p;
}

async function runSync(owner: Address): Promise<SyncOutcome> {
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const local = listContacts(owner);
      const tombstones = listTombstones(owner);
      const plan = mergeContacts(local, tombstones, await getContacts(), () => crypto.randomUUID());
      const pushed = new Map<string, ServiceContact>();
      const removed = new Set<string>();
      let firstError: unknown;
      // One contact refused (say, a name the service finds too long) must not hold up the rest.
      for (const c of plan.push) {
        try {
          pushed.set(c.address.toLowerCase(), await putContact(c.address, c.name));
        } catch (error) {
          if (error instanceof CityServiceError && error.status === 401) throw error;
          firstError ??= error;
        }
      }
      for (const t of plan.remove) {
        try {
          await deleteContact(t.address);
          removed.add(t.address.toLowerCase());
        } catch (error) {
          if (error instanceof CityServiceError && error.status === 401) throw error;
          firstError ??= error;
        }
      }
      // Edited meanwhile: the plan was made from an old list, so merge again from the new one.
      if (listContacts(owner) !== local || listTombstones(owner) !== tombstones) continue;
      const settled = settlePlan(plan, pushed, removed);
      writingFromSync = true;
      try {
        replaceContacts(owner, settled.contacts, settled.tombstones);
      } finally {
        writingFromSync = false;
      }
      return firstError === undefined ? { ok: true, at: Date.now() } : { ok: false, error: firstError };
    }
    return { ok: true, at: Date.now() };
  } catch (error) {
    return { ok: false, error };
  }
}

export type SyncStatus =
  | { state: "off" }
  | { state: "syncing" }
  | { state: "synced"; at: number }
  | { state: "failed"; error: unknown };

/** Keeps the owner's contacts in sync while `signedIn`; returns the latest outcome and a "sync now". */
export function useContactsSync(
  owner: Address | undefined,
  signedIn: boolean,
): { status: SyncStatus; syncNow: () => void } {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SyncStatus>({ state: "off" });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const run = useCallback(async () => {
    if (!owner) return;
    setStatus((s) => (s.state === "synced" ? s : { state: "syncing" }));
    const outcome = await syncContacts(owner);
    if (outcome.ok) setStatus({ state: "synced", at: outcome.at });
    else {
      setStatus({ state: "failed", error: outcome.error });
      // The session ended (expired, or signed out elsewhere): let every page know.
      if (outcome.error instanceof CityServiceError && outcome.error.status === 401)
        await queryClient.invalidateQueries({ queryKey: CITY_SESSION_KEY });
    }
  }, [owner, queryClient]);

  useEffect(() => {
    if (!owner || !signedIn) {
      setStatus({ state: "off" });
      return;
    }
    void run();
    const unsubscribe = subscribeContacts(() => {
      if (writingFromSync || !hasPendingChanges(listContacts(owner), listTombstones(owner))) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), PUSH_DEBOUNCE_MS);
    });
    const interval = setInterval(() => void run(), PULL_EVERY_MS);
    const onFocus = () => void run();
    window.addEventListener("focus", onFocus);
    return () => {
      unsubscribe();
      clearInterval(interval);
      clearTimeout(timer.current);
      window.removeEventListener("focus", onFocus);
    };
  }, [owner, signedIn, run]);

  return { status, syncNow: () => void run() };
}
