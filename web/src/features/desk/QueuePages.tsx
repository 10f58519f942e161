// Previous / next through a desk queue a page at a time, with "21–40 of 57" between them.
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";

export function QueuePages({
  offset,
  pageSize,
  total,
  onOffset,
}: {
  offset: number;
  pageSize: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  const t = useT(deskMessages);
  return (
    <nav className="queue-pages" aria-label={t("queuePages")}>
      <button
        type="button"
        className="secondary small"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        {t("previousPage")}
      </button>
      <span>{t("pageOf", { from: offset + 1, to: Math.min(offset + pageSize, total), total })}</span>
      <button
        type="button"
        className="secondary small"
        disabled={offset + pageSize >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {t("nextPage")}
      </button>
    </nav>
  );
}
