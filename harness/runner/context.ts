// What every row of a process records about where it ran: chosen once per process.
import { selectBackend } from '../backend/select.js';
import type { BackendPreference, BackendReport } from '../backend/select.js';
import { TOKBENCH_VERSION } from '../version.js';
import type { RowContext } from './cell.js';

export async function createRowContext(sweep: string, preference: BackendPreference): Promise<RowContext> {
  const backend = await selectBackend(preference);
  return { sweep, backend: backendLabel(backend), tokbenchVersion: TOKBENCH_VERSION };
}

/** `wasm`, `cpu`, `tensorflow-gpu` or `tensorflow-cpu`: the backend column's values. */
function backendLabel(report: BackendReport): string {
  return report.name === 'tensorflow' ? `tensorflow-${report.gpu ? 'gpu' : 'cpu'}` : report.name;
}
