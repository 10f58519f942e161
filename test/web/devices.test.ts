// Devices of a passkey account: their names ("王阿姨的手机 · 华为 · 12月6日添加"), the platform guessed
// from the user agent, and the check code both devices show when one asks to join (the code is
// bound to the passkey and to what the request says about it, and survives the link's round trip).
import { beforeEach, describe, expect, it } from "vitest";
import { deviceCheckCode, spacedCode } from "../../web/src/wallet/passkey/deviceCheck";
import { deviceLinkQuery, parseDeviceLink } from "../../web/src/wallet/passkey/deviceLink";
import {
  addedOn,
  cleanDeviceName,
  deviceKey,
  deviceLabel,
  forgetKnownDevices,
  guessPlatform,
  knownDevices,
  proposedDeviceName,
  rememberDevice,
} from "../../web/src/wallet/passkey/deviceNames";

const x = `0x${"1a".repeat(32)}` as const;
const y = `0x${"2b".repeat(32)}` as const;
// 6 December 2026, 10:00 in Hefei (UTC+8).
const DEC_6 = Date.UTC(2026, 11, 6, 2, 0);
const HEFEI = "Asia/Shanghai";
const request = { x, y, name: "王阿姨的平板", platform: "huawei" as const, requestedAt: DEC_6 };

describe("platform from the user agent", () => {
  it.each([
    [
      "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.11) AppleWebKit/537.36 Chrome/99 HuaweiBrowser/14 Mobile Safari/537.36",
      "huawei",
    ],
    ["Mozilla/5.0 (Linux; Android 13; HONOR ALI-AN00) AppleWebKit/537.36 Chrome/114 Mobile Safari/537.36", "honor"],
    ["Mozilla/5.0 (Linux; U; Android 13; zh-cn; 22081212C Build/TKQ1) XiaoMi/MiuiBrowser/17.6", "xiaomi"],
    ["Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 Chrome/112 Mobile Safari/537.36", "xiaomi"],
    ["Mozilla/5.0 (Linux; Android 13; PHB110) AppleWebKit/537.36 Chrome/110 Mobile Safari/537.36", "oppo"],
    ["Mozilla/5.0 (Linux; Android 13; V2243A; wv) AppleWebKit/537.36 VivoBrowser/16", "vivo"],
    ["Mozilla/5.0 (Linux; Android 14; SM-S9180) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36", "samsung"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "iphone"],
    ["Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "ipad"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15", "mac"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36", "windows"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36", "android"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131 Safari/537.36", "computer"],
    ["curl/8.0", null],
  ])("%s → %s", (ua, platform) => {
    expect(guessPlatform(ua)).toBe(platform);
  });
});

describe("device names", () => {
  it("proposes a name by kind of device, with her name when known", () => {
    expect(proposedDeviceName("huawei", "zh")).toBe("我的手机");
    expect(proposedDeviceName("huawei", "zh", "王阿姨")).toBe("王阿姨的手机");
    expect(proposedDeviceName("ipad", "zh")).toBe("我的平板");
    expect(proposedDeviceName("windows", "en", "Wang")).toBe("Wang's computer");
    expect(proposedDeviceName(null, "en")).toBe("My phone");
  });

  it("keeps a name free of invisible and text-direction characters, and short", () => {
    expect(cleanDeviceName("  王阿姨的\u202E手机\u200B  ")).toBe("王阿姨的手机");
    expect(cleanDeviceName("a\n\tb")).toBe("a b");
    expect([...cleanDeviceName("长".repeat(40))]).toHaveLength(24);
    expect(cleanDeviceName("\u200B")).toBe("");
  });

  it("says the day a device was added (here in Hefei's time zone), with the year only when it is not this year", () => {
    expect(addedOn(DEC_6, "zh", DEC_6, HEFEI)).toBe("12月6日添加");
    expect(addedOn(DEC_6, "en", DEC_6, HEFEI)).toBe("added 6 Dec");
    // 23:30 UTC on 5 December is already 6 December in Hefei.
    expect(addedOn(Date.UTC(2026, 11, 5, 23, 30), "zh", DEC_6, HEFEI)).toBe("12月6日添加");
    expect(addedOn(Date.UTC(2025, 2, 1, 4), "zh", DEC_6, HEFEI)).toBe("2025年3月1日添加");
    expect(addedOn(Date.UTC(2025, 2, 1, 4), "en", DEC_6, HEFEI)).toBe("added 1 Mar 2025");
  });

  it("labels a device by name, brand and day added, never by a number unless no name is known", () => {
    const info = { name: "王阿姨的手机", platform: "huawei" as const, addedAt: DEC_6 };
    expect(deviceLabel(info, "zh", "没有名字的设备 1", DEC_6, HEFEI)).toBe("王阿姨的手机 · 华为 · 12月6日添加");
    expect(deviceLabel(info, "en", "Unnamed device 1", DEC_6, HEFEI)).toBe("王阿姨的手机 · Huawei · added 6 Dec");
    // The brand is not said twice.
    expect(deviceLabel({ name: "我的 iPhone", platform: "iphone", addedAt: null }, "zh", "?", DEC_6, HEFEI)).toBe(
      "我的 iPhone",
    );
    expect(deviceLabel({ name: "客厅的电脑", platform: null, addedAt: null }, "zh", "?", DEC_6, HEFEI)).toBe(
      "客厅的电脑",
    );
    expect(deviceLabel(null, "zh", "没有名字的设备 2", DEC_6, HEFEI)).toBe("没有名字的设备 2");
  });
});

describe("names kept on this device", () => {
  const data = new Map<string, string>();
  beforeEach(() => {
    data.clear();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
  });
  const account = "0x00000000000000000000000000000000000000B3" as const;
  const other = "0x00000000000000000000000000000000000000C4" as const;

  it("remembers names per account, drops damaged entries and forgets an account's names", () => {
    const key = deviceKey(x, y);
    expect(key).toBe(`${"1a".repeat(32)}${"2b".repeat(32)}`);
    rememberDevice(account, key, { name: "王阿姨的\u200B平板", platform: "huawei", addedAt: DEC_6 });
    rememberDevice(other, key, { name: "别人的", platform: null, addedAt: null });
    expect(knownDevices(account)).toEqual({ [key]: { name: "王阿姨的平板", platform: "huawei", addedAt: DEC_6 } });
    const stored = JSON.parse(data.get("hcy.devices.names.v1") ?? "{}");
    stored[account.toLowerCase()].bad = { name: 3, platform: "nokia", addedAt: "x" };
    data.set("hcy.devices.names.v1", JSON.stringify(stored));
    expect(Object.keys(knownDevices(account))).toEqual([key]);
    forgetKnownDevices(account);
    expect(knownDevices(account)).toEqual({});
    expect(Object.keys(knownDevices(other))).toEqual([key]);
  });
});

describe("the check code of a request to join", () => {
  it("is six digits, the same for the same request", () => {
    const code = deviceCheckCode(request);
    expect(code).toMatch(/^\d{6}$/);
    expect(deviceCheckCode({ ...request })).toBe(code);
    expect(spacedCode("042917")).toBe("042 917");
  });

  it("changes with the passkey, the name, the platform and the time", () => {
    const code = deviceCheckCode(request);
    const others = [
      deviceCheckCode({ ...request, x: `0x${"1b".repeat(32)}` }),
      deviceCheckCode({ ...request, y: `0x${"2c".repeat(32)}` }),
      deviceCheckCode({ ...request, name: "王阿姨的手机" }),
      deviceCheckCode({ ...request, platform: "xiaomi" }),
      deviceCheckCode({ ...request, platform: null }),
      deviceCheckCode({ ...request, requestedAt: DEC_6 + 1 }),
    ];
    for (const other of others) expect(other).not.toBe(code);
  });

  it("is what the approving device computes from the link the new device made", () => {
    const parsed = parseDeviceLink(new URLSearchParams(deviceLinkQuery(request)));
    expect(parsed).toEqual(request);
    expect(parsed && deviceCheckCode(parsed)).toBe(deviceCheckCode(request));
  });

  it("refuses a link that is incomplete or whose name was not made by the dApp", () => {
    const query = new URLSearchParams(deviceLinkQuery(request));
    for (const field of ["key", "name", "at"]) {
      const without = new URLSearchParams(query);
      without.delete(field);
      expect(parseDeviceLink(without)).toBeNull();
    }
    const spoofed = new URLSearchParams(query);
    spoofed.set("name", "王阿姨的\u202E平板");
    expect(parseDeviceLink(spoofed)).toBeNull();
    const badPlatform = new URLSearchParams(query);
    badPlatform.set("p", "nokia");
    expect(parseDeviceLink(badPlatform)).toBeNull();
    const badTime = new URLSearchParams(query);
    badTime.set("at", "yesterday");
    expect(parseDeviceLink(badTime)).toBeNull();
  });
});
