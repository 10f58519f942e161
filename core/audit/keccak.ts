// Keccak-256 (the Ethereum hash) for short inputs, fast: the checkpoint's balances root hashes
// every balance twice and every pair once (600,000 hashes for 200,000 accounts), and viem's
// keccak256 (@noble/hashes, a general sponge with a looped permutation and a new state per call)
// spent about 11 µs on each here. This one keeps the 25 lanes in local variables (each as two
// 32-bit halves), unrolls a round, and reuses one state; the checkpoint's tests compare it with
// viem's keccak256. The round body and its constants are printed by
// scripts/gen-keccak-round.mjs (the standard θ, ρ, π, χ, ι steps of FIPS 202): regenerate, do not edit.

// Round constants (ι), low and high 32 bits.
const ROUND_LO = new Int32Array([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009, 0x0000008a,
  0x00000088, 0x80008009, 0x8000000a, 0x8000808b, 0x0000008b, 0x00008089, 0x00008003, 0x00008002, 0x00000080,
  0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008,
]);
const ROUND_HI = new Int32Array([
  0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000,
  0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000,
  0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000,
]);

/** keccak-f[1600] on 50 words: lane i is words 2i (low half) and 2i + 1 (high half). */
export function keccakF1600(s: Int32Array): void {
  let a0l = s[0] | 0;
  let a0h = s[1] | 0;
  let a1l = s[2] | 0;
  let a1h = s[3] | 0;
  let a2l = s[4] | 0;
  let a2h = s[5] | 0;
  let a3l = s[6] | 0;
  let a3h = s[7] | 0;
  let a4l = s[8] | 0;
  let a4h = s[9] | 0;
  let a5l = s[10] | 0;
  let a5h = s[11] | 0;
  let a6l = s[12] | 0;
  let a6h = s[13] | 0;
  let a7l = s[14] | 0;
  let a7h = s[15] | 0;
  let a8l = s[16] | 0;
  let a8h = s[17] | 0;
  let a9l = s[18] | 0;
  let a9h = s[19] | 0;
  let a10l = s[20] | 0;
  let a10h = s[21] | 0;
  let a11l = s[22] | 0;
  let a11h = s[23] | 0;
  let a12l = s[24] | 0;
  let a12h = s[25] | 0;
  let a13l = s[26] | 0;
  let a13h = s[27] | 0;
  let a14l = s[28] | 0;
  let a14h = s[29] | 0;
  let a15l = s[30] | 0;
  let a15h = s[31] | 0;
  let a16l = s[32] | 0;
  let a16h = s[33] | 0;
  let a17l = s[34] | 0;
  let a17h = s[35] | 0;
  let a18l = s[36] | 0;
  let a18h = s[37] | 0;
  let a19l = s[38] | 0;
  let a19h = s[39] | 0;
  let a20l = s[40] | 0;
  let a20h = s[41] | 0;
  let a21l = s[42] | 0;
  let a21h = s[43] | 0;
  let a22l = s[44] | 0;
  let a22h = s[45] | 0;
  let a23l = s[46] | 0;
  let a23h = s[47] | 0;
  let a24l = s[48] | 0;
  let a24h = s[49] | 0;
  for (let round = 0; round < 24; round++) {
    const c0l = a0l ^ a5l ^ a10l ^ a15l ^ a20l;
    const c0h = a0h ^ a5h ^ a10h ^ a15h ^ a20h;
    const c1l = a1l ^ a6l ^ a11l ^ a16l ^ a21l;
    const c1h = a1h ^ a6h ^ a11h ^ a16h ^ a21h;
    const c2l = a2l ^ a7l ^ a12l ^ a17l ^ a22l;
    const c2h = a2h ^ a7h ^ a12h ^ a17h ^ a22h;
    const c3l = a3l ^ a8l ^ a13l ^ a18l ^ a23l;
    const c3h = a3h ^ a8h ^ a13h ^ a18h ^ a23h;
    const c4l = a4l ^ a9l ^ a14l ^ a19l ^ a24l;
    const c4h = a4h ^ a9h ^ a14h ^ a19h ^ a24h;
    const d0l = c4l ^ ((c1l << 1) | (c1h >>> 31));
    const d0h = c4h ^ ((c1h << 1) | (c1l >>> 31));
    const d1l = c0l ^ ((c2l << 1) | (c2h >>> 31));
    const d1h = c0h ^ ((c2h << 1) | (c2l >>> 31));
    const d2l = c1l ^ ((c3l << 1) | (c3h >>> 31));
    const d2h = c1h ^ ((c3h << 1) | (c3l >>> 31));
    const d3l = c2l ^ ((c4l << 1) | (c4h >>> 31));
    const d3h = c2h ^ ((c4h << 1) | (c4l >>> 31));
    const d4l = c3l ^ ((c0l << 1) | (c0h >>> 31));
    const d4h = c3h ^ ((c0h << 1) | (c0l >>> 31));
    const t00l = a0l ^ d0l;
    const t00h = a0h ^ d0h;
    const b0l = t00l;
    const b0h = t00h;
    const t01l = a5l ^ d0l;
    const t01h = a5h ^ d0h;
    const b16l = (t01h << 4) | (t01l >>> 28);
    const b16h = (t01l << 4) | (t01h >>> 28);
    const t02l = a10l ^ d0l;
    const t02h = a10h ^ d0h;
    const b7l = (t02l << 3) | (t02h >>> 29);
    const b7h = (t02h << 3) | (t02l >>> 29);
    const t03l = a15l ^ d0l;
    const t03h = a15h ^ d0h;
    const b23l = (t03h << 9) | (t03l >>> 23);
    const b23h = (t03l << 9) | (t03h >>> 23);
    const t04l = a20l ^ d0l;
    const t04h = a20h ^ d0h;
    const b14l = (t04l << 18) | (t04h >>> 14);
    const b14h = (t04h << 18) | (t04l >>> 14);
    const t10l = a1l ^ d1l;
    const t10h = a1h ^ d1h;
    const b10l = (t10l << 1) | (t10h >>> 31);
    const b10h = (t10h << 1) | (t10l >>> 31);
    const t11l = a6l ^ d1l;
    const t11h = a6h ^ d1h;
    const b1l = (t11h << 12) | (t11l >>> 20);
    const b1h = (t11l << 12) | (t11h >>> 20);
    const t12l = a11l ^ d1l;
    const t12h = a11h ^ d1h;
    const b17l = (t12l << 10) | (t12h >>> 22);
    const b17h = (t12h << 10) | (t12l >>> 22);
    const t13l = a16l ^ d1l;
    const t13h = a16h ^ d1h;
    const b8l = (t13h << 13) | (t13l >>> 19);
    const b8h = (t13l << 13) | (t13h >>> 19);
    const t14l = a21l ^ d1l;
    const t14h = a21h ^ d1h;
    const b24l = (t14l << 2) | (t14h >>> 30);
    const b24h = (t14h << 2) | (t14l >>> 30);
    const t20l = a2l ^ d2l;
    const t20h = a2h ^ d2h;
    const b20l = (t20h << 30) | (t20l >>> 2);
    const b20h = (t20l << 30) | (t20h >>> 2);
    const t21l = a7l ^ d2l;
    const t21h = a7h ^ d2h;
    const b11l = (t21l << 6) | (t21h >>> 26);
    const b11h = (t21h << 6) | (t21l >>> 26);
    const t22l = a12l ^ d2l;
    const t22h = a12h ^ d2h;
    const b2l = (t22h << 11) | (t22l >>> 21);
    const b2h = (t22l << 11) | (t22h >>> 21);
    const t23l = a17l ^ d2l;
    const t23h = a17h ^ d2h;
    const b18l = (t23l << 15) | (t23h >>> 17);
    const b18h = (t23h << 15) | (t23l >>> 17);
    const t24l = a22l ^ d2l;
    const t24h = a22h ^ d2h;
    const b9l = (t24h << 29) | (t24l >>> 3);
    const b9h = (t24l << 29) | (t24h >>> 3);
    const t30l = a3l ^ d3l;
    const t30h = a3h ^ d3h;
    const b5l = (t30l << 28) | (t30h >>> 4);
    const b5h = (t30h << 28) | (t30l >>> 4);
    const t31l = a8l ^ d3l;
    const t31h = a8h ^ d3h;
    const b21l = (t31h << 23) | (t31l >>> 9);
    const b21h = (t31l << 23) | (t31h >>> 9);
    const t32l = a13l ^ d3l;
    const t32h = a13h ^ d3h;
    const b12l = (t32l << 25) | (t32h >>> 7);
    const b12h = (t32h << 25) | (t32l >>> 7);
    const t33l = a18l ^ d3l;
    const t33h = a18h ^ d3h;
    const b3l = (t33l << 21) | (t33h >>> 11);
    const b3h = (t33h << 21) | (t33l >>> 11);
    const t34l = a23l ^ d3l;
    const t34h = a23h ^ d3h;
    const b19l = (t34h << 24) | (t34l >>> 8);
    const b19h = (t34l << 24) | (t34h >>> 8);
    const t40l = a4l ^ d4l;
    const t40h = a4h ^ d4h;
    const b15l = (t40l << 27) | (t40h >>> 5);
    const b15h = (t40h << 27) | (t40l >>> 5);
    const t41l = a9l ^ d4l;
    const t41h = a9h ^ d4h;
    const b6l = (t41l << 20) | (t41h >>> 12);
    const b6h = (t41h << 20) | (t41l >>> 12);
    const t42l = a14l ^ d4l;
    const t42h = a14h ^ d4h;
    const b22l = (t42h << 7) | (t42l >>> 25);
    const b22h = (t42l << 7) | (t42h >>> 25);
    const t43l = a19l ^ d4l;
    const t43h = a19h ^ d4h;
    const b13l = (t43l << 8) | (t43h >>> 24);
    const b13h = (t43h << 8) | (t43l >>> 24);
    const t44l = a24l ^ d4l;
    const t44h = a24h ^ d4h;
    const b4l = (t44l << 14) | (t44h >>> 18);
    const b4h = (t44h << 14) | (t44l >>> 18);
    a0l = b0l ^ (~b1l & b2l);
    a0h = b0h ^ (~b1h & b2h);
    a1l = b1l ^ (~b2l & b3l);
    a1h = b1h ^ (~b2h & b3h);
    a2l = b2l ^ (~b3l & b4l);
    a2h = b2h ^ (~b3h & b4h);
    a3l = b3l ^ (~b4l & b0l);
    a3h = b3h ^ (~b4h & b0h);
    a4l = b4l ^ (~b0l & b1l);
    a4h = b4h ^ (~b0h & b1h);
    a5l = b5l ^ (~b6l & b7l);
    a5h = b5h ^ (~b6h & b7h);
    a6l = b6l ^ (~b7l & b8l);
    a6h = b6h ^ (~b7h & b8h);
    a7l = b7l ^ (~b8l & b9l);
    a7h = b7h ^ (~b8h & b9h);
    a8l = b8l ^ (~b9l & b5l);
    a8h = b8h ^ (~b9h & b5h);
    a9l = b9l ^ (~b5l & b6l);
    a9h = b9h ^ (~b5h & b6h);
    a10l = b10l ^ (~b11l & b12l);
    a10h = b10h ^ (~b11h & b12h);
    a11l = b11l ^ (~b12l & b13l);
    a11h = b11h ^ (~b12h & b13h);
    a12l = b12l ^ (~b13l & b14l);
    a12h = b12h ^ (~b13h & b14h);
    a13l = b13l ^ (~b14l & b10l);
    a13h = b13h ^ (~b14h & b10h);
    a14l = b14l ^ (~b10l & b11l);
    a14h = b14h ^ (~b10h & b11h);
    a15l = b15l ^ (~b16l & b17l);
    a15h = b15h ^ (~b16h & b17h);
    a16l = b16l ^ (~b17l & b18l);
    a16h = b16h ^ (~b17h & b18h);
    a17l = b17l ^ (~b18l & b19l);
    a17h = b17h ^ (~b18h & b19h);
    a18l = b18l ^ (~b19l & b15l);
    a18h = b18h ^ (~b19h & b15h);
    a19l = b19l ^ (~b15l & b16l);
    a19h = b19h ^ (~b15h & b16h);
    a20l = b20l ^ (~b21l & b22l);
    a20h = b20h ^ (~b21h & b22h);
    a21l = b21l ^ (~b22l & b23l);
    a21h = b21h ^ (~b22h & b23h);
    a22l = b22l ^ (~b23l & b24l);
    a22h = b22h ^ (~b23h & b24h);
    a23l = b23l ^ (~b24l & b20l);
    a23h = b23h ^ (~b24h & b20h);
    a24l = b24l ^ (~b20l & b21l);
    a24h = b24h ^ (~b20h & b21h);
    a0l ^= ROUND_LO[round];
    a0h ^= ROUND_HI[round];
  }
  s[0] = a0l;
  s[1] = a0h;
  s[2] = a1l;
  s[3] = a1h;
  s[4] = a2l;
  s[5] = a2h;
  s[6] = a3l;
  s[7] = a3h;
  s[8] = a4l;
  s[9] = a4h;
  s[10] = a5l;
  s[11] = a5h;
  s[12] = a6l;
  s[13] = a6h;
  s[14] = a7l;
  s[15] = a7h;
  s[16] = a8l;
  s[17] = a8h;
  s[18] = a9l;
  s[19] = a9h;
  s[20] = a10l;
  s[21] = a10h;
  s[22] = a11l;
  s[23] = a11h;
  s[24] = a12l;
  s[25] = a12h;
  s[26] = a13l;
  s[27] = a13h;
  s[28] = a14l;
  s[29] = a14h;
  s[30] = a15l;
  s[31] = a15h;
  s[32] = a16l;
  s[33] = a16h;
  s[34] = a17l;
  s[35] = a17h;
  s[36] = a18l;
  s[37] = a18h;
  s[38] = a19l;
  s[39] = a19h;
  s[40] = a20l;
  s[41] = a20h;
  s[42] = a21l;
  s[43] = a21h;
  s[44] = a22l;
  s[45] = a22h;
  s[46] = a23l;
  s[47] = a23h;
  s[48] = a24l;
  s[49] = a24h;
}

/** Bytes absorbed per permutation (Keccak-256: 1088 bits). */
const RATE = 136;
const state = new Int32Array(50);

/**
 * keccak256 of `length` bytes of `input` from `offset` (at most 135: one block, which is all the
 * audit needs — a leaf is 64 bytes, a hash 32, a pair 64), written as 32 bytes into `out` at
 * `outOffset`. It keeps one state for the module, which is safe because it runs to the end synchronously.
 */
export function keccak256Short(
  input: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  if (length >= RATE || length < 0) throw new RangeError(`keccak256Short: ${length} bytes (at most ${RATE - 1})`);
  state.fill(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const p = offset + i;
    state[i >> 2] = input[p] | (input[p + 1] << 8) | (input[p + 2] << 16) | (input[p + 3] << 24);
  }
  // The last partial word, then Keccak's padding: 0x01 after the message, 0x80 in the block's last byte.
  let word = 0;
  let shift = 0;
  for (; i < length; i++, shift += 8) word |= input[offset + i] << shift;
  state[length >> 2] ^= word | (1 << shift);
  state[(RATE >> 2) - 1] ^= 0x80000000 | 0;
  keccakF1600(state);
  for (let w = 0; w < 8; w++) {
    const v = state[w];
    const p = outOffset + 4 * w;
    out[p] = v & 0xff;
    out[p + 1] = (v >>> 8) & 0xff;
    out[p + 2] = (v >>> 16) & 0xff;
    out[p + 3] = v >>> 24;
  }
}
