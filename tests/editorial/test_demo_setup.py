"""`make run`: setup takes turns under a lock, and the demo editor's password stays the
same from run to run, kept in a git-ignored file and printed each time (issue 11,
point 13)."""

import os
import re
import sqlite3
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRINTED = re.compile(r"password '([^']+)'")


def _printed_password(output: str) -> str:
    return PRINTED.search(output).group(1)


def test_the_demo_password_is_kept_in_its_file_and_printed_each_run(groups, tmp_path):
    password_file = tmp_path / ".demo-editor-password"
    runs = []
    for _ in range(2):
        out = StringIO()
        call_command("create_demo_editor", password_file=password_file, stdout=out)
        runs.append(_printed_password(out.getvalue()))
    assert runs[0] == runs[1] == password_file.read_text().strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(runs[0])
    # The same password is not hashed again, so the editor's open sessions survive a run.
    hash_before = editor.password
    call_command("create_demo_editor", password_file=password_file, stdout=StringIO())
    editor.refresh_from_db()
    assert editor.password == hash_before


def test_the_demo_password_file_is_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", ".demo-editor-password", ".make-run.lock"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == [".demo-editor-password", ".make-run.lock"], ignored


def test_two_setups_at_once_on_a_fresh_database_take_turns(tmp_path):
    """Two `prepare_demo` started together on a fresh SQLite file both succeed, and the
    database holds the fixtures once and one editor whose password both printed."""
    database = tmp_path / "fresh.sqlite3"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "SQLITE_NAME": str(database),
    }
    environment.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        "manage.py",
        "prepare_demo",
        "--lock-file",
        str(tmp_path / "run.lock"),
        "--password-file",
        str(tmp_path / "password"),
    ]
    runs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(*run.communicate(timeout=240), run.returncode) for run in runs]
    results = [(code, out, err) for out, err, code in results]
    for returncode, _out, err in results:
        assert returncode == 0, err
    assert _printed_password(results[0][1]) == _printed_password(results[1][1])
    with sqlite3.connect(database) as connection:
        (users,) = connection.execute("SELECT count(*) FROM auth_user").fetchone()
        (articles,) = connection.execute("SELECT count(*) FROM articles_article").fetchone()
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
    assert (users, articles, check) == (1, 1, "ok")
