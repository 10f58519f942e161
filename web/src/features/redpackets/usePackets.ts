// Reading red packets from the chain: one packet with its greeting, sender and claims (for the
// claim page), and the packets I sent with their state (for my list). Greetings are emitted, not
// stored, so they come from the PacketCreated log; claims come from PacketClaimed (and ShareHeld)
// logs, random shares still being drawn from ShareCommitted logs (with their claim's block), and
// shares drawn too late for their block hash from ShareDrawnLate logs.
import { useQuery } from "@tanstack/react-query";
import { type Address, BaseError, ContractFunctionRevertedError, getAbiItem, type Hex, type PublicClient } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { deployment, redPacket } from "../../contracts";
import { mergeClaims, type PacketClaim } from "./claims";
import type { CreatedPacket } from "./twin";

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
  /** The latest block's number, which decides whether a waiting share is late. */
  head: bigint;
};

const fromBlock = () => BigInt(deployment?.deployBlock ?? 0);

async function readPacket(client: PublicClient, id: bigint, latest: Latest): Promise<PacketDetails> {
  if (!redPacket) throw new Error("RedPacket is not deployed");
  const byPacket = (name: "PacketClaimed" | "ShareCommitted" | "ShareHeld" | "ShareDrawnLate") =>
    client.getLogs({
      address: (redPacket as NonNullable<typeof redPacket>).address,
      event: getAbiItem({ abi: (redPacket as NonNullable<typeof redPacket>).abi, name }),
      args: { packetId: id },
      fromBlock: fromBlock(),
    });
  const [view, created, claimed, committed, held, late] = await Promise.all([
    client.readContract({ ...redPacket, functionName: "packet", args: [id] }) as Promise<PacketView>,
    client.getLogs({
      address: redPacket.address,
      event: getAbiItem({ abi: redPacket.abi, name: "PacketCreated" }),
      args: { packetId: id },
      fromBlock: fromBlock(),
    }),
    byPacket("PacketClaimed"),
    byPacket("ShareCommitted"),
    byPacket("ShareHeld"),
    byPacket("ShareDrawnLate"),
  ]);
  const greeting = (created[0]?.args as { greeting?: string } | undefined)?.greeting ?? "";
  const toClaim = (log: { args: unknown }): PacketClaim => {
    const a = log.args as { claimer: Address; amount?: bigint; index: bigint; blockNumber?: bigint };
    return { claimer: a.claimer, amount: a.amount ?? 0n, index: Number(a.index), blockNumber: a.blockNumber };
  };
  const lateIndexes = new Set(late.map((log) => Number((log.args as { index: bigint }).index)));
  const paid = [...claimed, ...held].map(toClaim).map((c) => (lateIndexes.has(c.index) ? { ...c, late: true } : c));
  const claims = mergeClaims(paid, committed.map(toClaim));
  return { id, view, greeting, claims, now: latest.timestamp, head: latest.number };
}

type Latest = { timestamp: bigint; number: bigint };

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
      return readPacket(c, id as bigint, latest);
    },
  });
}

/** `sender`'s PacketCreated events, oldest first (the sender is indexed: the node filters them). */
function createdLogs(client: PublicClient, sender: Address) {
  return client.getLogs({
    address: redPacket.address,
    event: getAbiItem({ abi: redPacket.abi, name: "PacketCreated" }),
    args: { sender },
    fromBlock: fromBlock(),
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
      const [latest, created] = await Promise.all([c.getBlock(), createdLogs(c, sender as Address)]);
      const ids = created.map((log) => log.args.packetId ?? 0n).reverse();
      return Promise.all(ids.map((id) => readPacket(c, id, latest)));
    },
  });
}

/** The packets `sender` created, newest last, with their blocks' times (for the created-twice check). */
export async function readCreatedBy(client: PublicClient, sender: Address, recent = 20): Promise<CreatedPacket[]> {
  const logs = await createdLogs(client, sender);
  // Only the latest few can be "a moment ago"; their blocks give the time.
  const latest = logs.slice(-recent);
  const blocks = [...new Set(latest.map((log) => log.blockNumber))];
  const times = new Map(
    await Promise.all(
      blocks.map(
        async (blockNumber) => [blockNumber, Number((await client.getBlock({ blockNumber })).timestamp)] as const,
      ),
    ),
  );
  return latest.map((log) => ({
    packetId: log.args.packetId ?? 0n,
    amount: log.args.amount ?? 0n,
    shares: log.args.shares ?? 0n,
    mode: Number(log.args.mode ?? 0),
    audience: Number(log.args.audience ?? 0),
    greeting: log.args.greeting ?? "",
    createdAt: times.get(log.blockNumber) ?? 0,
  }));
}
