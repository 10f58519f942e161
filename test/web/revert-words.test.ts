// Every custom error a city contract can revert with has plain words in both languages, so a
// refused transaction is never shown to a resident as a bare Solidity name. Words live in
// web/src/i18n/messages/revert.ts (shared) or in the message file of the feature whose contract
// raises them (keyed by the error's name). An error the dApp's forms make impossible to reach is
// listed in PREVENTED_BY_THE_UI with the reason; the list is checked too, so it cannot go stale.
import {
  cityYuanAbi,
  delayedTransfersAbi,
  familyCardsAbi,
  merchantRegistryAbi,
  redPacketAbi,
  vouchersAbi,
} from "@generated/contracts";
import type { Abi } from "viem";
import { describe, expect, it } from "vitest";

const modules = import.meta.glob<Record<string, unknown>>("../../web/src/i18n/messages/*.ts", { eager: true });

type MessageSet = { zh: Record<string, string>; en: Record<string, string> };
const isMessageSet = (value: unknown): value is MessageSet =>
  typeof value === "object" && value !== null && "zh" in value && "en" in value;

const sets: MessageSet[] = Object.values(modules).flatMap((module) => Object.values(module).filter(isMessageSet));

/** Errors the resident cannot trigger from the dApp, with the reason. */
const PREVENTED_BY_THE_UI: Record<string, string> = {
  AccessControlBadConfirmation: "renouncing a role is not offered in the dApp (scripts only)",
  AccessControlEnforcedDefaultAdminDelay: "admin transfer is a script, not a dApp action",
  AccessControlEnforcedDefaultAdminRules: "admin transfer is a script, not a dApp action",
  AccessControlInvalidDefaultAdmin: "admin transfer is a script, not a dApp action",
  ECDSAInvalidSignature: "the dApp builds every signature it sends (permits, claim keys)",
  ECDSAInvalidSignatureLength: "the dApp builds every signature it sends (permits, claim keys)",
  ECDSAInvalidSignatureS: "the dApp builds every signature it sends (permits, claim keys)",
  InvalidAccountNonce: "the permit nonce is read from the token right before signing",
  InvalidShortString: "raised only by constructors (EIP-712 names)",
  StringTooLong: "raised only by constructors (EIP-712 names)",
  SafeCastOverflowedUintDowncast: "amounts and counts are bounded by the forms far below the casts' limits",
  SafeERC20FailedOperation: "the escrows move CityYuan, which reverts with its own named errors first",
  RedPacketInvalidLimits: "limits are set by the admin through scripts, not the dApp",
  VouchersZeroAddress: "raised only by the constructor",
  RedPacketLivePacketsMismatch: "the escrow rescue is an admin script, not a dApp action",
  RedPacketNoExcess: "the escrow rescue is an admin script, not a dApp action",
  RedPacketNothingHeld:
    "releasing held shares is a compliance script, not a dApp action (to be worded if the dApp offers it)",
};

const errorNames = (abi: Abi) => abi.flatMap((item) => (item.type === "error" ? [item.name] : []));
const contracts = {
  CityYuan: cityYuanAbi,
  MerchantRegistry: merchantRegistryAbi,
  RedPacket: redPacketAbi,
  Vouchers: vouchersAbi,
  FamilyCards: familyCardsAbi,
  DelayedTransfers: delayedTransfersAbi,
};

const worded = (name: string) => sets.some((set) => Boolean(set.zh[name]?.trim()) && Boolean(set.en[name]?.trim()));

describe("every contract custom error has words in zh and en", () => {
  for (const [contract, abi] of Object.entries(contracts)) {
    it(contract, () => {
      const missing = errorNames(abi as Abi).filter((name) => !worded(name) && !(name in PREVENTED_BY_THE_UI));
      expect(missing).toEqual([]);
    });
  }
  it("the prevented list names only real errors", () => {
    const all = new Set(Object.values(contracts).flatMap((abi) => errorNames(abi as Abi)));
    expect(Object.keys(PREVENTED_BY_THE_UI).filter((name) => !all.has(name))).toEqual([]);
  });
});
