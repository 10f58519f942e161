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
 * The browser's device id: the one its cookie carries when we signed it, else a new one to hand
 * out. New ids are counted per network address (`mint`, HCY_NEW_DEVICES_PER_ADDRESS_PER_MINUTE),
 * so a client dropping its cookies cannot make itself endless fresh allowances; a browser that
 * already has its id is never counted against its address. The cookie of a new id is not set
 * here: the caller sets it (`giveDeviceCookie`) only once the request is admitted, so a refused
 * (429) answer never carries one. Returns { wait } when the address has minted its allowance.
 */
export async function deviceOf(
  c: Context,
  devices: DeviceIds,
  trustedProxyHops: number,
  mint: { take(client: string, now: number): Promise<number> },
  now: number,
): Promise<{ device: string; issued?: string } | { wait: number }> {
  const device = devices.verify(getCookie(c, DEVICE_COOKIE));
  if (device !== undefined) return { device };
  const wait = await mint.take(`address:${clientAddress(c, trustedProxyHops)}`, now);
  if (wait > 0) return { wait };
  const issued = devices.issue();
  return { device: issued.split(".")[0] as string, issued };
}

/** Hands the browser its new device id (on an admitted answer only). */
export function giveDeviceCookie(c: Context, issued: string, secure: boolean): void {
  setCookie(c, DEVICE_COOKIE, issued, {
    httpOnly: true,
    sameSite: "Strict",
    secure,
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
}
