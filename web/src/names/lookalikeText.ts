// The sentence for a look-alike address, naming who it imitates (contact, shop, or someone paid
// before), shared by the transfer and pay pages.
import type { LookalikeMatch } from "@core/lookalike";
import type { addressMessages } from "../i18n/messages/address";
import type { Translate } from "../i18n/useT";
import type { KnownPayee } from "./useKnownPayees";

type T = Translate<keyof (typeof addressMessages)["zh"]>;

export function whoText(ta: T, known: KnownPayee): string {
  if (known.kind === "contact") return ta("whoContact", { name: known.name ?? "" }).trim();
  if (known.kind === "shop") return ta("whoShop", { name: known.name ?? "" });
  return ta("whoPaid");
}

export function lookalikeText(ta: T, match: LookalikeMatch<KnownPayee>): string {
  const who = whoText(ta, match.known);
  return match.kind === "oneChar"
    ? ta("oneCharOff", { who, position: String(match.position ?? "") })
    : ta("edgesAlike", { who });
}
