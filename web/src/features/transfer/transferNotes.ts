// Notes on transfers, kept on this device keyed by transaction hash (the ledger only sees a plain
// ERC-20 transfer). History shows them next to the movement.
import type { Address, Hash } from "viem";
import { isObject, readStoredRecord, writeStored } from "../../lib/localStore";

export type TransferNote = { hash: Hash; to: Address; fen: string; note: string; at: number };

const keyFor = (owner: Address) => `hcy.notes.v1.${owner.toLowerCase()}`;

function isTransferNote(v: unknown): v is TransferNote {
  return isObject(v) && typeof v.hash === "string" && typeof v.to === "string" && typeof v.note === "string";
}

export function readTransferNotes(owner: Address): Record<Hash, TransferNote> {
  return readStoredRecord(keyFor(owner), isTransferNote);
}

export function saveTransferNote(owner: Address, note: TransferNote): void {
  const notes = readTransferNotes(owner);
  notes[note.hash] = note;
  writeStored(keyFor(owner), notes);
}

export function transferNoteFor(owner: Address, hash: Hash): string | undefined {
  return readTransferNotes(owner)[hash]?.note;
}
