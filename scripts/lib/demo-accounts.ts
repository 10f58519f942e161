// The local demo cast as the scripts use it: who holds which role and who the residents and
// merchants are, with their local-chain keys. The cast itself (indices, names, categories) is
// core/demoCast.ts, which the dApp's demo accounts read too. Keys derive from Hardhat's public
// test mnemonic: they are for the local chain only.
import { type HDAccount, mnemonicToAccount } from "viem/accounts";
import { type DemoPerson as CastMember, DEMO_CAST, demoRoleHolder, LOCAL_MNEMONIC } from "../../core/demoCast.js";
import type { MerchantCategory } from "../../core/enums.js";

export interface DemoPerson {
  index: number;
  name: string;
  nameEn: string;
}

export interface DemoMerchant extends DemoPerson {
  category: MerchantCategory;
}

const person = (p: CastMember): DemoPerson => ({ index: p.index, name: p.zh, nameEn: p.en });

export const ROLE_HOLDERS = {
  admin: person(demoRoleHolder("admin")),
  issuer: person(demoRoleHolder("issuer")),
  compliance: person(demoRoleHolder("compliance")),
  pauser: person(demoRoleHolder("pauser")),
  attester: person(demoRoleHolder("attester")),
  registrar: person(demoRoleHolder("registrar")),
} as const satisfies Record<string, DemoPerson>;

export const RESIDENTS: readonly DemoPerson[] = DEMO_CAST.filter((p) => p.kind === "resident").map(person);

export const MERCHANTS: readonly DemoMerchant[] = DEMO_CAST.flatMap((p: CastMember) =>
  p.kind === "merchant" && p.category ? [{ ...person(p), category: p.category }] : [],
);

export function localAccount(index: number): HDAccount {
  return mnemonicToAccount(LOCAL_MNEMONIC, { addressIndex: index });
}
