// The built-in wallet's key encryption (WebCrypto PBKDF2 + AES-GCM) and recovery phrases.
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  decryptPrivateKey,
  encryptPrivateKey,
  isEncryptedKey,
  KDF_ITERATIONS,
  passcodeProblem,
  WrongPasscodeError,
} from "../../web/src/wallet/keyCrypto";
import {
  newRecoveryPhrase,
  normalisePhrase,
  phraseProblem,
  pickConfirmationPositions,
} from "../../web/src/wallet/mnemonic";

// Hardhat account #6 (王阿姨): a public test key.
const key = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e" as const;
const { address } = privateKeyToAccount(key);

describe("key encryption", () => {
  it("round-trips with the right passcode at the production iteration count", async () => {
    const blob = await encryptPrivateKey(key, address, "123456");
    expect(blob.kdf.iterations).toBe(KDF_ITERATIONS);
    expect(KDF_ITERATIONS).toBeGreaterThanOrEqual(310_000);
    expect(isEncryptedKey(JSON.parse(JSON.stringify(blob)))).toBe(true);
    expect(JSON.stringify(blob)).not.toContain(key.slice(2, 20));
    expect(await decryptPrivateKey(blob, "123456")).toBe(key);
  });
  it("refuses a wrong passcode", async () => {
    const blob = await encryptPrivateKey(key, address, "correct horse", 1_000);
    await expect(decryptPrivateKey(blob, "correct hors")).rejects.toBeInstanceOf(WrongPasscodeError);
  });
  it("refuses a blob moved onto another address or tampered with", async () => {
    const blob = await encryptPrivateKey(key, address, "123456", 1_000);
    const moved = { ...blob, address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const };
    await expect(decryptPrivateKey(moved, "123456")).rejects.toBeInstanceOf(WrongPasscodeError);
    const bytes = atob(blob.ciphertext);
    const flipped = btoa(String.fromCharCode(bytes.charCodeAt(0) ^ 1) + bytes.slice(1));
    await expect(decryptPrivateKey({ ...blob, ciphertext: flipped }, "123456")).rejects.toBeInstanceOf(
      WrongPasscodeError,
    );
  });
  it("uses a fresh salt and IV every time", async () => {
    const a = await encryptPrivateKey(key, address, "123456", 1_000);
    const b = await encryptPrivateKey(key, address, "123456", 1_000);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.iv).not.toBe(b.cipher.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });
  it("requires at least 6 characters", async () => {
    expect(passcodeProblem("12345")).toBe("passcodeTooShort");
    expect(passcodeProblem("123456")).toBeNull();
    await expect(encryptPrivateKey(key, address, "123", 1_000)).rejects.toThrow();
  });
  it("recognises what it stored and nothing else", () => {
    expect(isEncryptedKey(null)).toBe(false);
    expect(isEncryptedKey({ version: 1 })).toBe(false);
    expect(isEncryptedKey("x")).toBe(false);
  });
});

describe("recovery phrases", () => {
  it("creates valid 12-word phrases", () => {
    const phrase = newRecoveryPhrase();
    expect(phrase.split(" ")).toHaveLength(12);
    expect(phraseProblem(phrase)).toBeNull();
  });
  it("accepts the Hardhat phrase however it was pasted", () => {
    expect(phraseProblem("  Test test TEST test test test test test test test test junk\n")).toBeNull();
    expect(normalisePhrase("  a  B\tc ")).toBe("a b c");
  });
  it("names what is wrong with a bad phrase", () => {
    expect(phraseProblem("test test test")).toBe("phraseWordCount");
    expect(phraseProblem("test test test test test test test test test test test junkk")).toBe("phraseUnknownWord");
    // Valid words, broken checksum.
    expect(phraseProblem("test test test test test test test test test test test test")).toBe("phraseChecksum");
  });
  it("asks back three distinct positions within the phrase", () => {
    for (let i = 0; i < 50; i++) {
      const positions = pickConfirmationPositions(12);
      expect(new Set(positions).size).toBe(3);
      expect(positions.every((p) => p >= 0 && p < 12)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });
});
