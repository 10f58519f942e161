// 我的信息: everything the city service holds about her (masked name, card last 4 digits, phone
// last 4 digits, the consent she gave and when, the accounts she linked), an export of it as the
// JSON file the service gives (GET /identity/export), and closing her identity, with a
// confirmation that says what closing erases and what it keeps.
import type { IdentityView } from "@core/identity";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, getAddress } from "viem";
import { AddressText } from "../../components/AddressText";
import { identityMessages } from "../../i18n/messages/identity";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { closeIdentity, exportIdentity } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { identityKey } from "./useIdentity";

export function MyInfo({ owner, view, onClosed }: { owner: Address; view: IdentityView; onClosed: () => void }) {
  const t = useT(identityMessages);
  const f = useFormat();
  const [closing, setClosing] = useState(false);
  const download = useServiceAction(
    () => exportIdentity(),
    (file) => {
      const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = "hefei-wallet-identity.json";
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return t("exported");
    },
  );
  return (
    <section className="card stack" aria-labelledby="my-info-title" data-testid="my-info">
      <h2 id="my-info-title">{t("myInfoTitle")}</h2>
      <p className="hint">{t("myInfoHint")}</p>
      <dl className="held-info">
        <dt>{t("heldName")}</dt>
        <dd data-testid="held-name">{view.maskedName ?? t("heldNothing")}</dd>
        <dt>{t("heldIdNumber")}</dt>
        <dd>{t("heldIdNumberWhat")}</dd>
        <dt>{t("heldCards")}</dt>
        <dd data-testid="held-cards">
          {view.cards.length === 0
            ? t("heldNothing")
            : view.cards.map((card) => (
                <span key={`${card.bank}-${card.last4}`} className="held-line">
                  {t("heldCard", { bank: card.bank, last4: card.last4, date: f.date(card.boundAt) })}
                </span>
              ))}
        </dd>
        <dt>{t("heldPhone")}</dt>
        <dd data-testid="held-phone">
          {view.phoneLast4 ? t("heldPhoneLast4", { last4: view.phoneLast4 }) : t("heldNothing")}
        </dd>
        <dt>{t("heldConsent")}</dt>
        <dd>
          {view.consent ? (
            <>
              <span className="held-line">
                {t("heldConsentWhen", { date: f.dateTime(view.consent.at), version: view.consent.version })}
              </span>
              <details>
                <summary>{t("heldConsentRead")}</summary>
                <p>{view.consent.text}</p>
              </details>
            </>
          ) : (
            t("heldNothing")
          )}
        </dd>
        <dt>{t("heldSince")}</dt>
        <dd>{f.dateTime(view.createdAt)}</dd>
        <dt>{t("heldAccounts")}</dt>
        <dd>
          <ul className="held-accounts" data-testid="held-accounts">
            {view.addresses.map((a) => (
              <li key={a.address}>
                <AddressText address={getAddress(a.address)} owner={owner} unknownLabel={t("otherAccount")} /> ·{" "}
                <span className="hint">{t("linkedOn", { date: f.date(a.linkedAt) })}</span>
              </li>
            ))}
          </ul>
          <p className="hint">{t("heldAccountsHint")}</p>
        </dd>
      </dl>
      <OutcomeLine outcome={download.outcome} />
      <div className="button-row">
        <button type="button" className="secondary" disabled={download.busy} onClick={() => download.run(undefined)}>
          {t("exportButton")}
        </button>
        {!closing && (
          <button type="button" className="secondary" onClick={() => setClosing(true)}>
            {t("closeButton")}
          </button>
        )}
      </div>
      {closing && <CloseConfirm owner={owner} onCancel={() => setClosing(false)} onClosed={onClosed} />}
    </section>
  );
}

function CloseConfirm({ owner, onCancel, onClosed }: { owner: Address; onCancel: () => void; onClosed: () => void }) {
  const t = useT(identityMessages);
  const queryClient = useQueryClient();
  const close = useServiceAction(
    () => closeIdentity(),
    async () => {
      onClosed();
      // Her level, limits and tickets all changed: everything read from the service is stale.
      await queryClient.invalidateQueries({ queryKey: identityKey(owner) });
      await queryClient.invalidateQueries({ queryKey: ["cityService"] });
      return t("closed");
    },
  );
  return (
    <div className="notice stack" role="alertdialog" aria-labelledby="close-title" data-testid="close-identity">
      <h3 id="close-title">{t("closeTitle")}</h3>
      <p>{t("closeWhat1")}</p>
      <p>{t("closeWhat2")}</p>
      <p>{t("closeWhat3")}</p>
      <OutcomeLine outcome={close.outcome} />
      <div className="button-row">
        <button type="button" className="danger" disabled={close.busy} onClick={() => close.run(undefined)}>
          {t("closeConfirm")}
        </button>
        <button type="button" className="secondary" disabled={close.busy} onClick={onCancel}>
          {t("closeCancel")}
        </button>
      </div>
    </div>
  );
}
