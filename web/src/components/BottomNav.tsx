// The phone-style tab bar of the main pages (nav.ts, group "main").
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";
import { nav } from "../nav";
import { useSettings } from "../settings/settingsStore";

export function BottomNav({ path }: { path: string }) {
  const t = useT(commonMessages);
  const { lang } = useSettings();
  return (
    <nav className="bottom-nav" aria-label={t("mainNav")}>
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
