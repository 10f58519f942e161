// The 亲属卡 the connected account gave (as funder) and holds (as holder), read from the chain on
// every block: the offers from FamilyCardOffered logs (funder and holder are indexed), each card as
// the contract says it is now (`card(id)`: status, limits, spent and left this month), and every
// FamilyCardPaid of those cards. Also the funder's allowance to FamilyCards, the outer cap over
// all his cards (the contract pulls each payment from his account with it).
import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem, type Hex } from "viem";
import { usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan, deployment, familyCards } from "../../contracts";
import { followLogs } from "../../hooks/followLogs";
import { useRefetchOnBlock } from "../../hooks/useRefetchOnBlock";

/** IFamilyCards.Status. */
export const CARD_STATUS = { offered: 1, active: 2, declined: 3, ended: 4, stopped: 5 } as const;

export type CardLimits = { monthlyLimit: number; perPaymentLimit: number; categories: number };

export type FamilyCard = {
  id: bigint;
  funder: Address;
  holder: Address;
  limits: CardLimits;
  status: number;
  spentThisMonth: bigint;
  leftThisMonth: bigint;
};

export type CardPayment = {
  id: string;
  cardId: bigint;
  funder: Address;
  shop: Address;
  holder: Address;
  amount: bigint;
  orderRef: Hex;
  paymentId: Hex;
  txHash: Hex;
  blockNumber: bigint;
  timestamp: number;
};

export type FamilyCardsState = {
  given: FamilyCard[];
  held: FamilyCard[];
  payments: CardPayment[];
  /** What the account allows FamilyCards to take from it (ERC-20 allowance), in fen. */
  allowance: bigint;
};

/** A card is open while it is offered or active: the funder may change or stop it. */
export const isOpen = (card: FamilyCard) => card.status === CARD_STATUS.offered || card.status === CARD_STATUS.active;

/**
 * What the funder's allowance must be so that every open card of his can spend what is left on it
 * this month (an offer counts its whole monthly limit): never more, never unlimited.
 */
export function neededAllowance(given: readonly FamilyCard[], except?: bigint): bigint {
  return given
    .filter((c) => isOpen(c) && c.id !== except)
    .reduce((sum, c) => sum + (c.status === CARD_STATUS.offered ? BigInt(c.limits.monthlyLimit) : c.leftThisMonth), 0n);
}

const offered = getAbiItem({ abi: familyCards.abi, name: "FamilyCardOffered" });
const paid = getAbiItem({ abi: familyCards.abi, name: "FamilyCardPaid" });

export function useFamilyCards(me: Address | undefined) {
  const client = usePublicClient({ chainId: cityChain.id });
  const query = useQuery({
    queryKey: ["familyCards", me],
    enabled: Boolean(me && client && deployment),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<FamilyCardsState> => {
      if (!me || !client) return { given: [], held: [], payments: [], allowance: 0n };
      const [asFunder, asHolder, allowance] = await Promise.all([
        followLogs(client, `FamilyCardOffered:funder:${me}`, (range) =>
          client.getLogs({ address: familyCards.address, event: offered, args: { funder: me }, ...range }),
        ),
        followLogs(client, `FamilyCardOffered:holder:${me}`, (range) =>
          client.getLogs({ address: familyCards.address, event: offered, args: { holder: me }, ...range }),
        ),
        client.readContract({ ...cityYuan, functionName: "allowance", args: [me, familyCards.address] }),
      ]);
      const ids = [...asFunder, ...asHolder].map((log) => log.args.cardId as bigint);
      const views = await Promise.all(
        ids.map((id) => client.readContract({ ...familyCards, functionName: "card", args: [id] })),
      );
      const cards: FamilyCard[] = views.map((v, i) => ({
        id: ids[i] as bigint,
        funder: v.funder,
        holder: v.holder,
        limits: {
          monthlyLimit: Number(v.limits.monthlyLimit),
          perPaymentLimit: Number(v.limits.perPaymentLimit),
          categories: Number(v.limits.categories),
        },
        status: v.status,
        spentThisMonth: v.spentThisMonth,
        leftThisMonth: v.leftThisMonth,
      }));
      const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
      const given = cards.filter((c) => same(c.funder, me)).sort((a, b) => Number(b.id - a.id));
      const held = cards.filter((c) => same(c.holder, me)).sort((a, b) => Number(b.id - a.id));
      const paymentLogs =
        ids.length === 0
          ? []
          : await followLogs(client, `FamilyCardPaid:${ids.join(",")}`, (range) =>
              client.getLogs({ address: familyCards.address, event: paid, args: { cardId: ids }, ...range }),
            );
      // Block times: from the logs where the node includes them, otherwise one read per block.
      const times = new Map<bigint, number>();
      for (const log of paymentLogs)
        if (log.blockTimestamp !== undefined && log.blockTimestamp !== null)
          times.set(log.blockNumber, Number(log.blockTimestamp));
      const missing = [...new Set(paymentLogs.map((l) => l.blockNumber))].filter((b) => !times.has(b));
      const blocks = await Promise.all(missing.map((blockNumber) => client.getBlock({ blockNumber })));
      for (const block of blocks) times.set(block.number, Number(block.timestamp));
      const payments: CardPayment[] = paymentLogs
        .map((log) => ({
          id: `${log.transactionHash}:${log.logIndex}`,
          cardId: log.args.cardId as bigint,
          funder: log.args.funder as Address,
          shop: log.args.shop as Address,
          holder: log.args.holder as Address,
          amount: log.args.amount as bigint,
          orderRef: log.args.orderRef as Hex,
          paymentId: log.args.paymentId as Hex,
          txHash: log.transactionHash,
          blockNumber: log.blockNumber,
          timestamp: times.get(log.blockNumber) ?? 0,
        }))
        .sort((a, b) => (a.blockNumber === b.blockNumber ? 0 : a.blockNumber > b.blockNumber ? -1 : 1));
      return { given, held, payments, allowance };
    },
  });
  // Each payment as it happens: the son's page reads again on every block.
  useRefetchOnBlock(query.refetch, Boolean(me));
  return query;
}
