"""`make test` runs bandit over the project and fails on any high-severity finding (issue
11, point 15); this checks that the scan really scans: a planted finding fails it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bandit(*targets: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bandit", "-q", "-c", str(ROOT / "pyproject.toml")]
    command += ["--severity-level", "high", "-r", *targets]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_the_project_has_no_high_severity_finding():
    result = _bandit(".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_high_severity_finding_fails_the_scan(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("import subprocess\n\nsubprocess.call(input(), shell=True)\n")
    result = _bandit(str(planted), cwd=tmp_path)
    assert result.returncode == 1
    assert "B602" in result.stdout
