// The check code of a request to add a device: 6 digits both devices show, derived from the new
// passkey's public key and what the request says about it (its name, platform and the time it was
// made). The new device computes it from the passkey it just made; the approving device computes it
// from the link it was given. A scammer's link carries the scammer's passkey, so its code is not the
// one on her own new device: "核对两台设备上的数字一致再同意".
import type { DevicePlatform } from "@core/api";
import { encodeAbiParameters, type Hex, parseAbiParameters, sha256 } from "viem";

export type DeviceRequest = {
  x: Hex;
  y: Hex;
  name: string;
  platform: DevicePlatform | null;
  /** When the new device made the request (ms since 1970). */
  requestedAt: number;
};

const CODE_INPUT = parseAbiParameters("string, bytes32, bytes32, string, string, uint64");

/** Six digits, e.g. "042917". */
export function deviceCheckCode(request: DeviceRequest): string {
  const digest = sha256(
    encodeAbiParameters(CODE_INPUT, [
      "Hefei City Wallet: add a device, v1",
      request.x,
      request.y,
      request.name,
      request.platform ?? "",
      BigInt(request.requestedAt),
    ]),
  );
  return (BigInt(digest) % 1_000_000n).toString().padStart(6, "0");
}

/** "042 917": easier to read aloud and compare. */
export function spacedCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}
