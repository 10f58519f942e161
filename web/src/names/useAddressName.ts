// What to call an address: "me", a contact's nickname, or a merchant's registered name; "loading"
// while the city's register has not answered yet (a name shown before then could be the wrong one,
// and "unknown" would be a wrong verdict).

import type { MerchantCategory } from "@core/enums";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { useContacts } from "../contacts/contactsStore";
import { useMerchant } from "./useMerchant";

export type AddressName =
  | { kind: "me" }
  | { kind: "contact"; name: string }
  | { kind: "merchant"; name: string; category: MerchantCategory }
  | { kind: "loading" }
  | { kind: "unknown" };

/**
 * `owner`: whose "me" and contacts count (default: the connected wallet). The shop page passes the
 * shop, so its customers keep the names the shop gave them while the wallet is locked.
 */
export function useAddressName(address: Address | undefined, owner?: Address): AddressName {
  const connected = useConnection().address;
  const me = owner ?? connected;
  const contacts = useContacts(me);
  const { merchant, status } = useMerchant(address);
  if (!address) return { kind: "unknown" };
  if (me && me.toLowerCase() === address.toLowerCase()) return { kind: "me" };
  // The city's register wins over a nickname: a contact cannot pose as a registered shop. So
  // nothing is said until the register answered.
  if (status !== "ready") return { kind: "loading" };
  if (merchant) return { kind: "merchant", name: merchant.name, category: merchant.category };
  const contact = contacts.find((c) => c.address.toLowerCase() === address.toLowerCase());
  if (contact) return { kind: "contact", name: contact.name };
  return { kind: "unknown" };
}
