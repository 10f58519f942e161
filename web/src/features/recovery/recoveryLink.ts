// The link a new phone shows (as a QR code) to ask her helpers for 找回账户, under #/recovery/help:
// the new passkey's public key, the phone's name and platform and when she asked, in the same form
// as a device link (deviceLink.ts). It names no account: the helper's own dApp knows whose account
// he helps with (he chooses when he helps several), so she never has to find or type an account
// number on a phone she just bought. The check code is a different one from a device request's, so
// a link made for one cannot be passed off as the other.
import { encodeAbiParameters, parseAbiParameters, sha256 } from "viem";
import type { DeviceRequest } from "../../wallet/passkey/deviceCheck";
import { deviceLinkQuery } from "../../wallet/passkey/deviceLink";

const CODE_INPUT = parseAbiParameters("string, bytes32, bytes32, string, string, uint64");

/** Six digits both phones show, e.g. "042917". */
export function recoveryCheckCode(request: DeviceRequest): string {
  const digest = sha256(
    encodeAbiParameters(CODE_INPUT, [
      "Hefei City Wallet: recover an account, v1",
      request.x,
      request.y,
      request.name,
      request.platform ?? "",
      BigInt(request.requestedAt),
    ]),
  );
  return (BigInt(digest) % 1_000_000n).toString().padStart(6, "0");
}

export function recoveryLink(request: DeviceRequest): string {
  const base = `${window.location.origin}${window.location.pathname}`;
  return `${base}#/recovery/help?${deviceLinkQuery(request)}`;
}
