// The Transfer page's recipient field (web/src/names/recipientInput.ts): a shop's or a contact's
// name, or an account number, with proposals as she types.
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { type NamedPayee, nameKey, resolveRecipient, suggestRecipients } from "../../web/src/names/recipientInput";

const NOODLES = getAddress("0x1111111111111111111111111111111111111111");
const VEG = getAddress("0x2222222222222222222222222222222222222222");
const FRIEND = getAddress("0x3333333333333333333333333333333333333333");
const IMPOSTOR = getAddress("0x4444444444444444444444444444444444444444");

const payees: NamedPayee[] = [
  { name: "老王牛肉面", address: NOODLES, kind: "shop" },
  { name: "周记蔬菜", address: VEG, kind: "shop" },
  { name: "王阿姨", address: FRIEND, kind: "contact" },
  { name: "Lao Wang Noodles", address: NOODLES, kind: "contact" },
];

describe("resolveRecipient", () => {
  it("finds a registered shop by its exact name", () => {
    expect(resolveRecipient("老王牛肉面", payees)).toEqual({ kind: "named", payee: payees[0] });
    expect(resolveRecipient("  老王 牛肉面 ", payees)).toEqual({ kind: "named", payee: payees[0] });
  });

  it("finds a contact by name, ignoring case and full-width letters", () => {
    expect(resolveRecipient("王阿姨", payees)).toEqual({ kind: "named", payee: payees[2] });
    expect(resolveRecipient("ｌａｏ wang NOODLES", payees)).toMatchObject({
      kind: "named",
      payee: { address: NOODLES },
    });
  });

  it("says a name matches nobody, with what she typed", () => {
    expect(resolveRecipient("老李烧饼", payees)).toEqual({ kind: "notFound", text: "老李烧饼" });
    // Part of a name is not a recipient yet: it is proposed, not chosen.
    expect(resolveRecipient("老王", payees)).toEqual({ kind: "notFound", text: "老王" });
    expect(resolveRecipient("老王牛肉面", [])).toEqual({ kind: "notFound", text: "老王牛肉面" });
  });

  it("does not guess between two accounts of the same name", () => {
    const withImpostor: NamedPayee[] = [...payees, { name: "老王牛肉面", address: IMPOSTOR, kind: "contact" }];
    const r = resolveRecipient("老王牛肉面", withImpostor);
    expect(r.kind).toBe("ambiguous");
    if (r.kind === "ambiguous") expect(r.matches.map((m) => m.address).sort()).toEqual([NOODLES, IMPOSTOR].sort());
  });

  it("names the shop when a contact of the same name is the same account", () => {
    const both: NamedPayee[] = [{ name: "周记蔬菜", address: VEG, kind: "contact" }, ...payees];
    expect(resolveRecipient("周记蔬菜", both)).toEqual({ kind: "named", payee: payees[1] });
  });

  it("reads text starting with 0x as an account number, with the address checks' reasons", () => {
    expect(resolveRecipient(NOODLES.toLowerCase(), payees)).toEqual({ kind: "address", address: NOODLES });
    expect(resolveRecipient("0x12345", payees)).toEqual({ kind: "badAddress", error: "addressInvalid" });
    expect(resolveRecipient("0x0000000000000000000000000000000000000000", payees)).toEqual({
      kind: "badAddress",
      error: "addressZero",
    });
  });

  it("is empty for nothing typed", () => {
    expect(resolveRecipient("   ", payees)).toEqual({ kind: "empty" });
  });
});

describe("suggestRecipients", () => {
  it("proposes the names containing what she typed, exact and starting matches first", () => {
    expect(suggestRecipients("王", payees).map((p) => p.name)).toEqual(["王阿姨", "老王牛肉面"]);
    expect(suggestRecipients("老王", payees).map((p) => p.name)).toEqual(["老王牛肉面"]);
    expect(suggestRecipients("wang", payees).map((p) => p.name)).toEqual(["Lao Wang Noodles"]);
  });

  it("proposes nothing for an account number, nothing typed or no match", () => {
    expect(suggestRecipients("0x11", payees)).toEqual([]);
    expect(suggestRecipients("", payees)).toEqual([]);
    expect(suggestRecipients("烧饼", payees)).toEqual([]);
  });

  it("lists each account once and at most the limit", () => {
    const many: NamedPayee[] = Array.from({ length: 8 }, (_, i) => ({
      name: `店${i}`,
      address: getAddress(`0x${String(i + 1).repeat(40)}`.slice(0, 42)),
      kind: "shop" as const,
    }));
    expect(suggestRecipients("店", [...many, ...many])).toHaveLength(5);
    expect(suggestRecipients("店", [...many, ...many], 10)).toHaveLength(8);
  });

  it("compares names by one key", () => {
    expect(nameKey("Ｌａｏ  Wang")).toBe(nameKey("lao wang"));
  });
});
