// The audit module: replaying an honest ledger passes every item; a ledger where any one figure
// was changed behind the events' back reports exactly that item as the first mismatch. The
// "contracts" here are a small model that moves money the way CityYuan, RedPacket and Vouchers do
// and records both the events they would emit and the figures they would report.

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, encodeAbiParameters, encodeEventTopics, getAbiItem, type Hex, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  type AuditCheckpoint,
  balancesRoot,
  CheckpointRefused,
  replayToJson,
  signCheckpoint,
  verifyCheckpoint,
} from "../../core/audit/checkpoint.js";
import { type ContractFigures, compareLedger } from "../../core/audit/checks.js";
import { describeCoverage, describeEscrows, describeMismatch } from "../../core/audit/describe.js";
import { decodeEventFull, fastDecoderFor, type RawLog } from "../../core/audit/fastDecoder.js";
import {
  compareChainOrder,
  type LedgerEvent,
  ledgerDecoder,
  ledgerTopic,
  ledgerTopics,
  MONEY_EVENTS,
  moneyTopics,
} from "../../core/audit/ledgerEvents.js";
import { replayLedger, reservesNow } from "../../core/audit/replay.js";
import { type AuditReport, reserveCoverage } from "../../core/audit/runAudit.js";
import { cityYuanAbi, redPacketAbi, vouchersAbi } from "../../generated/contracts.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const RED_PACKET = addr(0xaaa1);
const VOUCHERS = addr(0xaaa2);
const DELAYED = addr(0xaaa3);
const alice = addr(1);
const bob = addr(2);
const shop = addr(3);
const carol = addr(4);

/** A model of the three contracts: each operation changes state and records its events. */
class LedgerModel {
  events: LedgerEvent[] = [];
  balances = new Map<string, bigint>();
  issued = 0n;
  redeemed = 0n;
  packets = new Map<bigint, bigint>();
  campaigns = new Map<bigint, bigint>();
  /** Delayed transfers: id -> amount while pending (0 once released or taken back). */
  delayed = new Map<bigint, bigint>();
  private block = 1n;

  private emit(event: Record<string, unknown>) {
    this.events.push({
      blockNumber: this.block++,
      logIndex: 0,
      transactionHash: "0x01",
      ...event,
    } as unknown as LedgerEvent);
  }
  private move(from: Address, to: Address, value: bigint) {
    if (from !== ZERO) this.balances.set(from, (this.balances.get(from) ?? 0n) - value);
    if (to !== ZERO) this.balances.set(to, (this.balances.get(to) ?? 0n) + value);
    this.emit({ kind: "Transfer", from, to, value });
  }
  issue(to: Address, amount: bigint) {
    this.issued += amount;
    this.move(ZERO, to, amount);
    this.emit({ kind: "Issued", issuer: addr(9), to, amount, bankRef: "0x02" });
  }
  redeem(account: Address, amount: bigint) {
    this.redeemed += amount;
    this.move(account, ZERO, amount);
    this.emit({ kind: "Redeemed", account, amount, bankRef: "0x03" });
  }
  pay(payer: Address, payee: Address, amount: bigint) {
    this.move(payer, payee, amount);
    this.emit({ kind: "PaymentMade", paymentId: "0x04", payer, payee, amount, orderRef: "0x05" });
  }
  createPacket(sender: Address, amount: bigint) {
    const packetId = BigInt(this.packets.size + 1);
    this.packets.set(packetId, amount);
    this.move(sender, RED_PACKET, amount);
    this.emit({ kind: "PacketCreated", packetId, sender, amount });
    return packetId;
  }
  claimPacket(packetId: bigint, claimer: Address, amount: bigint) {
    this.packets.set(packetId, (this.packets.get(packetId) ?? 0n) - amount);
    this.move(RED_PACKET, claimer, amount);
    this.emit({ kind: "PacketClaimed", packetId, claimer, amount });
  }
  refundPacket(packetId: bigint, sender: Address) {
    const amount = this.packets.get(packetId) ?? 0n;
    this.packets.set(packetId, 0n);
    this.move(RED_PACKET, sender, amount);
    this.emit({ kind: "PacketRefunded", packetId, sender, amount });
  }
  createCampaign(sponsor: Address, budget: bigint) {
    const campaignId = BigInt(this.campaigns.size + 1);
    this.campaigns.set(campaignId, budget);
    this.move(sponsor, VOUCHERS, budget);
    this.emit({ kind: "CampaignCreated", campaignId, sponsor, budget });
    return campaignId;
  }
  redeemVoucher(campaignId: bigint, payer: Address, payee: Address, price: bigint, discount: bigint) {
    this.campaigns.set(campaignId, (this.campaigns.get(campaignId) ?? 0n) - discount);
    this.move(payer, payee, price - discount);
    this.move(VOUCHERS, payee, discount);
    this.emit({
      kind: "VoucherRedeemed",
      paymentId: "0x06",
      payer,
      payee,
      price,
      orderRef: "0x07",
      campaignId,
      discount,
    });
  }
  /** The shop refunds a voucher sale in full: her part to her, the discount back to the campaign. */
  refundVoucherSale(campaignId: bigint, payer: Address, payee: Address, price: bigint, discount: bigint) {
    this.campaigns.set(campaignId, (this.campaigns.get(campaignId) ?? 0n) + discount);
    this.move(payee, payer, price - discount);
    this.move(payee, VOUCHERS, discount);
    this.emit({
      kind: "VoucherSaleRefunded",
      paymentId: "0x06",
      payer,
      payee,
      campaignId,
      paid: price - discount,
      discount,
    });
  }
  stopCampaign(campaignId: bigint, sponsor: Address) {
    const refunded = this.campaigns.get(campaignId) ?? 0n;
    this.campaigns.set(campaignId, 0n);
    this.move(VOUCHERS, sponsor, refunded);
    this.emit({ kind: "CampaignStopped", campaignId, sponsor, refunded });
  }
  sendDelayed(sender: Address, receiver: Address, amount: bigint) {
    const transferId = BigInt(this.delayed.size + 1);
    this.delayed.set(transferId, amount);
    this.move(sender, DELAYED, amount);
    this.emit({ kind: "TransferDelayed", transferId, sender, receiver, amount, releaseAt: 7_200n });
    return transferId;
  }
  settleDelayed(transferId: bigint, sender: Address, receiver: Address, how: "release" | "cancel") {
    const amount = this.delayed.get(transferId) ?? 0n;
    this.delayed.set(transferId, 0n);
    this.move(DELAYED, how === "release" ? receiver : sender, amount);
    this.emit(
      how === "release"
        ? { kind: "TransferReleased", transferId, sender, receiver, amount, releasedBy: receiver }
        : { kind: "TransferCancelled", transferId, sender, receiver, amount },
    );
  }
  /** HCY sent straight to an escrow with a plain transfer (not through create / createCampaign). */
  sendStraightTo(escrow: Address, from: Address, amount: bigint) {
    this.move(from, escrow, amount);
  }
  /** The admin moves `amount` out of an escrow (the model does not check it is only excess). */
  rescue(escrow: Address, to: Address, amount: bigint) {
    this.move(escrow, to, amount);
    this.emit({ kind: "ExcessRescued", escrow: escrow === RED_PACKET ? "RedPacket" : "Vouchers", to, amount });
  }
  private attestations = 0n;
  /** The token's reserve mark: the latest attestation and Σ redeemed when it was made. */
  private mark = { attested: 0n, redeemedAt: 0n };
  attest(reserves: bigint) {
    this.mark = { attested: reserves, redeemedAt: this.redeemed };
    this.emit({ kind: "ReservesAttested", attestationId: ++this.attestations, attester: addr(8), reserves });
  }
  figures(): ContractFigures {
    let supply = 0n;
    for (const value of this.balances.values()) supply += value;
    return {
      block: this.block,
      totalSupply: supply,
      totalIssued: this.issued,
      totalRedeemed: this.redeemed,
      latestReserves: (() => {
        const since = this.redeemed - this.mark.redeemedAt;
        return this.mark.attested > since ? this.mark.attested - since : 0n;
      })(),
      balances: new Map(this.balances),
      redPacketAddress: RED_PACKET.toLowerCase(),
      vouchersAddress: VOUCHERS.toLowerCase(),
      redPacketBalance: this.balances.get(RED_PACKET) ?? 0n,
      vouchersBalance: this.balances.get(VOUCHERS) ?? 0n,
      packetCount: BigInt(this.packets.size),
      packetRemaining: new Map(this.packets),
      campaignCount: BigInt(this.campaigns.size),
      campaignRemaining: new Map(this.campaigns),
      delayedAddress: DELAYED.toLowerCase(),
      delayedBalance: this.balances.get(DELAYED) ?? 0n,
      transferCount: BigInt(this.delayed.size),
      totalPending: [...this.delayed.values()].reduce((a, b) => a + b, 0n),
      pendingTransfers: new Map([...this.delayed].filter(([, amount]) => amount > 0n)),
    };
  }
}

function honestLedger(): LedgerModel {
  const m = new LedgerModel();
  m.issue(alice, 100_00n);
  m.issue(bob, 50_00n);
  m.issue(shop, 10_00n);
  m.pay(alice, shop, 12_50n);
  m.redeem(bob, 5_00n);
  const p1 = m.createPacket(alice, 20_00n);
  m.claimPacket(p1, bob, 7_77n);
  m.claimPacket(p1, carol, 3_33n);
  m.refundPacket(p1, alice);
  const p2 = m.createPacket(bob, 6_00n);
  m.claimPacket(p2, alice, 1_00n);
  const c1 = m.createCampaign(shop, 10_00n);
  m.redeemVoucher(c1, alice, shop, 30_00n, 5_00n);
  m.redeemVoucher(c1, alice, shop, 40_00n, 5_00n);
  m.refundVoucherSale(c1, alice, shop, 40_00n, 5_00n);
  const c2 = m.createCampaign(shop, 4_00n);
  m.stopCampaign(c2, shop);
  const t1 = m.sendDelayed(alice, carol, 3_00n);
  m.settleDelayed(t1, alice, carol, "cancel");
  const t2 = m.sendDelayed(alice, carol, 2_00n);
  m.settleDelayed(t2, alice, carol, "release");
  m.sendDelayed(alice, bob, 1_50n);
  return m;
}

describe("audit replay and checks", () => {
  it("passes every item on an honest ledger", () => {
    const m = honestLedger();
    const verdict = compareLedger(replayLedger(m.events), m.figures());
    expect(verdict.firstMismatch).toBeUndefined();
    expect(verdict.ok).toBe(true);
    // Every account, both packets, both campaigns, and the supply / issuance / escrow items.
    expect(verdict.checks.filter((c) => c.kind === "balance")).toHaveLength(7);
    expect(verdict.checks.filter((c) => c.kind === "packetRemaining").map((c) => c.fromContract)).toEqual([0n, 5_00n]);
    expect(verdict.checks.find((c) => c.kind === "voucherEscrow")?.fromEvents).toBe(5_00n);
  });

  it("reports a balance changed without any event (a tampered storage slot) as the first mismatch", () => {
    const m = honestLedger();
    const figures = m.figures();
    figures.balances.set(bob, (figures.balances.get(bob) ?? 0n) + 1_000_000n);
    const verdict = compareLedger(replayLedger(m.events), figures);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstMismatch).toMatchObject({
      kind: "balance",
      subject: bob,
      fromContract: (verdict.firstMismatch?.fromEvents as bigint) + 1_000_000n,
    });
    // The contract's own balances no longer add up to its supply either.
    expect(verdict.checks.some((c) => c.kind === "supplyEqualsBalances" && c.subject === "balanceOf" && !c.ok)).toBe(
      true,
    );
    const first = verdict.firstMismatch;
    if (!first) throw new Error("expected a mismatch");
    expect(describeMismatch(first, "en")).toContain(`balance of ${bob}`);
  });

  it("reports a missing event (money that moved without a log)", () => {
    const m = honestLedger();
    const events = m.events.filter((e, i) => !(e.kind === "Issued" && i < 3));
    const verdict = compareLedger(replayLedger(events), m.figures());
    expect(verdict.firstMismatch?.kind).toBe("supplyEqualsIssuedMinusRedeemed");
  });

  it("reports a supply that is not issued − redeemed", () => {
    const m = honestLedger();
    const figures = { ...m.figures(), totalIssued: m.issued + 1n };
    const verdict = compareLedger(replayLedger(m.events), figures);
    expect(verdict.firstMismatch?.kind).toBe("supplyEqualsIssuedMinusRedeemed");
  });

  it("reports a red packet whose view disagrees with its events, then the escrow", () => {
    const m = honestLedger();
    const figures = m.figures();
    figures.packetRemaining.set(2n, 4_00n);
    let verdict = compareLedger(replayLedger(m.events), figures);
    expect(verdict.firstMismatch).toMatchObject({
      kind: "packetRemaining",
      subject: "2",
      fromEvents: 5_00n,
      fromContract: 4_00n,
    });

    const short = { ...m.figures(), redPacketBalance: m.figures().redPacketBalance - 1n };
    verdict = compareLedger(replayLedger(m.events), short);
    expect(verdict.firstMismatch?.kind).toBe("redPacketEscrow");
  });

  it("reports a voucher escrow that holds less than its budgets owe", () => {
    const m = honestLedger();
    const figures = { ...m.figures(), vouchersBalance: 0n };
    const verdict = compareLedger(replayLedger(m.events), figures);
    expect(verdict.firstMismatch).toMatchObject({ kind: "voucherEscrow", fromEvents: 5_00n, fromContract: 0n });
  });

  it("counts HCY sent straight to both escrows and the admin's rescues, and passes", () => {
    const m = honestLedger();
    m.sendStraightTo(VOUCHERS, bob, 3_00n);
    m.sendStraightTo(RED_PACKET, carol, 1_00n);
    m.rescue(VOUCHERS, addr(0x7ea5), 2_00n);
    const replay = replayLedger(m.events);
    const verdict = compareLedger(replay, m.figures());
    expect(verdict.firstMismatch).toBeUndefined();
    expect(verdict.checks.find((c) => c.kind === "voucherExcess")).toMatchObject({ fromEvents: 1_00n, ok: true });
    expect(verdict.checks.find((c) => c.kind === "redPacketExcess")).toMatchObject({ fromEvents: 1_00n, ok: true });
    expect(verdict.checks.find((c) => c.kind === "voucherEscrow")?.fromEvents).toBe(5_00n + 1_00n);
    expect(replay.vouchers.rescued).toBe(2_00n);
    expect(replay.redPacket.rescued).toBe(0n);
  });

  it("reports a rescue that took money a campaign is owed", () => {
    const m = honestLedger();
    m.rescue(VOUCHERS, addr(0x7ea5), 1_00n); // nothing was sent in: this is owed money
    const verdict = compareLedger(replayLedger(m.events), m.figures());
    expect(verdict.ok).toBe(false);
    expect(verdict.firstMismatch).toMatchObject({ kind: "voucherExcess", fromEvents: -1_00n, fromContract: -1_00n });
  });

  it("reports reserve coverage from the latest attestation, and says when it is below 100 %", () => {
    const m = honestLedger();
    const supply = m.figures().totalSupply;
    expect(reserveCoverage(replayLedger(m.events), supply)).toEqual({
      reserves: undefined,
      supply,
      coverageBps: undefined,
    });
    m.attest(supply * 2n);
    m.attest(supply - supply / 4n); // the latest one counts: 75 %
    const coverage = reserveCoverage(replayLedger(m.events), supply);
    expect(coverage.coverageBps).toBe(7_500n);
    const report = {
      coverage,
      escrows: {
        redPacket: { owed: 5_00n, excess: 0n, rescued: 0n },
        vouchers: { owed: 5_00n, excess: 1_00n, rescued: 2_00n },
        delayed: { owed: 1_50n, excess: 0n, rescued: 0n },
      },
    } as unknown as AuditReport;
    const en = describeCoverage(report, "en");
    expect(en.short).toBe(true);
    expect(en.text).toContain("75.00%");
    expect(en.text).toContain("Reserves below 100 %");
    expect(describeCoverage(report, "zh").text).toContain("储备不足 100%");
    expect(describeEscrows(report, "en")[1]).toContain("excess rescued by the admin");
    const full = reserveCoverage(replayLedger([...m.events]), supply / 2n);
    expect(describeCoverage({ ...report, coverage: full } as AuditReport, "en").short).toBe(false);
  });

  it("counts the reserves behind the supply as the latest attestation less redemptions since", () => {
    const m = honestLedger();
    const supply = m.figures().totalSupply;
    m.attest(supply); // 100 %
    const [holder] = [...m.figures().balances.entries()].find(([, fen]) => fen >= 2_00n) ?? [];
    m.redeem(holder as Address, 2_00n); // the bank paid 2 yuan out of the reserve
    const replay = replayLedger(m.events);
    expect(reservesNow(replay)).toBe(supply - 2_00n);
    const verdict = compareLedger(replay, m.figures());
    expect(verdict.ok).toBe(true);
    expect(verdict.checks.find((c) => c.kind === "reservesNow")).toMatchObject({ fromEvents: supply - 2_00n });
    // Coverage of the smaller supply by the smaller reserve: still 100 %, not 100 % + 2 yuan.
    expect(reserveCoverage(replay, m.figures().totalSupply).reserves).toBe(supply - 2_00n);
    // A token that forgot the redemptions (its reserve figure never falls) is reported.
    const stale = compareLedger(replay, { ...m.figures(), latestReserves: supply });
    expect(stale.firstMismatch).toMatchObject({
      kind: "reservesNow",
      fromEvents: supply - 2_00n,
      fromContract: supply,
    });
    // Redemptions beyond the attested reserve leave nothing, never a negative reserve.
    m.attest(1_00n);
    m.redeem(holder as Address, 1_50n);
    expect(reservesNow(replayLedger(m.events))).toBe(0n);
    expect(compareLedger(replayLedger(m.events), m.figures()).ok).toBe(true);
  });

  it("follows delayed transfers: pending ones are owed, released and taken-back ones leave the replay", () => {
    const m = honestLedger();
    const replay = replayLedger(m.events);
    expect([...replay.delayed.remaining]).toEqual([[3n, 1_50n]]);
    const verdict = compareLedger(replay, m.figures());
    expect(verdict.firstMismatch).toBeUndefined();
    expect(verdict.checks.find((c) => c.kind === "delayedPending")).toMatchObject({ fromEvents: 1_50n, ok: true });
    expect(verdict.checks.find((c) => c.kind === "transferCount")).toMatchObject({ fromEvents: 3n, fromContract: 3n });
    expect(verdict.checks.filter((c) => c.kind === "transferPending").map((c) => c.subject)).toEqual(["3"]);
  });

  it("reports a pending transfer the contract no longer holds, and an escrow short of what is pending", () => {
    const m = honestLedger();
    const released = m.figures();
    released.pendingTransfers.set(3n, 0n); // the contract says #3 is no longer pending: no event says so
    expect(compareLedger(replayLedger(m.events), released).firstMismatch).toMatchObject({
      kind: "transferPending",
      subject: "3",
      fromEvents: 1_50n,
      fromContract: 0n,
    });
    const short = { ...m.figures(), totalPending: 1_00n, delayedBalance: 1_00n };
    expect(compareLedger(replayLedger(m.events), short).firstMismatch).toMatchObject({
      kind: "delayedPending",
      fromEvents: 1_50n,
      fromContract: 1_00n,
    });
    // HCY gone from the escrow without a release or a cancel: it holds less than is pending.
    const taken = { ...m.figures(), delayedBalance: 1_00n };
    const verdict = compareLedger(replayLedger(m.events), taken);
    expect(verdict.firstMismatch).toMatchObject({ kind: "delayedEscrow", fromEvents: 1_50n, fromContract: 1_00n });
    expect(verdict.checks.find((c) => c.kind === "delayedExcess")).toMatchObject({ fromContract: -50n, ok: false });
  });

  it("reports a campaign the contract knows but no event created", () => {
    const m = honestLedger();
    const figures = { ...m.figures(), campaignCount: 3n };
    const verdict = compareLedger(replayLedger(m.events), figures);
    expect(verdict.firstMismatch).toMatchObject({ kind: "campaignCount", fromEvents: 2n, fromContract: 3n });
  });
});

function rawLog(address: Address, abi: readonly unknown[], eventName: string, args: Record<string, unknown>): RawLog {
  const event = getAbiItem({ abi: abi as never, name: eventName as never }) as unknown as {
    inputs: { name: string; type: string; indexed?: boolean; components?: unknown[] }[];
  };
  const topics = (encodeEventTopics as (p: unknown) => Hex[])({ abi, eventName, args });
  const dataInputs = event.inputs.filter((input) => !input.indexed);
  const data = encodeAbiParameters(dataInputs as never, dataInputs.map((input) => args[input.name]) as never);
  return { address, topics, data, blockNumber: "0x10", transactionHash: keccak256("0x01"), logIndex: "0x2" };
}

describe("fast event decoding", () => {
  const contracts = { CityYuan: addr(0xc1), RedPacket: RED_PACKET, Vouchers: VOUCHERS, DelayedTransfers: DELAYED };
  const decode = ledgerDecoder(contracts);

  it("reads the same values as viem's decoder, dynamic fields aside", () => {
    const created = rawLog(RED_PACKET, redPacketAbi, "PacketCreated", {
      packetId: 7n,
      sender: alice,
      audienceKey: toHex(5n, { size: 32 }),
      audience: 2,
      mode: 1,
      amount: 88_88n,
      shares: 10n,
      expiry: 1_800_000_000n,
      greeting: "恭喜发财，大吉大利",
    });
    expect(decode(created)).toMatchObject({
      kind: "PacketCreated",
      packetId: 7n,
      sender: alice,
      amount: 88_88n,
      blockNumber: 16n,
      logIndex: 2,
    });
    expect(decodeEventFull(redPacketAbi, created)).toMatchObject({ greeting: "恭喜发财，大吉大利", amount: 88_88n });

    const redeemed = rawLog(VOUCHERS, vouchersAbi, "VoucherRedeemed", {
      paymentId: keccak256("0x09"),
      payer: alice,
      payee: shop,
      price: 30_00n,
      orderRef: toHex("A-1", { size: 32 }),
      campaignId: 3n,
      discount: 5_00n,
    });
    expect(decode(redeemed)).toMatchObject({
      kind: "VoucherRedeemed",
      payer: alice,
      payee: shop,
      price: 30_00n,
      campaignId: 3n,
      discount: 5_00n,
      orderRef: toHex("A-1", { size: 32 }),
    });

    const transfer = rawLog(contracts.CityYuan, cityYuanAbi, "Transfer", { from: alice, to: bob, value: 123n });
    expect(decode(transfer)).toMatchObject({ kind: "Transfer", from: alice, to: bob, value: 123n });
  });

  it("reads the budget of CampaignCreated past its dynamic terms tuple", () => {
    const event = getAbiItem({ abi: vouchersAbi, name: "CampaignCreated" });
    const decoder = fastDecoderFor(event as never);
    const terms = {
      kind: 0,
      discount: 500n,
      cap: 0n,
      minSpend: 2000n,
      startsAt: 1,
      endsAt: 2,
      totalVouchers: 10,
      perResidentLimit: 1,
      categoryMask: 0,
      merchants: [shop],
      eligibleRoot: toHex(0n, { size: 32 }),
      listSalt: toHex(0n, { size: 32 }),
      residentsOnly: false,
    };
    const log = rawLog(VOUCHERS, vouchersAbi, "CampaignCreated", {
      campaignId: 4n,
      sponsor: shop,
      budget: 5000n,
      terms,
    });
    expect(decoder.decode(log)).toEqual({ campaignId: 4n, sponsor: shop, budget: 5000n });
  });

  it("tells which escrow rescued excess", () => {
    const rescued = rawLog(VOUCHERS, vouchersAbi, "ExcessRescued", { to: carol, amount: 42n });
    expect(decode(rescued)).toMatchObject({ kind: "ExcessRescued", escrow: "Vouchers", to: carol, amount: 42n });
  });

  it("ignores an event of the right shape from another contract", () => {
    const fake = rawLog(addr(0xbad), cityYuanAbi, "Transfer", { from: ZERO, to: alice, value: 10n ** 20n });
    expect(decode(fake)).toBeUndefined();
  });
});

describe("the events the audit reads", () => {
  const at = { blockNumber: 7n, logIndex: 0, transactionHash: keccak256("0x07") as Hex };
  const a = addr(0x1001);
  const b = addr(0x1002);
  // Every ledger event the audit no longer asks the node for, with plausible values.
  const skipped: LedgerEvent[] = [
    {
      ...at,
      kind: "PaymentMade",
      paymentId: keccak256("0x01"),
      payer: a,
      payee: b,
      amount: 500n,
      orderRef: keccak256("0x02"),
    },
    { ...at, kind: "PaymentRefunded", paymentId: keccak256("0x01"), payee: b, payer: a, amount: 500n },
    { ...at, kind: "AccountFrozen", account: a, officer: b },
    { ...at, kind: "AccountUnfrozen", account: a, officer: b },
    { ...at, kind: "VoucherClaimed", campaignId: 1n, resident: a },
  ];

  it("skips exactly the events that move no money, and they change no replayed figure", () => {
    const all = new Set(ledgerTopics());
    const money = new Set(moneyTopics());
    const others = [...all].filter((topic) => !money.has(topic)).sort();
    expect(others).toEqual(skipped.map((e) => ledgerTopic(e.kind)).sort());
    for (const kind of MONEY_EVENTS) expect(money.has(ledgerTopic(kind))).toBe(true);

    const honest = new LedgerModel();
    honest.issue(a, 10_000n);
    honest.pay(a, b, 2_500n);
    const base = replayToJson(replayLedger(honest.events));
    for (const event of skipped) {
      const withIt = replayToJson(replayLedger([...honest.events, event]));
      expect({ ...withIt, eventCount: base.eventCount }).toEqual(base);
    }
    // The comparison can fail: a money event changes the figures.
    const transfer: LedgerEvent = { ...at, kind: "Transfer", from: a, to: b, value: 1n };
    expect(replayToJson(replayLedger([...honest.events, transfer])).balances).not.toEqual(base.balances);
  });
});

describe("reading logs in adaptive ranges", () => {
  const contracts = { CityYuan: addr(0xc1), RedPacket: RED_PACKET, Vouchers: VOUCHERS, DelayedTransfers: DELAYED };
  /** A chain of 300 blocks with 40 Transfer logs in each; the node refuses replies over 2,000 logs. */
  function fakeNode(options: { delayMs?: (from: bigint) => number } = {}) {
    const asked: [bigint, bigint][] = [];
    const answered: bigint[] = [];
    const rpc = {
      async batchSettled(calls: { method: string; params: unknown[] }[]) {
        const { fromBlock, toBlock } = calls[0].params[0] as { fromBlock: Hex; toBlock: Hex };
        const from = BigInt(fromBlock);
        const to = BigInt(toBlock);
        asked.push([from, to]);
        const delay = options.delayMs?.(from) ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        answered.push(from);
        if ((to - from + 1n) * 40n > 2_000n) {
          return [
            {
              ok: false as const,
              error: Object.assign(new Error("query returned more than 2000 results"), {
                code: -32005,
                method: "eth_getLogs",
              }),
            },
          ];
        }
        const logs: RawLog[] = [];
        for (let block = from; block <= to; block++) {
          for (let i = 0; i < 40; i++) {
            const log = rawLog(contracts.CityYuan, cityYuanAbi, "Transfer", { from: alice, to: bob, value: 1n });
            logs.push({ ...log, blockNumber: toHex(block), logIndex: toHex(i) });
          }
        }
        return [{ ok: true as const, result: logs }];
      },
    };
    return { rpc, asked, answered };
  }

  it("reads every block exactly once, splitting ranges the node refuses", async () => {
    const { rpc, asked } = fakeNode();
    const { readLedgerLogs } = await import("../../core/audit/readLedger.js");
    const progress: bigint[] = [];
    const events = await readLedgerLogs(rpc as never, {
      contracts,
      fromBlock: 1n,
      toBlock: 300n,
      onProgress: (p) => progress.push(p.blocksRead),
    });
    expect(events).toHaveLength(300 * 40);
    const seen = new Set(events.map((e) => `${e.blockNumber}:${e.logIndex}`));
    expect(seen.size).toBe(300 * 40);
    expect(progress.at(-1)).toBe(300n);
    // It did split: some request was refused and none that succeeded was over the limit.
    expect(asked.some(([from, to]) => (to - from + 1n) * 40n > 2_000n)).toBe(true);
  });

  it("returns the logs in chain order when later ranges answer first", async () => {
    // Earlier blocks answer slower, so the parallel reads finish in reverse order. The replay is
    // order-sensitive (an attestation marks the redemptions before it): CI once counted a
    // redemption after an attestation that came before it on the chain.
    const { rpc, answered } = fakeNode({ delayMs: (from) => Math.max(1, 60 - Number(from) / 2) });
    const { readLedgerLogs } = await import("../../core/audit/readLedger.js");
    const events = await readLedgerLogs(rpc as never, { contracts, fromBlock: 1n, toBlock: 120n, parallel: 3 });
    expect(events).toHaveLength(120 * 40);
    expect(answered.some((from, i) => i > 0 && from < answered[i - 1])).toBe(true);
    for (let i = 1; i < events.length; i++) {
      expect(compareChainOrder(events[i - 1], events[i]), `event ${i}`).toBeLessThan(0);
    }
  });
});

describe("signed audit checkpoints", () => {
  const auditor = privateKeyToAccount(`0x${"a1".repeat(32)}`);
  const stranger = privateKeyToAccount(`0x${"b2".repeat(32)}`);
  const ledger = { chainId: 31337, cityYuan: addr(0xc17) };
  const HASH = `0x${"12".repeat(32)}` as Hex;
  /** The honest ledger signed at its 10th event (block 10), then more moves after it. */
  async function checkpointed(signer = auditor) {
    const m = honestLedger();
    const cut = 10;
    const before = replayLedger(m.events.slice(0, cut));
    const file = await signCheckpoint(signer, { ...ledger, replay: before, block: 10n, blockHash: HASH });
    m.pay(carol, shop, 1_00n);
    m.issue(carol, 2_00n);
    return { m, cut, file };
  }
  const verify = (file: AuditCheckpoint, overrides: Partial<Parameters<typeof verifyCheckpoint>[1]> = {}) =>
    verifyCheckpoint(file, {
      ...ledger,
      trustedAuditor: auditor.address,
      blockHashAt: async () => HASH,
      head: 100n,
      ...overrides,
    });

  it("continues from a verified checkpoint to the same ledger a full replay finds", async () => {
    const { m, cut, file } = await checkpointed();
    const start = await verify(JSON.parse(JSON.stringify(file)) as AuditCheckpoint);
    expect(start.block).toBe(10n);
    const continued = replayLedger(m.events.slice(cut), start.replay);
    expect(replayToJson(continued)).toEqual(replayToJson(replayLedger(m.events)));
    // The checkpoint's own replay is left as it was (a second audit can start from it again).
    expect(replayToJson(start.replay)).toEqual(file.replay);
    // Only the accounts moved since are read; the others count with their checkpoint balance.
    const moved = new Set([carol.toLowerCase(), shop.toLowerCase()]);
    expect(compareLedger(continued, m.figures(), moved).ok).toBe(true);
    const changed = { ...m.figures(), balances: new Map(m.figures().balances).set(carol.toLowerCase(), 0n) };
    expect(compareLedger(continued, changed, moved).firstMismatch).toMatchObject({
      kind: "balance",
      subject: carol.toLowerCase(),
    });
  });

  it("refuses, saying why, a checkpoint from another signer, a changed file, another chain or a reorganised block", async () => {
    const { file } = await checkpointed();
    const refusal = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CheckpointRefused);
      return (error as CheckpointRefused).reason;
    };
    expect(await refusal(verify((await checkpointed(stranger)).file))).toBe("untrustedSigner");
    const richer = structuredClone(file);
    richer.replay.balances = richer.replay.balances.map(([a, v]) => [a, a === alice ? (BigInt(v) + 1n).toString() : v]);
    expect(await refusal(verify(richer))).toBe("stateChanged");
    const moreIssued = structuredClone(file);
    moreIssued.claim.totalIssued = (BigInt(file.claim.totalIssued) + 1n).toString();
    expect(await refusal(verify(moreIssued))).toBe("untrustedSigner"); // the signature no longer recovers to her
    expect(await refusal(verify(file, { chainId: 1 }))).toBe("otherLedger");
    expect(await refusal(verify(file, { blockHashAt: async () => `0x${"34".repeat(32)}` }))).toBe("chainDiffers");
    expect(await refusal(verify(file, { blockHashAt: async () => undefined }))).toBe("chainDiffers");
    expect(await refusal(verify(file, { head: 9n }))).toBe("beyondHead");
    expect(await refusal(verify({ ...file, signature: "0x1234" }))).toBe("badSignature");
    // Made before delayed transfers were audited: it cannot say what their escrow owed.
    expect(await refusal(verify({ ...structuredClone(file), version: 1 } as unknown as AuditCheckpoint))).toBe(
      "olderVersion",
    );
  });

  it("carries a pending delayed transfer across a checkpoint and settles it after", async () => {
    const m = honestLedger();
    const cut = m.events.length; // transfer #3 (1.50 yuan to bob) is still pending here
    const file = await signCheckpoint(auditor, {
      ...ledger,
      replay: replayLedger(m.events),
      block: 10n,
      blockHash: HASH,
    });
    expect(file.claim.delayedOwed).toBe("150");
    m.settleDelayed(3n, alice, bob, "release");
    const start = await verify(JSON.parse(JSON.stringify(file)) as AuditCheckpoint);
    const continued = replayLedger(m.events.slice(cut), start.replay);
    expect(continued.delayed.remaining.size).toBe(0);
    expect(compareLedger(continued, m.figures()).ok).toBe(true);
    const tampered = structuredClone(file);
    tampered.replay.delayed.remaining = [];
    expect(
      await verify(tampered).then(
        () => "verified",
        (e: CheckpointRefused) => e.reason,
      ),
    ).toBe("stateChanged");
  });

  it("roots the balances in a tree OpenZeppelin's MerkleProof accepts", () => {
    const balances = new Map([
      [alice.toLowerCase(), 5n],
      [bob.toLowerCase(), 0n],
      [carol.toLowerCase(), 7n],
      [shop.toLowerCase(), 1_000n],
    ]);
    const tree = StandardMerkleTree.of(
      [...balances].filter(([, v]) => v !== 0n).map(([a, v]) => [a, v]),
      ["address", "uint256"],
    );
    expect(balancesRoot(balances)).toBe(tree.root);
    expect(balancesRoot(new Map())).toBe(`0x${"0".repeat(64)}`);
  });
});
