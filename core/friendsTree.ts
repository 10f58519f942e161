// The Merkle tree of a "named friends" red packet, built in the browser from the friends' addresses
// exactly as OpenZeppelin's StandardMerkleTree of ["address"] builds it, so the root is the one the
// OZ library would give and RedPacket.claimWithProof (OZ MerkleProof) accepts our proofs:
// - a leaf is keccak256(bytes.concat(keccak256(abi.encode(address)))), double hashed so that no
//   inner node can pass for a leaf (second-preimage attack);
// - leaves are sorted by hash and laid out as a complete binary tree in one array (the root at 0,
//   children of i at 2i+1 and 2i+2, leaves at the end in reverse order);
// - a parent is the hash of its two children in ascending order (OZ's commutative hashPair).
// Pure: everything here is tested against a hand-computed root and a MerkleProof.processProof copy.
import { type Address, concat, encodeAbiParameters, getAddress, type Hex, isAddress, keccak256 } from "viem";

/** The StandardMerkleTree leaf of one address. */
export function friendLeaf(address: Address): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: "address" }], [address])));
}

/** OZ Hashes.commutativeKeccak256: the smaller hash first. */
export function hashPair(a: Hex, b: Hex): Hex {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

export type FriendsTree = { root: Hex; friends: Address[]; proofFor: (address: Address) => Hex[] | undefined };

/**
 * Builds the tree of at least one friend. Addresses are checksummed; a repeated address is refused
 * (one person is one leaf, and the contract lets each address claim once anyway).
 */
export function buildFriendsTree(addresses: readonly string[]): FriendsTree {
  if (addresses.length === 0) throw new Error("a friends tree needs at least one address");
  const friends = addresses.map((a) => {
    if (!isAddress(a, { strict: false })) throw new Error(`not an address: ${a}`);
    return getAddress(a);
  });
  if (new Set(friends).size !== friends.length) throw new Error("an address appears twice");

  const leaves = friends.map((address) => ({ address, hash: friendLeaf(address) }));
  leaves.sort((x, y) => (BigInt(x.hash) < BigInt(y.hash) ? -1 : BigInt(x.hash) > BigInt(y.hash) ? 1 : 0));
  const tree: Hex[] = new Array(2 * leaves.length - 1);
  leaves.forEach((leaf, i) => {
    tree[tree.length - 1 - i] = leaf.hash;
  });
  for (let i = tree.length - 1 - leaves.length; i >= 0; i--) {
    tree[i] = hashPair(tree[2 * i + 1] as Hex, tree[2 * i + 2] as Hex);
  }
  const positions = new Map(leaves.map((leaf, i) => [leaf.address, tree.length - 1 - i]));

  return {
    root: tree[0] as Hex,
    friends,
    proofFor(address) {
      if (!isAddress(address, { strict: false })) return undefined;
      let index = positions.get(getAddress(address));
      if (index === undefined) return undefined;
      const proof: Hex[] = [];
      while (index > 0) {
        // Odd indices are left children, so their sibling is to the right, and vice versa.
        proof.push(tree[index % 2 === 1 ? index + 1 : index - 1] as Hex);
        index = Math.floor((index - 1) / 2);
      }
      return proof;
    },
  };
}

/** OZ MerkleProof.processProof: the root a proof leads to from a leaf. */
export function processProof(proof: readonly Hex[], leaf: Hex): Hex {
  return proof.reduce<Hex>((hash, sibling) => hashPair(hash, sibling), leaf);
}

/** OZ MerkleProof.verify for an address's leaf. */
export function verifyFriend(proof: readonly Hex[], root: Hex, address: Address): boolean {
  return processProof(proof, friendLeaf(address)).toLowerCase() === root.toLowerCase();
}
