// What a phone screen must never show, measured in the page itself: a page wider than the
// screen, text that does not fit its box, an element hidden under another, and (in 关怀模式)
// text under 18 px or tap targets under 60 × 60 px (MIIT's elderly-app numbers).
import type { Page } from "playwright-core";

/**
 * A helper's 找回账户 page as a new phone's link opens it (recoveryLink.ts): a real P-256 key, a
 * name, when it asked. The demo resident who opens it helps nobody, so the page says so in words.
 */
const RECOVERY_HELP = `/recovery/help?key=9Adh4D8EfgBg29j24lFLhGa_49DgkJd4lcjAeEgSwvfegDFxSy7EOWrT32UWRrBGLlXj0E10Jflnpw53LkyMSQ&name=${encodeURIComponent("王阿姨的新手机")}&at=1765000000000`;

/** Who opens which pages: a resident, a shop, the issuing desk, and nobody yet (first screen, “我的手机丢了”). */
export const PAGES: { account: number | null; paths: string[] }[] = [
  { account: null, paths: ["/", "/wallet?lost=1"] },
  {
    account: 6,
    paths: [
      "/",
      "/pay",
      "/receive",
      "/transfer",
      "/history",
      "/redpackets",
      "/vouchers",
      "/topup",
      "/alerts",
      "/family",
      "/settings",
      "/recovery",
      RECOVERY_HELP,
      "/ledger",
    ],
  },
  { account: 12, paths: ["/merchant", "/merchant/api", "/merchant/api/reference"] },
  { account: 1, paths: ["/desk"] },
];

/** Waits until the page has shown its content: no "loading" line left, then a moment to settle. */
export async function settle(page: Page): Promise<void> {
  await page.locator("main").waitFor();
  await page
    .waitForFunction(() => document.querySelectorAll("main .progress").length === 0, null, { timeout: 15_000 })
    .catch(() => undefined);
  await page.waitForTimeout(300);
}

export interface LayoutProblem {
  kind: "page-wider-than-screen" | "text-overflow" | "hidden-under" | "small-text" | "small-target";
  what: string;
}

/**
 * The text a person sees: rendered text nodes, without what only screen readers hear
 * (visually hidden, clipped) and without closed 详情 (details) panels.
 */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = (node.textContent ?? "").trim();
      if (!el || !text || el.closest("script, style, .visually-hidden, [hidden], details:not([open]) > :not(summary)"))
        continue;
      let shown = true;
      for (let a: Element | null = el; a && shown; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.display === "none" || s.visibility === "hidden" || s.clip === "rect(0px, 0px, 0px, 0px)") shown = false;
      }
      if (shown) parts.push(text);
    }
    return parts.join("\n");
  });
}

/** Runs in the browser: every problem on the page as it is now (scrolls the page to see it all). */
export async function layoutProblems(page: Page, careMode: boolean): Promise<LayoutProblem[]> {
  return page.evaluate(async (care) => {
    const problems: { kind: string; what: string }[] = [];
    const describe = (el: Element) => {
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      const cls = typeof el.className === "string" && el.className ? `.${el.className.split(" ").join(".")}` : "";
      return `${el.tagName.toLowerCase()}${cls} "${text}"`;
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    // Elements a screen reader may see but the eye should not (skip links, visually-hidden labels).
    const clippedAway = (el: Element) => {
      for (let a: Element | null = el; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)") return true;
      }
      return false;
    };
    const offscreenOnPurpose = (el: Element) =>
      el.closest(".visually-hidden, .skip-link, [aria-hidden='true'], video, canvas, svg") !== null ||
      el.closest("details:not([open]) > :not(summary)") !== null ||
      clippedAway(el);

    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      problems.push({ kind: "page-wider-than-screen", what: `${root.scrollWidth} px on ${root.clientWidth} px` });

    const all = [...document.body.querySelectorAll("*")].filter((el) => visible(el) && !offscreenOnPurpose(el));
    const ownText = (el: Element) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");

    for (const el of all) {
      if (!ownText(el) && !(el instanceof HTMLInputElement) && !(el instanceof HTMLSelectElement)) continue;
      const style = getComputedStyle(el);
      // Content wider or taller than its box, unless the box scrolls on purpose.
      const scrolls = /auto|scroll/.test(style.overflowX) || /auto|scroll/.test(style.overflowY);
      if (!scrolls && !(el instanceof HTMLInputElement) && !(el instanceof HTMLSelectElement)) {
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && style.display !== "inline")
          problems.push({ kind: "text-overflow", what: `${describe(el)} ${el.scrollWidth}>${el.clientWidth} wide` });
        if (el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0 && style.display !== "inline")
          problems.push({ kind: "text-overflow", what: `${describe(el)} ${el.scrollHeight}>${el.clientHeight} tall` });
      }
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 || r.left < -1)
        problems.push({
          kind: "text-overflow",
          what: `${describe(el)} reaches ${Math.round(r.left)}..${Math.round(r.right)}`,
        });
      if (care && ownText(el) && Number.parseFloat(style.fontSize) < 18 - 0.01)
        problems.push({ kind: "small-text", what: `${describe(el)} ${style.fontSize}` });
    }

    if (care) {
      const targets = all.filter((el) =>
        el.matches("button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button]"),
      );
      for (const el of targets) {
        // A checkbox or radio is tapped through its label: the label is the target.
        const target =
          el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")
            ? (el.closest("label") ?? el)
            : el;
        const r = target.getBoundingClientRect();
        if (r.width < 60 - 0.5 || r.height < 60 - 0.5)
          problems.push({
            kind: "small-target",
            what: `${describe(target)} ${Math.round(r.width)}×${Math.round(r.height)}`,
          });
      }
    }

    // Hidden under another element: walk the page a screen at a time and ask the browser what is
    // on top at the centre of each text or control. The fixed tab bar is allowed to cover what
    // scrolls under it (the page leaves room to scroll everything above it).
    const nav = document.querySelector(".bottom-nav");
    const navTopNow = () => (nav ? nav.getBoundingClientRect().top : window.innerHeight);
    const navTop = navTopNow();
    const candidates = all.filter(
      (el) => ownText(el) || el.matches("button, a[href], input, select, textarea, summary, img"),
    );
    const seen = new Set<Element>();
    const step = Math.max(200, navTop - 40);
    for (let y = 0; y <= root.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      const bottom = navTopNow();
      for (const el of candidates) {
        // An element the page has since replaced (data arrived, a sign-in finished) is gone, not
        // hidden: a detached element's box is 0,0, where the header is.
        if (seen.has(el) || !el.isConnected || el.closest(".bottom-nav, .app-header details")) continue;
        // An inline element broken over two lines is judged by its first piece.
        const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
        const cx = r.left + r.width / 2;
        const cy = r.top + Math.min(r.height / 2, 10);
        if (cy < 0 || cy >= bottom - 2 || cx < 0 || cx >= root.clientWidth) continue;
        seen.add(el);
        const top = document.elementFromPoint(cx, cy);
        if (!top || top === el || el.contains(top) || top.contains(el)) continue;
        // A label's text over its own control, or a control inside the same label, is one thing.
        const label = el.closest("label");
        if (label?.contains(top)) continue;
        problems.push({ kind: "hidden-under", what: `${describe(el)} under ${describe(top)}` });
      }
    }
    window.scrollTo(0, 0);
    return problems as never;
  }, careMode);
}
