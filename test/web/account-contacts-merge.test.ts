// The contacts merge rule (web/src/contacts/contactsMerge.ts): union by address, the most recent
// edit of a name wins, a contact synced before and missing from the service was deleted elsewhere,
// and local deletions travel as tombstones until the service confirms them.
import { type Address, getAddress } from "viem";
import { describe, expect, it } from "vitest";
import {
  type Contact,
  hasPendingChanges,
  mergeContacts,
  type RemoteContact,
  settlePlan,
  type Tombstone,
} from "../../web/src/contacts/contactsMerge";

const A = getAddress("0x1111111111111111111111111111111111111111");
const B = getAddress("0x2222222222222222222222222222222222222222");
const C = getAddress("0x3333333333333333333333333333333333333333");

let ids = 0;
const newId = () => `new-${++ids}`;
const local = (address: Address, name: string, updatedAt: number, synced = false): Contact => ({
  id: `local-${name}`,
  name,
  address,
  createdAt: 1,
  updatedAt,
  synced,
});
const remote = (address: Address, name: string, updatedAt: number): RemoteContact => ({
  address,
  name,
  createdAt: 1,
  updatedAt,
});
const names = (contacts: Contact[]) => Object.fromEntries(contacts.map((c) => [c.address, c.name]));

describe("mergeContacts", () => {
  it("takes the union by address: local-only unsynced contacts are pushed, service-only ones taken", () => {
    const plan = mergeContacts([local(A, "王阿姨", 100)], [], [remote(B, "李明", 50)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "王阿姨", [B]: "李明" });
    expect(plan.push.map((c) => c.address)).toEqual([A]);
    expect(plan.remove).toEqual([]);
    expect(plan.contacts.find((c) => c.address === B)?.synced).toBe(true);
  });

  it("matches addresses whatever their letter case", () => {
    const lower = A.toLowerCase() as Address;
    const plan = mergeContacts([local(A, "王阿姨", 100, true)], [], [remote(lower, "王阿姨", 100)], newId);
    expect(plan.contacts).toHaveLength(1);
    expect(plan.push).toEqual([]);
  });

  it("lets a newer unsynced local rename win and pushes it", () => {
    const plan = mergeContacts([local(A, "阿姨", 200)], [], [remote(A, "王阿姨", 100)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "阿姨" });
    expect(plan.push.map((c) => c.name)).toEqual(["阿姨"]);
  });

  it("lets a newer service rename win over an older local edit, keeping the local id", () => {
    const plan = mergeContacts([local(A, "阿姨", 100)], [], [remote(A, "王阿姨", 200)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "王阿姨" });
    expect(plan.contacts[0]?.id).toBe("local-阿姨");
    expect(plan.push).toEqual([]);
  });

  it("gives a tie to the service, the shared copy", () => {
    const plan = mergeContacts([local(A, "阿姨", 100)], [], [remote(A, "王阿姨", 100)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "王阿姨" });
  });

  it("takes a service rename over a synced local copy even when the local timestamp is later", () => {
    // Synced means the device has made no edit since; the service's name is simply newer news.
    const plan = mergeContacts([local(A, "王阿姨", 500, true)], [], [remote(A, "王姨", 300)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "王姨" });
    expect(plan.push).toEqual([]);
  });

  it("drops a synced contact the service no longer has (deleted on another device)", () => {
    const plan = mergeContacts([local(A, "王阿姨", 100, true), local(B, "李明", 100)], [], [], newId);
    expect(names(plan.contacts)).toEqual({ [B]: "李明" });
    expect(plan.push.map((c) => c.address)).toEqual([B]);
  });

  it("sends a local deletion newer than the service's copy, and keeps it off the list", () => {
    const tomb: Tombstone = { address: A, deletedAt: 300 };
    const plan = mergeContacts([], [tomb], [remote(A, "王阿姨", 100)], newId);
    expect(plan.contacts).toEqual([]);
    expect(plan.remove).toEqual([tomb]);
  });

  it("keeps a contact re-added or renamed on the service after the local deletion", () => {
    const plan = mergeContacts([], [{ address: A, deletedAt: 100 }], [remote(A, "王阿姨", 300)], newId);
    expect(names(plan.contacts)).toEqual({ [A]: "王阿姨" });
    expect(plan.remove).toEqual([]);
  });

  it("forgets a tombstone whose address the service does not have", () => {
    const plan = mergeContacts([], [{ address: C, deletedAt: 100 }], [], newId);
    const settled = settlePlan(plan, new Map(), new Set());
    expect(settled.tombstones).toEqual([]);
  });

  it("merges a device's signed-out edits with another device's list on sign-in", () => {
    // Phone (this device), signed out: renamed A, added C, deleted B. Computer: renamed A earlier, kept B.
    const phone = [local(A, "妈妈", 400), local(C, "张伟", 410)];
    const tombs = [{ address: B, deletedAt: 420 }];
    const service = [remote(A, "王阿姨（邻居）", 300), remote(B, "李明", 200)];
    const plan = mergeContacts(phone, tombs, service, newId);
    expect(names(plan.contacts)).toEqual({ [A]: "妈妈", [C]: "张伟" });
    expect(plan.push.map((c) => c.name).sort()).toEqual(["妈妈", "张伟"].sort());
    expect(plan.remove.map((t) => t.address)).toEqual([B]);
  });
});

describe("settlePlan", () => {
  it("marks accepted pushes synced with the service's time and keeps refused ones pending", () => {
    const plan = mergeContacts([local(A, "王阿姨", 100), local(B, "x".repeat(41), 100)], [], [], newId);
    const settled = settlePlan(plan, new Map([[A.toLowerCase(), remote(A, "王阿姨", 150)]]), new Set());
    const byAddress = new Map(settled.contacts.map((c) => [c.address, c]));
    expect(byAddress.get(A)).toMatchObject({ synced: true, updatedAt: 150 });
    expect(byAddress.get(B)?.synced).toBe(false);
    expect(hasPendingChanges(settled.contacts, settled.tombstones)).toBe(true);
  });

  it("keeps tombstones the service has not confirmed, and only those", () => {
    const tombs = [
      { address: A, deletedAt: 300 },
      { address: B, deletedAt: 300 },
    ];
    const plan = mergeContacts([], tombs, [remote(A, "a", 1), remote(B, "b", 1)], newId);
    const settled = settlePlan(plan, new Map(), new Set([A.toLowerCase()]));
    expect(settled.tombstones).toEqual([{ address: B, deletedAt: 300 }]);
    expect(hasPendingChanges(settled.contacts, settled.tombstones)).toBe(true);
  });

  it("leaves nothing pending once everything is confirmed", () => {
    const plan = mergeContacts([local(A, "王阿姨", 100)], [{ address: B, deletedAt: 300 }], [remote(B, "b", 1)], newId);
    const settled = settlePlan(
      plan,
      new Map([[A.toLowerCase(), remote(A, "王阿姨", 150)]]),
      new Set([B.toLowerCase()]),
    );
    expect(hasPendingChanges(settled.contacts, settled.tombstones)).toBe(false);
  });
});
