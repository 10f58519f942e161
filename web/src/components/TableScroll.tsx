// A wide table's horizontal scroller. Keyboard users must be able to reach and scroll it, so it is
// a focusable, named region (a <section> with a name) (axe: scrollable-region-focusable).
import type { ReactNode } from "react";

export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard.
    <section className="table-scroll" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}
