// How addresses are shown below a point in the page tree: residents see names ("names", the
// default) with the address one tap away; the auditor's ledger and the issuing desk see the
// addresses themselves ("addresses"), as their work needs.
import { createContext, useContext } from "react";

export type AddressDisplay = "names" | "addresses";

export const AddressDisplayContext = createContext<AddressDisplay>("names");

export function useAddressDisplay(): AddressDisplay {
  return useContext(AddressDisplayContext);
}
