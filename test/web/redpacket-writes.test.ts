// What creating a red packet sends: with a permit, one createWithPermit carrying the exact
// PacketParams; without (a passkey account), approve of exactly the amount, then create, as one batch.
import { PACKET_AUDIENCE, PACKET_MODE } from "@core/enums";
import { cityYuanAbi, redPacketAbi } from "@generated/contracts";
import { decodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { cityYuan, redPacket } from "../../web/src/contracts";
import { audienceOf, type PreparedPacket, packetWrites } from "../../web/src/features/redpackets/packetWrites";

const prepared: PreparedPacket = {
  plan: { amount: 88_88n, shares: 3n, mode: "random", duration: 86_400n, greeting: "新年快乐" },
  permit: { value: 88_88n, deadline: 1_900_000_000n, v: 27, r: `0x${"11".repeat(32)}`, s: `0x${"22".repeat(32)}` },
  audience: PACKET_AUDIENCE.link,
  audienceKey: `0x${"00".repeat(12)}${"ab".repeat(20)}`,
};
const params = {
  amount: 88_88n,
  shares: 3n,
  mode: PACKET_MODE.random,
  audience: PACKET_AUDIENCE.link,
  audienceKey: prepared.audienceKey,
  duration: 86_400n,
  greeting: "新年快乐",
};

describe("packetWrites", () => {
  it("sends one createWithPermit with the packet's parameters and its permit", () => {
    const write = packetWrites(prepared);
    expect(Array.isArray(write)).toBe(false);
    if (Array.isArray(write)) return;
    expect(write.address).toBe(redPacket.address);
    expect(decodeFunctionData({ abi: redPacketAbi, data: write.data })).toEqual({
      functionName: "createWithPermit",
      args: [params, 1_900_000_000n, 27, prepared.permit?.r, prepared.permit?.s],
    });
  });

  it("without a permit approves exactly the amount, then creates, as one batch", () => {
    const writes = packetWrites({ ...prepared, permit: null });
    expect(Array.isArray(writes)).toBe(true);
    if (!Array.isArray(writes)) return;
    const [approve, create] = writes;
    expect(approve?.address).toBe(cityYuan.address);
    expect(decodeFunctionData({ abi: cityYuanAbi, data: approve?.data ?? "0x" })).toEqual({
      functionName: "approve",
      args: [redPacket.address, 88_88n],
    });
    expect(decodeFunctionData({ abi: redPacketAbi, data: create?.data ?? "0x" })).toEqual({
      functionName: "create",
      args: [params],
    });
  });

  it("maps the form's audience to the contract's", () => {
    const base = { amount: "1", shares: "1", mode: "equal", greeting: "", hours: "" } as const;
    expect(audienceOf({ ...base, audience: "link" })).toBe(PACKET_AUDIENCE.link);
    expect(audienceOf({ ...base, audience: "link", residents: true })).toBe(PACKET_AUDIENCE.residents);
    expect(audienceOf({ ...base, audience: "friend" })).toBe(PACKET_AUDIENCE.friend);
    expect(audienceOf({ ...base, audience: "friends" })).toBe(PACKET_AUDIENCE.friends);
  });
});
