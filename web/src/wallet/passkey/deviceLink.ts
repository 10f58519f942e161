// The link a new device shows (as a QR code) to join an existing passkey account, under
// #/devices/add: the new passkey's public key (base64url), and the name, platform and time of the
// request, which the approving device shows next to the check code (deviceCheck.ts) they bind.
// Everything is after the "#", which a browser never sends to a server.
import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { DeviceRequest } from "./deviceCheck";
import { cleanDeviceName, isPlatform } from "./deviceNames";

export function deviceLinkKey(x: Hex, y: Hex): string {
  const bytes = hexToBytes(`0x${x.slice(2)}${y.slice(2)}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function parseDeviceLinkKey(key: string | null): { x: Hex; y: Hex } | null {
  if (!key || !/^[A-Za-z0-9_-]{86}$/.test(key)) return null;
  const binary = atob(key.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (bytes.length !== 64) return null;
  return { x: bytesToHex(bytes.slice(0, 32)), y: bytesToHex(bytes.slice(32)) };
}

/** The query of a request: key, name, platform (p) and time (at). */
export function deviceLinkQuery(request: DeviceRequest): string {
  const query = new URLSearchParams({ key: deviceLinkKey(request.x, request.y), name: request.name });
  if (request.platform) query.set("p", request.platform);
  query.set("at", String(request.requestedAt));
  return query.toString();
}

/** The request a link describes, or null when any part is missing or malformed. */
export function parseDeviceLink(query: URLSearchParams): DeviceRequest | null {
  const key = parseDeviceLinkKey(query.get("key"));
  const rawName = query.get("name");
  const at = query.get("at");
  const platform = query.get("p");
  if (!key || rawName === null || at === null || !/^\d{1,15}$/.test(at)) return null;
  const name = cleanDeviceName(rawName);
  // A name that needed cleaning was not made by the dApp: the code would not match anyway.
  if (!name || name !== rawName) return null;
  if (platform !== null && !isPlatform(platform)) return null;
  return { ...key, name, platform, requestedAt: Number(at) };
}

export function deviceLink(request: DeviceRequest): string {
  const base = `${window.location.origin}${window.location.pathname}`;
  return `${base}#/devices/add?${deviceLinkQuery(request)}`;
}
