// #/recovery/help?key=…&name=…&p=…&at=…: a helper (her son) opens the link her new phone shows. He
// sees the new phone's name, when she asked and the check number her phone shows too, and is told to
// call her first. His own dApp knows whose accounts he helps with (useGuardedAccounts): one is
// chosen for him, several are a choice (“这是谁的新手机？”). Then, with his own fingerprint (his own
// wallet): the first helper starts the recovery (CityRecovery.startRecovery, which counts as his
// agreement), each other helper agrees (approveRecovery); once enough agreed and the delay passed,
// any of them finishes it (executeRecovery). Keyed by the link and the account chosen.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { useConnection, usePublicClient } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { recoveryMessages, recoveryRevertMessages } from "../../i18n/messages/recovery";
import { txMessages } from "../../i18n/messages/tx";
import { useFormat } from "../../i18n/useFormat";
import { useLang, useT } from "../../i18n/useT";
import type { PageProps } from "../../routes";
import { type ContractWrite, contractWrite } from "../../tx/contractWrite";
import { TxConfirm } from "../../tx/TxConfirm";
import type { DeviceRequest } from "../../wallet/passkey/deviceCheck";
import { spacedCode } from "../../wallet/passkey/deviceCheck";
import { parseDeviceLink } from "../../wallet/passkey/deviceLink";
import { platformName } from "../../wallet/passkey/deviceNames";
import { useChainNow } from "../transfer/useDelayedTransfers";
import { recoveryCheckCode } from "./recoveryLink";
import { cityRecovery, NO_LOST, recoveryStateFor, useGuardedAccounts } from "./useRecovery";
import "./recovery.css";

export default function GuardianPage({ query }: PageProps) {
  const t = useT(recoveryMessages);
  const { address } = useConnection();
  const request = parseDeviceLink(query);
  return (
    <div className="stack">
      <h1>{t("helpTitle")}</h1>
      {!request ? (
        <p className="error">{t("helpInvalid")}</p>
      ) : address ? (
        <HelpWith key={`${address}-${request.x}`} me={address} request={request} />
      ) : null}
    </div>
  );
}

function HelpWith({ me, request }: { me: Address; request: DeviceRequest }) {
  const t = useT(recoveryMessages);
  const tp = useT(passkeyMessages);
  const lang = useLang();
  const f = useFormat();
  const guarded = useGuardedAccounts(me);
  const [picked, setPicked] = useState<Address | null>(null);
  const list = guarded.data ?? [];
  const account = picked ?? (list.length === 1 ? (list[0] as Address) : null);
  const asking = request.platform ? `${request.name} · ${platformName(request.platform, lang)}` : request.name;

  return (
    <>
      <section className="card stack" data-testid="help-request">
        <p className="notice">{t("helpIntro")}</p>
        <dl className="device-request">
          <dt>{t("helpNewPhone")}</dt>
          <dd data-testid="help-name">{asking}</dd>
          <dt>{t("helpAskedAt")}</dt>
          <dd>{f.dateTime(request.requestedAt)}</dd>
          <dt>{tp("checkCode")}</dt>
          <dd className="check-code" data-testid="help-code">
            {spacedCode(recoveryCheckCode(request))}
          </dd>
        </dl>
        <p className="notice strong">{t("helpCompare")}</p>
      </section>
      {guarded.isPending ? (
        <p className="progress">{t("helpLoading")}</p>
      ) : list.length === 0 ? (
        <p className="error" data-testid="help-not-guarding">
          {t("helpNotGuarding")}
        </p>
      ) : (
        <>
          {list.length > 1 && (
            <fieldset className="card stack">
              <legend>{t("helpWhose")}</legend>
              {list.map((a) => (
                <label key={a} className="checkbox">
                  <input type="radio" name="whose" checked={account === a} onChange={() => setPicked(a)} />
                  <AddressText address={a} />
                </label>
              ))}
            </fieldset>
          )}
          {account && <HelpAccount key={account} me={me} account={account} request={request} />}
        </>
      )}
    </>
  );
}

type Step = { purpose: string; confirm: string; write: ContractWrite };

function HelpAccount({ me, account, request }: { me: Address; account: Address; request: DeviceRequest }) {
  const t = useT(recoveryMessages);
  const tx = useT(txMessages);
  const lang = useLang();
  const f = useFormat();
  const now = useChainNow();
  const client = usePublicClient({ chainId: cityChain.id });
  // The step he chose, as it was when he chose it: the chain read moves on (his own agreement, the
  // recovery finished) while the confirmation is on screen, and must not swap the step under him.
  const [acting, setActing] = useState<Step | null>(null);
  const [finished, setFinished] = useState(false);
  const state = useQuery({
    queryKey: ["recoveryState", account, request.x, request.y, me],
    enabled: Boolean(client),
    refetchInterval: 2_000,
    queryFn: async () => {
      if (!client) throw new Error("no chain");
      return recoveryStateFor(client, account, request.x, request.y, me);
    },
  });
  const s = state.data;
  const whose = { label: tx("to"), value: <AddressText address={account} /> };
  if (acting) {
    return (
      <section className="card">
        <TxConfirm
          summary={[whose, { label: tx("purpose"), value: acting.purpose }]}
          write={acting.write}
          confirmLabel={acting.confirm}
          revertReasons={recoveryRevertMessages[lang]}
          onConfirmed={() => {
            if (acting.write.functionName === "executeRecovery") setFinished(true);
          }}
          onCancel={() => setActing(null)}
          onDone={() => {
            setActing(null);
            void state.refetch();
          }}
        />
      </section>
    );
  }
  if (!s) return <p className="progress">{t("helpLoading")}</p>;
  if (finished || s.kind === "done") {
    return (
      <p className="success" data-testid="help-done">
        {t("helpDone")}
      </p>
    );
  }
  if (s.kind === "cancelled") {
    // Her own device said no to this very phone: most likely a scam. A real new request is a new
    // link (a new phone key), so nothing here offers to agree again.
    return (
      <p className="error" role="alert" data-testid="help-cancelled">
        {t("helpCancelled")}
      </p>
    );
  }

  const ready = s.kind === "pending" && s.recovery.readyAt > 0 && now >= s.recovery.readyAt;
  const step: Step =
    s.kind === "none"
      ? {
          purpose: t("purposeStart"),
          confirm: t("confirmAgree"),
          write: contractWrite({
            ...cityRecovery,
            functionName: "startRecovery",
            args: [account, request.x, request.y, NO_LOST],
          }),
        }
      : ready
        ? {
            purpose: t("purposeFinish"),
            confirm: t("confirmFinish"),
            write: contractWrite({
              ...cityRecovery,
              functionName: "executeRecovery",
              args: [account, request.x, request.y, s.kind === "pending" ? s.recovery.lost : NO_LOST],
            }),
          }
        : {
            purpose: t("purposeAgree"),
            confirm: t("confirmAgree"),
            write: contractWrite({ ...cityRecovery, functionName: "approveRecovery", args: [s.recovery.id] }),
          };

  return (
    <section className="card stack" data-testid="help-account">
      <p>
        <AddressText address={account} />
      </p>
      {s.kind === "pending" && (
        <>
          <p data-testid="help-approvals">
            {t("helpApprovals", { n: String(s.recovery.approvals), threshold: String(s.recovery.threshold) })}
          </p>
          {s.recovery.readyAt > 0 ? (
            <p data-testid="help-ready-at">{t("helpReadyAt", { when: f.chainTime(s.recovery.readyAt) })}</p>
          ) : (
            <p className="hint">{t("helpWaitingOthers")}</p>
          )}
          {s.iAgreed && <p className="success">{t("helpAgreed")}</p>}
        </>
      )}
      {ready ? (
        <button type="button" className="primary big" onClick={() => setActing(step)}>
          {t("helpFinish")}
        </button>
      ) : s.kind === "none" || !s.iAgreed ? (
        <button type="button" className="primary big" onClick={() => setActing(step)}>
          {t("helpAgree")}
        </button>
      ) : null}
    </section>
  );
}
