// `const describe = useServiceErrorText()` turns anything the city service client threw into a
// sentence in the resident's language (see serviceErrors.ts for how the refusal is read).
import { useCallback } from "react";
import { serviceErrorMessages } from "../i18n/messages/account";
import { useT } from "../i18n/useT";
import { describeServiceError } from "./serviceErrors";

export function useServiceErrorText(): (error: unknown) => string {
  const t = useT(serviceErrorMessages);
  return useCallback(
    (error: unknown) => {
      const text = describeServiceError(error);
      return t(text.key, { ...text.vars, ...(text.field ? { field: t(text.field) } : {}) });
    },
    [t],
  );
}
