// The alert rules on their own (no chain): registered shops are no strangers, and an address one
// character away from a contact or from someone already paid (typed in lower case, so no checksum
// catches it) is named as a look-alike of that contact or payee, as is one with the same ends.
import type { Address, Hex } from "viem";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hexDistance } from "../../core/lookalike.js";
import { applyRules, type Movement, type RuleContext } from "../../server/src/chain/alertRules.js";
import { putContact } from "../../server/src/privateData.js";
import { account, DATABASES, startTestService, type TestService } from "./helpers.js";

const wang = account(6).address;
const shop = account(12).address; // a registered shop in these tests
const friend = account(9).address;

/** `address` with its character at `position` (1-based after 0x) changed, in lower case. */
function oneOff(address: Address, position: number): Address {
  const lower = address.toLowerCase();
  const i = position + 1;
  return `${lower.slice(0, i)}${lower[i] === "0" ? "1" : "0"}${lower.slice(i + 1)}` as Address;
}

/** Same first and last four characters, different middle. */
function sameEnds(address: Address): Address {
  return `0x${address.slice(2, 6)}${"b".repeat(32)}${address.slice(-4)}`.toLowerCase() as Address;
}

describe.each(DATABASES)("alert rules on %s", (database) => {
  let service: TestService;
  let n = 0;
  const merchants = new Set([shop.toLowerCase()]);
  const ctx: RuleContext = {
    contracts: new Set(),
    now: Date.now(),
    isMerchant: async (a) => merchants.has(a.toLowerCase()),
  };

  beforeEach(async () => {
    service = await startTestService({ database });
  });
  afterEach(async () => {
    await service.close();
  });

  async function move(from: Address, to: Address, amount = 1_000n): Promise<void> {
    n++;
    const m: Movement = {
      txHash: `0x${n.toString(16).padStart(64, "0")}` as Hex,
      logIndex: 0,
      blockNumber: BigInt(n),
      blockHash: `0x${(n + 1_000_000).toString(16).padStart(64, "0")}` as Hex,
      blockTime: 1_700_000_000 + n * 3_600,
      from,
      to,
      amount,
    };
    await service.db.transaction((tx) => applyRules(tx, m, ctx));
  }

  async function alerts(owner: Address) {
    const rows = await service.db.all<{ kind: string; counterparty: string; details: string }>(
      "SELECT kind, counterparty, details FROM alerts WHERE owner = ? ORDER BY block_number",
      [owner.toLowerCase()],
    );
    return rows.map((r) => ({ kind: r.kind, counterparty: r.counterparty, details: JSON.parse(r.details) }));
  }

  it("raises no first-payment alert for a registered shop, and one for a stranger", async () => {
    await move(wang, shop);
    await move(wang, shop);
    const stranger = account(10).address;
    await move(wang, stranger);
    expect((await alerts(wang)).map((a) => [a.kind, a.counterparty])).toEqual([
      ["first_payment", stranger.toLowerCase()],
    ]);
  });

  it("names a payment one character away from a contact, and from a shop paid before", async () => {
    await putContact(service.db, wang, { name: "李明", address: friend }, Date.now());
    const typoOfFriend = oneOff(friend, 19);
    expect(hexDistance(typoOfFriend, friend)).toBe(1);
    await move(wang, typoOfFriend);

    // The shop paid three times; then a lower-case copy with one character wrong.
    for (let i = 0; i < 3; i++) await move(wang, shop);
    const typoOfShop = oneOff(shop, 30);
    await move(wang, typoOfShop);

    const found = await alerts(wang);
    expect(found.map((a) => [a.kind, a.counterparty])).toEqual([
      ["payment_to_look_alike", typoOfFriend],
      ["payment_to_look_alike", typoOfShop],
    ]);
    expect(found[0].details).toMatchObject({ contactName: "李明", similarity: "oneChar" });
    expect(found[1].details).toMatchObject({ contactAddress: shop.toLowerCase(), similarity: "oneChar" });
    expect(found[1].details.contactName).toBeUndefined();
  });

  it("names money from a look-alike of a payee (same ends) as poisoning, and a real contact's money not at all", async () => {
    await putContact(service.db, wang, { name: "李明", address: friend }, Date.now());
    await move(wang, shop);
    const poisoner = sameEnds(shop);
    await move(poisoner, wang, 1n);
    await move(friend, wang, 5_00n);
    const found = await alerts(wang);
    expect(found.map((a) => [a.kind, a.counterparty])).toEqual([["address_poisoning", poisoner]]);
    expect(found[0].details).toMatchObject({ similarity: "edges", dust: true, contactAddress: shop.toLowerCase() });
  });

  it("does not call the same address in another letter case a look-alike", async () => {
    await putContact(service.db, wang, { name: "李明", address: friend }, Date.now());
    await move(wang, friend.toLowerCase() as Address);
    await move(wang, friend);
    expect(await alerts(wang)).toEqual([]);
  });
});
