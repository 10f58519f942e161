// What a resident nobody verified sees instead of the top-up or cash-out form: top-ups and
// cash-outs are limited per person a day, so the service takes them only from an account a
// verified person owns (phone or bank card), and the way to 实名认证 is one tap away.
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";

export function MustVerify({ kind }: { kind: "topup" | "cashout" }) {
  const t = useT(identityMessages);
  const title = `${kind}-must-verify-title`;
  return (
    <section className="card stack" aria-labelledby={title} data-testid={`${kind}-must-verify`}>
      <h2 id={title}>{t(kind === "topup" ? "mustVerifyTitle" : "mustVerifyCashOutTitle")}</h2>
      <p>{t(kind === "topup" ? "mustVerify" : "mustVerifyCashOut")}</p>
      <a className="button primary" href={`#/identity?from=${kind}`}>
        {t("goVerify")}
      </a>
    </section>
  );
}
