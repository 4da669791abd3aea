// Gene modules: one token per module of co-expressed genes learned on the training split, or per set of a GMT file (TOSICA's
// pathway tokens, Chen et al. 2023, with a fixed summary for its learned projection): the module's mean log-normalised value and fraction detected.
import { z } from 'zod';
import { resolveDataPath } from '../../datasets/paths.js';
import type { ExpressionSample, InfoOf } from '../../datasets/types.js';
import { TokbenchError } from '../../harness/errors.js';
import type { Rng } from '../../harness/random.js';
import type { ParamProblem, Strategy, StrategyContext, StrategyDefinition, Tokens } from '../types.js';
import { coexpressionModules } from './coexpression.js';
import type { GeneSets } from './gene-sets.js';
import { readGeneSets } from './gene-sets.js';
import { SPECIALS } from './gene-vocabulary.js';
import { fromLogNormalised, logNormalisedCell } from '../../datasets/expression/log-normalised.js';
import { acceptValues, readProblems, refuseProblems } from './values.js';

const NAME = 'modules';
const DEFAULT_MODULES = 16;

const params = z.strictObject({
  n_modules: z
    .int()
    .min(1)
    .optional()
    .describe(`Modules learned from the training split, one token each (default ${DEFAULT_MODULES}); not with \`gene_sets\`, whose sets are the modules.`),
  gene_sets: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A GMT file (MSigDB's name<TAB>description<TAB>gene… per line; gzip accepted), relative to the sweep file's folder, whose sets are the modules instead of learned ones, in file order: genes matched by the dataset's gene names, a gene named by several sets in each of them, sets naming no panel gene dropped.",
    ),
  fit_cells: z
    .int()
    .min(2)
    .default(2000)
    .describe('Most training cells the gene clustering profiles genes over, drawn from the run seed when the split holds more: the genes × cells matrix it clusters has this many columns.'),
  iterations: z.int().min(1).default(50).describe('Most Lloyd updates of the k-means of gene profiles; fitting stops sooner when a reassignment moves no gene.'),
});

export type ModulesParams = z.infer<typeof params>;

/** Vocabulary: `<pad>` 0, `<mask>` 1, then module m as 2 + m. Tokens come in module order, one per module. */
const FIRST_MODULE = SPECIALS.length;
/** A token's values: the module's mean log-normalised value over its genes, then the fraction of its genes detected. */
const VALUE_DIM = 2;

/** What `fit` learns from the training split; kept apart from the params, as scikit-learn's `*_` attributes. */
export interface ModulesState {
  /** Each module's genes, ascending panel indices: a set's panel genes, or a learned module (empty when the data held fewer distinct gene profiles than modules). */
  readonly members: readonly Int32Array[];
  /** Each panel gene's mean log-normalised value over the training cells (0 where a cell does not list it). */
  readonly geneMeans: Float64Array;
  /** Each module's mean of `geneMeans` over its genes, which is the training mean of its token's first value; 0 when empty. */
  readonly moduleMeans: Float64Array;
  /** Panel genes in no module. */
  readonly unassigned: number;
  /** Sets of the `gene_sets` file naming no panel gene, dropped; 0 for learned modules. */
  readonly setsDropped: number;
}

export interface ModulesStrategy extends Strategy<'expression'> {
  fit(train: readonly ExpressionSample[], random: Rng): void;
  /** Learned state; undefined until `fit`. */
  readonly state: ModulesState | undefined;
  /** `modules.gmt` (the modules as gene sets, reloadable with `gene_sets`) and `gene-means.tsv` (gene, training mean), at full float64 precision. */
  artifacts(): Readonly<Record<string, string>>;
  /** `genes_unassigned`: panel genes in no module. */
  facts(): { readonly genes_unassigned: number };
}

const VALUES_WHY = 'modules summarise log-normalised values (log1p of counts per 10k), which scaled values cannot be brought back to';

/** Values modules can log-normalise, one way to choose the modules, and a usable `gene_sets` file (read now, so a sweep is refused before it runs). */
function checkModules(p: ModulesParams, info: InfoOf['expression'], context?: StrategyContext): ParamProblem[] {
  const problems = acceptValues(info, ['counts', 'normalised', 'log1p'], VALUES_WHY);
  if (p.gene_sets === undefined) return problems;
  if (p.n_modules !== undefined) {
    problems.push({ path: ['n_modules'], message: `found n_modules ${p.n_modules} with gene_sets; expected one of the two, since the sets of gene_sets are the modules` });
  }
  const file = resolveDataPath(p.gene_sets, context);
  return [...problems, ...readProblems(() => readGeneSets(file, info.genes))];
}

/** Each panel gene's mean log-normalised value over `train`, summed sparsely. */
function geneMeansOf(info: InfoOf['expression'], train: readonly ExpressionSample[]): Float64Array {
  const sums = new Float64Array(info.genes.length);
  for (const cell of train) logNormalisedCell(NAME, info, cell).forEach((v, i) => (sums[cell.genes[i]] += v));
  return sums.map((sum) => sum / train.length);
}

/** The modules of each gene as compressed rows: gene g's are `list[starts[g] .. starts[g + 1])`. */
interface GeneModules {
  readonly starts: Int32Array;
  readonly list: Int32Array;
}

function modulesByGene(members: readonly Int32Array[], genes: number): GeneModules {
  const starts = new Int32Array(genes + 1);
  for (const module of members) for (const g of module) starts[g + 1]++;
  for (let g = 0; g < genes; g++) starts[g + 1] += starts[g];
  const list = new Int32Array(starts[genes]);
  const fill = starts.slice(0, genes);
  members.forEach((module, m) => module.forEach((g) => (list[fill[g]++] = m)));
  return { starts, list };
}

function createModules(p: ModulesParams, info: InfoOf['expression'], context?: StrategyContext): ModulesStrategy {
  // The runner checks first; this keeps direct library use from summarising values modules cannot use.
  refuseProblems(NAME, checkModules(p, info, context));
  const sets: GeneSets | undefined = p.gene_sets === undefined ? undefined : readGeneSets(resolveDataPath(p.gene_sets, context), info.genes);
  const modules = sets?.names.length ?? p.n_modules ?? DEFAULT_MODULES;
  const genes = info.genes.length;
  /** The learned state with its genes' modules, which encode looks up. */
  let fit: { readonly state: ModulesState; readonly byGene: GeneModules } | undefined;

  function fitted(): NonNullable<typeof fit> {
    if (fit === undefined) {
      throw new TokbenchError('not-fitted', "modules learns its modules (unless given gene_sets) and each gene's training mean from the training split; call fit(train, random) before encode, decode, covers, label, artifacts or facts");
    }
    return fit;
  }

  function moduleOfId(id: number): number {
    const m = id - FIRST_MODULE;
    if (!(m >= 0 && m < modules)) throw new TokbenchError('input', `${NAME}: found module id ${id}; expected an id in [${FIRST_MODULE}, ${FIRST_MODULE + modules}) for ${modules} modules`);
    return m;
  }

  const moduleName = (m: number) => sets?.names[m] ?? `module_${m}`;

  return {
    layout: { idChannels: 1, vocabSizes: [FIRST_MODULE + modules], valueDim: VALUE_DIM, coordDim: 0, target: { kind: 'values' }, maskSpan: 1 },
    decodeNote:
      "Module tokens carry no gene's own value: gene g of module m is estimated as g's training mean × m's (predicted) mean / m's training mean (m's predicted mean spread evenly when its training mean is 0; a predicted mean below 0 counts as 0), averaged over g's modules when it is in several; genes in no module, or only in modules without a token, get their training mean.",

    get state() {
      return fit?.state;
    },

    fit(train: readonly ExpressionSample[], random: Rng): void {
      if (train.length === 0) throw new TokbenchError('input', `${NAME} needs at least one training cell to learn its modules and gene means`);
      const geneMeans = geneMeansOf(info, train);
      const members = sets?.members ?? coexpressionModules(NAME, info, train, { modules, fitCells: p.fit_cells, iterations: p.iterations }, random);
      const moduleMeans = Float64Array.from(members, (module) => (module.length === 0 ? 0 : module.reduce((sum, g) => sum + geneMeans[g], 0) / module.length));
      const byGene = modulesByGene(members, genes);
      let unassigned = 0;
      for (let g = 0; g < genes; g++) if (byGene.starts[g + 1] === byGene.starts[g]) unassigned++;
      fit = { state: { members, geneMeans, moduleMeans, unassigned, setsDropped: sets?.setsDropped ?? 0 }, byGene };
    },

    artifacts() {
      const { members, geneMeans, moduleMeans } = fitted().state;
      const gmt = members.map((module, m) => [moduleName(m), `training_mean=${String(moduleMeans[m])}`, ...Array.from(module, (g) => info.genes[g])].join('\t'));
      const means = ['gene\ttraining_mean', ...Array.from(geneMeans, (mean, g) => `${info.genes[g]}\t${String(mean)}`)];
      return { 'modules.gmt': gmt.join('\n') + '\n', 'gene-means.tsv': means.join('\n') + '\n' };
    },

    facts() {
      return { genes_unassigned: fitted().state.unassigned };
    },

    encode(cell: ExpressionSample): Tokens {
      const { state, byGene } = fitted();
      const { members } = state;
      const { starts, list } = byGene;
      const values = logNormalisedCell(NAME, info, cell);
      const sums = new Float64Array(modules);
      const detected = new Int32Array(modules);
      let nonzero = 0;
      let uncovered = 0;
      values.forEach((v, i) => {
        if (v === 0) return;
        const g = cell.genes[i];
        nonzero++;
        if (starts[g] === starts[g + 1]) uncovered++;
        for (let k = starts[g]; k < starts[g + 1]; k++) {
          sums[list[k]] += v;
          detected[list[k]]++;
        }
      });
      const ids = new Int32Array(modules);
      const out = new Float32Array(modules * VALUE_DIM);
      members.forEach((module, m) => {
        ids[m] = FIRST_MODULE + m;
        if (module.length === 0) return;
        out[m * VALUE_DIM] = sums[m] / module.length;
        out[m * VALUE_DIM + 1] = detected[m] / module.length;
      });
      // A module left empty still has its token, so every cell has `modules` of them, but its zeros are no reconstruction target.
      const realValues = members.some((module) => module.length === 0) ? Uint8Array.from(out, (_, j) => (members[Math.floor(j / VALUE_DIM)].length > 0 ? 1 : 0)) : undefined;
      return { length: modules, ids, values: out, realValues, coords: new Float32Array(0), extent: [genes], dropped: nonzero === 0 ? 0 : uncovered / nonzero };
    },

    decode(tokens: Tokens): ExpressionSample {
      const { members, geneMeans, moduleMeans } = fitted().state;
      const sums = new Float64Array(genes);
      const hits = new Int32Array(genes);
      // Each token is placed by its module id, never by its index, so a subset of the tokens decodes alike.
      for (let t = 0; t < tokens.length; t++) {
        if (tokens.ids[t] < FIRST_MODULE) continue;
        const m = moduleOfId(tokens.ids[t]);
        const predicted = Math.max(0, tokens.values[t * VALUE_DIM]);
        for (const g of members[m]) {
          sums[g] += moduleMeans[m] > 0 ? geneMeans[g] * (predicted / moduleMeans[m]) : predicted;
          hits[g]++;
        }
      }
      const estimate = geneMeans.map((mean, g) => (hits[g] > 0 ? sums[g] / hits[g] : mean));
      const kept = Int32Array.from(estimate.keys()).filter((g) => estimate[g] !== 0);
      return fromLogNormalised(info.values, kept, Array.from(kept, (g) => estimate[g]));
    },

    covers(tokens: Tokens, i: number): Int32Array {
      const id = tokens.ids[i];
      return id < FIRST_MODULE ? new Int32Array(0) : fitted().state.members[moduleOfId(id)];
    },

    label(tokens: Tokens, i: number): string {
      const id = tokens.ids[i];
      return id >= 0 && id < FIRST_MODULE ? SPECIALS[id] : moduleName(moduleOfId(id));
    },
  };
}

export const modules = {
  name: NAME,
  modality: 'expression',
  description: 'One token per gene module (co-expression modules learned on the training split, or the sets of a GMT file) with its mean log-normalised value and fraction of genes detected (after TOSICA, Chen et al. 2023); counts, normalised or log1p values',
  params,
  create: createModules,
  check: checkModules,
  files: (p, context) => (p.gene_sets === undefined ? [] : [resolveDataPath(p.gene_sets, context)]),
  // With gene_sets the count is the file's sets that name panel genes, known only once the file is read.
  tokensPerSample: (p) => (p.gene_sets === undefined ? (p.n_modules ?? DEFAULT_MODULES) : undefined),
  seeded: true,
} satisfies StrategyDefinition<'expression', ModulesParams>;
