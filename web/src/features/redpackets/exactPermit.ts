// An ERC-2612 permit for exactly one amount to one spender, signed with the connected wallet, so
// a red packet or a voucher checkout is funded in one transaction and no standing (let alone
// unlimited) approval is ever given. The EIP-712 domain is read from the token itself
// (ERC-5267 eip712Domain: "Hefei City Yuan", "1", chain id, the token), so a build can never sign
// for a different token or chain than the one it sends to.
import { declaredDomain, PERMIT_LIFETIME_SECONDS, permitTypedData, splitPermitSignature } from "@core/permit";
import type { Address, Hex } from "viem";
import type { Config } from "wagmi";
import { getBlock, getConnection, getPublicClient, readContract, signTypedData } from "wagmi/actions";
import { cityChain } from "../../chain";
import { cityYuan } from "../../contracts";

export type ExactPermit = { value: bigint; deadline: bigint; v: number; r: Hex; s: Hex };

export class PermitUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "PermitUnavailableError";
  }
}

export async function signExactPermit(config: Config, spender: Address, value: bigint): Promise<ExactPermit> {
  if (!cityYuan) throw new PermitUnavailableError("not deployed");
  const connection = getConnection(config);
  const owner = connection.address;
  if (!connection.isConnected || !owner)
    throw Object.assign(new Error("not connected"), { name: "ConnectorNotConnectedError" });
  if (connection.chainId !== cityChain.id)
    throw Object.assign(new Error("wrong network"), { name: "ChainMismatchError" });
  const client = getPublicClient(config, { chainId: cityChain.id });
  if (!client) throw new PermitUnavailableError("no client for the city chain");
  const [reading, nonce, block] = await Promise.all([
    client.getEip712Domain({ address: cityYuan.address }),
    readContract(config, { ...cityYuan, functionName: "nonces", args: [owner], chainId: cityChain.id }),
    getBlock(config, { chainId: cityChain.id }),
  ]);
  const domain = declaredDomain(reading);
  if (
    Number(domain.chainId) !== cityChain.id ||
    domain.verifyingContract?.toLowerCase() !== cityYuan.address.toLowerCase()
  ) {
    throw new PermitUnavailableError("token domain does not match this chain");
  }
  // The chain's clock decides expiry; a local chain may run ahead of the wall clock.
  const now = BigInt(Math.max(Math.floor(Date.now() / 1000), Number(block.timestamp)));
  const deadline = now + BigInt(PERMIT_LIFETIME_SECONDS);
  // No `account`: wagmi then signs with the connector's own client (the built-in wallet's local
  // key, or the browser wallet); a bare address would ask the node to sign.
  const signature = await signTypedData(config, permitTypedData(domain, { owner, spender, value, nonce, deadline }));
  return { value, deadline, ...splitPermitSignature(signature) };
}
