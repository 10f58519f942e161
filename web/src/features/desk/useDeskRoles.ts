// Which of the city's roles the connected address holds, read with hasRole on each contract:
// CityYuan (admin, issuer, compliance, pauser, attester), MerchantRegistry (registrar) and
// Vouchers (city sponsor, guardian). The desk checks these before sending anything.

import { cityYuanAbi, merchantRegistryAbi, vouchersAbi } from "@generated/contracts";
import { type Address, type Hex, keccak256, stringToHex, zeroHash } from "viem";
import { useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { deployment } from "../../contracts";

export type DeskRole = "admin" | "issuer" | "compliance" | "pauser" | "attester" | "registrar" | "sponsor" | "guardian";

const roleId = (name: string): Hex => keccak256(stringToHex(name));

const ROLES: { role: DeskRole; contract: "CityYuan" | "MerchantRegistry" | "Vouchers"; id: Hex }[] = [
  { role: "admin", contract: "CityYuan", id: zeroHash },
  { role: "issuer", contract: "CityYuan", id: roleId("ISSUER_ROLE") },
  { role: "compliance", contract: "CityYuan", id: roleId("COMPLIANCE_ROLE") },
  { role: "pauser", contract: "CityYuan", id: roleId("PAUSER_ROLE") },
  { role: "attester", contract: "CityYuan", id: roleId("ATTESTER_ROLE") },
  { role: "registrar", contract: "MerchantRegistry", id: roleId("REGISTRAR_ROLE") },
  { role: "sponsor", contract: "Vouchers", id: roleId("CITY_SPONSOR_ROLE") },
  { role: "guardian", contract: "Vouchers", id: roleId("GUARDIAN_ROLE") },
];

const ABIS = { CityYuan: cityYuanAbi, MerchantRegistry: merchantRegistryAbi, Vouchers: vouchersAbi } as const;

export function useDeskRoles(account: Address | undefined) {
  const query = useReadContracts({
    contracts: deployment
      ? ROLES.map((r) => ({
          address: deployment?.contracts[r.contract] as Address,
          abi: ABIS[r.contract] as typeof cityYuanAbi,
          functionName: "hasRole" as const,
          args: [r.id, account ?? "0x0000000000000000000000000000000000000000"] as const,
          chainId: cityChain.id,
        }))
      : [],
    allowFailure: false,
    query: { enabled: Boolean(account && deployment) },
  });
  const held = new Set<DeskRole>();
  (query.data as boolean[] | undefined)?.forEach((has, i) => {
    if (has) held.add(ROLES[i].role);
  });
  return { roles: held, isLoading: query.isLoading, isError: query.isError };
}
