// One labelled form field: the label, the control (an input, select or textarea given as the
// child), and its error in words right under it, announced and linked to the control. Every form
// in the dApp uses it, so a field looks, reads aloud and fails the same way everywhere.
import { cloneElement, type ReactElement, type ReactNode } from "react";

export type FieldProps = {
  /** The control's id; the error's id is `${id}-error`. */
  id: string;
  label: ReactNode;
  /** Shown under the control (role=alert) and marks it invalid; null or undefined when fine. */
  error?: ReactNode;
  /** The problem is said elsewhere on the page (a summary line): mark invalid and point to it. */
  problemAt?: string;
  /** A line of help under the control, read with it. */
  hint?: ReactNode;
  className?: string;
  children: ReactElement<Record<string, unknown>>;
};

export function Field({ id, label, error, problemAt, hint, className, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null, problemAt ?? null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      {cloneElement(children, {
        id,
        "aria-invalid": Boolean(error) || problemAt !== undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** An amount in yuan typed on a phone: the decimal keypad, nothing remembered. */
export const AMOUNT_INPUT = { type: "text", inputMode: "decimal", autoComplete: "off" } as const;
/** Digits only (a card's last 4, a count): the number keypad. */
export const DIGITS_INPUT = { type: "text", inputMode: "numeric", autoComplete: "off" } as const;
