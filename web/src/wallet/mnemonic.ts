// Recovery phrases (BIP-39, English words, as MetaMask and Rabby use them): create, normalise,
// validate with the checksum, and pick the words the resident must type back.
import { validateMnemonic } from "@scure/bip39";
import { english, generateMnemonic } from "viem/accounts";

export function newRecoveryPhrase(): string {
  return generateMnemonic(english, 128);
}

/** Lower-case, single-spaced: how people paste a phrase is not how it is stored. */
export function normalisePhrase(input: string): string {
  return input.trim().toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

export type PhraseProblem = "phraseWordCount" | "phraseUnknownWord" | "phraseChecksum";

/** Checks word count, wordlist membership and the BIP-39 checksum (@scure/bip39); null when valid. */
export function phraseProblem(phrase: string): PhraseProblem | null {
  const normalised = normalisePhrase(phrase);
  const words = normalised.split(" ");
  if (![12, 15, 18, 21, 24].includes(words.length)) return "phraseWordCount";
  if (words.some((w) => !english.includes(w))) return "phraseUnknownWord";
  return validateMnemonic(normalised, english) ? null : "phraseChecksum";
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
