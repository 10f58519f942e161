// Every address on screen goes through here: checksummed, shortened with the first and last
// characters emphasised (what people compare, so look-alikes stand out), labelled with the
// contact or merchant name when known, the full address on hover, focus or tap, and copyable.
import { useId, useState } from "react";
import { type Address, getAddress } from "viem";
import { addressMessages } from "../i18n/messages/address";
import { useT } from "../i18n/useT";
import { useAddressName } from "../names/useAddressName";
import { CopyButton } from "./CopyButton";

/** 0x1234…abcd split into its parts, for rendering and for tests. */
export function shortAddressParts(address: Address): { head: string; tail: string } {
  const checksummed = getAddress(address);
  return { head: checksummed.slice(2, 6), tail: checksummed.slice(-4) };
}

/** The full address in groups of four, easier to read aloud and compare. */
export function groupedAddress(address: Address): string {
  const hex = getAddress(address).slice(2);
  return `0x ${hex.match(/.{1,4}/g)?.join(" ") ?? hex}`;
}

export function AddressText({
  address,
  showName = true,
  copyable = false,
}: {
  address: Address;
  showName?: boolean;
  copyable?: boolean;
}) {
  const t = useT(addressMessages);
  const name = useAddressName(address);
  const [expanded, setExpanded] = useState(false);
  const fullId = useId();
  const checksummed = getAddress(address);
  const { head, tail } = shortAddressParts(checksummed);
  return (
    <span className="address-text">
      {showName && name.kind !== "unknown" && (
        <span className="address-name">
          {name.kind === "me" ? t("meTag") : name.name}
          {name.kind !== "me" && (
            <span className="tag">{name.kind === "merchant" ? t("merchantTag") : t("contactTag")}</span>
          )}
        </span>
      )}
      <button
        type="button"
        className="address-short"
        title={checksummed}
        aria-expanded={expanded}
        aria-controls={fullId}
        onClick={() => setExpanded((e) => !e)}
      >
        0x<strong>{head}</strong>…<strong>{tail}</strong>
        {/* The accessible name starts with what is visible, then gives the whole address. */}
        <span className="visually-hidden">, {t("fullAddress", { address: checksummed })}</span>
      </button>
      <span id={fullId} className="address-full" hidden={!expanded}>
        <code>{groupedAddress(checksummed)}</code>
      </span>
      {(copyable || expanded) && <CopyButton text={checksummed} label={t("copyAddress")} />}
    </span>
  );
}
