// One contract test over every registered strategy and a few non-default params (after timm's parametrised model tests): shapes, determinism, round trip, covers, labels, checks, token counts, artifacts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetInfo, Modality, Sample } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import { visibleTokens } from '../../harness/evaluators/reconstruction.js';
import { modalityAdapter } from '../../harness/modalities/registry.js';
import { createRng, sampleRandom } from '../../harness/random.js';
import { strategies } from '../../strategies/registry.js';
import type { Strategy, StrategyDefinition, Tokens } from '../../strategies/types.js';

interface Fixture<M extends Modality> {
  readonly info: DatasetInfo<M>;
  readonly train: readonly Sample<M>[];
  readonly test: readonly Sample<M>[];
}

const rng = createRng(2024);

/** 5 × 6 × 2 images: sides that no patch size above 1 divides, so padding is exercised. */
function randomImage(): Sample<'image'> {
  return { height: 5, width: 6, channels: 2, pixels: Float32Array.from({ length: 60 }, () => rng.uniform()) };
}

function cell(librarySize: number, entries: [number, number][]): Sample<'expression'> {
  return { genes: Int32Array.from(entries, ([g]) => g), counts: Float32Array.from(entries, ([, c]) => c), librarySize };
}

const fixtures: { readonly [M in Modality]: Fixture<M> } = {
  image: { info: { height: 5, width: 6, channels: 2 }, train: [randomImage(), randomImage()], test: [randomImage(), randomImage()] },
  expression: {
    info: { genes: ['G0', 'G1', 'G2', 'G3', 'G4', 'G5'], values: 'counts' },
    train: [cell(100, [[0, 5], [1, 3], [3, 9]]), cell(250, [[0, 1], [2, 7], [3, 2], [4, 4]]), cell(40, [[1, 8], [4, 1]])],
    // G5 never appears in training; the last cell is empty.
    test: [cell(120, [[0, 2], [1, 2], [2, 6], [5, 3]]), cell(80, [[3, 4]]), cell(0, [])],
  },
  sequence: { info: { minLength: 6, maxLength: 14 }, train: ['ACGTACGTTGCA', 'TTGACCGNAAGT'], test: ['GGGCCCAAATTTNA', 'ACGTAC'] },
};

/** Canonical elements that carry content, which `dropped` is a fraction of: all pixels and bases, non-zero genes. */
function contentOf(modality: Modality, canonical: Float32Array): number[] {
  const all = Array.from(canonical.keys());
  return modality === 'expression' ? all.filter((e) => canonical[e] !== 0) : all;
}

/** The encode stream the harness gives a sample (here every sample's is that of seed 0, row 0): fresh per call, so a second call repeats the first. */
const stream = () => sampleRandom(0, 0);

const notFitted = (e: unknown) => e instanceof TokbenchError && e.code === 'not-fitted';

/** Params besides the defaults that change a strategy's layout, fitting or coverage, held to the same contract. */
const variants: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  // 5×6 fixture: lossless (decodeNote '', so the round trip is held exact), a best-first cap, 9 tiles of 2×2 capped at 5 (dropped pixels).
  quadtree: [{ min_size: 1, max_size: 4, threshold: 0 }, { criterion: 'range', min_size: 1, threshold: 0, max_len: 10 }, { criterion: 'entropy', max_size: 2, max_len: 5 }],
  kmer: [{ overlap: false }, { cls_sep: true }, { k: 3, overlap: false, cls_sep: true }, { k: 1 }],
  char: [{ max_len: 5 }],
  // Fixture cells hold 1–4 genes of 6: every gene (zeros in bin 0) capped at 4, one bin for all values, a sample of 2 genes.
  binned: [{ include_zeros: true, max_len: 4 }, { n_bins: 2 }, { n_bins: 5, max_len: 2 }],
  bpe: [{ vocab_size: 12 }, { max_len: 2 }],
  patch: [{ patch_size: 2, stride: 1 }, { patch_size: 3, stride: 2 }],
  multiscale: [{ scales: [2, 5] }, { scales: [3, 1] }, { scales: [5, 3, 2] }],
  superpixel: [{ segments: 4, size: 2 }, { segments: 8, compactness: 0, move_centres: false, max_len: 3 }],
  // 5×6 fixture images: 8 training patches of 4×4 (fewer than the default 256 codes), 60 of 1×1, 18 of 2×2, 4 of 5×5.
  // Two modules from profiles over 2 of the 3 training cells (a seeded subsample).
  modules: [{ n_modules: 2, fit_cells: 2 }],
  vq: [{ patch_size: 1, vocab_size: 16, fit_samples: 16 }, { patch_size: 2, vocab_size: 3, iterations: 1 }, { patch_size: 5, vocab_size: 1 }],
  // 6-gene fixture: a test cell of 4 non-zero genes cut to 2; three bins of width 1 (edges at log1p values 1 and 2).
  continuous: [{ max_len: 2 }],
  'fixed-order': [{ n_bins: 3, max_value: 3 }],
  // Geneformer V2's <cls>/<eos> layout, whole and cut to one gene per cell.
  rank: [{ special_tokens: true }, { special_tokens: true, max_len: 3 }],
};

/** A strategy from params as written, fitted (when it learns) with the random source of `seed`. */
function build(definition: StrategyDefinition, fixture: Fixture<Modality>, written: object = {}, seed = 0): Strategy {
  const strategy = definition.create(definition.params.parse(written), fixture.info);
  strategy.fit?.(fixture.train, createRng(seed));
  return strategy;
}

function checkShapes(strategy: Strategy, tokens: Tokens): void {
  const { layout } = strategy;
  assert.ok(Number.isInteger(tokens.length) && tokens.length >= 0);
  assert.ok(tokens.ids instanceof Int32Array && tokens.values instanceof Float32Array && tokens.coords instanceof Float32Array);
  assert.equal(tokens.ids.length, tokens.length * layout.idChannels);
  assert.equal(tokens.values.length, tokens.length * layout.valueDim);
  assert.equal(tokens.coords.length, tokens.length * layout.coordDim);
  tokens.ids.forEach((id, j) => assert.ok(id >= 0 && id < layout.vocabSizes[j % layout.idChannels], `id ${id} outside channel ${j % layout.idChannels}`));
  assert.ok(tokens.values.every(Number.isFinite) && tokens.coords.every(Number.isFinite));
  assert.ok(tokens.dropped >= 0 && tokens.dropped <= 1);
}

for (const [name, definition] of Object.entries(strategies) as [string, StrategyDefinition][]) {
  test(`strategy '${name}' is registered under its own name with a description and defaults for every param`, () => {
    assert.equal(definition.name, name);
    assert.ok(definition.description.length > 0);
    assert.doesNotThrow(() => definition.params.parse({}));
  });
}

for (const [name, definition, written] of Object.entries(strategies).flatMap(([name, definition]) =>
  [{}, ...(variants[name] ?? [])].map((written) => [name, definition, written] as [string, StrategyDefinition, object]),
)) {
  const fixture: Fixture<Modality> = fixtures[definition.modality];
  const adapter = modalityAdapter(definition.modality);
  const canonical = (sample: Sample) => adapter.canonical(sample, fixture.info);
  const params = definition.params.parse(written);

  describe(`strategy '${name}' ${JSON.stringify(written)}`, () => {

    test('layout is consistent', () => {
      const { layout } = build(definition, fixture, written);
      assert.equal(layout.vocabSizes.length, layout.idChannels);
      assert.ok(layout.vocabSizes.every((v) => Number.isInteger(v) && v > 0));
      if (layout.target.kind === 'ids') assert.ok(layout.target.channel >= 0 && layout.target.channel < layout.idChannels);
      else assert.ok(layout.valueDim > 0);
      assert.ok(Number.isInteger(layout.maskSpan) && layout.maskSpan >= 1);
      assert.ok(layout.idChannels + layout.valueDim > 0, 'tokens must carry some content');
    });

    test('a strategy that learns refuses to encode before fit, with a not-fitted error', (t) => {
      const fresh = definition.create(params, fixture.info);
      if (fresh.fit === undefined) return t.skip('stateless');
      assert.throws(() => fresh.encode(fixture.test[0], stream()), notFitted);
    });

    test('check finds no problem with data the strategy can tokenize', (t) => {
      if (definition.check === undefined) return t.skip('no check');
      assert.deepEqual(definition.check(params, fixture.info), []);
    });

    test('tokensPerSample, when known without data, is the length encode gives every sample', (t) => {
      const expected = definition.tokensPerSample?.(params, fixture.info);
      if (expected === undefined) return t.skip('depends on the sample');
      const strategy = build(definition, fixture, written);
      for (const sample of [...fixture.train, ...fixture.test]) assert.equal(strategy.encode(sample, stream()).length, expected);
    });

    test('artifacts, when a strategy has them, refuse before fit and are non-empty text after', (t) => {
      const fresh = definition.create(params, fixture.info);
      if (fresh.artifacts === undefined) return t.skip('no fitted state');
      assert.throws(() => fresh.artifacts?.(), notFitted);
      const files = Object.entries(build(definition, fixture, written).artifacts?.() ?? {});
      assert.ok(files.length > 0);
      for (const [name, text] of files) assert.ok(name.length > 0 && text.length > 0, name);
    });

    test('token arrays match the layout', () => {
      const strategy = build(definition, fixture, written);
      for (const sample of [...fixture.train, ...fixture.test]) checkShapes(strategy, strategy.encode(sample, stream()));
    });

    test('is deterministic: the same tokens from a second instance and a second call', () => {
      const a = build(definition, fixture, written);
      const b = build(definition, fixture, written);
      for (const sample of fixture.test) {
        const first = a.encode(sample, stream());
        assert.deepEqual(a.encode(sample, stream()), first);
        assert.deepEqual(b.encode(sample, stream()), first);
      }
    });

    // The runner shares one tokenization among the seeds of a strategy that is not `seeded`, so such a
    // strategy must not let fit's random source change its tokens.
    test('a strategy that is not seeded gives the same tokens whatever random source fit gets', (t) => {
      if (definition.seeded === true) return t.skip('seeded: its tokens may depend on the run seed');
      const a = build(definition, fixture, written, 1);
      const b = build(definition, fixture, written, 2);
      for (const sample of fixture.test) assert.deepEqual(b.encode(sample, stream()), a.encode(sample, stream()));
    });

    test('decode returns a sample of the same canonical shape, exactly the input when decodeNote is empty', () => {
      const strategy = build(definition, fixture, written);
      for (const sample of fixture.test) {
        const truth = canonical(sample);
        const decoded = canonical(strategy.decode(strategy.encode(sample, stream())));
        assert.equal(decoded.length, truth.length);
        if (strategy.decodeNote === '') assert.deepEqual(decoded, truth);
        else assert.ok(decoded.every(Number.isFinite));
      }
    });

    // The fill reference decodes the visible tokens alone, so decode must place each token by its coords.
    test('decoding a subset of the tokens changes no element that only kept tokens cover', () => {
      const strategy = build(definition, fixture, written);
      // Every other token, then the second half (overlapping k-mers share every base with a neighbour).
      const subsets = [(i: number) => i % 2 === 1, (i: number, n: number) => i >= n / 2];
      for (const sample of fixture.test) {
        const tokens = strategy.encode(sample, stream());
        const whole = canonical(strategy.decode(tokens));
        for (const drops of subsets) {
          const dropped = Int32Array.from({ length: tokens.length }, (_, i) => i).filter((i) => drops(i, tokens.length));
          const part = canonical(strategy.decode(visibleTokens(tokens, dropped, strategy.layout)));
          const byDropped = new Set<number>();
          const byKept = new Set<number>();
          for (let i = 0; i < tokens.length; i++) for (const e of Array.from(strategy.covers(tokens, i))) (drops(i, tokens.length) ? byDropped : byKept).add(e);
          for (const e of byKept) if (!byDropped.has(e)) assert.equal(part[e], whole[e], `element ${e}`);
        }
      }
    });

    test('covers index the canonical sample, labels name every token, dropped is the uncovered share of content', () => {
      const strategy = build(definition, fixture, written);
      for (const sample of fixture.test) {
        const truth = canonical(sample);
        const tokens = strategy.encode(sample, stream());
        const covered = new Set<number>();
        for (let i = 0; i < tokens.length; i++) {
          for (const e of Array.from(strategy.covers(tokens, i))) {
            assert.ok(Number.isInteger(e) && e >= 0 && e < truth.length, `token ${i} covers ${e}`);
            covered.add(e);
          }
          const label = strategy.label(tokens, i);
          assert.ok(typeof label === 'string' && label.length > 0);
        }
        const content = contentOf(definition.modality, truth);
        const uncovered = content.filter((e) => !covered.has(e)).length;
        assert.equal(tokens.dropped, content.length === 0 ? 0 : uncovered / content.length);
      }
    });
  });
}

test('the registry is not empty', () => {
  assert.ok(Object.keys(strategies).length >= 3);
});
