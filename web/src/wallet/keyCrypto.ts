// Encrypts the built-in wallet's private key with the resident's passcode (WebCrypto only):
// PBKDF2-SHA256 stretches the passcode into an AES-GCM key; the address is bound as associated
// data so a blob copied onto another address's slot fails to open.
import type { Address, Hex } from "viem";

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256; about 0.3 s on a phone, which is the point. */
export const KDF_ITERATIONS = 310_000;
/** Short enough to type on a phone keypad, long enough that guessing takes the KDF many times. */
export const MIN_PASSCODE_LENGTH = 6;

export type EncryptedKey = {
  version: 1;
  address: Address;
  kdf: { name: "PBKDF2"; hash: "SHA-256"; iterations: number; salt: string };
  cipher: { name: "AES-GCM"; iv: string };
  ciphertext: string;
};

/** The passcode did not open the key (or the stored blob was tampered with). */
export class WrongPasscodeError extends Error {
  constructor() {
    super("wrong passcode");
    this.name = "WrongPasscodeError";
  }
}

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function deriveAesKey(passcode: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(passcode.normalize("NFKC")), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Whether a passcode is acceptable; returns an i18n key naming the problem, or null. */
export function passcodeProblem(passcode: string): "passcodeTooShort" | null {
  return passcode.length < MIN_PASSCODE_LENGTH ? "passcodeTooShort" : null;
}

export async function encryptPrivateKey(
  privateKey: Hex,
  address: Address,
  passcode: string,
  iterations: number = KDF_ITERATIONS,
): Promise<EncryptedKey> {
  if (passcodeProblem(passcode)) throw new Error(`passcode must be at least ${MIN_PASSCODE_LENGTH} characters`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveAesKey(passcode, salt, iterations);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(address.toLowerCase()) },
    key,
    encoder.encode(privateKey),
  );
  return {
    version: 1,
    address,
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations, salt: toBase64(salt) },
    cipher: { name: "AES-GCM", iv: toBase64(iv) },
    ciphertext: toBase64(new Uint8Array(ciphertext)),
  };
}

export async function decryptPrivateKey(blob: EncryptedKey, passcode: string): Promise<Hex> {
  const key = await deriveAesKey(passcode, fromBase64(blob.kdf.salt), blob.kdf.iterations);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(blob.cipher.iv), additionalData: encoder.encode(blob.address.toLowerCase()) },
      key,
      fromBase64(blob.ciphertext),
    );
  } catch {
    // AES-GCM authentication fails identically for a wrong passcode and a tampered blob.
    throw new WrongPasscodeError();
  }
  const text = new TextDecoder().decode(plain);
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new WrongPasscodeError();
  return text as Hex;
}

/** Structural check of what was read back from storage. */
export function isEncryptedKey(value: unknown): value is EncryptedKey {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<EncryptedKey>;
  return (
    v.version === 1 &&
    typeof v.address === "string" &&
    typeof v.ciphertext === "string" &&
    v.kdf?.name === "PBKDF2" &&
    typeof v.kdf.salt === "string" &&
    Number.isSafeInteger(v.kdf.iterations) &&
    v.cipher?.name === "AES-GCM" &&
    typeof v.cipher.iv === "string"
  );
}
