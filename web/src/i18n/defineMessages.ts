// The shape of a feature's message file: the same keys in Chinese (default) and English. Typing
// both halves from one key set makes a missing translation a compile error; a unit test checks
// the same at run time for every file in messages/.
import type { Lang } from "../settings/settingsStore";

export type MessageSet<K extends string> = Record<Lang, Record<K, string>>;

export function defineMessages<K extends string>(messages: {
  zh: Record<K, string>;
  en: Record<NoInfer<K>, string>;
}): MessageSet<K> {
  return messages;
}

export type Vars = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
