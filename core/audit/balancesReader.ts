// Reads many balances in one eth_call: the creation code of BalancesReader.sol (beside this file),
// sent with no `to`, runs `balanceOf` for each account inside the node at the pinned block and
// returns the balances instead of code. Nothing is deployed. One eth_call per account cost about
// 0.75 ms each on the Hardhat node (5,000 balances in 3.7 s); an audit after a busy day moves
// hundreds of thousands of accounts. The same `balanceOf` at the same block is read: what the
// audit checks does not change. A node that refuses (gas cap, no creation in calls) gets the
// per-account calls instead.
import { encodeAbiParameters, type Hex } from "viem";

/**
 * BalancesReader's creation code: solc 0.8.30, optimizer on (200 runs), no metadata appended
 * (`metadata.appendCBOR: false`); test/web/audit.test.ts compiles the source and compares.
 */
export const BALANCES_READER_BYTECODE: Hex =
  "0x608060405234801561000f575f5ffd5b5060405161028938038061028983398101604081905261002e9161017d565b80515f816001600160401b0381111561004957610049610159565b604051908082528060200260200182016040528015610072578160200160208202803683370190505b5090505f5b8281101561013757846001600160a01b03166370a082318583815181106100a0576100a061025d565b60200260200101516040518263ffffffff1660e01b81526004016100d391906001600160a01b0391909116815260200190565b602060405180830381865afa1580156100ee573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906101129190610271565b8282815181106101245761012461025d565b6020908102919091010152600101610077565b506020820260208201f35b6001600160a01b0381168114610156575f5ffd5b50565b634e487b7160e01b5f52604160045260245ffd5b805161017881610142565b919050565b5f5f6040838503121561018e575f5ffd5b825161019981610142565b60208401519092506001600160401b038111156101b4575f5ffd5b8301601f810185136101c4575f5ffd5b80516001600160401b038111156101dd576101dd610159565b604051600582901b90603f8201601f191681016001600160401b038111828210171561020b5761020b610159565b604052918252602081840181019290810188841115610228575f5ffd5b6020850194505b8385101561024e576102408561016d565b81526020948501940161022f565b50809450505050509250929050565b634e487b7160e01b5f52603260045260245ffd5b5f60208284031215610281575f5ffd5b505191905056fe";

/** Accounts per eth_call: about 6,000 gas each, so 1,000 stay far below nodes' eth_call gas caps. */
export const BALANCES_PER_READ = 1_000;

/** The eth_call data that reads `token.balanceOf` of each account (at most BALANCES_PER_READ). */
export function balancesReadData(token: Hex, accounts: readonly Hex[]): Hex {
  const args = encodeAbiParameters([{ type: "address" }, { type: "address[]" }], [token, accounts]);
  return `${BALANCES_READER_BYTECODE}${args.slice(2)}`;
}

/** The balances a BalancesReader call returned, in the order asked; undefined when the reply is not one word per account. */
export function balancesFromReply(reply: Hex, count: number): bigint[] | undefined {
  if (reply.length !== 2 + 64 * count) return undefined;
  const balances: bigint[] = new Array(count);
  for (let i = 0; i < count; i++) balances[i] = BigInt(`0x${reply.slice(2 + 64 * i, 66 + 64 * i)}`);
  return balances;
}
