// Passcode guessing is counted and slowed: free tries, then doubling waits, tries left, reset on success.
import { beforeEach, describe, expect, it } from "vitest";
import {
  afterWrongPasscode,
  FREE_TRIES,
  guardedTry,
  loadTries,
  MAX_TRIES,
  PasscodeWaitError,
  triesLeft,
  waitAfter,
  waitLeft,
  withFailure,
} from "../../web/src/wallet/passcodeGuard";

class Wrong extends Error {}

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe("passcode guard", () => {
  beforeEach(() => {
    (globalThis as { localStorage?: unknown }).localStorage = memoryStorage();
  });

  it("lets the first 5 wrong tries through without a wait, then doubles the wait, capped at an hour", () => {
    expect([0, 1, 2, 3, 4].map(waitAfter)).toEqual([0, 0, 0, 0, 0]);
    expect(waitAfter(FREE_TRIES)).toBe(30_000);
    expect(waitAfter(FREE_TRIES + 1)).toBe(60_000);
    expect(waitAfter(FREE_TRIES + 2)).toBe(120_000);
    expect(waitAfter(40)).toBe(3_600_000);
  });

  it("says how many tries are left and how long to wait", () => {
    let state = { failures: 0, lastFailureAt: 0 };
    for (let i = 0; i < FREE_TRIES; i++) state = withFailure(state, 1_000);
    expect(triesLeft(state)).toBe(MAX_TRIES - FREE_TRIES);
    expect(waitLeft(state, 1_000)).toBe(30_000);
    expect(waitLeft(state, 31_000)).toBe(0);
  });

  it("tells her the tries left before the waiting begins, then the wait, then that every try waits the longest", () => {
    let state = { failures: 0, lastFailureAt: 0 };
    const said: ReturnType<typeof afterWrongPasscode>[] = [];
    for (let i = 0; i < MAX_TRIES + 1; i++) {
      state = withFailure(state, 1_000);
      said.push(afterWrongPasscode(state));
    }
    // The message after each wrong try matches what the next try meets: a free try or a wait.
    expect(said.slice(0, FREE_TRIES - 1)).toEqual([4, 3, 2, 1].map((left) => ({ kind: "triesLeft", left })));
    expect(said[FREE_TRIES - 1]).toEqual({ kind: "wait", seconds: 30 });
    expect(waitLeft({ failures: FREE_TRIES, lastFailureAt: 1_000 }, 1_000)).toBe(30_000);
    expect(said[FREE_TRIES]).toEqual({ kind: "wait", seconds: 60 });
    expect(said[MAX_TRIES - 1]).toEqual({ kind: "longestWait" });
    expect(said[MAX_TRIES]).toEqual({ kind: "longestWait" });
  });

  it("counts wrong tries, refuses to try during the wait, and clears the count after a right one", async () => {
    let now = 0;
    const clock = () => now;
    const wrong = () => Promise.reject(new Wrong());
    const isWrong = (e: unknown) => e instanceof Wrong;
    for (let i = 0; i < FREE_TRIES; i++) await expect(guardedTry(wrong, isWrong, clock)).rejects.toBeInstanceOf(Wrong);
    expect(loadTries().failures).toBe(FREE_TRIES);
    // The sixth try is refused before it is tried, even with the right passcode.
    const right = () => Promise.resolve("key");
    const refused = await guardedTry(right, isWrong, clock).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PasscodeWaitError);
    expect((refused as PasscodeWaitError).waitMs).toBe(30_000);
    expect((refused as PasscodeWaitError).triesLeft).toBe(MAX_TRIES - FREE_TRIES);
    now = 30_000;
    await expect(guardedTry(right, isWrong, clock)).resolves.toBe("key");
    expect(loadTries().failures).toBe(0);
  });

  it("does not count failures that are not a wrong passcode", async () => {
    await expect(
      guardedTry(
        () => Promise.reject(new Error("disk")),
        (e) => e instanceof Wrong,
      ),
    ).rejects.toThrow("disk");
    expect(loadTries().failures).toBe(0);
  });
});
