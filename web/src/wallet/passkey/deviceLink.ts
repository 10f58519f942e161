// The link a new device shows (as a QR code) to join an existing passkey account: the new passkey's
// public key, base64url, under #/devices/add. Public data only.
import { bytesToHex, type Hex, hexToBytes } from "viem";

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

export function deviceLink(x: Hex, y: Hex): string {
  const base = `${window.location.origin}${window.location.pathname}`;
  return `${base}#/devices/add?key=${deviceLinkKey(x, y)}`;
}
