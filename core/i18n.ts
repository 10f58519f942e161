// The two languages every resident-facing sentence exists in, and the shape of a message set: the
// same keys in Chinese (default) and English. Typing both halves from one key set makes a missing
// translation a compile error; test/web/i18n.test.ts checks the same at run time. Shared by the
// dApp's message files (web/src/i18n) and core's own sentences (the audit's).
export type Lang = "zh" | "en";

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
