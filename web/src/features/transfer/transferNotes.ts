// Notes on transfers, kept on this device keyed by transaction hash (the ledger only sees a plain
// ERC-20 transfer). History shows them next to the movement.
import type { Address, Hash } from "viem";

export type TransferNote = { hash: Hash; to: Address; fen: string; note: string; at: number };

const keyFor = (owner: Address) => `hcy.notes.v1.${owner.toLowerCase()}`;

export function readTransferNotes(owner: Address): Record<Hash, TransferNote> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyFor(owner)) ?? "{}");
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<Hash, TransferNote>) : {};
  } catch {
    return {};
  }
}

export function saveTransferNote(owner: Address, note: TransferNote): void {
  const notes = readTransferNotes(owner);
  notes[note.hash] = note;
  localStorage.setItem(keyFor(owner), JSON.stringify(notes));
}

export function transferNoteFor(owner: Address, hash: Hash): string | undefined {
  return readTransferNotes(owner)[hash]?.note;
}
