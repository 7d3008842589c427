"""Hostile YAML is refused cheaply: it must never be expanded or executed."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spmlib.model.yamlsrc import load_yaml_text

BOMB = textwrap.dedent(
    """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    resources: [*i,*i,*i,*i,*i,*i,*i,*i,*i]
    """
)


def test_alias_bomb_is_refused_without_expanding_it(tmp_path):
    """9^10 (3.4 billion) strings if expanded; checked under a 400 MB address-space cap."""
    assert len(BOMB) < 600
    path = tmp_path / "resources.yaml"
    path.write_text(BOMB)
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))
        from spmlib.model.catalogue import load_catalogue
        from spmlib.model.problems import CatalogueError
        from spmlib.model.taxonomy import load_taxonomy
        try:
            load_catalogue({str(path)!r}, load_taxonomy({str(ROOT / "taxonomy")!r}))
        except CatalogueError as err:
            print(err)
            sys.exit(3)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "resources.yaml:2: error: YAML alias '*a' is not allowed" in result.stdout
    assert result.stdout.count("is not allowed") >= 80  # every alias is reported, none expanded


def test_deep_nesting_is_an_error_not_a_crash():
    _located, problems = load_yaml_text("resources: " + "[" * 5000 + "]" * 5000, "resources.yaml")
    assert problems and "nested" in problems[0].message


def test_duplicate_keys_in_nested_mappings_are_found():
    _, problems = load_yaml_text("resources:\n  - links:\n      - {lang: en, lang: fr}\n", "resources.yaml")
    assert [p.line for p in problems] == [3] and "duplicate key 'lang'" in problems[0].message


def test_invalid_utf8_names_the_line(tmp_path):
    from spmlib.model.yamlsrc import load_yaml

    path = tmp_path / "resources.yaml"
    path.write_bytes(b"resources:\n  - id: caf\xe9\n")
    located, problems = load_yaml(path, "resources.yaml")
    assert located is None and problems[0].line == 2 and "not valid UTF-8" in problems[0].message


# ---------------------------------------------------------------------------------------------
# Deep nesting on one line (issue 22): libyaml's composer recurses in C, and thousands of levels
# end the process with a segmentation fault, not an exception. Every file the project reads must
# be refused with file:line first. Each case runs in a worker process of its own, so that a crash
# fails the test (a negative return code) rather than ending the test run.

WORKER = ROOT / "tests" / "tools" / "yaml_worker.py"
# The top-level key of each file, so that the deep value sits where the loader looks
TOP_KEYS = {
    "resources.yaml": "resources",
    "resources.yaml (serve)": "resources",
    "taxonomy/site.yaml": "languages",
    "taxonomy/dimensions.yaml": "dimensions",
    "taxonomy/types.yaml": "types",
    "taxonomy/topics.yaml": "topics",
    "taxonomy/ui.yaml": "home",
    "taxonomy/synonyms.yaml": "synonyms",
}
SHAPES = {  # a value nesting n levels on one line, for a key indented `indent` columns
    "[": lambda n, indent: "[" * n + "]" * n,
    "{a: ": lambda n, indent: "{a: " * n + "x" + "}" * n,
    "- ": lambda n, indent: "\n" + " " * (indent + 2) + "- " * n + "x",
}
SIZES = (5_000, 40_000, 1_000_000)
PROBLEM = re.compile(r"^(resources\.yaml|taxonomy/[a-z]+\.yaml)(:\d+)?: (error|warning): ")
SHIPPED_LINES = len((ROOT / "resources.yaml").read_text(encoding="utf-8").rstrip("\n").split("\n"))


def deep_document(target: str, shape: str, n: int) -> tuple[str, int]:
    """A file for `target` whose one line nests `n` levels, and that line's number in the file read.

    For `make serve` the nesting is in an entry added at the end of the shipped catalogue."""
    if target == "resources.yaml (serve)":
        text, offset = f"  - id: deep\n    type: tool\n    title: {SHAPES[shape](n, 4)}\n", SHIPPED_LINES
    else:
        text, offset = f"{TOP_KEYS[target]}: {SHAPES[shape](n, 0)}\n", 0
    return text, offset + text[: text.index(shape * 3)].count("\n") + 1


def shown_file(target: str) -> str:
    return target.split(" ")[0]


def run_worker(requests: list[tuple[str, str]], timeout: float = 300) -> tuple[list[dict], subprocess.CompletedProcess]:
    """Replies of a fresh worker process to (target, text) requests, and the finished process."""
    lines = "".join(json.dumps({"target": target, "text": text}) + "\n" for target, text in requests)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "hooks")])}
    result = subprocess.run([sys.executable, str(WORKER)], input=lines, capture_output=True, text=True, timeout=timeout, env=env)
    return [json.loads(line) for line in result.stdout.splitlines()], result


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("target", list(TOP_KEYS))
def test_deep_nesting_on_one_line_is_a_file_line_error(target, shape):
    documents = [deep_document(target, shape, n) for n in SIZES]
    replies, result = run_worker([(target, text) for text, _line in documents])
    assert result.returncode == 0, f"worker ended by signal {-result.returncode} after {len(replies)} of {SIZES}"
    assert "Traceback" not in result.stderr, result.stderr
    assert len(replies) == len(SIZES)
    for size, (_text, line), reply in zip(SIZES, documents, replies, strict=True):
        assert "exception" not in reply, (size, reply["exception"])
        problems = reply.get("problems")
        assert problems, (size, reply)
        assert all(PROBLEM.match(problem) for problem in problems), (size, problems)
        nested = [problem for problem in problems if "nested more than 50 levels" in problem]
        assert nested and nested[0].startswith(f"{shown_file(target)}:{line}: error: "), (size, line, problems)
        assert len(nested[0]) < 300, (size, nested[0])


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("resources.yaml", "resources: " + "{a: " * 40_000 + "x" + "}" * 40_000 + "\n"),
        ("taxonomy/ui.yaml", "home: " + "[" * 40_000 + "]" * 40_000 + "\n"),
    ],
)
def test_make_check_reports_deep_nesting_and_exits_with_an_error(tmp_path, file, text):
    """End to end, as `make check` runs: an ordinary error exit, one file:line message, no traceback."""
    shutil.copytree(ROOT / "taxonomy", tmp_path / "taxonomy")
    shutil.copy(ROOT / "resources.yaml", tmp_path / "resources.yaml")
    (tmp_path / file).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "hooks")])}
    result = subprocess.run(
        [sys.executable, "-m", "spmlib", "check", "--catalogue", "resources.yaml", "--taxonomy", "taxonomy", "--docs", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert f"{file}:1: error: the YAML is nested more than 50 levels deep" in result.stderr, result.stderr[-2000:]


# (name, text, collections nested at the deepest point, as libyaml's parser sees them)
DEPTHS = [
    ("empty", "", 0),
    ("scalar", "a", 0),
    ("mapping", "a: b", 1),
    ("sequence", "- a\n- b", 1),
    ("flow in block", "a: [b, [c]]", 3),
    ("brackets in single quotes", "a: '[[[ {{{'", 1),
    ("brackets in double quotes", 'a: "[[[ \\" {{{"', 1),
    ("quote doubled in single quotes", "a: 'it''s [[['\nb: c", 1),
    ("brackets in a plain scalar", "a: b [[[ {{{ c", 1),
    ("brackets in a comment", "a: b # [[[[", 1),
    ("hash inside a plain scalar", "a: b#c [[[[", 1),
    ("brackets in a literal block", "a: |\n  [[[[\n  {{{\nb: [c]", 2),
    ("brackets in a folded block", "a: >-\n  x\n   [[[\nb: c", 1),
    ("block ends at a lower indent", "- a: |\n    x\n  b: [[c]]", 4),
    ("multi-line double quotes", 'a: "x\n  [[[ y"\nb: c', 1),
    ("multi-line single quotes", "a: 'x\n  [[[ y'\nb: c", 1),
    ("multi-line plain scalar", "a: x\n  [[[ y\nb: c", 1),
    ("dash continuing a plain scalar", "- a\n  - b", 1),
    ("quote continuing a plain scalar", 'a: x\n  "y\nb: [[c]]', 3),
    ("compact sequences", "- - - a", 3),
    ("indentless sequence in a sequence", "- a:\n  - b", 3),
    ("indentless sequence", "a:\n- b\n- c: d", 3),
    ("indentation", "a:\n  b:\n    c: [d]", 4),
    ("flow mappings", "{a: {b: {c: d}}}", 3),
    ("pair in a flow sequence", "[a: b]", 2),
    ("pair whose key is a sequence", "[[a]: b]", 3),
    ("pairs whose keys nest", "[[[a]: b]: c]", 5),
    ("explicit pair in a flow sequence", "[? a : b]", 2),
    ("block key that is a sequence", "[a]: b", 2),
    ("explicit block key", "? [a]\n: b", 2),
    ("anchor and tag", "a: &x !!seq [b]", 2),
    ("url in a flow sequence", "[http://x, {u: https://y}]", 2),
    ("document marker", "- - a\n---\n- b", 2),
]


def libyaml_depth(text: str) -> int:
    """The deepest nesting of collections in libyaml's events, up to its first error.

    libyaml's parser is a state machine (only PyYAML's composer recurses), so reading events
    is safe at any depth."""
    depth = deepest = 0
    loader = yaml.CSafeLoader(text)
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return deepest
    except yaml.YAMLError:
        return deepest
    finally:
        loader.dispose()


@pytest.mark.parametrize(("name", "text", "depth"), DEPTHS, ids=[d[0] for d in DEPTHS])
def test_the_guard_counts_nesting_as_libyaml_parses_it(name, text, depth):
    from spmlib.model.yamldepth import deepest

    assert libyaml_depth(text) == depth
    assert deepest(text)[0] == depth


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: " + "[" * 50 + "]" * 50, 1),  # the mapping and 50 sequences
        ("a: " + "[" * 49 + "]" * 49, None),
        ("a: b\n" + "- " * 60 + "x", 2),
        ("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 60)), 51),
        ("a: |\n" + "  [[[[[[[[[[\n" * 20 + "b: c\n" + "{a: " * 60 + "}" * 60, 23),
    ],
)
def test_the_guard_names_the_line_where_nesting_passes_the_limit(text, line):
    from spmlib.model.yamldepth import MAX_DEPTH, too_deep

    assert MAX_DEPTH == 50
    assert too_deep(text) == line


def test_the_shipped_files_are_counted_exactly():
    from spmlib.model.yamldepth import deepest

    for path in [ROOT / "resources.yaml", *sorted((ROOT / "taxonomy").glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        assert deepest(text)[0] == libyaml_depth(text), path.name


# ---------------------------------------------------------------------------------------------
# Random YAML-ish text (issue 22): every loader gives a result or file:line problems, never a
# signal or a traceback. The texts go to one worker process (tests/tools/yaml_worker.py), started
# again if a text kills it; hypothesis is derandomized and keeps no database, so a run is the same
# on every machine.

PIECES = [
    *"[]{},:-?'\"&*!|>#%@`\\~",
    "- ",
    "? ",
    ": ",
    " #",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "\t",
    "\r\n",
    "\r",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object:os.system ",
    "!x ",
    "<<: ",
    "|\n",
    ">-\n",
    "|2-\n",
    "'it''s'",
    '"\\x0c"',
    '"\\u202e"',
    '"\\u200b"',
    '"\\',
    "\\n",
    "on",
    "no",
    "4",
    "0x1F",
    "1e3",
    "2024-01-01",
    "null",
    "~",
    "true",
    "a",
    "key",
    "en",
    "fr",
    "C++",
    "C#",
    "the",
    "SPM",
    "é",
    "ß",
    "😀",
    "\u202e",
    "\u200b",
    "\x85",
    "\u2028",
    "\ufeff",
]
PREFIXES = [
    "",
    "  - id: zz\n    title: ",
    "resources:\n  - ",
    "resources:\n  - id: a\n    type: tool\n    title: {en: A}\n    links: ",
    "languages: ",
    "dimensions:\n  - number: 1\n    name: ",
    "types:\n  - code: a\n    name: ",
    "topics: ",
    "home: ",
    "synonyms:\n  en:\n    - [",
    "synonyms:\n  en:\n    - ",
]
OPENERS = ["[", "{", "{a: ", "[a: ", "- ", "? ", ": ", "- a:\n  ", "\n- ", "a:\n ", "[[a]: "]
NESTS = [("[", "x", "]"), ("{a: ", "x", "}"), ("[a: ", "x", "]"), ("[", "a: b", "]"), ("{", "", "}")]


def yamlish(longest_run: int) -> st.SearchStrategy[str]:
    """Text made of YAML's indicators, scalars that YAML reads as other types, unicode, and runs of
    up to `longest_run` openers of one kind, closed or not."""
    # hypothesis draws mostly small numbers: the sizes where guards and crashes start are named
    sizes = st.one_of(
        st.sampled_from([n for n in (25, 50, 51, 1_000, 5_000, 40_000) if n <= longest_run]), st.integers(1, longest_run)
    )
    run = st.tuples(st.sampled_from(OPENERS), sizes).map(lambda run: run[0] * run[1])
    nest = st.tuples(st.sampled_from(NESTS), sizes).map(lambda n: n[0][0] * n[1] + n[0][1] + n[0][2] * n[1])
    piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=4), run, nest)
    # a few pieces: hostile files are mostly one trick in an otherwise ordinary file
    few = st.tuples(st.sampled_from(PREFIXES), st.lists(piece, max_size=4)).map(lambda parts: parts[0] + "".join(parts[1]))
    many = st.tuples(st.sampled_from(PREFIXES), st.lists(piece, max_size=30)).map(lambda parts: parts[0] + "".join(parts[1]))
    return st.one_of(few, many)


CI = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


class Worker:
    """tests/tools/yaml_worker.py, asked one text at a time and started again after a crash."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def ask(self, target: str, text: str) -> dict:
        if self.process is None or self.process.poll() is not None:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "hooks")])}
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
            )
        process = self.process
        try:
            process.stdin.write(json.dumps({"target": target, "text": text}) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            pass
        ready, _, _ = select.select([process.stdout], [], [], 300)  # a hang fails the test instead of the run
        line = process.stdout.readline() if ready else ""
        if not line:
            if not ready:
                process.kill()
            return {"ended": process.wait()}
        return json.loads(line)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


@pytest.fixture(scope="module")
def worker():
    started = Worker()
    yield started
    started.close()


@settings(CI, max_examples=150)
@given(target=st.sampled_from(list(TOP_KEYS)), text=yamlish(60_000))
def test_every_loader_answers_random_yaml_with_a_result_or_file_line_problems(worker, target, text):
    reply = worker.ask(target, text)
    assert "ended" not in reply, f"the worker ended with code {reply.get('ended')} on {target}: {text[:300]!r}"
    assert "exception" not in reply, reply["exception"]
    for problem in reply.get("problems", []):
        assert PROBLEM.match(problem) and "\n" not in problem, problem
        assert "Traceback" not in problem


@settings(CI, max_examples=400)
@given(text=yamlish(3_000))  # libyaml's scanner is quadratic in unclosed brackets: keep its side quick
def test_the_guard_never_counts_less_nesting_than_libyaml_parses(text):
    """The guard may err high on broken YAML, never low: low would let libyaml's composer crash."""
    from spmlib.model.yamldepth import MAX_DEPTH, deepest, too_deep

    depth, _line = deepest(text)
    assert depth >= libyaml_depth(text)
    assert (too_deep(text) is None) == (depth <= MAX_DEPTH)
