// Every address on screen goes through here. Residents see who it is — 我, a contact's name, a
// registered shop's name, or 陌生账户 (or what the caller says instead, e.g. 回头客 on the shop
// page) — and, while the city's register has not answered, "…" rather than a guess; the address itself one tap away (the name is a
// button that opens the details: the full checksummed address in groups of four, copyable). The
// auditor's pages (AddressDisplayContext "addresses") see the short address with its first and
// last characters emphasised (what people compare, so look-alikes stand out) beside the name.
import { useId, useState } from "react";
import { type Address, getAddress } from "viem";
import { addressMessages } from "../i18n/messages/address";
import { useT } from "../i18n/useT";
import { useAddressName } from "../names/useAddressName";
import { useAddressDisplay } from "./addressDisplay";
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
  owner,
  unknownLabel,
}: {
  address: Address;
  showName?: boolean;
  copyable?: boolean;
  /** Whose contacts name the address (default: the connected wallet's). */
  owner?: Address;
  /** Said instead of 陌生账户 for an address that is neither me, a contact nor a shop. */
  unknownLabel?: string;
}) {
  const t = useT(addressMessages);
  const name = useAddressName(address, owner);
  const display = useAddressDisplay();
  const [expanded, setExpanded] = useState(false);
  const fullId = useId();
  const checksummed = getAddress(address);
  const { head, tail } = shortAddressParts(checksummed);
  const label =
    name.kind === "me"
      ? t("meTag")
      : name.kind === "unknown"
        ? (unknownLabel ?? t("unknownAccount"))
        : name.kind === "loading"
          ? "…"
          : name.name;
  const tag = name.kind === "merchant" ? t("merchantTag") : name.kind === "contact" ? t("contactTag") : undefined;
  const technical = display === "addresses";
  return (
    <span className="address-text">
      {technical && showName && name.kind !== "unknown" && name.kind !== "loading" && (
        <span className="address-name">
          {label}
          {tag && <span className="tag">{tag}</span>}
        </span>
      )}
      <button
        type="button"
        className={technical ? "address-short" : "address-name-button"}
        title={checksummed}
        aria-expanded={expanded}
        aria-controls={fullId}
        onClick={() => setExpanded((e) => !e)}
      >
        {technical ? (
          <>
            0x<strong>{head}</strong>…<strong>{tail}</strong>
          </>
        ) : (
          <>
            <span className="address-name" aria-busy={showName && name.kind === "loading" ? true : undefined}>
              {showName ? label : t("showAddress")}
            </span>
            {showName && name.kind === "loading" && <span className="visually-hidden">{t("checkingName")}</span>}
            {showName && tag && <span className="tag">{tag}</span>}
          </>
        )}
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
