// How this device's contacts and the city service's copy become one list again. Pure, so the
// rule is tested on its own (test/web/account-contacts-merge.test.ts).
//
// The rule, per address (a contact is keyed by its address, as on the service):
// - Both sides have it: a local edit not yet synced wins if it is more recent than the service's
//   copy; otherwise the service's copy wins (another device renamed it later). Same name: nothing
//   to do.
// - Only this device has it: if it was synced before, another device deleted it, so it goes; if it
//   was never synced (added while signed out, or the push failed), it is pushed.
// - Only the service has it: a local deletion (tombstone) newer than the service's last edit
//   deletes it there; otherwise it is taken (added elsewhere, or re-added after the deletion).
// - A tombstone whose address the service does not have is done and dropped.
// "More recent" compares the device's and the service's clocks; a tie goes to the service, the
// shared copy. Tombstones stay on the device until the service confirms the deletion.
import { type Address, getAddress } from "viem";

export type Contact = {
  id: string;
  name: string;
  address: Address;
  createdAt: number;
  updatedAt: number;
  /** True while the service is known to hold exactly this name for this address. */
  synced?: boolean;
};

/** A contact deleted on this device, remembered until the service has deleted it too. */
export type Tombstone = { address: Address; deletedAt: number };

export type RemoteContact = { address: Address; name: string; createdAt: number; updatedAt: number };

export type MergePlan = {
  /** The list this device should show once the plan is carried out. */
  contacts: Contact[];
  /** Local contacts the service must be told about (PUT). */
  push: Contact[];
  /** Local deletions the service must carry out (DELETE). */
  remove: Tombstone[];
};

const key = (address: string) => address.toLowerCase();

export function mergeContacts(
  local: readonly Contact[],
  tombstones: readonly Tombstone[],
  remote: readonly RemoteContact[],
  newId: () => string,
): MergePlan {
  const localBy = new Map(local.map((c) => [key(c.address), c]));
  const remoteBy = new Map(remote.map((c) => [key(c.address), c]));
  const tombBy = new Map<string, Tombstone>();
  for (const t of tombstones) {
    const prior = tombBy.get(key(t.address));
    if (!prior || prior.deletedAt < t.deletedAt) tombBy.set(key(t.address), t);
  }

  const contacts: Contact[] = [];
  const push: Contact[] = [];
  const remove: Tombstone[] = [];
  const fromRemote = (r: RemoteContact, id?: string): Contact => ({
    id: id ?? newId(),
    name: r.name,
    address: getAddress(r.address),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    synced: true,
  });

  for (const [k, l] of localBy) {
    const r = remoteBy.get(k);
    if (r === undefined) {
      if (l.synced) continue; // deleted on another device
      contacts.push(l);
      push.push(l);
    } else if (l.name === r.name) {
      contacts.push({ ...l, updatedAt: Math.max(l.updatedAt, r.updatedAt), synced: true });
    } else if (!l.synced && l.updatedAt > r.updatedAt) {
      contacts.push(l);
      push.push(l);
    } else {
      contacts.push(fromRemote(r, l.id));
    }
  }

  for (const [k, r] of remoteBy) {
    if (localBy.has(k)) continue;
    const t = tombBy.get(k);
    if (t !== undefined && t.deletedAt > r.updatedAt) remove.push(t);
    else contacts.push(fromRemote(r));
  }

  return { contacts: sortByName(contacts), push, remove };
}

/**
 * The device's list and tombstones after carrying out a plan: pushes the service accepted become
 * synced (with the service's timestamp), the others stay pending; deletions it confirmed are
 * forgotten, the others stay as tombstones for the next sync.
 */
export function settlePlan(
  plan: MergePlan,
  pushed: ReadonlyMap<string, RemoteContact>,
  removed: ReadonlySet<string>,
): { contacts: Contact[]; tombstones: Tombstone[] } {
  const contacts = plan.contacts.map((c) => {
    const accepted = pushed.get(key(c.address));
    return accepted && accepted.name === c.name ? { ...c, updatedAt: accepted.updatedAt, synced: true } : c;
  });
  return { contacts, tombstones: plan.remove.filter((t) => !removed.has(key(t.address))) };
}

export function sortByName<T extends { name: string }>(contacts: T[]): T[] {
  return [...contacts].sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the device holds edits the service has not confirmed yet. */
export function hasPendingChanges(contacts: readonly Contact[], tombstones: readonly Tombstone[]): boolean {
  return tombstones.length > 0 || contacts.some((c) => !c.synced);
}
