// Rebuilds, from events alone, every figure the contracts keep: each account's balance, what was
// issued and redeemed, what each red packet, each voucher campaign and each delayed transfer still
// holds, what the three escrows therefore owe, what the admin rescued from them (HCY sent to them directly), and the
// latest reserve attestation. Pure: the audit compares this with the contracts' own reads.
import type { Address } from "viem";
import type { LedgerEvent } from "./ledgerEvents.js";

const ZERO = "0x0000000000000000000000000000000000000000";

export interface LedgerReplay {
  eventCount: number;
  /** Lower-case address -> Σ incoming − Σ outgoing Transfer values (zero address excluded). */
  balances: Map<string, bigint>;
  issued: bigint;
  redeemed: bigint;
  /** Σ Transfer values from the zero address (mints) and to it (burns). */
  minted: bigint;
  burned: bigint;
  redPacket: EscrowReplay;
  vouchers: EscrowReplay;
  /** 转账延时到账: funded = sent, paid out = released to the receiver, returned = taken back. */
  delayed: EscrowReplay;
  /** The latest reserve attestation (highest id), if any, with Σ redeemed when it was made. */
  latestAttestation?: { attestationId: bigint; reserves: bigint; redeemedAtAttestation: bigint };
}

export interface EscrowReplay {
  /** Σ money put in (packets created, campaign budgets). */
  funded: bigint;
  /** Σ money paid out to claimers / merchants (shares claimed, discounts paid). */
  paidOut: bigint;
  /** Σ money returned to the funder (expired packets refunded; budgets stopped or reclaimed). */
  returned: bigint;
  /** Σ excess the admin moved out (`ExcessRescued`): HCY sent straight to the escrow, never owed. */
  rescued: bigint;
  /** How many packets / campaigns were created. */
  created: number;
  /** Per packet / campaign id: what it should still hold (delayed transfers: only the pending ones). */
  remaining: Map<bigint, bigint>;
}

function emptyEscrow(): EscrowReplay {
  return { funded: 0n, paidOut: 0n, returned: 0n, rescued: 0n, created: 0, remaining: new Map() };
}

/** What an escrow owes: everything put in less everything paid out or returned. (It also holds any
 * HCY sent to it directly and not yet rescued: see the audit's excess check.) */
export function escrowHolds(escrow: EscrowReplay): bigint {
  return escrow.funded - escrow.paidOut - escrow.returned;
}

function add(map: Map<string, bigint>, key: string, delta: bigint) {
  map.set(key, (map.get(key) ?? 0n) + delta);
}

function addById(map: Map<bigint, bigint>, key: bigint, delta: bigint) {
  map.set(key, (map.get(key) ?? 0n) + delta);
}

/**
 * A delayed transfer leaves the escrow whole (released or taken back): only pending transfers are
 * kept, so a city's years of transfers do not grow the replay (or a checkpoint). One that does not
 * settle to zero stays, and the audit reports it.
 */
function settleTransfer(pending: Map<bigint, bigint>, transferId: bigint, amount: bigint) {
  const left = (pending.get(transferId) ?? 0n) - amount;
  if (left === 0n) pending.delete(transferId);
  else pending.set(transferId, left);
}

/** A packet, campaign or delayed transfer is created holding `amount`. */
function fund(escrow: EscrowReplay, id: bigint, amount: bigint) {
  escrow.created++;
  escrow.funded += amount;
  addById(escrow.remaining, id, amount);
}

/** `amount` leaves packet / campaign `id`: paid out (claims, discounts) or returned to its funder. */
function move(escrow: EscrowReplay, way: "paidOut" | "returned", id: bigint, amount: bigint) {
  escrow[way] += amount;
  addById(escrow.remaining, id, -amount);
}

function copyEscrow(escrow: EscrowReplay): EscrowReplay {
  return { ...escrow, remaining: new Map(escrow.remaining) };
}

/** Replays `events` from the deployment, or on from `start` (a verified checkpoint's replay, left unchanged). */
export function replayLedger(events: Iterable<LedgerEvent>, start?: LedgerReplay): LedgerReplay {
  const replayer = createReplayer(start);
  replayer.add(events);
  return replayer.replay;
}

export interface Replayer {
  /** The state so far. */
  readonly replay: LedgerReplay;
  /** Applies the next events, in chain order. */
  add(events: Iterable<LedgerEvent>): void;
}

/**
 * A replay fed a range of events at a time (the audit replays each range of logs as it arrives,
 * so the events are never all held at once), from the deployment or on from `start` (left unchanged).
 */
export function createReplayer(start?: LedgerReplay): Replayer {
  const replay: LedgerReplay = start
    ? {
        ...start,
        balances: new Map(start.balances),
        redPacket: copyEscrow(start.redPacket),
        vouchers: copyEscrow(start.vouchers),
        delayed: copyEscrow(start.delayed),
        latestAttestation: start.latestAttestation && { ...start.latestAttestation },
      }
    : {
        eventCount: 0,
        balances: new Map(),
        issued: 0n,
        redeemed: 0n,
        minted: 0n,
        burned: 0n,
        redPacket: emptyEscrow(),
        vouchers: emptyEscrow(),
        delayed: emptyEscrow(),
      };
  return { replay, add: (events) => apply(replay, events) };
}

function apply(replay: LedgerReplay, events: Iterable<LedgerEvent>) {
  const { redPacket, vouchers, delayed } = replay;
  for (const event of events) {
    replay.eventCount++;
    switch (event.kind) {
      case "Transfer": {
        const from = event.from.toLowerCase();
        const to = event.to.toLowerCase();
        if (from === ZERO) replay.minted += event.value;
        else add(replay.balances, from, -event.value);
        if (to === ZERO) replay.burned += event.value;
        else add(replay.balances, to, event.value);
        break;
      }
      case "Issued":
        replay.issued += event.amount;
        break;
      case "Redeemed":
        replay.redeemed += event.amount;
        break;
      case "PacketCreated":
        fund(redPacket, event.packetId, event.amount);
        break;
      case "PacketClaimed":
        move(redPacket, "paidOut", event.packetId, event.amount);
        break;
      case "PacketRefunded":
        move(redPacket, "returned", event.packetId, event.amount);
        break;
      case "CampaignCreated":
        fund(vouchers, event.campaignId, event.budget);
        break;
      case "VoucherRedeemed":
        move(vouchers, "paidOut", event.campaignId, event.discount);
        break;
      case "VoucherSaleRefunded":
        // The shop gave the whole price back: the discount is in the campaign's budget again.
        vouchers.paidOut -= event.discount;
        addById(vouchers.remaining, event.campaignId, event.discount);
        break;
      case "CampaignStopped":
        move(vouchers, "returned", event.campaignId, event.refunded);
        break;
      case "BudgetReclaimed":
        move(vouchers, "returned", event.campaignId, event.amount);
        break;
      case "ExcessRescued":
        (event.escrow === "RedPacket" ? redPacket : vouchers).rescued += event.amount;
        break;
      case "TransferDelayed":
        fund(delayed, event.transferId, event.amount);
        break;
      case "TransferReleased":
        delayed.paidOut += event.amount;
        settleTransfer(delayed.remaining, event.transferId, event.amount);
        break;
      case "TransferCancelled":
        delayed.returned += event.amount;
        settleTransfer(delayed.remaining, event.transferId, event.amount);
        break;
      case "ReservesAttested":
        if (!replay.latestAttestation || event.attestationId > replay.latestAttestation.attestationId) {
          replay.latestAttestation = {
            attestationId: event.attestationId,
            reserves: event.reserves,
            redeemedAtAttestation: replay.redeemed,
          };
        }
        break;
      default:
        // Payments, refunds, freezes and voucher claims move no money of their own
        // (their Transfer events do) and hold nothing in escrow.
        break;
    }
  }
}

/**
 * The reserves behind the supply now, as the token counts them: the latest attestation less what
 * residents cashed out since (the bank paid that out of the reserve), never below zero; zero before
 * any attestation.
 */
export function reservesNow(replay: LedgerReplay): bigint {
  const latest = replay.latestAttestation;
  if (!latest) return 0n;
  const redeemedSince = replay.redeemed - latest.redeemedAtAttestation;
  return latest.reserves > redeemedSince ? latest.reserves - redeemedSince : 0n;
}

/** Every address the replay saw holding or moving money, for the balance reads. */
export function replayedAccounts(replay: LedgerReplay): Address[] {
  return [...replay.balances.keys()] as Address[];
}
