// Red packets in the browser: the claim link (built, read back, refused for another chain or
// contract), who got what and who was luckiest, the packet's state, and the form's rules.
import type { Address } from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { canRefund, mergeClaims, packetState, summariseClaims } from "../../web/src/features/redpackets/claims";
import { audienceKeyOf, buildClaimLink, checkClaimLink, parseClaimPath } from "../../web/src/features/redpackets/link";
import { checkPacketForm, type PacketFormInput } from "../../web/src/features/redpackets/packetForm";

const CONTRACT = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" as Address;
const A = "0x1111111111111111111111111111111111111111" as Address;
const B = "0x2222222222222222222222222222222222222222" as Address;
const C = "0x3333333333333333333333333333333333333333" as Address;

describe("claim links", () => {
  it("puts chain, contract, packet and key in the fragment and reads them back", () => {
    const key = generatePrivateKey();
    const url = buildClaimLink("http://127.0.0.1:5173/#/redpackets", {
      chainId: 31337,
      contract: CONTRACT,
      packetId: 42n,
      key,
    });
    expect(url).toBe(`http://127.0.0.1:5173/#/redpackets/claim/31337/${CONTRACT}/42/${key}`);
    // Nothing secret before the '#': the server never sees the key.
    expect(url.split("#")[0]).not.toContain(key.slice(2));
    const rest = url.split("#/redpackets/claim/")[1] as string;
    const parsed = parseClaimPath(rest);
    expect(parsed).toEqual({ ok: true, link: { chainId: 31337, contract: CONTRACT, packetId: 42n, key } });
  });

  it("reads a 1:1 link without a key", () => {
    expect(parseClaimPath(`31337/${CONTRACT.toLowerCase()}/7`)).toEqual({
      ok: true,
      link: { chainId: 31337, contract: CONTRACT, packetId: 7n },
    });
  });

  it.each([
    ["", "nothing"],
    [`31337/${CONTRACT}`, "no id"],
    [`x/${CONTRACT}/1`, "chain not a number"],
    [`31337/0x1234/1`, "short address"],
    [`31337/${CONTRACT}/0`, "id zero"],
    [`31337/${CONTRACT}/-1`, "negative id"],
    [`31337/${CONTRACT}/1/0x1234`, "short key"],
    [`31337/${CONTRACT}/1/${"0x".padEnd(66, "g")}`, "key not hex"],
    [`31337/${CONTRACT}/1/${"0x".padEnd(66, "1")}/extra`, "extra part"],
  ])("refuses a malformed link (%s: %s)", (rest) => {
    expect(parseClaimPath(rest)).toEqual({ ok: false, problem: "malformed" });
  });

  it("says when a link is for another chain or another contract", () => {
    const link = { chainId: 1, contract: CONTRACT, packetId: 1n };
    expect(checkClaimLink(link, 31337, CONTRACT)).toBe("wrongChain");
    expect(checkClaimLink({ ...link, chainId: 31337 }, 31337, A)).toBe("wrongContract");
    expect(checkClaimLink({ ...link, chainId: 31337 }, 31337, undefined)).toBe("wrongContract");
    expect(
      checkClaimLink({ ...link, chainId: 31337, contract: CONTRACT.toLowerCase() as Address }, 31337, CONTRACT),
    ).toBeNull();
  });

  it("pads the claim key's address to the 32-byte audience key", () => {
    const key = generatePrivateKey();
    const address = privateKeyToAddress(key);
    const padded = audienceKeyOf(address);
    expect(padded).toHaveLength(66);
    expect(`0x${padded.slice(26)}`).toBe(address.toLowerCase());
    expect(padded.slice(2, 26)).toBe("0".repeat(24));
  });
});

describe("who got what", () => {
  it("orders claims by share and names the biggest share of a random packet", () => {
    const s = summariseClaims(
      [
        { claimer: B, amount: 500n, index: 1 },
        { claimer: A, amount: 120n, index: 0 },
        { claimer: C, amount: 380n, index: 2 },
      ],
      true,
    );
    expect(s.claims.map((c) => c.claimer)).toEqual([A, B, C]);
    expect(s.total).toBe(1000n);
    expect(s.luckiest?.claimer).toBe(B);
  });

  it("names nobody luckiest while a share is still being drawn, and counts only drawn shares", () => {
    const merged = mergeClaims(
      [
        { claimer: A, amount: 120n, index: 0 },
        { claimer: B, amount: 500n, index: 1 },
      ],
      [
        { claimer: A, amount: 0n, index: 0 },
        { claimer: B, amount: 0n, index: 1 },
        { claimer: C, amount: 0n, index: 2 },
      ],
    );
    expect(merged.filter((c) => c.pending).map((c) => c.claimer)).toEqual([C]);
    const s = summariseClaims(merged, true);
    expect(s.drawing).toBe(true);
    expect(s.luckiest).toBeNull();
    expect(s.total).toBe(620n);
    const done = summariseClaims(
      mergeClaims([...merged.filter((c) => !c.pending), { claimer: C, amount: 380n, index: 2 }], []),
      true,
    );
    expect(done.drawing).toBe(false);
    expect(done.luckiest?.claimer).toBe(B);
  });

  it("gives a tie to the earlier claim", () => {
    const s = summariseClaims(
      [
        { claimer: C, amount: 300n, index: 2 },
        { claimer: A, amount: 300n, index: 0 },
        { claimer: B, amount: 100n, index: 1 },
      ],
      true,
    );
    expect(s.luckiest?.claimer).toBe(A);
  });

  it("names nobody luckiest for an equal packet or a single claim", () => {
    expect(
      summariseClaims(
        [
          { claimer: A, amount: 1n, index: 0 },
          { claimer: B, amount: 2n, index: 1 },
        ],
        false,
      ).luckiest,
    ).toBeNull();
    expect(summariseClaims([{ claimer: A, amount: 9n, index: 0 }], true).luckiest).toBeNull();
    expect(summariseClaims([], true)).toEqual({ claims: [], total: 0n, drawing: false, luckiest: null });
  });
});

describe("packet state", () => {
  const open = { remaining: 500n, shares: 3n, claimed: 1n, expiry: 1000n, refunded: false };
  it("is open, finished, expired or refunded", () => {
    expect(packetState(open, 999n)).toBe("open");
    expect(packetState(open, 1000n)).toBe("expired");
    expect(packetState({ ...open, claimed: 3n, remaining: 0n }, 2000n)).toBe("finished");
    expect(packetState({ ...open, refunded: true, remaining: 0n }, 2000n)).toBe("refunded");
  });
  it("offers a refund only from expiry on, with something left, once", () => {
    expect(canRefund(open, 999n)).toBe(false);
    expect(canRefund(open, 1000n)).toBe(true);
    expect(canRefund({ ...open, remaining: 0n }, 1000n)).toBe(false);
    expect(canRefund({ ...open, refunded: true }, 1000n)).toBe(false);
  });
});

describe("the red-packet form", () => {
  const limits = { maxTotal: 20_000n, maxShares: 100n, defaultDuration: 86_400n, maxDuration: 7n * 86_400n };
  const base: PacketFormInput = {
    audience: "link",
    amount: "88.88",
    shares: "3",
    mode: "random",
    greeting: "",
    hours: "",
  };
  const check = (patch: Partial<PacketFormInput>) => checkPacketForm({ ...base, ...patch }, limits, "恭喜发财");

  it("plans a random group packet with the default greeting and expiry", () => {
    expect(check({})).toEqual({
      ok: true,
      plan: { amount: 8888n, shares: 3n, mode: "random", greeting: "恭喜发财", duration: 86_400n },
    });
  });

  it("makes a single share equal, and a friend packet always one share", () => {
    expect(check({ shares: "1" })).toMatchObject({ ok: true, plan: { shares: 1n, mode: "equal" } });
    expect(check({ audience: "friend", shares: "9" })).toMatchObject({ ok: true, plan: { shares: 1n } });
  });

  it("refuses what the contract would refuse, each with its own reason", () => {
    expect(check({ amount: "200.01" })).toEqual({ ok: false, errors: { amount: "amountOverLimit" } });
    expect(check({ amount: "0.02", shares: "3" })).toEqual({ ok: false, errors: { shares: "sharesExceedAmount" } });
    expect(check({ shares: "101" })).toEqual({ ok: false, errors: { shares: "sharesTooMany" } });
    expect(check({ shares: "0" })).toEqual({ ok: false, errors: { shares: "sharesInvalid" } });
    expect(check({ shares: "2.5" })).toEqual({ ok: false, errors: { shares: "sharesInvalid" } });
    expect(check({ amount: "1.001" })).toEqual({ ok: false, errors: { amount: "amountTooManyDecimals" } });
    expect(check({ greeting: "福".repeat(22) })).toEqual({ ok: false, errors: { greeting: "greetingTooLong" } });
    expect(check({ hours: "169" })).toEqual({ ok: false, errors: { hours: "hoursTooLong" } });
    expect(check({ hours: "-1" })).toEqual({ ok: false, errors: { hours: "hoursInvalid" } });
  });

  it("accepts an expiry in hours within the maximum", () => {
    expect(check({ hours: "2" })).toMatchObject({ ok: true, plan: { duration: 7200n } });
  });
});
