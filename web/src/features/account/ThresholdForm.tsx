// The large-payment alert amount, in 元: a single payment at or above it raises an alert.

import { formatFen, parseYuan } from "@core/money";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { AMOUNT_INPUT, Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { accountMessages } from "../../i18n/messages/account";
import { moneyMessages } from "../../i18n/messages/money";
import { useT } from "../../i18n/useT";
import { getLargePaymentThreshold, putLargePaymentThreshold } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";

export function ThresholdForm({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const tm = useT(moneyMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const key = ["cityService", "threshold", owner];
  const threshold = useQuery({ queryKey: key, queryFn: getLargePaymentThreshold, retry: false });
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setOutcome(null);
    const parsed = parseYuan(text);
    if (!parsed.ok) return setOutcome({ ok: false, text: tm(parsed.error) });
    setBusy(true);
    try {
      const saved = await putLargePaymentThreshold(parsed.fen);
      queryClient.setQueryData(key, saved);
      setText("");
      setOutcome({ ok: true, text: t("thresholdSaved", { amount: formatFen(saved) }) });
    } catch (error) {
      setOutcome({ ok: false, text: describe(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="threshold-title">
      <h2 id="threshold-title">{t("thresholdTitle")}</h2>
      <p className="hint">{t("thresholdHint")}</p>
      {threshold.data !== undefined && (
        <p>
          {t("thresholdNow")} <Money fen={threshold.data} />
        </p>
      )}
      {threshold.isError && (
        <p className="error" role="alert">
          {describe(threshold.error)}
        </p>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          id="threshold-amount"
          label={t("thresholdLabel")}
          problemAt={outcome?.ok === false ? "threshold-outcome" : undefined}
        >
          <input {...AMOUNT_INPUT} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        {outcome && (
          <p id="threshold-outcome" className={outcome.ok ? "success" : "error"} role={outcome.ok ? "status" : "alert"}>
            {outcome.text}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t("thresholdSave")}
        </button>
      </form>
    </section>
  );
}
