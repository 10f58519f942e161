// Named-friends red packets: the Merkle tree of the friends (OpenZeppelin StandardMerkleTree of
// ["address"]), its proofs checked with a copy of MerkleProof.processProof, roots checked against
// ones computed by hand with ethers, and the friends list carried in the claim link.
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import type { Address, Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { buildFriendsTree, friendLeaf, processProof, verifyFriend } from "../../core/friendsTree";
import { buildClaimLink, parseClaimPath, parseFriendList } from "../../web/src/features/redpackets/link";
import { checkPacketForm, type PacketFormInput } from "../../web/src/features/redpackets/packetForm";

const CONTRACT = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" as Address;
/** Deterministic distinct addresses, as wallets would give them. */
const people = (n: number, from = 1): Address[] =>
  Array.from({ length: n }, (_, i) => privateKeyToAddress(`0x${(from + i).toString(16).padStart(64, "0")}` as Hex));

/** The leaf and the sorted pair hash written out with ethers, independently of the module. */
const handLeaf = (a: Address) => ethersKeccak(ethersKeccak(AbiCoder.defaultAbiCoder().encode(["address"], [a])));
const handPair = (x: string, y: string) =>
  BigInt(x) < BigInt(y) ? ethersKeccak(`0x${x.slice(2)}${y.slice(2)}`) : ethersKeccak(`0x${y.slice(2)}${x.slice(2)}`);

describe("friends tree", () => {
  it.each([1, 2, 3, 5, 10])("gives every one of %i friends a proof that MerkleProof accepts", (n) => {
    const friends = people(n);
    const tree = buildFriendsTree(friends);
    for (const friend of friends) {
      const proof = tree.proofFor(friend);
      expect(proof).toBeDefined();
      expect(verifyFriend(proof as Hex[], tree.root, friend)).toBe(true);
      // A proof is one friend's: it does not open the tree for another address.
      const other = friends.find((f) => f !== friend);
      if (other) expect(verifyFriend(proof as Hex[], tree.root, other)).toBe(false);
    }
    // Order and letter case of the input do not change the root.
    const shuffled = [...friends].reverse().map((a) => a.toLowerCase());
    expect(buildFriendsTree(shuffled).root).toBe(tree.root);
  });

  it("gives no proof to someone outside the tree, and no forged proof passes", () => {
    const tree = buildFriendsTree(people(5));
    const stranger = people(1, 99)[0] as Address;
    expect(tree.proofFor(stranger)).toBeUndefined();
    const borrowed = tree.proofFor(people(1)[0] as Address) as Hex[];
    expect(verifyFriend(borrowed, tree.root, stranger)).toBe(false);
    expect(verifyFriend([], tree.root, stranger)).toBe(false);
  });

  it("matches a root computed by hand for two friends (what RedPacket.claimWithProof checks)", () => {
    const [a, b] = people(2) as [Address, Address];
    expect(friendLeaf(a)).toBe(handLeaf(a));
    const tree = buildFriendsTree([a, b]);
    expect(tree.root).toBe(handPair(handLeaf(a), handLeaf(b)));
    expect(tree.proofFor(a)).toEqual([handLeaf(b)]);
    expect(tree.proofFor(b)).toEqual([handLeaf(a)]);
  });

  it("lays three friends out as StandardMerkleTree does (sorted leaves, array tree)", () => {
    const friends = people(3);
    const [h0, h1, h2] = friends.map(handLeaf).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)) as [
      string,
      string,
      string,
    ];
    // tree = [root, pair(tree[3], tree[4]), h2, h1, h0]
    expect(buildFriendsTree(friends).root).toBe(handPair(handPair(h1, h0), h2));
  });

  it("one friend's root is their leaf, with an empty proof", () => {
    const [a] = people(1) as [Address];
    const tree = buildFriendsTree([a]);
    expect(tree.root).toBe(handLeaf(a));
    expect(tree.proofFor(a)).toEqual([]);
    expect(processProof([], friendLeaf(a))).toBe(tree.root);
  });

  it("refuses an empty list, a repeated friend and a non-address", () => {
    const [a] = people(1) as [Address];
    expect(() => buildFriendsTree([])).toThrow(/at least one/);
    expect(() => buildFriendsTree([a, a.toLowerCase()])).toThrow(/twice/);
    expect(() => buildFriendsTree([a, "0x1234"])).toThrow(/not an address/);
  });
});

describe("named-friends claim links", () => {
  it("carries the friends list in the fragment and reads it back", () => {
    const friends = people(3);
    const url = buildClaimLink("http://127.0.0.1:5173/#/redpackets", {
      chainId: 31337,
      contract: CONTRACT,
      packetId: 9n,
      friends: friends.map((f) => f.toLowerCase() as Address),
    });
    expect(url).toBe(`http://127.0.0.1:5173/#/redpackets/claim/31337/${CONTRACT}/9/friends/${friends.join(",")}`);
    const parsed = parseClaimPath(url.split("#/redpackets/claim/")[1] as string);
    expect(parsed).toEqual({ ok: true, link: { chainId: 31337, contract: CONTRACT, packetId: 9n, friends } });
  });

  it("refuses to build a link with both a key and friends, or with a bad list", () => {
    const base = { chainId: 31337, contract: CONTRACT, packetId: 1n };
    const key = `0x${"1".repeat(64)}` as Hex;
    expect(() => buildClaimLink("http://x/", { ...base, key, friends: people(2) })).toThrow(/not both/);
    expect(() => buildClaimLink("http://x/", { ...base, friends: [] })).toThrow(/empty/);
  });

  const [a, b] = people(2) as [Address, Address];
  it.each([
    [`31337/${CONTRACT}/1/friends`, "no list"],
    [`31337/${CONTRACT}/1/friends/`, "empty list"],
    [`31337/${CONTRACT}/1/friends/${a},`, "trailing comma"],
    [`31337/${CONTRACT}/1/friends/${a},,${b}`, "empty entry"],
    [`31337/${CONTRACT}/1/friends/${a},0x1234`, "short address"],
    [`31337/${CONTRACT}/1/friends/${a}, ${b}`, "space"],
    [`31337/${CONTRACT}/1/friends/${a},${a.toLowerCase()}`, "repeated friend"],
    [`31337/${CONTRACT}/1/friends/${a}/extra`, "extra part"],
    [`31337/${CONTRACT}/0/friends/${a},${b}`, "id zero"],
    [`x/${CONTRACT}/1/friends/${a},${b}`, "chain not a number"],
  ])("refuses a malformed friends link (%s: %s)", (rest) => {
    expect(parseClaimPath(rest)).toEqual({ ok: false, problem: "malformed" });
  });

  it("says why a friends list cannot be read", () => {
    expect(parseFriendList("")).toEqual({ ok: false, reason: "empty" });
    expect(parseFriendList(`${a},nope`)).toEqual({ ok: false, reason: "notAnAddress", entry: "nope" });
    expect(parseFriendList(`${a},${a}`)).toEqual({ ok: false, reason: "duplicate", entry: a });
    expect(parseFriendList(people(501).join(","))).toEqual({ ok: false, reason: "tooMany" });
  });
});

describe("the named-friends form", () => {
  const limits = { maxTotal: 20_000n, maxShares: 100n, defaultDuration: 86_400n, maxDuration: 7n * 86_400n };
  const base: PacketFormInput = {
    audience: "friends",
    amount: "10",
    shares: "3",
    mode: "equal",
    greeting: "",
    hours: "",
    friends: people(3),
  };
  const check = (patch: Partial<PacketFormInput>) => checkPacketForm({ ...base, ...patch }, limits, "恭喜发财");

  it("plans one share per friend, or fewer (first come, first served)", () => {
    expect(check({})).toMatchObject({ ok: true, plan: { shares: 3n, mode: "equal" } });
    expect(check({ shares: "2", mode: "random" })).toMatchObject({ ok: true, plan: { shares: 2n, mode: "random" } });
  });

  it("needs at least two friends and no more shares than friends", () => {
    expect(check({ friends: people(1), shares: "1" })).toEqual({ ok: false, errors: { friends: "friendsTooFew" } });
    expect(check({ friends: [], shares: "0" })).toEqual({
      ok: false,
      errors: { friends: "friendsTooFew", shares: "sharesInvalid" },
    });
    expect(check({ shares: "4" })).toEqual({ ok: false, errors: { shares: "sharesOverFriends" } });
  });
});
