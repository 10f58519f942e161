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
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { useServiceErrorText } from "../../service/useServiceErrorText";

export function ThresholdForm({ owner }: { owner: Address }) {
  const t = useT(accountMessages);
  const tm = useT(moneyMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const key = ["cityService", "threshold", owner];
  const threshold = useQuery({ queryKey: key, queryFn: getLargePaymentThreshold, retry: false });
  const [text, setText] = useState("");
  const save = useServiceAction(putLargePaymentThreshold, (saved) => {
    queryClient.setQueryData(key, saved);
    setText("");
    return t("thresholdSaved", { amount: formatFen(saved) });
  });
  const { busy, outcome } = save;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseYuan(text);
    if (!parsed.ok) return save.refuse(tm(parsed.error));
    save.run(parsed.fen);
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
        <OutcomeLine id="threshold-outcome" outcome={outcome} />
        <button type="submit" className="primary" disabled={busy}>
          {t("thresholdSave")}
        </button>
      </form>
    </section>
  );
}
