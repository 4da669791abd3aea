// What every row of a process records about where it ran: chosen once per process.
import { selectBackend } from '../backend/select.js';
import type { BackendPreference, BackendReport } from '../backend/select.js';
import { TOKBENCH_VERSION } from '../version.js';
import type { RowContext } from './cell.js';

/** What the parent tells every process that runs cells of a sweep. */
export interface ProcessSettings {
  readonly sweep: string;
  readonly backend: BackendPreference;
  readonly saveProbabilities: boolean;
  readonly saveTokenizers: boolean;
}

export async function createRowContext(settings: ProcessSettings): Promise<RowContext> {
  const backend = await selectBackend(settings.backend);
  return { sweep: settings.sweep, backend: backendLabel(backend), tokbenchVersion: TOKBENCH_VERSION, saveProbabilities: settings.saveProbabilities, saveTokenizers: settings.saveTokenizers };
}

/** `wasm`, `cpu`, `tensorflow-gpu` or `tensorflow-cpu`: the backend column's values. */
function backendLabel(report: BackendReport): string {
  return report.name === 'tensorflow' ? `tensorflow-${report.gpu ? 'gpu' : 'cpu'}` : report.name;
}
