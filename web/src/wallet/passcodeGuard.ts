// Counts wrong passcodes on this device and slows guessing down: the first 5 wrong tries cost
// nothing, each one after that makes the next try wait twice as long (30 s, 1 min, 2 min, …,
// never more than an hour), and the resident is told how many tries are left before the waiting
// begins, then how long the next one waits. A right passcode clears the count. Kept in localStorage so a reload does not reset it.
// The rules are pure functions of (state, now) so they can be tested without a clock.

export const FREE_TRIES = 5;
/** Tries before every further one waits the longest (MAX_WAIT_MS). */
export const MAX_TRIES = 10;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 60 * 60_000;
const STORAGE_KEY = "hcy.passcode-tries.v1";

export type PasscodeTries = { failures: number; lastFailureAt: number };

const none: PasscodeTries = { failures: 0, lastFailureAt: 0 };

/** How long after the last failure the next try must wait (0 for the first FREE_TRIES). */
export function waitAfter(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES));
}

/** Milliseconds until a try is allowed (0: now). */
export function waitLeft(state: PasscodeTries, now: number): number {
  return Math.max(0, state.lastFailureAt + waitAfter(state.failures) - now);
}

/** Tries left before every try waits the longest. */
export function triesLeft(state: PasscodeTries): number {
  return Math.max(0, MAX_TRIES - state.failures);
}

/** Tries left before the waiting begins (the free ones): what "还可以再试 N 次" must count. */
export function freeTriesLeft(state: PasscodeTries): number {
  return Math.max(0, FREE_TRIES - state.failures);
}

/**
 * What to tell her after a wrong passcode, from the count now on the device: the free tries left
 * (which are what she can use without waiting), else how long the next try must wait, else that
 * every try now waits the longest. (It used to count to MAX_TRIES, "9 tries left", while the
 * waiting began after the 5th.)
 */
export function afterWrongPasscode(
  state: PasscodeTries,
): { kind: "triesLeft"; left: number } | { kind: "wait"; seconds: number } | { kind: "longestWait" } {
  const left = freeTriesLeft(state);
  if (left > 0) return { kind: "triesLeft", left };
  if (state.failures < MAX_TRIES) return { kind: "wait", seconds: Math.ceil(waitAfter(state.failures) / 1000) };
  return { kind: "longestWait" };
}

export function withFailure(state: PasscodeTries, now: number): PasscodeTries {
  return { failures: state.failures + 1, lastFailureAt: now };
}

export function loadTries(): PasscodeTries {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Partial<PasscodeTries> | null;
    if (parsed && Number.isInteger(parsed.failures) && typeof parsed.lastFailureAt === "number")
      return { failures: parsed.failures as number, lastFailureAt: parsed.lastFailureAt };
  } catch {
    // A damaged record counts as none rather than blocking the resident forever.
  }
  return none;
}

export function saveTries(state: PasscodeTries): void {
  if (state.failures === 0) localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
}

/** Thrown instead of trying when the resident must wait first. */
export class PasscodeWaitError extends Error {
  constructor(
    readonly waitMs: number,
    readonly triesLeft: number,
  ) {
    super(`wait ${Math.ceil(waitMs / 1000)} s before the next passcode try`);
    this.name = "PasscodeWaitError";
  }
}

/**
 * Runs one passcode try under the rules: refuses (PasscodeWaitError) while a wait is on, counts a
 * failure when `attempt` throws `isWrong`, clears the count when it succeeds.
 */
export async function guardedTry<T>(
  attempt: () => Promise<T>,
  isWrong: (e: unknown) => boolean,
  now: () => number = Date.now,
): Promise<T> {
  const state = loadTries();
  const wait = waitLeft(state, now());
  if (wait > 0) throw new PasscodeWaitError(wait, triesLeft(state));
  try {
    const result = await attempt();
    saveTries(none);
    return result;
  } catch (e) {
    if (isWrong(e)) saveTries(withFailure(state, now()));
    throw e;
  }
}
