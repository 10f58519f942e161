// Red-packet links. A link packet's link carries the packet id and the one-time private key whose
// address the packet holds as its claim key, all in the URL fragment (after #): browsers never
// send the fragment to any server, so the key only travels where the resident shares the link.
//   <app>#/redpackets/claim/<chainId>/<contract>/<packetId>/<key>
// A 1:1 packet for a named friend needs no key: the friend's own address is the gate.
// A "named friends" packet holds only the Merkle root of its friends on chain, so its link carries
// the list, from which each friend's browser rebuilds the tree and its own proof:
//   <app>#/redpackets/claim/<chainId>/<contract>/<packetId>/friends/<address>,<address>,...
import { type Address, getAddress, type Hex, isAddress } from "viem";

export type ClaimLink = { chainId: number; contract: Address; packetId: bigint; key?: Hex; friends?: Address[] };

/** More than any packet's shares can use (the contract's maxShares is far lower): a sanity bound. */
export const MAX_LINK_FRIENDS = 500;
const FRIENDS_SEGMENT = "friends";

export type ClaimLinkProblem = "malformed" | "wrongChain" | "wrongContract";

export const CLAIM_ROUTE = "/redpackets/claim";

/** The shareable URL: `appUrl` is the dApp's address without any fragment. */
export function buildClaimLink(appUrl: string, link: ClaimLink): string {
  const base = appUrl.split("#")[0] as string;
  const parts = [String(link.chainId), getAddress(link.contract), link.packetId.toString()];
  if (link.key && link.friends) throw new Error("a claim link carries a key or a friends list, not both");
  if (link.key) parts.push(link.key);
  if (link.friends) {
    const friends = parseFriendList(link.friends.join(","));
    if (!friends.ok) throw new Error(`bad friends list for a claim link: ${friends.reason}`);
    parts.push(FRIENDS_SEGMENT, friends.friends.join(","));
  }
  return `${base}#${CLAIM_ROUTE}/${parts.join("/")}`;
}

/** Reads what follows `/redpackets/claim/` in the route. */
export function parseClaimPath(rest: string): { ok: true; link: ClaimLink } | { ok: false; problem: "malformed" } {
  const parts = rest.split("/").filter(Boolean);
  if (parts[3] === FRIENDS_SEGMENT) return parseFriendsClaimPath(parts);
  if (parts.length !== 3 && parts.length !== 4) return { ok: false, problem: "malformed" };
  const [chain, contract, id, key] = parts as [string, string, string, string | undefined];
  if (!/^\d{1,12}$/.test(chain) || !isAddress(contract, { strict: false }) || !/^\d{1,78}$/.test(id)) {
    return { ok: false, problem: "malformed" };
  }
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) return { ok: false, problem: "malformed" };
  const packetId = BigInt(id);
  if (packetId === 0n) return { ok: false, problem: "malformed" };
  return {
    ok: true,
    link: {
      chainId: Number(chain),
      contract: getAddress(contract),
      packetId,
      ...(key ? { key: key.toLowerCase() as Hex } : {}),
    },
  };
}

/** Why a friends list in a link cannot be read, for tests and logs; the page says "damaged". */
export type FriendListProblem = "empty" | "notAnAddress" | "duplicate" | "tooMany";

/** Reads the comma-separated, checksummed-or-not addresses of a named-friends link. */
export function parseFriendList(
  text: string,
): { ok: true; friends: Address[] } | { ok: false; reason: FriendListProblem; entry?: string } {
  const entries = text.split(",");
  if (text.trim() === "") return { ok: false, reason: "empty" };
  if (entries.length > MAX_LINK_FRIENDS) return { ok: false, reason: "tooMany" };
  const friends: Address[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(entry) || !isAddress(entry, { strict: false }))
      return { ok: false, reason: "notAnAddress", entry };
    const address = getAddress(entry);
    if (seen.has(address)) return { ok: false, reason: "duplicate", entry };
    seen.add(address);
    friends.push(address);
  }
  return { ok: true, friends };
}

function parseFriendsClaimPath(parts: string[]): { ok: true; link: ClaimLink } | { ok: false; problem: "malformed" } {
  if (parts.length !== 5) return { ok: false, problem: "malformed" };
  const base = parseClaimPath(parts.slice(0, 3).join("/"));
  const friends = parseFriendList(parts[4] as string);
  if (!base.ok || !friends.ok) return { ok: false, problem: "malformed" };
  return { ok: true, link: { ...base.link, friends: friends.friends } };
}

/** Whether a link belongs to this app's chain and RedPacket contract. */
export function checkClaimLink(
  link: ClaimLink,
  chainId: number,
  contract: Address | undefined,
): ClaimLinkProblem | null {
  if (link.chainId !== chainId) return "wrongChain";
  if (!contract || link.contract.toLowerCase() !== contract.toLowerCase()) return "wrongContract";
  return null;
}

/** The claim key's address, left-padded to 32 bytes, as PacketSpec.audienceKey expects. */
export function audienceKeyOf(address: Address): Hex {
  return `0x${"0".repeat(24)}${address.slice(2).toLowerCase()}` as Hex;
}
