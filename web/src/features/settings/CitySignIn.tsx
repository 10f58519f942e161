// Sign in to (and out of) the city service with the connected wallet (SIWE). Signing in merges
// this device's contacts with the service's copy straight away. A page that needs the service
// (top-up, alerts) passes `auto`, one sentence saying what for: it then signs in by itself, once,
// unless the resident signed out on purpose in this browser session. A page that offers the
// sign-in without starting it (the residents' red packet) passes `why` instead: its own sentence
// in place of the general hint, and the button.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useConfig } from "wagmi";
import { signMessage } from "wagmi/actions";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { syncContacts } from "../../contacts/contactsSync";
import { settingsMessages } from "../../i18n/messages/settings";
import { txMessages } from "../../i18n/messages/tx";
import { useT } from "../../i18n/useT";
import { CityServiceError, signIn, signOut } from "../../service/cityService";
import { CITY_SESSION_KEY, useCitySession } from "../../service/useCitySession";
import { classifyTxError } from "../../tx/txErrors";
import { SessionsList } from "./SessionsList";

const SIGNED_OUT_KEY = "hcy.city.signedOut";

export function CitySignIn({ auto, why }: { auto?: string; why?: string } = {}) {
  const t = useT(settingsMessages);
  const tx = useT(txMessages);
  const config = useConfig();
  const queryClient = useQueryClient();
  const { session, address, signedIn } = useCitySession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tried = useRef(false);

  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      // Everything read from the service belongs to the previous session (or to none).
      await queryClient.invalidateQueries({ queryKey: CITY_SESSION_KEY });
      await queryClient.invalidateQueries({ queryKey: ["cityService"] });
    } catch (e) {
      const failure = classifyTxError(e);
      const reason =
        e instanceof CityServiceError && e.code === "rate_limited"
          ? t("tooManySignIns")
          : failure.kind === "cancelled"
            ? tx("txCancelled")
            : failure.kind === "network"
              ? t("serviceUnreachable")
              : (e as Error).message;
      setError(t("signInFailed", { reason }));
    } finally {
      setBusy(false);
    }
  };

  const signInNow = () =>
    run(async () => {
      if (!address) return;
      sessionStorage.removeItem(SIGNED_OUT_KEY);
      await signIn(address, cityChain.id, (message) => signMessage(config, { message }));
      await syncContacts(address);
    });

  const autoNow =
    auto !== undefined &&
    !signedIn &&
    address !== undefined &&
    session.isSuccess &&
    sessionStorage.getItem(SIGNED_OUT_KEY) === null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: signs in once per page visit, not on every render.
  useEffect(() => {
    if (!autoNow || tried.current) return;
    tried.current = true;
    void signInNow();
  }, [autoNow]);

  return (
    <section className="card" aria-labelledby="city-service-title">
      <h2 id="city-service-title">{t("cityService")}</h2>
      {auto !== undefined && !signedIn ? (
        <p className="auto-sign-in" role="status">
          {busy ? t("autoSigningIn", { purpose: auto }) : t("autoSignInWhy", { purpose: auto })}
        </p>
      ) : (
        <p className={why && !signedIn ? undefined : "hint"}>{why && !signedIn ? why : t("cityServiceHint")}</p>
      )}
      {session.isError && <p className="error">{t("serviceUnreachable")}</p>}
      {signedIn && session.data ? (
        <>
          <p>
            {t("signedInAs")} <AddressText address={session.data.address} />
          </p>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                sessionStorage.setItem(SIGNED_OUT_KEY, "1");
                await signOut();
              })
            }
          >
            {t("signOut")}
          </button>
          <SessionsList />
        </>
      ) : (
        address && (
          <button type="button" className="primary" disabled={busy} onClick={() => void signInNow()}>
            {busy ? t("signingIn") : t("signIn")}
          </button>
        )
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
