// A parsed YAML file that can point at the line and column of any field, using `yaml` 2's LineCounter.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { ConfigProblem, FieldPath, Problem } from '../validation/problems.js';

export interface YamlSource {
  readonly file: string;
  /** The document as plain JavaScript values. */
  readonly data: unknown;
  /** Where a problem's field is written: its key for unknown keys, its value otherwise, else the nearest enclosing node. */
  locate(problem: Problem): ConfigProblem;
}

export type YamlParse = { readonly ok: true; readonly source: YamlSource } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export function parseYaml(text: string, file: string): YamlParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number): SourceLocation => ({ file, ...lines.linePos(offset) });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({ code: 'config', path: [], message: `invalid YAML: ${error.message}`, location: at(error.pos[0]) })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // Aliases expanding past yaml's limit (a "billion laughs" file) fail only here.
    return { ok: false, problems: [{ code: 'config', path: [], message: `invalid YAML: ${(error as Error).message}`, location: at(0) }] };
  }
  return {
    ok: true,
    source: {
      file,
      data,
      locate: (problem) => ({ ...problem, location: at(nodeOffset(doc, problem.path, problem.atKey === true)) }),
    },
  };
}

/** Offset of the deepest node along `path` that exists in the document. */
function nodeOffset(doc: Document, path: FieldPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const part = path[i];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (pair === undefined) break;
      const last = i === path.length - 1;
      // `dim:` holds an empty scalar just after the colon; only a bare flow key (`{ dim }`) has no value node.
      node = last && atKey ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof part === 'number' && part < node.items.length) {
      node = node.items[part];
    } else {
      break;
    }
  }
  return (node as Node | null)?.range?.[0] ?? 0;
}
