// Where a table came from, stored as Arrow schema metadata in every table tokbench writes.

export interface TableMetadata {
  readonly sweepYaml: string;
  readonly tokbenchVersion: string;
  readonly gitCommit: string | null;
  readonly backend: string;
  readonly nodeVersion: string;
}

/** The `tokbench.*` metadata keys of a table's schema (results/README.md lists them). */
export function schemaMetadata(metadata: TableMetadata): Map<string, string> {
  return new Map([
    ['tokbench.sweep_yaml', metadata.sweepYaml],
    ['tokbench.version', metadata.tokbenchVersion],
    ['tokbench.git_commit', metadata.gitCommit ?? ''],
    ['tokbench.backend', metadata.backend],
    ['tokbench.node_version', metadata.nodeVersion],
  ]);
}
