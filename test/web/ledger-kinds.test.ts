// The ledger page's movement kinds (core/audit/ledgerMovements.ts, shared by the page and the
// indexer): a kind event names the one Transfer of its own call, not every Transfer of its
// transaction. A bundler puts several people's user operations into one transaction; a plain
// transfer there stays a transfer although a stranger paid a shop in the same bundle. The indexer's
// rows are compared with classifyMovements over a real chain in test/indexer/indexer.test.ts.
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import type { LedgerContracts, LedgerEvent } from "../../core/audit/ledgerEvents";
import { classifyMovements, transfersNamed } from "../../core/audit/ledgerMovements";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const ZERO = addr(0);
const [ALICE, BOB, SHOP, CAROL, VOUCHERS, RED_PACKET] = [
  addr(0xa1),
  addr(0xb0),
  addr(0x5a),
  addr(0xc0),
  addr(0xe1),
  addr(0xe2),
];
const contracts = { Vouchers: VOUCHERS, RedPacket: RED_PACKET } as unknown as LedgerContracts;
const BUNDLE = `0x${"bd".repeat(32)}` as Hex;
const OTHER = `0x${"0e".repeat(32)}` as Hex;

let next = 0;
function at(transactionHash: Hex = BUNDLE) {
  return { blockNumber: 7n, logIndex: next++, transactionHash };
}
const transfer = (from: Address, to: Address, value: bigint, tx?: Hex): LedgerEvent => ({
  ...at(tx),
  kind: "Transfer",
  from,
  to,
  value,
});
const paid = (payer: Address, payee: Address, amount: bigint, tx?: Hex): LedgerEvent => ({
  ...at(tx),
  kind: "PaymentMade",
  paymentId: `0x${"11".repeat(32)}`,
  payer,
  payee,
  amount,
  orderRef: `0x${"22".repeat(32)}`,
});

const kinds = (events: LedgerEvent[]) =>
  classifyMovements(events, contracts, () => 0)
    .sort((a, b) => a.logIndex - b.logIndex)
    .map((m) => `${m.from.slice(-2)}→${m.to.slice(-2)} ${m.amount} ${m.kind}`);

describe("the kind of a movement", () => {
  it("in a bundle: Alice's transfer to Bob stays a transfer beside Carol's payment to a shop", () => {
    next = 0;
    const events = [
      transfer(ALICE, BOB, 500n), // Alice's user operation: a plain transfer
      transfer(CAROL, SHOP, 1_250n), // Carol's user operation: CityYuan.pay …
      paid(CAROL, SHOP, 1_250n), // … and its PaymentMade
    ];
    expect(kinds(events)).toEqual(["a1→b0 500 transfer", "c0→5a 1250 payment"]);
  });

  it("two people paying the same shop the same amount in one bundle: each PaymentMade names its own Transfer", () => {
    next = 0;
    const events = [
      transfer(ALICE, SHOP, 800n),
      paid(ALICE, SHOP, 800n),
      transfer(BOB, SHOP, 800n), // Bob pays the same shop the same amount, as a plain transfer
      transfer(CAROL, SHOP, 800n),
      paid(CAROL, SHOP, 800n),
    ];
    expect(kinds(events)).toEqual(["a1→5a 800 payment", "b0→5a 800 transfer", "c0→5a 800 payment"]);
  });

  it("a refund names the shop's Transfer back to the payer, and a voucher redemption the resident's part", () => {
    next = 0;
    const events: LedgerEvent[] = [
      transfer(SHOP, ALICE, 300n),
      { ...at(), kind: "PaymentRefunded", paymentId: `0x${"33".repeat(32)}`, payee: SHOP, payer: ALICE, amount: 300n },
      transfer(BOB, SHOP, 10n), // a tip in the same bundle
      transfer(CAROL, SHOP, 700n), // the resident's part of a 1,000 fen price …
      transfer(VOUCHERS, SHOP, 300n), // … and the campaign's 300 fen discount
      {
        ...at(),
        kind: "VoucherRedeemed",
        paymentId: `0x${"44".repeat(32)}`,
        payer: CAROL,
        payee: SHOP,
        price: 1_000n,
        orderRef: `0x${"55".repeat(32)}`,
        campaignId: 1n,
        discount: 300n,
      },
      transfer(ZERO, ALICE, 5_000n),
      transfer(BOB, ZERO, 200n),
      transfer(RED_PACKET, CAROL, 88n),
    ];
    expect(kinds(events)).toEqual([
      "5a→a1 300 refund",
      "b0→5a 10 transfer",
      "c0→5a 700 voucher",
      "e1→5a 300 voucher",
      "00→a1 5000 issue",
      "b0→00 200 redeem",
      "e2→c0 88 redPacket",
    ]);
  });

  it("an event never names a Transfer of another transaction, nor one after it", () => {
    next = 0;
    const events = [
      transfer(ALICE, SHOP, 400n, OTHER),
      paid(ALICE, SHOP, 400n), // in BUNDLE: its own Transfer is missing here
      transfer(ALICE, SHOP, 400n), // after the event: not the event's
    ];
    expect(kinds(events)).toEqual(["a1→5a 400 transfer", "a1→5a 400 transfer"]);
    expect(
      transfersNamed([
        { name: "PaymentMade", logIndex: 1, from: ALICE, to: SHOP, amount: 400n },
        { name: "Transfer", logIndex: 2, from: ALICE, to: SHOP, value: 400n },
      ]).size,
    ).toBe(0);
  });
});
