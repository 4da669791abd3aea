// Lists registered components with their parameters, read from each zod schema's JSON Schema (z.toJSONSchema).
import { z } from 'zod';
import type { Modality } from '../../datasets/types.js';
import type { ComponentDefinition } from '../grid/components.js';
import type { CliIo } from './command.js';

/** The JSON Schema keywords a params table shows. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

interface ParamRow {
  readonly name: string;
  readonly type: string;
  /** The default as YAML would show it; 'required' when there is none and the param must be given. */
  readonly default: string;
  readonly constraints: string;
  readonly description: string;
}

function paramsSchema(definition: ComponentDefinition): JsonSchema {
  return z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function paramRows(schema: JsonSchema): ParamRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeName(property),
    default: 'default' in property ? JSON.stringify(property.default) : required.has(name) ? 'required' : 'none',
    constraints: constraints(property).join(', '),
    description: property.description ?? '',
  }));
}

function typeName(s: JsonSchema): string {
  if (s.enum !== undefined) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf !== undefined) return s.anyOf.map(typeName).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  return type === 'array' ? `list of ${s.items !== undefined ? typeName(s.items) : 'any'}` : type;
}

/** z.int() states the safe-integer range as bounds; they say nothing to a reader. */
const SAFE = Number.MAX_SAFE_INTEGER;

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.minimum !== undefined && s.minimum !== -SAFE) out.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum !== SAFE) out.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`< ${s.exclusiveMaximum}`);
  if (s.multipleOf !== undefined) out.push(`multiple of ${s.multipleOf}`);
  if (s.minLength !== undefined) out.push(`length >= ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`length <= ${s.maxLength}`);
  if (s.pattern !== undefined) out.push(`matches /${s.pattern}/`);
  if (s.minItems !== undefined) out.push(`items >= ${s.minItems}`);
  if (s.maxItems !== undefined) out.push(`items <= ${s.maxItems}`);
  if (s.items !== undefined) out.push(...constraints(s.items).map((c) => `each ${c}`));
  return out;
}

export interface ListOptions {
  readonly modality?: Modality;
  readonly json: boolean;
}

/** One block per component: name, modality, description and an aligned params table; or all of it as JSON. */
export function listComponents(definitions: readonly ComponentDefinition[], options: ListOptions, io: CliIo): void {
  const shown = definitions.filter((d) => options.modality === undefined || d.modality === options.modality);
  if (options.json) {
    const entries = shown.map((d) => ({ name: d.name, modality: d.modality, description: d.description, params: paramsSchema(d) }));
    io.out(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  for (const definition of shown) {
    io.out(`${definition.name} (${definition.modality})\n  ${definition.description}\n`);
    const rows = paramRows(paramsSchema(definition));
    if (rows.length === 0) {
      io.out('  no parameters\n\n');
      continue;
    }
    const table = [['param', 'type', 'default', 'constraints'], ...rows.map((r) => [r.name, r.type, r.default, r.constraints])];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    for (const [i, row] of table.entries()) {
      io.out(`  ${row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()}\n`);
      const description = i > 0 ? rows[i - 1].description : '';
      if (description !== '') io.out(`    ${description}\n`);
    }
    io.out('\n');
  }
}
