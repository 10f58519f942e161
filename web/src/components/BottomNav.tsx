// The phone-style tab bar of the main pages (nav.ts, group "main").
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";
import { nav } from "../nav";
import { useSettings } from "../settings/settingsStore";

export function BottomNav({ path }: { path: string }) {
  const t = useT(commonMessages);
  const { lang, largeText } = useSettings();
  // English words at 关怀模式 size do not fit five to a row on a phone (they broke mid-word,
  // "Rec|eive"): two rows of three instead, each word whole.
  const twoRows = largeText && lang === "en";
  return (
    <nav className={twoRows ? "bottom-nav two-rows" : "bottom-nav"} aria-label={t("mainNav")}>
      <ul>
        {nav
          .filter((n) => n.group === "main")
          .map((n) => {
            const target = n.href.replace(/^#/, "");
            const current = target === "/" ? path === "/" : path === target || path.startsWith(`${target}/`);
            return (
              <li key={n.href}>
                <a href={n.href} aria-current={current ? "page" : undefined}>
                  <span className="nav-icon" aria-hidden="true">
                    {n.icon}
                  </span>
                  <span>{n.label[lang]}</span>
                </a>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
