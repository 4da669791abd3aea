// CSV twin of the Arrow table: same columns in the same order, nulls as empty fields, lists as JSON.
import { stringify } from 'csv-stringify/sync';
import type { Table } from 'apache-arrow';

export function tableToCsv(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const records: (string | number | null)[][] = [];
  for (const row of table) {
    const json = row.toJSON() as Record<string, unknown>;
    records.push(names.map((n) => {
      const v = json[n];
      if (v === null || v === undefined) return null;
      if (typeof v === 'number' || typeof v === 'string') return v;
      // List columns (loss curves) as JSON arrays, which every CSV reader can parse back.
      return typeof v === 'object' && Symbol.iterator in v ? JSON.stringify(Array.from(v as Iterable<unknown>)) : String(v);
    }));
  }
  return stringify(records, { header: true, columns: names });
}
