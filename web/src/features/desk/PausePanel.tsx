// The emergency pause: stops (or resumes) every movement of HCY at once. Shows the current state.
import { useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { cityYuan } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard } from "./ActionCard";
import type { DeskRole } from "./useDeskRoles";

export function PausePanel({ roles }: { roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const paused = useReadContract({
    address: cityYuan.address,
    abi: cityYuan.abi,
    functionName: "paused",
    chainId: cityChain.id,
  });
  const token = cityYuan;
  const action = paused.data ? "unpause" : "pause";
  return (
    <ActionCard
      id="desk-pause"
      title={t("pauseTitle")}
      requiredRole="pauser"
      roles={roles}
      onConfirmed={() => void paused.refetch()}
    >
      {(request) => (
        <>
          {paused.data !== undefined && <p role="status">{paused.data ? t("pausedNow") : t("runningNow")}</p>}
          <button
            type="button"
            className={action === "pause" ? "danger" : "primary"}
            onClick={() =>
              request({
                label: t(action),
                write: contractWrite({ ...token, functionName: action, args: [] }),
                summary: [{ label: t("summaryAction"), value: t(action) }],
              })
            }
          >
            {t(action)}
          </button>
        </>
      )}
    </ActionCard>
  );
}
