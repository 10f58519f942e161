// Full or quick mode for the benchmarks. `npm run bench -- --quick` sets HCY_BENCH_QUICK=1 for
// every benchmark it starts (a benchmark run alone reads the same variable): each then runs with
// small counts (a few hundred events instead of 100,000, one or two pages, a few samples, a few
// seconds of load) so that a broken setup or measurement shows within minutes, in CI too. Quick
// figures are not the benchmark's figures: a quick run enforces no target, it only fails when the
// setup or the measurement throws. In a full run a missed target is reported and the benchmark
// exits with TARGET_MISSED (3), which `npm run bench` lists apart from a broken benchmark; with
// `--strict` it fails the run.

export const QUICK = process.env.HCY_BENCH_QUICK === "1";

/** A benchmark's exit code when it ran and measured, but missed a target. */
export const TARGET_MISSED = 3;

/** `full` in a full run, `quick` in a quick one. */
export function sized<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}

/**
 * Reports whether a target was met. In a full run a missed target ends the benchmark with
 * TARGET_MISSED (after its figures are printed; a failure already recorded stays); in a quick run
 * it is only reported.
 */
export function checkTarget(met: boolean, what: string): void {
  if (met) {
    process.stdout.write(`target met: ${what}\n`);
  } else if (QUICK) {
    process.stdout.write(`quick run, target not enforced: ${what}\n`);
  } else {
    process.stdout.write(`TARGET MISSED: ${what}\n`);
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = TARGET_MISSED;
  }
}

/** A line that says a run was quick, so its figures are not taken for the benchmark's. */
export function quickNote(): string {
  return QUICK ? "(quick run: small counts, figures are not the benchmark's, targets not enforced)\n" : "";
}
