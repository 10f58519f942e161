// A write the dApp sends, checked against its contract's ABI where it is built: the function must
// exist and change state, and the arguments must have the types the ABI gives them, so a changed
// Solidity signature fails in `tsc`, not in a simulation at run time. The call data is encoded
// here, while the types are still known; the rest of the send path needs no casts.
import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  encodeFunctionData,
  type Hex,
} from "viem";

type Writable = "nonpayable" | "payable";

/** Made only by `contractWrite` (its `data` proves the arguments were checked). */
export type ContractWrite = {
  readonly address: Address;
  readonly abi: Abi;
  readonly functionName: string;
  readonly args: readonly unknown[];
  /** The encoded call, for sending it inside a batch (a passkey account's user operation). */
  readonly data: Hex;
};

export function contractWrite<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, Writable>,
  const args extends ContractFunctionArgs<abi, Writable, functionName>,
>(write: { address: Address; abi: abi; functionName: functionName; args: args }): ContractWrite {
  const erased = {
    abi: write.abi as Abi,
    functionName: write.functionName as string,
    args: write.args as readonly unknown[],
  };
  return { address: write.address, ...erased, data: encodeFunctionData(erased) };
}
