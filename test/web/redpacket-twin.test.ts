// A red packet created twice: the form finds the sender's packet of a moment ago with the same
// amount, shares, split, audience and greeting, and nothing older or different.
import { describe, expect, it } from "vitest";
import { type CreatedPacket, findRecentTwin, TWIN_WINDOW_SECONDS } from "../../web/src/features/redpackets/twin";

const now = 1_800_000_000;
const plan = { amount: 3_000n, shares: 3n, greeting: "新年快乐", mode: 1, audience: 2 };
const packet = (over: Partial<CreatedPacket>): CreatedPacket => ({
  packetId: 1n,
  amount: 3_000n,
  shares: 3n,
  mode: 1,
  audience: 2,
  greeting: "新年快乐",
  createdAt: now - 60,
  ...over,
});

describe("a red packet created twice", () => {
  it("finds the same packet sent a minute ago", () => {
    expect(findRecentTwin([packet({})], plan, now)?.packetId).toBe(1n);
  });

  it("names the latest of several same packets", () => {
    const twin = findRecentTwin(
      [packet({ packetId: 1n, createdAt: now - 600 }), packet({ packetId: 2n, createdAt: now - 30 })],
      plan,
      now,
    );
    expect(twin?.packetId).toBe(2n);
  });

  it("ignores packets that differ in amount, shares, split, audience or greeting", () => {
    for (const different of [
      { amount: 3_001n },
      { shares: 4n },
      { mode: 0 },
      { audience: 3 },
      { greeting: "恭喜发财" },
    ] satisfies Partial<CreatedPacket>[]) {
      expect(findRecentTwin([packet(different)], plan, now)).toBeNull();
    }
  });

  it("ignores a same packet older than the window, and counts one exactly at its edge", () => {
    expect(findRecentTwin([packet({ createdAt: now - TWIN_WINDOW_SECONDS - 1 })], plan, now)).toBeNull();
    expect(findRecentTwin([packet({ createdAt: now - TWIN_WINDOW_SECONDS })], plan, now)).not.toBeNull();
  });

  it("finds nothing when the sender sent nothing", () => {
    expect(findRecentTwin([], plan, now)).toBeNull();
  });
});
