// Address look-alikes (poisoning) and address input checks.
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { findLookalike, findLookalikes, hexDistance, looksLike } from "../../core/lookalike";
import { parseAddressInput } from "../../web/src/lib/addressInput";

const friend = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
// Same first 4 and last 4 hex characters, different middle: what a poisoner generates.
const poison = getAddress("0x7099aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa79c8");
const other = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");

describe("looksLike", () => {
  it("flags same ends with a different middle, case-insensitively", () => {
    expect(looksLike(poison, friend)).toBe(true);
    expect(looksLike(poison.toLowerCase() as `0x${string}`, friend)).toBe(true);
  });
  it("does not flag the address itself or an unrelated one", () => {
    expect(looksLike(friend, friend)).toBe(false);
    expect(looksLike(other, friend)).toBe(false);
  });
  it("needs both ends to match", () => {
    expect(looksLike(getAddress("0x7099aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa79c9"), friend)).toBe(false);
    expect(looksLike(getAddress("0x7098aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa79c8"), friend)).toBe(false);
  });
  it("finds which contacts an address imitates", () => {
    const contacts = [
      { name: "李明", address: friend },
      { name: "张伟", address: other },
    ];
    expect(findLookalikes(poison, contacts).map((c) => c.name)).toEqual(["李明"]);
    expect(findLookalikes(friend, contacts)).toEqual([]);
  });
});

describe("parseAddressInput", () => {
  it("accepts lower-case and checksummed addresses, returning the checksum form", () => {
    expect(parseAddressInput(` ${friend.toLowerCase()} `)).toEqual({ ok: true, address: friend });
    expect(parseAddressInput(friend)).toEqual({ ok: true, address: friend });
  });
  it("refuses malformed, mis-checksummed and zero addresses", () => {
    expect(parseAddressInput("0x1234")).toEqual({ ok: false, error: "addressInvalid" });
    expect(parseAddressInput("hello")).toEqual({ ok: false, error: "addressInvalid" });
    expect(parseAddressInput(`${friend}0`)).toEqual({ ok: false, error: "addressInvalid" });
    const flipped = friend.replace(/[a-f]/, (c) => c.toUpperCase());
    expect(parseAddressInput(flipped)).toEqual({ ok: false, error: "addressChecksum" });
    expect(parseAddressInput(`0x${"0".repeat(40)}`)).toEqual({ ok: false, error: "addressZero" });
  });
});

describe("findLookalike: one character off, or the same ends", () => {
  const shop = getAddress("0x2546bcd3c84621e976d8185a91a922ae77ecec30");
  const known = [
    { address: friend, name: "李明" },
    { address: shop, name: "老王牛肉面" },
  ];

  it("stops an address one character away, in any letter case, and says where", () => {
    const typo = "0x2546bcd3c84621e976d8185a91a922ae77ecec31";
    expect(hexDistance(typo, shop)).toBe(1);
    expect(findLookalike(typo, known)).toEqual({ known: known[1], kind: "oneChar", position: 40 });
    const early = `0x2546bcd3c84621e976d8185a91a922ae77ecec30`.replace("2546", "2556");
    expect(findLookalike(early, known)).toMatchObject({ kind: "oneChar", position: 3 });
  });

  it("calls an address with the same ends a look-alike, and the same address in another case none", () => {
    expect(findLookalike(poison, known)).toEqual({ known: known[0], kind: "edges" });
    expect(findLookalike(shop.toLowerCase(), known)).toBeUndefined();
    expect(findLookalike(shop.toUpperCase().replace("0X", "0x"), known)).toBeUndefined();
    expect(findLookalike(other, known)).toBeUndefined();
  });

  it("prefers the one-character match (the more alarming) over same ends", () => {
    const nearFriend = `${friend.toLowerCase().slice(0, 20)}${friend.toLowerCase()[20] === "0" ? "1" : "0"}${friend
      .toLowerCase()
      .slice(21)}`;
    expect(findLookalike(nearFriend, known)?.kind).toBe("oneChar");
    expect(hexDistance(nearFriend, friend)).toBe(1);
    expect(hexDistance("0x12", friend)).toBe(40);
  });
});
