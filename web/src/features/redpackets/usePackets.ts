// Reading red packets from the chain: one packet with its greeting, sender and claims (for the
// claim page), and the packets I sent with their state (for my list). Greetings are emitted, not
// stored, so they come from the PacketCreated log; claims come from PacketClaimed logs.
import { useQuery } from "@tanstack/react-query";
import { type Address, BaseError, ContractFunctionRevertedError, getAbiItem, type Hex, type PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { deployment, redPacket } from "../../contracts";
import type { PacketClaim } from "./claims";

export type PacketView = {
  sender: Address;
  total: bigint;
  remaining: bigint;
  shares: bigint;
  claimed: bigint;
  expiry: bigint;
  mode: number;
  audience: number;
  audienceKey: Hex;
  refunded: boolean;
};

export type PacketDetails = {
  id: bigint;
  view: PacketView;
  greeting: string;
  claims: PacketClaim[];
  /** The chain's clock (latest block), which decides expiry. */
  now: bigint;
};

const fromBlock = () => BigInt(deployment?.deployBlock ?? 0);

async function readPacket(client: PublicClient, id: bigint, now: bigint): Promise<PacketDetails> {
  if (!redPacket) throw new Error("RedPacket is not deployed");
  const [view, created, claimed] = await Promise.all([
    client.readContract({ ...redPacket, functionName: "packet", args: [id] }) as Promise<PacketView>,
    client.getLogs({
      address: redPacket.address,
      event: getAbiItem({ abi: redPacket.abi, name: "PacketCreated" }),
      args: { packetId: id },
      fromBlock: fromBlock(),
    }),
    client.getLogs({
      address: redPacket.address,
      event: getAbiItem({ abi: redPacket.abi, name: "PacketClaimed" }),
      args: { packetId: id },
      fromBlock: fromBlock(),
    }),
  ]);
  const greeting = (created[0]?.args as { greeting?: string } | undefined)?.greeting ?? "";
  const claims = claimed.map((log) => {
    const a = log.args as { claimer: Address; amount: bigint; index: bigint };
    return { claimer: a.claimer, amount: a.amount, index: Number(a.index) };
  });
  return { id, view, greeting, claims, now };
}

/** The contract's error name when a read reverted (e.g. RedPacketUnknownPacket). */
export function revertName(error: unknown): string | null {
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return revert.data?.errorName ?? null;
  }
  return null;
}

export function usePacket(id: bigint | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  return useQuery({
    queryKey: ["redPacket", id?.toString(), block?.toString()],
    enabled: Boolean(client && redPacket && id !== undefined),
    placeholderData: (previous) => previous,
    retry: (count, error) => revertName(error) === null && count < 2,
    queryFn: async () => {
      const c = client as PublicClient;
      const latest = await c.getBlock();
      return readPacket(c, id as bigint, latest.timestamp);
    },
  });
}

export function useSentPackets(sender: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const { data: block } = useBlockNumber({ chainId: cityChain.id, watch: true });
  return useQuery({
    queryKey: ["sentPackets", sender, block?.toString()],
    enabled: Boolean(client && redPacket && sender),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<PacketDetails[]> => {
      const c = client as PublicClient;
      if (!redPacket) return [];
      const [latest, created] = await Promise.all([
        c.getBlock(),
        c.getLogs({
          address: redPacket.address,
          event: getAbiItem({ abi: redPacket.abi, name: "PacketCreated" }),
          args: { sender },
          fromBlock: fromBlock(),
        }),
      ]);
      const ids = created.map((log) => (log.args as { packetId: bigint }).packetId).reverse();
      return Promise.all(ids.map((id) => readPacket(c, id, latest.timestamp)));
    },
  });
}
