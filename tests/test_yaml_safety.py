"""Hostile YAML is refused cheaply: it must never be expanded or executed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

from spmlib.yamlsrc import load_yaml_text

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
        from spmlib.catalogue import load_catalogue
        from spmlib.problems import CatalogueError
        from spmlib.taxonomy import load_taxonomy
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
    from spmlib.yamlsrc import load_yaml

    path = tmp_path / "resources.yaml"
    path.write_bytes(b"resources:\n  - id: caf\xe9\n")
    located, problems = load_yaml(path, "resources.yaml")
    assert located is None and problems[0].line == 2 and "not valid UTF-8" in problems[0].message
