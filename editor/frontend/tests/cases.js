// The edit cases shared with the server (tests/data/edits/*.json, run by
// tests/test_edit_cases.py too): each file holds a document and cases of operations with
// the document expected after them, or the error that refuses them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'data', 'edits');

export function editCases() {
  return readdirSync(CASES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const { document, cases } = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8'));
      return cases.map((c) => ({ file, document: c.document || document, ...c }));
    });
}
