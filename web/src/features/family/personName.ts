// A person as the family pages name them in a sentence: her contact's name for him (儿子, 妈妈), or
// the short account number when he is not in her contacts. (On screen the address itself goes
// through <AddressText>; this is for words inside a sentence, such as 用亲属卡付（儿子）. Someone
// not in her contacts is 尾号 ABCD 的账户: never a raw 0x number in a sentence.)
import { useCallback } from "react";
import type { Address } from "viem";
import { shortAddressParts } from "../../components/AddressText";
import { useContacts } from "../../contacts/contactsStore";
import { familyMessages } from "../../i18n/messages/familyMoney";
import { useT } from "../../i18n/useT";

export function usePersonName(me: Address | undefined): (address: Address) => string {
  const contacts = useContacts(me);
  const t = useT(familyMessages);
  return useCallback(
    (address: Address) => {
      const contact = contacts.find((c) => c.address.toLowerCase() === address.toLowerCase());
      if (contact) return contact.name;
      return t("accountEnding", { tail: shortAddressParts(address).tail });
    },
    [contacts, t],
  );
}
