// A write is checked against the ABI where it is built (tsc fails on the lines marked
// @ts-expect-error if the check ever stops working), and its call data is the ABI encoding.
import { cityYuanAbi, redPacketAbi } from "@generated/contracts";
import { decodeFunctionData, encodeFunctionData, getAddress, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { contractWrite } from "../../web/src/tx/contractWrite";

const token = getAddress("0x00000000000000000000000000000000000000c1");
const shop = getAddress("0x00000000000000000000000000000000000000a2");
const orderRef = `0x${"ab".repeat(32)}` as const;

describe("contractWrite", () => {
  it("encodes the call as the ABI says", () => {
    const write = contractWrite({
      address: token,
      abi: cityYuanAbi,
      functionName: "pay",
      args: [shop, 1250n, orderRef],
    });
    expect(write.data).toBe(
      encodeFunctionData({ abi: cityYuanAbi, functionName: "pay", args: [shop, 1250n, orderRef] }),
    );
    expect(decodeFunctionData({ abi: cityYuanAbi, data: write.data })).toEqual({
      functionName: "pay",
      args: [shop, 1250n, orderRef],
    });
    expect(write).toMatchObject({ address: token, functionName: "pay", args: [shop, 1250n, orderRef] });
  });

  it("refuses at compile time what the contract would refuse at run time", () => {
    // A view is not a write: it would even encode, so only the compiler can stop it.
    // @ts-expect-error balanceOf does not change state
    contractWrite({ address: token, abi: cityYuanAbi, functionName: "balanceOf", args: [shop] });
    // The rest are refused by the compiler, and by the encoder if types were bypassed.
    expect(() =>
      // @ts-expect-error no such function
      contractWrite({ address: token, abi: cityYuanAbi, functionName: "payTwice", args: [] }),
    ).toThrow(/not found on ABI/);
    expect(() =>
      // @ts-expect-error the amount is fen as a bigint, not yuan as a number
      contractWrite({ address: token, abi: cityYuanAbi, functionName: "pay", args: [shop, 12.5, orderRef] }),
    ).toThrow();
    expect(() =>
      // @ts-expect-error pay takes three arguments (the order reference is missing)
      contractWrite({ address: token, abi: cityYuanAbi, functionName: "pay", args: [shop, 1250n] }),
    ).toThrow(/length/);
    // An address where a packet id belongs even encodes (as packet 0): the silent mistake only
    // the compiler catches.
    // @ts-expect-error refundExpired takes a packet id, not an address
    contractWrite({ address: token, abi: redPacketAbi, functionName: "refundExpired", args: [zeroAddress] });
  });
});
