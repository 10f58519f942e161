// Every message file has the same keys in Chinese and English, no empty text, and the same
// {placeholders} in both languages (a missing one would silently drop an amount or a name).
import { describe, expect, it } from "vitest";
import { interpolate } from "../../web/src/i18n/defineMessages";
import { translate } from "../../web/src/i18n/useT";

const modules = import.meta.glob<Record<string, unknown>>("../../web/src/i18n/messages/*.ts", { eager: true });

type Set = { zh: Record<string, string>; en: Record<string, string> };
const isSet = (v: unknown): v is Set => typeof v === "object" && v !== null && "zh" in v && "en" in v;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const sets = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([, value]) => isSet(value))
    .map(([name, value]) => [`${file.split("/").pop()}:${name}`, value as Set] as const),
);

describe("message files", () => {
  it("are found", () => {
    expect(sets.length).toBeGreaterThanOrEqual(10);
  });
  it.each(sets)("%s has the same keys, non-empty, with the same placeholders", (_name, set) => {
    expect(Object.keys(set.en).sort()).toEqual(Object.keys(set.zh).sort());
    for (const key of Object.keys(set.zh)) {
      expect(set.zh[key]?.trim(), `zh ${key}`).not.toBe("");
      expect(set.en[key]?.trim(), `en ${key}`).not.toBe("");
      expect(placeholders(set.en[key] ?? ""), `placeholders of ${key}`).toEqual(placeholders(set.zh[key] ?? ""));
    }
  });
});

describe("interpolate / translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(interpolate("付给 {name} {amount}", { name: "老王", amount: "¥1.00" })).toBe("付给 老王 ¥1.00");
    expect(interpolate("{missing} here", {})).toBe("{missing} here");
  });
  it("picks the language", () => {
    const set = { zh: { hi: "你好 {n}" }, en: { hi: "Hello {n}" } };
    expect(translate(set, "zh", "hi", { n: 1 })).toBe("你好 1");
    expect(translate(set, "en", "hi", { n: 2 })).toBe("Hello 2");
  });
});
