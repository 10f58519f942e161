// An ERC-2612 permit for exactly one amount to one spender, signed with the connected wallet, so
// a red packet or a voucher checkout is funded in one transaction and no standing (let alone
// unlimited) approval is ever given. The EIP-712 domain is read from the token itself
// (ERC-5267 eip712Domain: "Hefei City Yuan", "1", chain id, the token), so a build can never sign
// for a different token or chain than the one it sends to.
import { type Address, type Hex, parseSignature } from "viem";
import type { Config } from "wagmi";
import { getBlock, getConnection, readContract, signTypedData } from "wagmi/actions";
import { cityChain } from "../../chain";
import { cityYuan } from "../../contracts";

export type ExactPermit = { value: bigint; deadline: bigint; v: number; r: Hex; s: Hex };

/** How long a signed permit stays usable: long enough to confirm, short enough not to linger. */
export const PERMIT_LIFETIME_SECONDS = 30 * 60;

export class PermitUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "PermitUnavailableError";
  }
}

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export async function signExactPermit(config: Config, spender: Address, value: bigint): Promise<ExactPermit> {
  if (!cityYuan) throw new PermitUnavailableError("not deployed");
  const connection = getConnection(config);
  const owner = connection.address;
  if (!connection.isConnected || !owner)
    throw Object.assign(new Error("not connected"), { name: "ConnectorNotConnectedError" });
  if (connection.chainId !== cityChain.id)
    throw Object.assign(new Error("wrong network"), { name: "ChainMismatchError" });
  const [domain, nonce, block] = await Promise.all([
    readContract(config, { ...cityYuan, functionName: "eip712Domain", chainId: cityChain.id }),
    readContract(config, { ...cityYuan, functionName: "nonces", args: [owner], chainId: cityChain.id }),
    getBlock(config, { chainId: cityChain.id }),
  ]);
  const [, name, version, chainId, verifyingContract] = domain as readonly [
    Hex,
    string,
    string,
    bigint,
    Address,
    Hex,
    readonly bigint[],
  ];
  if (Number(chainId) !== cityChain.id || verifyingContract.toLowerCase() !== cityYuan.address.toLowerCase()) {
    throw new PermitUnavailableError("token domain does not match this chain");
  }
  // The chain's clock decides expiry; a local chain may run ahead of the wall clock.
  const now = BigInt(Math.max(Math.floor(Date.now() / 1000), Number(block.timestamp)));
  const deadline = now + BigInt(PERMIT_LIFETIME_SECONDS);
  // No `account`: wagmi then signs with the connector's own client (the built-in wallet's local
  // key, or the browser wallet); a bare address would ask the node to sign.
  const signature = await signTypedData(config, {
    domain: { name, version, chainId: Number(chainId), verifyingContract },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message: { owner, spender, value, nonce: nonce as bigint, deadline },
  });
  const { r, s, v, yParity } = parseSignature(signature);
  return { value, deadline, v: v !== undefined ? Number(v) : yParity + 27, r, s };
}
