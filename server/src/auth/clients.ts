// Who a request comes from, for rate limits and quotas. The socket's address is the client,
// unless the operator says reverse proxies stand in front (HCY_TRUSTED_PROXY_HOPS): then the
// address that many entries from the right of X-Forwarded-For, which those proxies appended and a
// client cannot forge. Behind a NAT many residents share one address, so the sign-in limits also
// key on a signed device cookie (see deviceOf): one client exhausting its address's allowance
// does not lock out the residents whose browsers already carry their own device id.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const DEVICE_COOKIE = "hcy_device";

/** The client's network address (socket, or the trusted proxies' X-Forwarded-For entry). */
export function clientAddress(c: Context, trustedProxyHops: number): string {
  let socket = "unknown";
  try {
    socket = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // not served by @hono/node-server (tests call app.fetch directly)
  }
  if (trustedProxyHops === 0) return socket;
  const forwarded = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  // The last `hops` entries were written by our proxies; the one before them is the client.
  return forwarded[forwarded.length - trustedProxyHops] ?? socket;
}

/** Signed device ids: random, handed out once, verified without storage. */
export class DeviceIds {
  constructor(private readonly secret: Buffer) {}

  private mac(id: string): string {
    return createHmac("sha256", this.secret).update(`device:${id}`).digest("base64url").slice(0, 22);
  }

  issue(): string {
    const id = randomBytes(12).toString("base64url");
    return `${id}.${this.mac(id)}`;
  }

  /** The device id the cookie carries, when it is one we signed. */
  verify(cookie: string | undefined): string | undefined {
    if (cookie === undefined || !/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/.test(cookie)) return undefined;
    const [id, mac] = cookie.split(".") as [string, string];
    const expected = Buffer.from(this.mac(id));
    return timingSafeEqual(expected, Buffer.from(mac)) ? id : undefined;
  }
}

/**
 * The key sign-in limits count against: the device when the browser carries a device id we signed,
 * else its address (and then the browser is handed a device id for next time).
 */
export function deviceOf(c: Context, devices: DeviceIds, trustedProxyHops: number, secure: boolean): string {
  const device = devices.verify(getCookie(c, DEVICE_COOKIE));
  if (device !== undefined) return `device:${device}`;
  setCookie(c, DEVICE_COOKIE, devices.issue(), {
    httpOnly: true,
    sameSite: "Strict",
    secure,
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
  return `address:${clientAddress(c, trustedProxyHops)}`;
}
