// CSV twin of the Arrow table: same columns in the same order, nulls as empty fields.
import { stringify } from 'csv-stringify/sync';
import type { Table } from 'apache-arrow';

export function tableToCsv(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const records: (string | number | null)[][] = [];
  for (const row of table) {
    const json = row.toJSON() as Record<string, unknown>;
    records.push(names.map((n) => {
      const v = json[n];
      return v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v);
    }));
  }
  return stringify(records, { header: true, columns: names });
}
