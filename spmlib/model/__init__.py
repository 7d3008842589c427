"""The model: what the catalogue and the taxonomy say, read and validated.

YAML with line numbers (`yamlsrc`, with its nesting guard `yamldepth`), the rules of a
resource: its fields, declared once (`fields`), the rules their values follow (`rules`) and the
schema made of them (`schema`); the validated `catalogue` and `taxonomy`, the words of search and the
synonyms file (`words`), the hand-written files under docs/ (`docsfiles`, `filenames`), the
problems reported as file:line (`problems`, `textcheck`), and what a build is asked to do
(`options`). Everything else depends on this layer; it depends on nothing else in spmlib, so
a maintainer's mistake is found before any page, index or bundle is made.
"""
