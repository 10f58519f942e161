// `const t = useT(payMessages)` gives a translator bound to the resident's language. Each feature
// imports its own message file, so a lazily loaded page brings its texts with it.

import { interpolate, type Lang, type MessageSet, type Vars } from "@core/i18n";
import { useCallback } from "react";
import { useSettings } from "../settings/settingsStore";

export type Translate<K extends string> = (key: K, vars?: Vars) => string;

export function translate<K extends string>(messages: MessageSet<K>, lang: Lang, key: K, vars?: Vars): string {
  return interpolate(messages[lang][key] ?? messages.zh[key] ?? key, vars);
}

export function useT<K extends string>(messages: MessageSet<K>): Translate<K> {
  const { lang } = useSettings();
  return useCallback((key: K, vars?: Vars) => translate(messages, lang, key, vars), [messages, lang]);
}

export function useLang(): Lang {
  return useSettings().lang;
}
