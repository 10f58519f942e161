// Recovery phrases (BIP-39, English words, as MetaMask and Rabby use them): create, normalise,
// validate with the checksum, and pick the words the resident must type back.
import { sha256 } from "viem";
import { english, generateMnemonic } from "viem/accounts";

export function newRecoveryPhrase(): string {
  return generateMnemonic(english, 128);
}

/** Lower-case, single-spaced: how people paste a phrase is not how it is stored. */
export function normalisePhrase(input: string): string {
  return input.trim().toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

export type PhraseProblem = "phraseWordCount" | "phraseUnknownWord" | "phraseChecksum";

/** Checks word count, wordlist membership and the BIP-39 checksum; null when valid. */
export function phraseProblem(phrase: string): PhraseProblem | null {
  const words = normalisePhrase(phrase).split(" ");
  if (![12, 15, 18, 21, 24].includes(words.length)) return "phraseWordCount";
  const indices = words.map((w) => english.indexOf(w));
  if (indices.some((i) => i < 0)) return "phraseUnknownWord";
  const bits = indices.map((i) => i.toString(2).padStart(11, "0")).join("");
  const checksumLength = words.length / 3;
  const entropyBits = bits.slice(0, bits.length - checksumLength);
  const entropy = new Uint8Array(entropyBits.length / 8);
  for (let i = 0; i < entropy.length; i++) entropy[i] = Number.parseInt(entropyBits.slice(i * 8, i * 8 + 8), 2);
  const hash = sha256(entropy, "bytes");
  const expected = Array.from(hash)
    .map((b) => b.toString(2).padStart(8, "0"))
    .join("")
    .slice(0, checksumLength);
  return expected === bits.slice(bits.length - checksumLength) ? null : "phraseChecksum";
}

/** Three distinct word positions (0-based, sorted) to ask back after showing the phrase. */
export function pickConfirmationPositions(wordCount: number, count = 3): number[] {
  const chosen = new Set<number>();
  const random = new Uint32Array(1);
  while (chosen.size < Math.min(count, wordCount)) {
    crypto.getRandomValues(random);
    chosen.add((random[0] ?? 0) % wordCount);
  }
  return [...chosen].sort((a, b) => a - b);
}
