/**
 * Reproducible pseudo-random numbers for the Monte-Carlo engine.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018): 128 bits of state in four int32 words, period
 * 2¹²⁸ − 1, passes BigCrush and PractRand. Chosen over xoshiro256** because JavaScript has native
 * 32-bit integer arithmetic but no cheap 64-bit one: measured on Node 20, xoshiro128** gives 32 bits
 * in ~0.9 ns while xoshiro256** emulated in 32-bit halves needs ~6.6 ns per 64 bits, so 53 bits cost
 * 1.8 ns instead of 6.6 ns. The smaller state is ample for block streams: n streams seeded at random
 * positions, each using L outputs, overlap with probability ≈ n²·L/2¹²⁸ — below 2⁻⁴⁸ for a million
 * blocks of 2⁴⁰ draws each. Doubles and normals use two outputs (53 bits).
 *
 * Seeding and streams: the 64-bit seed key initialises the state with two SplitMix64 outputs
 * (low word first; the authors' recommendation). `split(s)` derives a child key with the SplitMix64 finalizer,
 * key' = mix(key ⊕ mix((s + 1)·φ)), φ = 0x9E3779B97F4A7C15 — distinct streams of one parent get
 * distinct keys, and a child's numbers depend only on (key, s), never on how many numbers the parent
 * has drawn. BigInt is used at seeding time only.
 *
 * Normals: 256-layer ziggurat (Marsaglia & Tsang 2000, with Doornik's 2005 layout: abscissa from
 * bits disjoint from the layer index) — exact, no approximation beyond double rounding.
 *
 * References: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
 * 47(4) (2021), preprint 2018; G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number
 * generators" (SplitMix64), OOPSLA 2014; G. Marsaglia, W. W. Tsang, J. Stat. Softw. 5(8) (2000);
 * J. A. Doornik, "An improved ziggurat method to generate normal random samples" (2005).
 */
import { DomainError } from './errors.ts';
import { ZIG_F, ZIG_R, ZIG_RATIO, ZIG_X } from './ziggurat.ts';

/**
 * A stream of pseudo-random numbers. Not thread-safe; one instance per block of paths.
 */
export interface Rng {
  /** Raw 32 bits (one generator output), as an unsigned integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits from two outputs: ((a >>> 5)·2²⁶ + (b >>> 6))·2⁻⁵³. */
  nextDouble(): number;
  /**
   * Fills `out` with uniforms on the open interval (0, 1): (k + ½)·2⁻⁵², k = 26 + 26 bits of two outputs; never 0
   * or 1, so `Math.log(u)` is always finite. Shape: out any length.
   */
  fillUniform(out: Float64Array): void;
  /** Fills `out` with independent standard normal deviates (exact ziggurat). Shape: out any length. */
  fillNormal(out: Float64Array): void;
  /**
   * An independent stream derived deterministically from (this stream's seed key, `stream`); it does
   * not depend on how many numbers have been drawn from `this`.
   * @throws DomainError if `stream` is not an integer in [0, 2⁵³).
   */
  split(stream: number): Rng;
  /** The stream's position: its four 32-bit state words (for engine snapshots). Shape: [4]. */
  getState(): number[];
  /** Moves the stream to a position read by `getState` (same stream key). Shape: words [4]. */
  setState(words: readonly number[]): void;
  /**
   * `getState` without allocating: writes the four words to `dst[offset + k·stride]`, k = 0..3
   * (the WebAssembly path kernel keeps the streams of four blocks in the lanes of one vector).
   */
  copyStateTo(dst: Int32Array, offset: number, stride: number): void;
  /** `setState` without allocating, from `src[offset + k·stride]`, k = 0..3 (same stream key). */
  copyStateFrom(src: Int32Array, offset: number, stride: number): void;
}

/** Paths per random-stream block: paths [b·256, (b+1)·256) draw from {@link blockRng}(seed, b). */
export const PATH_BLOCK = 256;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const TWO_M52 = 2 ** -52;
const TWO_M53 = 2 ** -53;

/** SplitMix64 output finalizer (a bijection on 64-bit words). */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function seedKey(seed: number | bigint): bigint {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (!Number.isSafeInteger(seed)) throw new DomainError('seed', seed, 'must be a safe integer or a bigint');
  return BigInt.asUintN(64, BigInt(seed));
}

/**
 * One xoshiro128** step written out inline (the same six lines appear in each hot loop so that the
 * four state words stay in registers): r = rotl(s1·5, 7)·9; t = s1 << 9; s2 ^= s0; s3 ^= s1;
 * s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
 */
class Xoshiro128 implements Rng {
  /** State words s0..s3 as int32 (a typed array, so that no value is ever boxed). */
  private readonly s: Int32Array;
  private readonly key: bigint;

  constructor(key: bigint, state?: readonly number[]) {
    this.key = key;
    this.s = new Int32Array(4);
    let w: number[];
    if (state) {
      w = state.map((x) => x | 0);
    } else {
      // two SplitMix64 outputs, each split low word first
      w = [];
      let sm = key;
      for (let i = 0; i < 2; i++) {
        sm = (sm + GOLDEN) & MASK64;
        const z = mix64(sm);
        w.push(Number(BigInt.asIntN(32, z)), Number(BigInt.asIntN(32, z >> 32n)));
      }
    }
    if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new DomainError('state', 0, 'must not be all zero');
    this.s.set(w);
  }

  getState(): number[] {
    return Array.from(this.s);
  }

  setState(words: readonly number[]): void {
    if (words.length !== 4) throw new DomainError('state.length', words.length, 'must be 4');
    this.s.set(words.map((x) => x | 0));
  }

  copyStateTo(dst: Int32Array, offset: number, stride: number): void {
    const s = this.s;
    dst[offset] = s[0];
    dst[offset + stride] = s[1];
    dst[offset + 2 * stride] = s[2];
    dst[offset + 3 * stride] = s[3];
  }

  copyStateFrom(src: Int32Array, offset: number, stride: number): void {
    const s = this.s;
    s[0] = src[offset];
    s[1] = src[offset + stride];
    s[2] = src[offset + 2 * stride];
    s[3] = src[offset + 3 * stride];
  }

  /** One step, returning the output as a signed int32. */
  private next(): number {
    const s = this.s;
    const s1 = s[1];
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const s2 = s[2] ^ s[0];
    const s3 = s[3] ^ s1;
    s[1] = s1 ^ s2;
    s[0] ^= s3;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return r;
  }

  nextUint32(): number {
    return this.next() >>> 0;
  }

  nextDouble(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864 + b) * TWO_M53;
  }

  /** Uniform on (0, 1), for the rare paths of the ziggurat. */
  private nextOpen(): number {
    const a = this.next() >>> 6;
    const b = this.next() >>> 6;
    return (a * 67108864 + b + 0.5) * TWO_M52;
  }

  fillUniform(out: Float64Array): void {
    const st = this.s;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    const n = out.length;
    for (let k = 0; k < n; k++) {
      let m = Math.imul(s1, 5);
      const r1 = Math.imul((m << 7) | (m >>> 25), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      m = Math.imul(s1, 5);
      const r2 = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[k] = ((r1 >>> 6) * 67108864 + (r2 >>> 6) + 0.5) * TWO_M52;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  fillNormal(out: Float64Array): void {
    const st = this.s;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    const n = out.length;
    const ratio = ZIG_RATIO;
    const width = ZIG_X;
    for (let k = 0; k < n; k++) {
      let m = Math.imul(s1, 5);
      const r1 = Math.imul((m << 7) | (m >>> 25), 9);
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      m = Math.imul(s1, 5);
      const r2 = Math.imul((m << 7) | (m >>> 25), 9);
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      // first word: bits 0–7 layer, bit 8 sign, bits 11–31 + second word: abscissa u ∈ [0, 1), 53 bits
      const layer = r1 & 255;
      const u = ((r1 >>> 11) * 4294967296 + (r2 >>> 0)) * TWO_M53;
      if (u < ratio[layer]) {
        // branch-free sign: a 50 % unpredictable branch here would double the cost
        out[k] = u * width[layer] * (1 - ((r1 >>> 7) & 2));
      } else {
        st[0] = s0;
        st[1] = s1;
        st[2] = s2;
        st[3] = s3;
        out[k] = this.normalSlow(layer, u, (r1 & 256) !== 0);
        s0 = st[0];
        s1 = st[1];
        s2 = st[2];
        s3 = st[3];
      }
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  /**
   * Ziggurat outside the rectangle cores: the tail (layer 0) or a wedge test, then retries. The
   * WebAssembly GBM kernel (src/wasm/assembly/gbm-kernel.ts) ports it statement by statement.
   */
  private normalSlow(layer: number, u: number, negative: boolean): number {
    for (;;) {
      if (layer === 0) {
        // Marsaglia (1964) tail beyond R
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.nextOpen()) / ZIG_R;
          y = -Math.log(this.nextOpen());
        } while (y + y < x * x);
        return negative ? -(ZIG_R + x) : ZIG_R + x;
      }
      const x = u * ZIG_X[layer];
      // accept when a uniform height in [f(X_i), f(X_{i+1})] lies below f(x)
      const fx = Math.exp(-0.5 * x * x);
      if (ZIG_F[layer] + this.nextDouble() * (ZIG_F[layer + 1] - ZIG_F[layer]) < fx) {
        return negative ? -x : x;
      }
      // reject: a fresh candidate
      const r1 = this.next();
      const r2 = this.next();
      layer = r1 & 255;
      u = ((r1 >>> 11) * 4294967296 + (r2 >>> 0)) * TWO_M53;
      negative = (r1 & 256) !== 0;
      if (u < ZIG_RATIO[layer]) {
        const y = u * ZIG_X[layer];
        return negative ? -y : y;
      }
    }
  }

  split(stream: number): Rng {
    if (!(Number.isSafeInteger(stream) && stream >= 0)) {
      throw new DomainError('stream', stream, 'must be an integer in [0, 2^53)');
    }
    const inner = mix64(((BigInt(stream) + 1n) * GOLDEN) & MASK64);
    return new Xoshiro128(mix64(this.key ^ inner));
  }
}

/**
 * Creates a xoshiro128** stream seeded by SplitMix64 from a 64-bit seed key.
 *
 * @param seed - safe integer (negative values wrap modulo 2⁶⁴) or bigint (taken modulo 2⁶⁴).
 * @throws DomainError if `seed` is a number that is not a safe integer.
 * @example
 * createRng(42).nextDouble(); // returns the same value on every platform and run
 * References: Blackman & Vigna (2018); Steele, Lea & Flood (2014).
 */
export function createRng(seed: number | bigint): Rng {
  return new Xoshiro128(seedKey(seed));
}

/**
 * A xoshiro128** stream started from an explicit state (four 32-bit words, not all zero), for
 * cross-checking against the reference C implementation; its `split` keys on s₀ + 2³²·s₁.
 *
 * @param state - four integers, each taken modulo 2³². Shape: [4].
 * @throws DomainError if the state has not 4 words or is all zero.
 * @example
 * createRngFromState([1, 2, 3, 4]).nextUint32(); // returns 11520 (reference xoshiro128starstar.c)
 * References: Blackman & Vigna (2018).
 */
export function createRngFromState(state: readonly number[]): Rng {
  if (state.length !== 4) throw new DomainError('state.length', state.length, 'must be 4');
  const key = (BigInt(state[1] >>> 0) << 32n) | BigInt(state[0] >>> 0);
  return new Xoshiro128(key, state);
}

/**
 * The random stream of block `block` of paths, i.e. paths [block·PATH_BLOCK, (block+1)·PATH_BLOCK):
 * `createRng(seed).split(block)`. Because every block has its own stream, a simulation gives
 * bit-identical paths however the path range is split across calls or workers.
 *
 * @param seed - as in {@link createRng}.
 * @param block - block index, integer ≥ 0.
 * @throws DomainError on an invalid seed or block.
 * @example
 * blockRng(7, 3).nextUint32() === createRng(7).split(3).nextUint32(); // true
 * References: Blackman & Vigna (2018).
 */
export function blockRng(seed: number | bigint, block: number): Rng {
  if (!(Number.isSafeInteger(block) && block >= 0)) {
    throw new DomainError('block', block, 'must be an integer >= 0');
  }
  return createRng(seed).split(block);
}
