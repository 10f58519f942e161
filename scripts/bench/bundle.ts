// The dApp's production build and the JavaScript a first visit downloads (gzip), against the
// 200 kB target; the rest loads when a page needs it. Run alone: npx tsx scripts/bench/bundle.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { measureInitialJs } from "../../web/scripts/initial-js-size.js";
import { bin, startProcess } from "../lib/processes.js";
import { checkTarget, quickNote } from "./mode.js";

const TARGET_GZIP_BYTES = 200 * 1024;

export async function benchBundle() {
  const outDir = mkdtempSync(path.join(tmpdir(), "hcy-bundle-"));
  try {
    const build = startProcess(
      "web build",
      bin("vite"),
      ["build", "--config", "web/vite.config.ts", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
      { log: (line) => process.stderr.write(`${line}\n`), quiet: true },
    );
    if ((await build.exited) !== 0) throw new Error("the dApp build failed");
    const initial = measureInitialJs(outDir);
    const all = readdirSync(path.join(outDir, "assets")).filter((file) => file.endsWith(".js"));
    const totalGzip = all.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(outDir, "assets", file))).length,
      0,
    );
    return { initialGzip: initial.gzipBytes, initialFiles: initial.files.length, totalGzip, chunks: all.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchBundle();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  process.stdout.write(
    `| measure | value | target |\n|---|---|---|\n` +
      `| initial JavaScript (gzip, ${figures.initialFiles} files) | ${kb(figures.initialGzip)} | ≤ 200 kB |\n` +
      `| all JavaScript (gzip, ${figures.chunks} chunks, loaded when a page needs it) | ${kb(figures.totalGzip)} | — |\n`,
  );
  process.stdout.write(quickNote());
  checkTarget(
    figures.initialGzip <= TARGET_GZIP_BYTES,
    `initial JavaScript ${kb(figures.initialGzip)} <= ${kb(TARGET_GZIP_BYTES)}`,
  );
}
