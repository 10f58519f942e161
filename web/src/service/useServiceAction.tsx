// A form's request to the city service, on react-query's useMutation: busy while it runs (the
// button is disabled, a second submit is ignored), then one outcome in words: the success sentence
// the form gives, or the service's refusal in the resident's language. A form's own check of the
// input before anything is sent shows through `refuse` in the same place.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useServiceErrorText } from "./useServiceErrorText";

export type Outcome = { ok: boolean; text: string } | null;

export function useServiceAction<Vars, Result>(
  action: (vars: Vars) => Promise<Result>,
  /** What to do with the result (update caches, clear the form), and the sentence to show if any. */
  done: (result: Result, vars: Vars) => string | undefined | Promise<string | undefined>,
) {
  const describe = useServiceErrorText();
  const [refusal, setRefusal] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: async (vars: Vars) => done(await action(vars), vars) });
  const outcome: Outcome =
    refusal !== null
      ? { ok: false, text: refusal }
      : mutation.isError
        ? { ok: false, text: describe(mutation.error) }
        : mutation.isSuccess && mutation.data
          ? { ok: true, text: mutation.data }
          : null;
  return {
    busy: mutation.isPending,
    outcome,
    run(vars: Vars) {
      if (mutation.isPending) return;
      setRefusal(null);
      mutation.mutate(vars);
    },
    /** The form's own refusal (bad input): shown as the outcome, nothing sent. */
    refuse(text: string) {
      mutation.reset();
      setRefusal(text);
    },
    clear() {
      mutation.reset();
      setRefusal(null);
    },
  };
}

/** The outcome line under a form: announced politely on success, as an alert on refusal. */
export function OutcomeLine({ outcome, id }: { outcome: Outcome; id?: string }) {
  if (!outcome) return null;
  return (
    <p id={id} className={outcome.ok ? "success" : "error"} role={outcome.ok ? "status" : "alert"}>
      {outcome.text}
    </p>
  );
}
