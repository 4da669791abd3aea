// Seeded randomness: every random choice in tokbench flows from one of these generators.
import mt19937 from '@stdlib/random-base-mt19937';
import gamma from '@stdlib/random-base-gamma';
import normal from '@stdlib/random-base-normal';
import poisson from '@stdlib/random-base-poisson';
import binomial from '@stdlib/random-base-binomial';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  normal(mean: number, sd: number): number;
  /** Shape-rate parameterisation, as in Splatter. */
  gamma(shape: number, rate: number): number;
  poisson(lambda: number): number;
  binomial(n: number, p: number): number;
  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array): void;
  /** A 32-bit seed for a child generator, so sub-streams stay independent of call order elsewhere. */
  fork(): number;
}

/** Second word of every array seed: any constant works, it only has to stay fixed for reproducibility. */
const SEED_SALT = 0x9e3779b9;

type Generator = { (): number; normalized: () => number };

/** Mersenne Twister seeded with [seed, SEED_SALT]. */
function mersenneTwister(seed: number): Generator {
  // An array seed (MT's init_by_array) accepts every 32-bit value, 0 included, each giving its own stream;
  // a scalar seed must be positive, and mapping 0 to 1 would make two sweep seeds one.
  // The typings omit `normalized`, which the runtime generator has (uniform doubles in [0, 1)).
  return mt19937.factory({ seed: [seed >>> 0, SEED_SALT] }) as unknown as Generator;
}

interface Distributions {
  readonly gamma: (shape: number, rate: number) => number;
  readonly normal: (mean: number, sd: number) => number;
  readonly poisson: (lambda: number) => number;
  readonly binomial: (n: number, p: number) => number;
}

function distributionsOf(prng: () => number): Distributions {
  return { gamma: gamma.factory({ prng }), normal: normal.factory({ prng }), poisson: poisson.factory({ prng }), binomial: binomial.factory({ prng }) };
}

/** The Rng over `base`, whose distributions `draw` supplies (built up front or on first use). */
function rngFrom(base: Generator, draw: () => Distributions): Rng {
  const prng = base.normalized;
  const int = (n: number) => Math.floor(prng() * n);
  return {
    uniform: () => prng(),
    int,
    // stdlib returns NaN for sd = 0; a degenerate normal is its mean (as R's rnorm and rlnorm give).
    normal: (mean, sd) => (sd === 0 ? mean : draw().normal(mean, sd)),
    // stdlib's gamma takes (alpha, beta) with beta a rate.
    gamma: (shape, rate) => draw().gamma(shape, rate),
    poisson: (lambda) => (lambda > 0 ? draw().poisson(lambda) : 0),
    binomial: (n, p) => draw().binomial(n, p),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
    },
    fork: () => base() >>> 0,
  };
}

/** Mersenne Twister; the distributions draw from the same stream so a seed fixes everything. */
export function createRng(seed: number): Rng {
  const base = mersenneTwister(seed);
  // Built up front: building them touches the generator, and every stream drawn so far depends on that.
  const distributions = distributionsOf(base.normalized);
  return rngFrom(base, () => distributions);
}

/** Stable 32-bit seed from any strings and numbers (FNV-1a), for deriving seeds from names. */
export function deriveSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The random source of one sample's encoding: a pure function of the run's seed and the sample's source row.
 * Built per sample, so the generator is cheap: distributions are made on first use (most strategies draw
 * uniforms only), and nothing is drawn when a strategy never draws.
 */
export function sampleRandom(seed: number, row: number): Rng {
  let rng: Rng | undefined;
  const get = (): Rng => {
    if (rng === undefined) {
      const base = mersenneTwister(deriveSeed(seed, 'encode', row));
      let distributions: Distributions | undefined;
      rng = rngFrom(base, () => (distributions ??= distributionsOf(base.normalized)));
    }
    return rng;
  };
  return {
    uniform: () => get().uniform(),
    int: (n) => get().int(n),
    normal: (mean, sd) => get().normal(mean, sd),
    gamma: (shape, rate) => get().gamma(shape, rate),
    poisson: (lambda) => get().poisson(lambda),
    binomial: (n, p) => get().binomial(n, p),
    shuffle: (items) => get().shuffle(items),
    fork: () => get().fork(),
  };
}
