// Measures the JavaScript a first visit downloads before the app can render: the entry script of
// dist/index.html plus every chunk it statically imports (transitively), gzip-compressed.
// Lazily loaded pages are excluded on purpose: they load when a page needs them.
// Usage: npx tsx web/scripts/initial-js-size.ts [distDir]   (prints JSON)
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export type InitialJsSize = {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
};

const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g;

export function measureInitialJs(distDir: string): InitialJsSize {
  const html = readFileSync(path.join(distDir, "index.html"), "utf8");
  const entries = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1] as string);
  const seen = new Set<string>();
  const queue = entries.map((src) => path.join(distDir, src.replace(/^\//, "")));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(STATIC_IMPORT)) {
      const spec = m[1] as string;
      if (spec.startsWith(".")) queue.push(path.resolve(path.dirname(file), spec));
    }
  }
  const files = [...seen].map((file) => {
    const content = readFileSync(file);
    return {
      file: path.relative(distDir, file),
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
    };
  });
  return {
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? path.join(import.meta.dirname, "..", "dist");
  process.stdout.write(`${JSON.stringify(measureInitialJs(dist), null, 2)}\n`);
}
