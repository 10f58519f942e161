// The issuer's desk (#/desk): visible only to addresses holding one of the city's roles. Every
// action says who may do it and refuses, in words and without sending, when you may not.
import "../merchant/merchant.css";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { AllowancePanel } from "./AllowancePanel";
import { AttestPanel } from "./AttestPanel";
import { FreezePanel } from "./FreezePanel";
import { IssuePanel } from "./IssuePanel";
import { MerchantsPanel } from "./MerchantsPanel";
import { PausePanel } from "./PausePanel";
import { RedemptionsPanel } from "./RedemptionsPanel";
import { useDeskRoles } from "./useDeskRoles";

export default function DeskPage() {
  const t = useT(deskMessages);
  const { address } = useConnection();
  const { roles, isLoading } = useDeskRoles(address);
  if (isLoading) return <p className="progress">{t("checkingRoles")}</p>;
  if (!address || roles.size === 0) {
    return (
      <section className="card">
        <h1>{t("title")}</h1>
        <p role="alert" className="no-roles">
          {t("noRoles")}
        </p>
      </section>
    );
  }
  return (
    <div className="desk-page">
      <header className="card">
        <h1>{t("title")}</h1>
        <p>{t("intro")}</p>
        <p className="your-roles">{t("yourRoles", { roles: [...roles].map((r) => t(`role_${r}`)).join("、") })}</p>
      </header>
      <IssuePanel me={address as Address} roles={roles} />
      <RedemptionsPanel />
      <MerchantsPanel roles={roles} />
      <FreezePanel roles={roles} />
      <PausePanel roles={roles} />
      <AttestPanel roles={roles} />
      <AllowancePanel roles={roles} />
    </div>
  );
}
