// Checks an address typed or pasted by the resident, with a reason per failure (see the address
// messages). Mixed-case input must carry a valid EIP-55 checksum: a wrong one means a typo.
import { type Address, getAddress, isAddress, zeroAddress } from "viem";

export type AddressProblem = "addressInvalid" | "addressChecksum" | "addressZero";

export type ParsedAddress = { ok: true; address: Address } | { ok: false; error: AddressProblem };

export function parseAddressInput(input: string): ParsedAddress {
  const text = input.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return { ok: false, error: "addressInvalid" };
  if (!isAddress(text, { strict: true })) return { ok: false, error: "addressChecksum" };
  const address = getAddress(text);
  if (address === zeroAddress) return { ok: false, error: "addressZero" };
  return { ok: true, address };
}
