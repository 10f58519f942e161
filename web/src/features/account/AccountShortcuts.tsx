// The Home page's way into the account services: top-up / cash-out, and the safety alerts with an
// unread count once signed in to the city service. Keeps contacts syncing while Home is open.
import "./account.css";
import type { Address } from "viem";
import { useContactsSync } from "../../contacts/contactsSync";
import { accountMessages } from "../../i18n/messages/account";
import { useT } from "../../i18n/useT";
import { useCitySession } from "../../service/useCitySession";
import { useUnreadAlertCount } from "./useAccountQueries";

export function AccountShortcuts() {
  const t = useT(accountMessages);
  const { address, signedIn } = useCitySession();
  return (
    <nav aria-label={t("shortcuts")} className="account-shortcuts">
      <a href="#/topup">{t("topUpCashOut")}</a>
      <a href="#/alerts" data-testid="alerts-link">
        {t("alertsLink")}
        {address && signedIn && <UnreadBadge owner={address} />}
      </a>
    </nav>
  );
}

function UnreadBadge({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  useContactsSync(owner, true);
  const unread = useUnreadAlertCount(owner, true);
  if (!unread) return null;
  return (
    <span className="badge" data-testid="unread-alerts">
      {" "}
      {t("unreadCount", { count: unread })}
    </span>
  );
}
