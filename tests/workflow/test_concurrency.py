"""No lost edits: 8 workers × 50 concurrent stale saves on SQLite (a real file) and PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .stale_saves import stale_saves_run

pytestmark = pytest.mark.slow  # threads and subprocesses against a real database

ROOT = Path(__file__).resolve().parents[2]
WORKERS, ROUNDS = 8, 50


def assert_nothing_lost(result: dict) -> None:
    assert result["errors"] == []  # no "database is locked", no other failure
    assert result["attempts"] == WORKERS * ROUNDS
    assert result["won"] == ROUNDS  # exactly one save wins each round
    assert result["refused"] == (WORKERS - 1) * ROUNDS  # every other one is reported stale
    assert result["lost"] == []
    assert result["final_version"] == 1 + ROUNDS
    assert result["revisions"] == 1 + ROUNDS


def test_stale_saves_on_a_sqlite_file(tmp_path):
    """On a file SQLite database (WAL, IMMEDIATE): 0 lost edits, every rejection stale."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SQLITE_TEST_NAME")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.test",
        SQLITE_NAME=str(tmp_path / "stale.sqlite3"),
    )
    completed = subprocess.run(
        [sys.executable, "-m", "tests.workflow.stale_saves"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "database is locked" not in completed.stderr
    assert_nothing_lost(json.loads(completed.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)
def test_stale_saves_on_the_configured_database():
    """On the suite's database (PostgreSQL in CI's second run): 0 lost edits, all reported."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite is covered by test_stale_saves_on_a_sqlite_file")
    assert_nothing_lost(stale_saves_run(workers=WORKERS, rounds=ROUNDS))
