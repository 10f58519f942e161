// ERC-2612 permits for the city token: the typed data a wallet signs and the (v, r, s) the
// contracts take. One description for the dApp (red packets, vouchers, campaigns), the seed and the
// benchmarks. The domain always comes from the token itself (ERC-5267 `eip712Domain`, read with
// viem's getEip712Domain), never from a literal, so nothing can sign for another token or chain.
import { type Address, type Hex, parseSignature, type TypedDataDomain } from "viem";

/** How long a permit the dApp signs stays usable: long enough to confirm, short enough not to linger. */
export const PERMIT_LIFETIME_SECONDS = 30 * 60;

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export type PermitMessage = { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint };

/** What viem's getEip712Domain returns (ERC-5267): the fields bitmask says which parts are used. */
export type Eip712DomainReading = {
  domain: { name?: string; version?: string; chainId?: number | bigint; verifyingContract?: Address; salt?: Hex };
  fields: Hex;
};

// ERC-5267 field bits.
const NAME = 0x01;
const VERSION = 0x02;
const CHAIN_ID = 0x04;
const VERIFYING_CONTRACT = 0x08;
const SALT = 0x10;

/** The EIP-712 domain as the token declares it: only the fields its bitmask names (OZ: no salt). */
export function declaredDomain({ domain, fields }: Eip712DomainReading): TypedDataDomain {
  const bits = Number(BigInt(fields));
  return {
    ...(bits & NAME ? { name: domain.name } : {}),
    ...(bits & VERSION ? { version: domain.version } : {}),
    ...(bits & CHAIN_ID && domain.chainId !== undefined ? { chainId: Number(domain.chainId) } : {}),
    ...(bits & VERIFYING_CONTRACT ? { verifyingContract: domain.verifyingContract } : {}),
    ...(bits & SALT ? { salt: domain.salt } : {}),
  };
}

/** The typed data of one permit, ready for signTypedData. */
export function permitTypedData(domain: TypedDataDomain, message: PermitMessage) {
  return { domain, types: PERMIT_TYPES, primaryType: "Permit", message } as const;
}

export type PermitSignature = { v: number; r: Hex; s: Hex };

/** Splits a 65-byte signature into the (v, r, s) that `permit` and the *WithPermit functions take. */
export function splitPermitSignature(signature: Hex): PermitSignature {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: v !== undefined ? Number(v) : yParity + 27, r, s };
}
