// The in-browser friends tree (core/friendsTree.ts) against OpenZeppelin's own library
// (@openzeppelin/merkle-tree StandardMerkleTree of ["address"]): the same root and the same proof
// for every friend, whatever the number of friends and their order, so RedPacket.claimWithProof
// (OZ MerkleProof) accepts what the dApp builds exactly as it would accept a tree built by OZ.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Address, Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { buildFriendsTree } from "../../core/friendsTree";

const people = (n: number, from = 1): Address[] =>
  Array.from({ length: n }, (_, i) => privateKeyToAddress(`0x${(from + i).toString(16).padStart(64, "0")}` as Hex));

describe("friends tree = OpenZeppelin StandardMerkleTree", () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 13, 64, 500])("%i friends: same root and same proofs", (n) => {
    const friends = people(n, n * 1000);
    const ours = buildFriendsTree(friends);
    const oz = StandardMerkleTree.of(
      friends.map((a) => [a]),
      ["address"],
    );
    expect(ours.root).toBe(oz.root);
    for (const [i, [address]] of oz.entries()) {
      expect(ours.proofFor(address as Address)).toEqual(oz.getProof(i));
    }
  });

  it("the order friends are ticked in changes neither tree", () => {
    const friends = people(9);
    const reversed = [...friends].reverse();
    expect(buildFriendsTree(reversed).root).toBe(
      StandardMerkleTree.of(
        friends.map((a) => [a]),
        ["address"],
      ).root,
    );
  });
});
