// What creating a red packet sends, built from the prepared packet without React: the contract's
// PacketParams, and either one createWithPermit (a wallet that signs an ERC-2612 permit) or
// approve + create together (a passkey account, which batches them in one operation).
import { PACKET_AUDIENCE, PACKET_MODE } from "@core/enums";
import type { Address, Hex } from "viem";
import { cityYuan, redPacket } from "../../contracts";
import { type ContractWrite, contractWrite } from "../../tx/contractWrite";
import type { ExactPermit } from "./exactPermit";
import type { PacketFormInput, PacketPlan } from "./packetForm";

/** A packet ready to send: the checked plan, who may claim, and how it is funded. */
export type PreparedPacket = {
  plan: PacketPlan;
  /** The ERC-2612 permit; null for a passkey account, which approves and creates in one operation. */
  permit: ExactPermit | null;
  /** A link packet's one-time claim key (kept on this device, travels only in the link). */
  key?: Hex;
  friend?: Address;
  friends?: Address[];
  audience: number;
  audienceKey: Hex;
};

/** The contract's audience for the form's choice. */
export function audienceOf(input: PacketFormInput): number {
  if (input.audience === "friend") return PACKET_AUDIENCE.friend;
  if (input.audience === "friends") return PACKET_AUDIENCE.friends;
  return input.residents ? PACKET_AUDIENCE.residents : PACKET_AUDIENCE.link;
}

/** The contract's PacketParams for a prepared packet. */
export function packetParams({ plan, audience, audienceKey }: PreparedPacket) {
  return {
    amount: plan.amount,
    shares: plan.shares,
    mode: PACKET_MODE[plan.mode],
    audience,
    audienceKey,
    duration: plan.duration,
    greeting: plan.greeting,
  };
}

/** The write(s) that create the packet: with its permit, or approve + create as one batch. */
export function packetWrites(prepared: PreparedPacket): ContractWrite | ContractWrite[] {
  const params = packetParams(prepared);
  const { permit } = prepared;
  if (permit)
    return contractWrite({
      address: redPacket.address,
      abi: redPacket.abi,
      functionName: "createWithPermit",
      args: [params, permit.deadline, permit.v, permit.r, permit.s],
    });
  return [
    contractWrite({
      address: cityYuan.address,
      abi: cityYuan.abi,
      functionName: "approve",
      args: [redPacket.address, prepared.plan.amount],
    }),
    contractWrite({ address: redPacket.address, abi: redPacket.abi, functionName: "create", args: [params] }),
  ];
}
