// The account's sessions with the city service (GET /auth/sessions): which devices are signed in,
// since when, until when; end one of them, or sign out everywhere (every device, this one too).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { settingsMessages } from "../../i18n/messages/settings";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { endOtherSession, mySessions, signOutEverywhere } from "../../service/cityService";
import { CITY_SESSION_KEY } from "../../service/useCitySession";
import { useServiceErrorText } from "../../service/useServiceErrorText";

/** "Mozilla/5.0 (iPhone; …) … Safari/…" -> "iPhone · Safari": enough to recognise a device. */
function deviceName(userAgent: string | null, unknown: string): string {
  if (!userAgent) return unknown;
  const device = /iPhone|iPad|Android|Windows|Macintosh|Linux|HarmonyOS/.exec(userAgent)?.[0];
  const browser = /Edg|MicroMessenger|Firefox|Chrome|Safari/.exec(userAgent)?.[0];
  const names: Record<string, string> = { Edg: "Edge", MicroMessenger: "WeChat", Macintosh: "Mac" };
  const parts = [device, browser].filter((p): p is string => p !== undefined).map((p) => names[p] ?? p);
  return parts.length > 0 ? parts.join(" · ") : unknown;
}

export function SessionsList() {
  const t = useT(settingsMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ["cityService", "sessions"], queryFn: mySessions, retry: false });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ["cityService"] });
  };
  const endOne = useMutation({ mutationFn: endOtherSession, onSuccess: refresh });
  const endAll = useMutation({
    mutationFn: signOutEverywhere,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: CITY_SESSION_KEY });
      await refresh();
    },
  });
  const { dateTime: when } = useFormat();
  return (
    <section className="sessions" aria-labelledby="sessions-title">
      <h3 id="sessions-title">{t("sessionsTitle")}</h3>
      {sessions.isError && <p className="error">{describe(sessions.error)}</p>}
      <ul className="request-list" data-testid="sessions">
        {sessions.data?.map((s) => (
          <li key={s.id}>
            <strong>{deviceName(s.userAgent, t("unknownDevice"))}</strong>
            {s.current && <> · {t("thisDevice")}</>}
            <br />
            <span className="hint">{t("sessionSince", { since: when(s.createdAt), until: when(s.expiresAt) })}</span>
            {!s.current && (
              <>
                {" "}
                <button
                  type="button"
                  className="secondary"
                  disabled={endOne.isPending}
                  onClick={() => endOne.mutate(s.id)}
                >
                  {t("endSession")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {(endOne.isError || endAll.isError) && <p className="error">{describe(endOne.error ?? endAll.error)}</p>}
      <button type="button" className="secondary" disabled={endAll.isPending} onClick={() => endAll.mutate()}>
        {t("signOutEverywhere")}
      </button>
    </section>
  );
}
