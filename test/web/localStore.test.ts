// What the dApp keeps in the browser is read back through a shape check: damaged or hand-edited
// records are dropped (entry by entry), never passed on with the wrong types.
import { beforeEach, describe, expect, it } from "vitest";
import { loadRequests, saveRequests } from "../../web/src/features/merchant/paymentRequests";
import { readTransferNotes } from "../../web/src/features/transfer/transferNotes";
import { readStored, readStoredList, readStoredRecord, writeStored } from "../../web/src/lib/localStore";

const data = new Map<string, string>();
beforeEach(() => {
  data.clear();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
});

const isNumber = (v: unknown): v is number => typeof v === "number";
const shop = "0x00000000000000000000000000000000000000A2" as const;
const owner = "0x00000000000000000000000000000000000000B3" as const;

describe("localStore", () => {
  it("gives the fallback for a missing key, broken JSON, or a shape the parser refuses", () => {
    const parse = (raw: unknown) => (isNumber(raw) ? raw : undefined);
    expect(readStored("missing", parse, 7)).toBe(7);
    data.set("broken", "{not json");
    expect(readStored("broken", parse, 7)).toBe(7);
    data.set("wrong", JSON.stringify("text"));
    expect(readStored("wrong", parse, 7)).toBe(7);
    writeStored("right", 42);
    expect(readStored("right", parse, 7)).toBe(42);
  });

  it("keeps the valid entries of a list or a map and drops the rest", () => {
    data.set("list", JSON.stringify([1, "two", 3, null]));
    expect(readStoredList("list", isNumber)).toEqual([1, 3]);
    data.set("notAList", JSON.stringify({ a: 1 }));
    expect(readStoredList("notAList", isNumber)).toEqual([]);
    data.set("map", JSON.stringify({ a: 1, b: "x", c: 2 }));
    expect(readStoredRecord("map", isNumber)).toEqual({ a: 1, c: 2 });
    data.set("notAMap", JSON.stringify([1, 2]));
    expect(readStoredRecord("notAMap", isNumber)).toEqual({});
  });

  it("a shop's saved payment requests survive a damaged entry (it used to break the counter page)", () => {
    const good = { orderText: "A-1", orderRef: `0x${"12".repeat(32)}` as const, amountFen: 1250n, createdAt: 1 };
    saveRequests(shop, [good]);
    const key = [...data.keys()][0] as string;
    const stored = JSON.parse(data.get(key) as string);
    data.set(key, JSON.stringify([...stored, { orderText: "B-2", amountFen: "12.5" }, { amountFen: null }]));
    expect(loadRequests(shop)).toEqual([good]);
  });

  it("transfer notes skip entries that are not notes", () => {
    const note = { hash: `0x${"ab".repeat(32)}`, to: shop, fen: "100", note: "房租", at: 1 };
    data.set(`hcy.notes.v1.${owner.toLowerCase()}`, JSON.stringify({ [note.hash]: note, junk: 5 }));
    expect(readTransferNotes(owner)).toEqual({ [note.hash]: note });
  });
});
