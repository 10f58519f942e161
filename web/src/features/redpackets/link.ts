// Red-packet links. A link packet's link carries the packet id and the one-time private key whose
// address the packet holds as its claim key, all in the URL fragment (after #): browsers never
// send the fragment to any server, so the key only travels where the resident shares the link.
//   <app>#/redpackets/claim/<chainId>/<contract>/<packetId>/<key>
// A 1:1 packet for a named friend needs no key: the friend's own address is the gate.
import { type Address, getAddress, type Hex, isAddress } from "viem";

export type ClaimLink = { chainId: number; contract: Address; packetId: bigint; key?: Hex };

export type ClaimLinkProblem = "malformed" | "wrongChain" | "wrongContract";

export const CLAIM_ROUTE = "/redpackets/claim";

/** The shareable URL: `appUrl` is the dApp's address without any fragment. */
export function buildClaimLink(appUrl: string, link: ClaimLink): string {
  const base = appUrl.split("#")[0] as string;
  const parts = [String(link.chainId), getAddress(link.contract), link.packetId.toString()];
  if (link.key) parts.push(link.key);
  return `${base}#${CLAIM_ROUTE}/${parts.join("/")}`;
}

/** Reads what follows `/redpackets/claim/` in the route. */
export function parseClaimPath(rest: string): { ok: true; link: ClaimLink } | { ok: false; problem: "malformed" } {
  const parts = rest.split("/").filter(Boolean);
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
