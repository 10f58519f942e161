// The core/ mirrors of on-chain rules stay in step with the contracts: each enum mirror lists the
// Solidity enum's members in order, and the permit domain is the one the token declares.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CAMPAIGN_STATUS,
  DISCOUNT_KIND,
  MERCHANT_CATEGORIES,
  PACKET_AUDIENCE,
  PACKET_MODE,
  VOUCHER_STATE,
} from "../../core/enums";
import { findLookalikes, lookalikeKey, looksLike } from "../../core/lookalike";
import { declaredDomain, permitTypedData, splitPermitSignature } from "../../core/permit";

/** Members of `enum <name> { ... }` in a Solidity interface, lower-camel-cased, in order. */
function solidityEnum(file: string, name: string): string[] {
  const source = readFileSync(new URL(`../../contracts/interfaces/${file}`, import.meta.url), "utf8");
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`enum ${name} not found in ${file}`);
  return body
    .split("\n")
    .map((line) =>
      line
        .replace(/\/\/.*$/, "")
        .trim()
        .replace(/,$/, ""),
    )
    .filter((member) => member !== "")
    .map((member) => member[0].toLowerCase() + member.slice(1));
}

/** A mirror object's keys in the order of their values 0, 1, 2, … */
const keysInOrder = (mirror: Record<string, number>) =>
  Object.entries(mirror)
    .sort(([, a], [, b]) => a - b)
    .map(([key], i) => {
      expect(mirror[key]).toBe(i);
      return key;
    });

describe("core/enums mirrors the Solidity enums", () => {
  it("IMerchantRegistry.Category", () => {
    expect(solidityEnum("IMerchantRegistry.sol", "Category")).toEqual([...MERCHANT_CATEGORIES]);
  });
  it("IRedPacket.Mode and Audience", () => {
    expect(solidityEnum("IRedPacket.sol", "Mode")).toEqual(keysInOrder(PACKET_MODE));
    expect(solidityEnum("IRedPacket.sol", "Audience")).toEqual(keysInOrder(PACKET_AUDIENCE));
  });
  it("IVouchers.DiscountKind, CampaignStatus and VoucherState", () => {
    expect(solidityEnum("IVouchers.sol", "DiscountKind")).toEqual(keysInOrder(DISCOUNT_KIND));
    expect(solidityEnum("IVouchers.sol", "CampaignStatus")).toEqual(keysInOrder(CAMPAIGN_STATUS));
    expect(solidityEnum("IVouchers.sol", "VoucherState")).toEqual(keysInOrder(VOUCHER_STATE));
  });
});

describe("core/permit", () => {
  const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const reading = {
    domain: {
      name: "Hefei City Yuan",
      version: "1",
      chainId: 31337,
      verifyingContract: token,
      salt: `0x${"0".repeat(64)}`,
    },
    fields: "0x0f",
  } as const;

  it("keeps only the domain fields the token declares (OpenZeppelin: no salt)", () => {
    expect(declaredDomain(reading)).toEqual({
      name: "Hefei City Yuan",
      version: "1",
      chainId: 31337,
      verifyingContract: token,
    });
    expect(declaredDomain({ ...reading, fields: "0x1f" })).toHaveProperty("salt");
    expect(declaredDomain({ ...reading, fields: "0x0c" })).toEqual({ chainId: 31337, verifyingContract: token });
  });

  it("builds the ERC-2612 Permit typed data", () => {
    const data = permitTypedData(declaredDomain(reading), {
      owner: token,
      spender: token,
      value: 1n,
      nonce: 0n,
      deadline: 2n,
    });
    expect(data.primaryType).toBe("Permit");
    expect(data.types.Permit.map((f) => f.name)).toEqual(["owner", "spender", "value", "nonce", "deadline"]);
  });

  it("splits a signature into v (27/28), r and s", () => {
    const r = `0x${"11".repeat(32)}` as const;
    const s = `0x${"22".repeat(32)}` as const;
    expect(splitPermitSignature(`${r}${"22".repeat(32)}1c`)).toEqual({ v: 28, r, s });
    expect(splitPermitSignature(`${r}${"22".repeat(32)}1b`)).toEqual({ v: 27, r, s });
  });
});

describe("core/lookalike: one rule for the dApp's warning and the service's alert", () => {
  const trusted = "0x1234aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5678" as const;
  const poison = "0x1234bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb5678" as const;
  it("the service's index key is the ends the dApp compares", () => {
    expect(lookalikeKey(trusted)).toEqual(lookalikeKey(poison));
    expect(lookalikeKey(trusted)).toEqual({ head4: "1234", tail4: "5678" });
    expect(looksLike(trusted, poison)).toBe(true);
    expect(findLookalikes(poison, [{ address: trusted }])).toHaveLength(1);
  });
});
