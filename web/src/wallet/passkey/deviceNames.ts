// Names of the devices (passkeys) of a passkey account: "王阿姨的手机 · 华为 · 12月6日添加". A name is
// personal data and never goes on the chain: the chain knows only the passkeys' public keys. Each
// device keeps the names it knows in its own browser storage (its own, the ones it approved, the
// ones the city service gave it), and the city service keeps them for the account after Sign-In,
// so every device of the account can show them. The platform (brand) is guessed from the browser's
// user agent, only to help her tell devices apart.
import { DEVICE_PLATFORMS, type DevicePlatform, MAX_DEVICE_NAME_CHARS } from "@core/api";
import type { Lang } from "@core/i18n";
import type { Address, Hex } from "viem";
import { isObject, readStoredRecord, writeStored } from "../../lib/localStore";

export const PLATFORMS = DEVICE_PLATFORMS;
export type Platform = DevicePlatform;
export { MAX_DEVICE_NAME_CHARS };

export const isPlatform = (value: unknown): value is Platform =>
  typeof value === "string" && (PLATFORMS as readonly string[]).includes(value);

/** The brand or kind of device, from a user agent; null when it says nothing useful. */
export function guessPlatform(userAgent: string): Platform | null {
  const ua = userAgent;
  if (/HONOR/i.test(ua)) return "honor";
  if (/HUAWEI|HarmonyOS|OpenHarmony/i.test(ua)) return "huawei";
  if (/Xiaomi|Redmi|POCO|MiuiBrowser|\bMI \d/i.test(ua)) return "xiaomi";
  if (/OPPO|OnePlus|HeyTapBrowser|\bCPH\d{4}|\bPH[A-Z]\d{3}\b/i.test(ua)) return "oppo";
  if (/\bvivo\b|VivoBrowser|\bV\d{4}[A-Z]{1,2}\b/i.test(ua)) return "vivo";
  if (/SAMSUNG|\bSM-[A-Z]\d{3}/i.test(ua)) return "samsung";
  if (/iPhone|iPod/.test(ua)) return "iphone";
  if (/iPad/.test(ua)) return "ipad";
  if (/Android/.test(ua)) return "android";
  if (/Macintosh|Mac OS X/.test(ua)) return "mac";
  if (/Windows/.test(ua)) return "windows";
  if (/Linux|CrOS|X11/.test(ua)) return "computer";
  return null;
}

const PLATFORM_NAMES: Record<Platform, Record<Lang, string>> = {
  huawei: { zh: "华为", en: "Huawei" },
  honor: { zh: "荣耀", en: "Honor" },
  xiaomi: { zh: "小米", en: "Xiaomi" },
  oppo: { zh: "OPPO", en: "OPPO" },
  vivo: { zh: "vivo", en: "vivo" },
  samsung: { zh: "三星", en: "Samsung" },
  iphone: { zh: "iPhone", en: "iPhone" },
  ipad: { zh: "iPad", en: "iPad" },
  mac: { zh: "Mac 电脑", en: "Mac" },
  windows: { zh: "Windows 电脑", en: "Windows PC" },
  android: { zh: "安卓手机", en: "Android phone" },
  computer: { zh: "电脑", en: "Computer" },
};

export function platformName(platform: Platform, lang: Lang): string {
  return PLATFORM_NAMES[platform][lang];
}

type Kind = "phone" | "tablet" | "computer";
function kindOf(platform: Platform | null): Kind {
  if (platform === "ipad") return "tablet";
  if (platform === "mac" || platform === "windows" || platform === "computer") return "computer";
  return "phone";
}

const KIND_NAMES: Record<Kind, Record<Lang, { mine: string; owned: (owner: string) => string }>> = {
  phone: {
    zh: { mine: "我的手机", owned: (o) => `${o}的手机` },
    en: { mine: "My phone", owned: (o) => `${o}'s phone` },
  },
  tablet: {
    zh: { mine: "我的平板", owned: (o) => `${o}的平板` },
    en: { mine: "My tablet", owned: (o) => `${o}'s tablet` },
  },
  computer: {
    zh: { mine: "我的电脑", owned: (o) => `${o}的电脑` },
    en: { mine: "My computer", owned: (o) => `${o}'s computer` },
  },
};

/** The name proposed for a new device ("我的手机", or "王阿姨的手机" when her name is known). */
export function proposedDeviceName(platform: Platform | null, lang: Lang, owner?: string | null): string {
  const names = KIND_NAMES[kindOf(platform)][lang];
  const cleanOwner = owner ? cleanDeviceName(owner) : "";
  return cleanOwner ? names.owned(cleanOwner) : names.mine;
}

/**
 * A name as she typed it, made safe to show: no control, invisible or text-direction characters
 * (they make look-alike names), spaces collapsed, at most MAX_DEVICE_NAME_CHARS characters.
 */
export function cleanDeviceName(raw: string): string {
  const chars = [
    ...raw
      .normalize("NFC")
      .replace(/[\t\n\r\v\f\u2028\u2029]/gu, " ")
      .replace(/[\p{Cc}\p{Cf}]/gu, "")
      .replace(/\s+/gu, " ")
      .trim(),
  ];
  return chars.slice(0, MAX_DEVICE_NAME_CHARS).join("").trim();
}

/**
 * "12月6日添加" / "added 6 Dec"; the year too when it is not this year. In the phone's own time zone
 * (as every date in the dApp), or `timeZone` when given.
 */
export function addedOn(addedAt: number, lang: Lang, now: number = Date.now(), timeZone?: string): string {
  const parts = (ms: number) => {
    const p = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    }).formatToParts(ms);
    const get = (type: string) => Number(p.find((x) => x.type === type)?.value);
    return { y: get("year"), m: get("month"), d: get("day") };
  };
  const { y, m, d } = parts(addedAt);
  const sameYear = parts(now).y === y;
  if (lang === "zh") return `${sameYear ? "" : `${y}年`}${m}月${d}日添加`;
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `added ${d} ${month}${sameYear ? "" : ` ${y}`}`;
}

export type DeviceInfo = { name: string; platform: Platform | null; addedAt: number | null };

/**
 * "王阿姨的手机 · 华为 · 12月6日添加": the name, then the brand when known and not already in the
 * name, then the day it was added when known. `unnamed` stands in for a device whose name no device
 * of hers has told us.
 */
export function deviceLabel(
  info: DeviceInfo | null,
  lang: Lang,
  unnamed: string,
  now: number = Date.now(),
  timeZone?: string,
): string {
  const parts = [info?.name || unnamed];
  if (info?.platform) {
    const brand = platformName(info.platform, lang);
    if (!parts[0]?.toLowerCase().includes(brand.toLowerCase())) parts.push(brand);
  }
  if (info?.addedAt) parts.push(addedOn(info.addedAt, lang, now, timeZone));
  return parts.join(" · ");
}

/** A passkey as the key of its name: x and y, lower-case hex, 128 digits. */
export function deviceKey(x: Hex, y: Hex): string {
  return `${x.slice(2)}${y.slice(2)}`.toLowerCase();
}

// --- The names this device knows, per account (this browser only). ---

const KNOWN_KEY = "hcy.devices.names.v1";
type Known = Record<string, Record<string, DeviceInfo>>;

const isDeviceInfo = (v: unknown): v is DeviceInfo =>
  isObject(v) &&
  typeof v.name === "string" &&
  (v.platform === null || isPlatform(v.platform)) &&
  (v.addedAt === null || (typeof v.addedAt === "number" && Number.isFinite(v.addedAt)));

function readKnown(): Known {
  const raw = readStoredRecord(KNOWN_KEY, isObject);
  const known: Known = {};
  for (const [account, devices] of Object.entries(raw))
    known[account] = Object.fromEntries(
      Object.entries(devices).filter((entry): entry is [string, DeviceInfo] => isDeviceInfo(entry[1])),
    );
  return known;
}

const listeners = new Set<() => void>();

/** The names this device knows for the account's devices, by deviceKey. */
export function knownDevices(account: Address): Record<string, DeviceInfo> {
  return readKnown()[account.toLowerCase()] ?? {};
}

/** Remembers (or renames) a device of the account on this device. */
export function rememberDevice(account: Address, key: string, info: DeviceInfo): void {
  const known = readKnown();
  const mine = known[account.toLowerCase()] ?? {};
  mine[key] = { name: cleanDeviceName(info.name), platform: info.platform, addedAt: info.addedAt };
  known[account.toLowerCase()] = mine;
  try {
    writeStored(KNOWN_KEY, known);
  } catch {
    // Storage full: the name is still shown from the city service once she signs in.
  }
  for (const l of listeners) l();
}

export function subscribeKnownDevices(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Forgets the names kept here for an account (this device was removed from it). */
export function forgetKnownDevices(account: Address): void {
  const known = readKnown();
  delete known[account.toLowerCase()];
  try {
    writeStored(KNOWN_KEY, known);
  } catch {
    // Nothing more to do: the names are only ever shown for a device in the account.
  }
  for (const l of listeners) l();
}

/** Forgets one device's name here (it was removed from the account). */
export function forgetDevice(account: Address, key: string): void {
  const known = readKnown();
  const mine = known[account.toLowerCase()];
  if (!mine || !(key in mine)) return;
  delete mine[key];
  try {
    writeStored(KNOWN_KEY, known);
  } catch {
    // Nothing more to do: names are shown only for the account's current devices.
  }
  for (const l of listeners) l();
}
