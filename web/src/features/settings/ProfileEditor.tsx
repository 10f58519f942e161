// The resident's profile (display name, mobile number), kept by the city service after SIWE
// sign-in. Empty fields are cleared; the service's refusals are shown in the current language.

import { MAX_NAME_CHARS, type Profile } from "@core/api";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { Field } from "../../components/Field";
import { settingsMessages } from "../../i18n/messages/settings";
import { useT } from "../../i18n/useT";
import { getProfile, putProfile } from "../../service/cityService";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { useServiceErrorText } from "../../service/useServiceErrorText";

export function ProfileEditor({ owner }: { owner: Address }) {
  const t = useT(settingsMessages);
  const describe = useServiceErrorText();
  const profile = useQuery({ queryKey: ["cityService", "profile", owner], queryFn: getProfile, retry: false });
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("profile")}</h2>
      <p className="hint">{t("profileHint")}</p>
      {profile.isError ? (
        <p className="error" role="alert">
          {t("profileLoadFailed", { reason: describe(profile.error) })}
        </p>
      ) : (
        // Keyed by owner only: saving updates the cached profile, which must not reset the form.
        profile.data && <ProfileForm key={owner} owner={owner} initial={profile.data} />
      )}
    </section>
  );
}

function ProfileForm({ owner, initial }: { owner: Address; initial: Profile }) {
  const t = useT(settingsMessages);
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(initial.displayName ?? "");
  const [phone, setPhone] = useState(initial.phone ?? "");
  const save = useServiceAction(putProfile, (saved) => {
    setPhone(saved.phone ?? "");
    queryClient.setQueryData(["cityService", "profile", owner], saved);
    return t("profileSaved");
  });
  const { busy, outcome } = save;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.run({
      displayName: displayName.trim() === "" ? null : displayName,
      phone: phone.trim() === "" ? null : phone,
    });
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="profile-name" label={t("displayName")}>
        <input
          type="text"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          autoComplete="nickname"
          maxLength={MAX_NAME_CHARS}
        />
      </Field>
      <Field id="profile-phone" label={t("phone")} hint={t("phoneHint")}>
        <input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="tel" />
      </Field>
      <OutcomeLine outcome={outcome} />
      <button type="submit" className="primary" disabled={busy}>
        {t("saveProfile")}
      </button>
    </form>
  );
}
