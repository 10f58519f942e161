// The way to 实名认证 from 设置 and the top-up page: one link, with her level when it is known.
import { identityMessages } from "../../i18n/messages/identity";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { useIdentity } from "./useIdentity";

export function IdentityLink() {
  const t = useT(identityMessages);
  const { address, signedIn } = useCitySession();
  const identity = useIdentity(address, signedIn);
  const level = identity.data?.level;
  return (
    <section className="card" aria-labelledby="identity-link-title">
      <h2 id="identity-link-title">{t("title")}</h2>
      {level !== undefined && (
        <p data-testid="identity-link-level">
          {level === "none" ? "" : "✓ "}
          {t(`level_${level}`)}
        </p>
      )}
      <a className="button secondary" href="#/identity">
        {t("settingsLink")}
      </a>
    </section>
  );
}
