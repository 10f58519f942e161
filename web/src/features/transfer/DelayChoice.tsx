// 转账延时到账: at once, in 2 hours or in 24 hours (the two delays DelayedTransfers takes, as
// Chinese banks offer them), with the time it would arrive, read from the chain's clock.
import { useBlock } from "wagmi";
import { cityChain } from "../../chain";
import { delayedMessages } from "../../i18n/messages/familyMoney";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";

/** DelayedTransfers.SHORT_DELAY and LONG_DELAY, in seconds. */
export const DELAYS = { short: 7_200, long: 86_400 } as const;
export type Delay = 0 | (typeof DELAYS)[keyof typeof DELAYS];

export function DelayChoice({ value, onChange }: { value: Delay; onChange: (delay: Delay) => void }) {
  const t = useT(delayedMessages);
  const options: { delay: Delay; label: string }[] = [
    { delay: DELAYS.short, label: t("after2h") },
    { delay: DELAYS.long, label: t("after24h") },
    { delay: 0, label: t("now") },
  ];
  return (
    <fieldset className="stack delay-choice">
      <legend>{t("choiceTitle")}</legend>
      {options.map((o) => (
        <label key={o.delay} className="checkbox">
          <input type="radio" name="delay" checked={value === o.delay} onChange={() => onChange(o.delay)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** When a transfer sent now would arrive: the chain's clock (a local chain may run ahead of the wall). */
export function ArrivesAt({ delay, hours }: { delay: number; hours: number }) {
  const t = useT(delayedMessages);
  const fmt = useFormat();
  const { data: block } = useBlock({ chainId: cityChain.id, watch: true });
  const now = Math.max(Math.floor(Date.now() / 1000), Number(block?.timestamp ?? 0));
  return <>{t("arrivesAt", { when: fmt.chainTime(now + delay), hours })}</>;
}
