// Language and 关怀模式: on the Settings page and on the very first screen, so a resident can
// make the app readable before creating anything.
import type { Lang } from "@core/i18n";
import { settingsMessages } from "../../i18n/messages/settings";
import { useT } from "../../i18n/useT";
import { updateSettings, useSettings } from "../../settings/settingsStore";

const LANGUAGES: { value: Lang; label: string; htmlLang: string }[] = [
  { value: "zh", label: "中文", htmlLang: "zh-CN" },
  { value: "en", label: "English", htmlLang: "en" },
];

export function DisplayChoices() {
  const t = useT(settingsMessages);
  const settings = useSettings();
  return (
    <section className="card stack" aria-labelledby="display-title">
      <h2 id="display-title">{t("display")}</h2>
      <fieldset>
        <legend>{t("language")}</legend>
        {LANGUAGES.map((l) => (
          <label key={l.value} className="checkbox" lang={l.htmlLang}>
            <input
              type="radio"
              name="language"
              value={l.value}
              checked={settings.lang === l.value}
              onChange={() => updateSettings({ lang: l.value })}
            />
            {l.label}
          </label>
        ))}
      </fieldset>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.largeText}
          onChange={(e) => updateSettings({ largeText: e.target.checked })}
        />
        {t("largeText")}
      </label>
    </section>
  );
}
