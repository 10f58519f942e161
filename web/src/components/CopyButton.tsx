// Copies a text to the clipboard and says so (in words, not only an icon change).
import { useState } from "react";
import { commonMessages } from "../i18n/messages/common";
import { useT } from "../i18n/useT";

export function CopyButton({ text, label, className }: { text: string; label?: string; className?: string }) {
  const t = useT(commonMessages);
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("copied");
    } catch {
      setStatus("failed");
    }
    setTimeout(() => setStatus("idle"), 2_000);
  };
  return (
    <>
      <button type="button" className={className ?? "secondary small"} onClick={() => void copy()}>
        {label ?? t("copy")}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {status === "copied" ? t("copied") : status === "failed" ? t("copyFailed") : ""}
      </span>
    </>
  );
}
