// What the service needs to know about the deployed ledger: the CityYuan ABI (from the generated
// bindings, never copied by hand), the events the watcher follows, and the issuer role.
import { type Address, keccak256, toHex } from "viem";
import { cityYuanAbi } from "../../../generated/contracts.js";

export { cityYuanAbi };

const WATCHED = new Set(["Transfer", "Issued", "Redeemed", "PaymentMade"]);
export const watchedEvents = cityYuanAbi.filter(
  (item): item is Extract<(typeof cityYuanAbi)[number], { type: "event" }> =>
    item.type === "event" && WATCHED.has(item.name),
);

/** Must equal CityYuan.ISSUER_ROLE (keccak256("ISSUER_ROLE")). */
export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

export interface WatchedDeployment {
  chainId: number;
  deployBlock: bigint;
  cityYuan: Address;
  /** Escrows (red packets, vouchers): token moves into and out of them are not peer payments. */
  escrows: Address[];
  /** The city's merchant registry: payments to a registered shop are no "first payment to a stranger". */
  merchantRegistry?: Address;
  /** 找回账户: its events are told to the account and its helpers (recoveryAlerts.ts). */
  cityRecovery?: Address;
}
