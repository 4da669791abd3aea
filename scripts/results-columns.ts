// Prints the column tables for results/README.md (paste them under "## Columns" after changing a column).
import { columnDocs } from '../harness/results/column-docs.js';

console.log(columnDocs());
