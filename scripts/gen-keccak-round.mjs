// Prints the unrolled keccak-f[1600] round (lanes as low/high 32-bit halves in local variables) and
// the round constants that core/audit/keccak.ts holds: `node scripts/gen-keccak-round.mjs`. The steps
// are FIPS 202 θ, ρ, π, χ and ι; test/web/audit.test.ts checks the result against viem's keccak256.
const lines = [];
const R = [
  // rotation offsets r[x][y]
  [0, 36, 3, 41, 18],
  [1, 44, 10, 45, 2],
  [62, 6, 43, 15, 61],
  [28, 55, 25, 21, 56],
  [27, 20, 39, 8, 14],
];
const lo = (x, y) => `a${x + 5 * y}l`;
const hi = (x, y) => `a${x + 5 * y}h`;
const out = (s) => lines.push(`    ${s}`);
// theta
for (let x = 0; x < 5; x++) {
  out(`const c${x}l = ${[0, 1, 2, 3, 4].map((y) => lo(x, y)).join(" ^ ")};`);
  out(`const c${x}h = ${[0, 1, 2, 3, 4].map((y) => hi(x, y)).join(" ^ ")};`);
}
for (let x = 0; x < 5; x++) {
  const p = (x + 4) % 5,
    n = (x + 1) % 5;
  // D = C[x-1] ^ rotl(C[x+1], 1)
  out(`const d${x}l = c${p}l ^ ((c${n}l << 1) | (c${n}h >>> 31));`);
  out(`const d${x}h = c${p}h ^ ((c${n}h << 1) | (c${n}l >>> 31));`);
}
// rho + pi: B[y][2x+3y] = rotl(A[x][y] ^ D[x], r[x][y])
for (let x = 0; x < 5; x++)
  for (let y = 0; y < 5; y++) {
    const X = y,
      Y = (2 * x + 3 * y) % 5;
    const n = R[x][y];
    const L = `${lo(x, y)} ^ d${x}l`,
      H = `${hi(x, y)} ^ d${x}h`;
    out(`const t${x}${y}l = ${L};`);
    out(`const t${x}${y}h = ${H};`);
    const bl = `b${X + 5 * Y}l`,
      bh = `b${X + 5 * Y}h`;
    const tl = `t${x}${y}l`,
      th = `t${x}${y}h`;
    if (n === 0) {
      out(`const ${bl} = ${tl};`);
      out(`const ${bh} = ${th};`);
    } else if (n < 32) {
      out(`const ${bl} = (${tl} << ${n}) | (${th} >>> ${32 - n});`);
      out(`const ${bh} = (${th} << ${n}) | (${tl} >>> ${32 - n});`);
    } else if (n === 32) {
      out(`const ${bl} = ${th};`);
      out(`const ${bh} = ${tl};`);
    } else {
      const m = n - 32;
      out(`const ${bl} = (${th} << ${m}) | (${tl} >>> ${32 - m});`);
      out(`const ${bh} = (${tl} << ${m}) | (${th} >>> ${32 - m});`);
    }
  }
// chi
for (let y = 0; y < 5; y++)
  for (let x = 0; x < 5; x++) {
    const i = x + 5 * y,
      j = ((x + 1) % 5) + 5 * y,
      k = ((x + 2) % 5) + 5 * y;
    out(`a${i}l = b${i}l ^ (~b${j}l & b${k}l);`);
    out(`a${i}h = b${i}h ^ (~b${j}h & b${k}h);`);
  }
out(`a0l ^= ROUND_LO[round];`);
out(`a0h ^= ROUND_HI[round];`);
// round constants
const rc = [];
let R8 = 1;
for (let round = 0; round < 24; round++) {
  let t = 0n;
  for (let j = 0; j < 7; j++) {
    R8 = ((R8 << 1) ^ ((R8 >> 7) * 0x71)) % 256;
    if (R8 & 2) t ^= 1n << ((1n << BigInt(j)) - 1n);
  }
  rc.push(t);
}
const hex = (v) => `0x${v.toString(16).padStart(8, "0")}`;
const rcLo = rc.map((t) => hex(Number(t & 0xffffffffn)));
const rcHi = rc.map((t) => hex(Number(t >> 32n)));
process.stdout.write(`${JSON.stringify({ lo: rcLo, hi: rcHi })}\n`);
process.stdout.write(`${lines.join("\n")}\n`);
