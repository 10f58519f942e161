// The one-time claim keys this device created, so the sender can show a
// packet's link again later. Keys stay in this browser's storage only; they are worth at most the
// packet they open, and the sender could refund it after expiry anyway.
import type { Address, Hex } from "viem";
import { cityChain } from "../../chain";
import { redPacket } from "../../contracts";
import { isHexString, readStoredRecord, writeStored } from "../../lib/localStore";

const keysKey = () => `hcy.redpacket.keys.v1.${cityChain.id}.${redPacket.address.toLowerCase()}`;

function readKeys(): Record<string, Hex> {
  return readStoredRecord(keysKey(), isHexString);
}

/** Saved before the packet is sent, keyed by the key's address (the packet's audience key). */
export function rememberClaimKey(keyAddress: Address, key: Hex): void {
  writeStored(keysKey(), { ...readKeys(), [keyAddress.toLowerCase()]: key });
}

/** The key whose address is a packet's 32-byte audience key, when this device made it. */
export function claimKeyFor(audienceKey: Hex): Hex | undefined {
  return readKeys()[`0x${audienceKey.slice(26)}`.toLowerCase()];
}

const friendsKey = () => `hcy.redpacket.friends.v1.${cityChain.id}.${redPacket.address.toLowerCase()}`;

const isAddressList = (v: unknown): v is Address[] => Array.isArray(v) && v.every(isHexString);

function readFriendLists(): Record<string, Address[]> {
  return readStoredRecord(friendsKey(), isAddressList);
}

/** A named-friends packet's list, keyed by its Merkle root, so the sender can show the link again. */
export function rememberFriendList(root: Hex, friends: Address[]): void {
  writeStored(friendsKey(), { ...readFriendLists(), [root.toLowerCase()]: friends });
}

/** The friends whose tree has this root, when this device made the packet. */
export function friendListFor(root: Hex): Address[] | undefined {
  const list = readFriendLists()[root.toLowerCase()];
  return Array.isArray(list) ? list : undefined;
}
