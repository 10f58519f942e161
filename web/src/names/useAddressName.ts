// What to call an address: "me", a contact's nickname, or a merchant's registered name.

import type { MerchantCategory } from "@core/enums";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { useContacts } from "../contacts/contactsStore";
import { useMerchant } from "./useMerchant";

export type AddressName =
  | { kind: "me" }
  | { kind: "contact"; name: string }
  | { kind: "merchant"; name: string; category: MerchantCategory }
  | { kind: "unknown" }
  /** The city's register has not answered yet: never called 陌生账户 before it has. */
  | { kind: "loading" };

export function useAddressName(address: Address | undefined): AddressName {
  const me = useConnection().address;
  const contacts = useContacts(me);
  const { merchant, isLoading } = useMerchant(address);
  if (!address) return { kind: "unknown" };
  if (me && me.toLowerCase() === address.toLowerCase()) return { kind: "me" };
  // The city's register wins over a nickname: a contact cannot pose as a registered shop.
  if (merchant) return { kind: "merchant", name: merchant.name, category: merchant.category };
  const contact = contacts.find((c) => c.address.toLowerCase() === address.toLowerCase());
  if (contact) return { kind: "contact", name: contact.name };
  return isLoading ? { kind: "loading" } : { kind: "unknown" };
}
