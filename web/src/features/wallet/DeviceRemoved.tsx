// What a device removed from its account shows instead of every page (useDeviceMembership.ts): that
// it was removed, nothing of the account (no balance, no history), and the way to join again or
// start afresh. The city service session is ended and the device names it kept are forgotten.
import { useEffect, useState } from "react";
import { useConfig } from "wagmi";
import { passkeyMessages } from "../../i18n/messages/passkey";
import { useT } from "../../i18n/useT";
import { navigate } from "../../router";
import { signOut } from "../../service/cityService";
import { forgetKnownDevices } from "../../wallet/passkey/deviceNames";
import { forgetPasskey, loadPasskey } from "../../wallet/passkey/passkeyStore";
import { lockWallet } from "../../wallet/walletActions";

export function DeviceRemoved() {
  const t = useT(passkeyMessages);
  const config = useConfig();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // This device no longer belongs to the account: nothing private of it stays reachable here.
    void signOut().catch(() => undefined);
    const own = loadPasskey();
    if (own) forgetKnownDevices(own.address);
  }, []);

  const leave = async (to: string) => {
    setBusy(true);
    forgetPasskey();
    await lockWallet(config);
    navigate(to);
  };

  return (
    <section className="card stack" aria-labelledby="removed-title" data-testid="device-removed">
      <h1 id="removed-title">{t("removedTitle")}</h1>
      <p role="alert">{t("removedBody")}</p>
      <p className="hint">{t("removedHow")}</p>
      <button type="button" className="primary big" disabled={busy} onClick={() => void leave("/wallet?join=1")}>
        {t("removedJoinAgain")}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => void leave("/wallet")}>
        {t("removedStartAgain")}
      </button>
    </section>
  );
}
