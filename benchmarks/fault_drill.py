"""Fault drill: a dead Redis, a dead database for 10 s, kill -9 of a worker during writes.

Serves the seed with gunicorn and the production settings on 127.0.0.1, against a
throwaway PostgreSQL cluster that this script creates under /tmp on a port of its own
(it never touches another server) and a Redis URL pointing at a closed port. Then:

1. dead Redis: readers fetch article, person and home pages, the anonymous API and token
   login (right and wrong password) for a few seconds: expect 0 responses >= 500;
2. writes and kill -9: two writers create articles through the API while one worker is
   killed with SIGKILL (gunicorn starts another);
3. dead database: the cluster is stopped (immediate mode, as a crash) for 10 s while
   readers and writers go on: expect 503 with Retry-After and no 500, then measure the
   time from the restart to the first successful write;
4. audit: every write the API acknowledged (201) is in the database with its revision and
   audit entry (0 lost); every drill article in the database has both (0 partial).

Loopback only, bounded (about a minute). Exits 1 when an expectation fails.

    .venv/bin/python benchmarks/fault_drill.py [--outage-seconds 10] [--port 8107]
        [--recovery-seconds 1]
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SEED_ARTICLE = "zelenskyy-and-tsikhanouskaya-hold-first-formal-meeting-in-vilnius"
READ_PATHS = [
    f"/articles/{SEED_ARTICLE}/",
    "/people/volodymyr-zelenskyy/",
    "/",
    "/api/v1/articles/",
    f"/api/v1/articles/{SEED_ARTICLE}/",
]
TOKEN_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
user, _ = get_user_model().objects.get_or_create(username="drill-editor")
user.set_password("{password}")
user.is_staff = True
user.save()
user.groups.add(Group.objects.get(name="Editor"))
print(Token.objects.get_or_create(user=user)[0].key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in versions:
        if (directory / name).exists():
            return str(directory / name)
    sys.exit(f"PostgreSQL's {name} is not installed (apt-get install postgresql).")


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:port, run as the postgres user when
    this script runs as root (PostgreSQL refuses root)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-fault-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True)

    def init(self) -> None:
        self.run(
            pg_bin("initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()
        self.run(
            pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "newsroom_fault",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/newsroom_fault"


class Recorder:
    """Statuses per phase; what each write got back."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.statuses: dict[str, Counter] = {}
        self.missing_retry_after = 0
        self.acknowledged: set[str] = set()
        self.attempted: set[str] = set()
        self.first_write_after: dict[str, float] = {}
        self.lock = threading.Lock()

    def record(self, status, headers=None, *, write_headline: str | None = None) -> None:
        with self.lock:
            self.statuses.setdefault(self.phase, Counter())[status] += 1
            if status == 503 and headers is not None and not headers.get("Retry-After"):
                self.missing_retry_after += 1
            if write_headline and status == 201:
                self.acknowledged.add(write_headline)
                self.first_write_after.setdefault(self.phase, time.monotonic())


def request(base: str, path: str, *, method="GET", body=None, token=None, timeout=10):
    headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return f"connection error ({type(error).__name__})", None


def reader(base: str, recorder: Recorder, stop: threading.Event, password: str) -> None:
    index = 0
    while not stop.is_set():
        path = READ_PATHS[index % len(READ_PATHS)]
        recorder.record(*request(base, path))
        if index % 5 == 4:
            wrong = {"username": "drill-editor", "password": "wrong"}
            recorder.record(*request(base, "/api/v1/auth/token/", method="POST", body=wrong))
            right = {"username": "drill-editor", "password": password}
            recorder.record(*request(base, "/api/v1/auth/token/", method="POST", body=right))
        index += 1


def writer(base: str, token: str, recorder: Recorder, stop: threading.Event, name: str) -> None:
    number = 0
    while not stop.is_set():
        headline = f"Fault drill {name} {number} {secrets.token_hex(3)}"
        with recorder.lock:
            recorder.attempted.add(headline)
        body = {"headline": headline, "body": "A paragraph written during the fault drill."}
        status, headers = request(base, "/api/v1/articles/", method="POST", body=body, token=token)
        recorder.record(status, headers, write_headline=headline)
        number += 1
        time.sleep(0.02)


def worker_pids(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return children


def audit(cluster: Cluster, recorder: Recorder) -> dict:
    import psycopg

    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as connection:
        rows = connection.execute(
            """
            SELECT a.headline, a.version,
                   (SELECT count(*) FROM articles_revision r
                     WHERE r.article_id = a.id AND r.version = a.version),
                   (SELECT count(*) FROM core_auditlog l
                     WHERE l.action = 'article.create' AND l.object_id = a.id::text)
            FROM articles_article a WHERE a.headline LIKE 'Fault drill %%'
            """
        ).fetchall()
    stored = {
        headline: (version, revisions, audits) for headline, version, revisions, audits in rows
    }
    lost = sorted(recorder.acknowledged - stored.keys())
    partial = sorted(
        h for h, (_v, revisions, audits) in stored.items() if not (revisions and audits)
    )
    return {
        "acknowledged": len(recorder.acknowledged),
        "attempted": len(recorder.attempted),
        "stored": len(stored),
        "stored_but_not_acknowledged": len(stored.keys() - recorder.acknowledged),
        "lost": lost,
        "partial": partial,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outage-seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--recovery-seconds", type=float, default=1.0)
    args = parser.parse_args()

    cluster = Cluster(free_port())
    base = f"http://127.0.0.1:{args.port}"
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    password = secrets.token_urlsafe(12)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    } | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "NEWSROOM_SITE_URL": base,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": dead_redis,
        "PAGE_CACHE_URL": dead_redis,
        "NEWSROOM_PAGE_CACHE": "1",
        "NEWSROOM_API_ANON_RATE": "100000/minute",
    }
    server = None
    failures = []
    try:
        print(f"PostgreSQL cluster on 127.0.0.1:{cluster.port}, Redis URL {dead_redis} (closed)")
        cluster.init()
        environment["DATABASE_URL"] = cluster.url
        manage = [PYTHON, "manage.py"]
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["load_newsroom"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            subprocess.run(
                [*manage, *command], cwd=ROOT, env=environment, check=True, capture_output=True
            )
        token = (
            subprocess.run(
                [*manage, "shell", "-v", "0", "-c", TOKEN_SCRIPT.format(password=password)],
                cwd=ROOT,
                env=environment,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        log_file = cluster.dir / "gunicorn.log"
        server = subprocess.Popen(
            [
                GUNICORN,
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                str(log_file),
            ],
            cwd=ROOT,
            env=environment,
        )
        for _ in range(60):
            if request(base, "/")[0] == 200:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start")

        recorder = Recorder()
        stop = threading.Event()
        threads = [threading.Thread(target=reader, args=(base, recorder, stop, password))]
        threads += [
            threading.Thread(target=writer, args=(base, token, recorder, stop, name))
            for name in ("a", "b")
        ]

        recorder.phase = "1 dead Redis (reads, logins)"
        reads = threading.Thread(target=reader, args=(base, recorder, stop, password))
        reads.start()
        time.sleep(4)
        stop.set()
        reads.join()
        stop.clear()

        recorder.phase = "2 writes, kill -9 of a worker"
        for thread in threads:
            thread.start()
        time.sleep(2)
        victims = worker_pids(server.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            print(f"killed worker {victims[0]} with SIGKILL")
        time.sleep(3)

        recorder.phase = "3 database down"
        cluster.stop("immediate")
        down_at = time.monotonic()
        time.sleep(args.outage_seconds)
        cluster.start()  # returns once the server accepts connections again
        restarted_at = time.monotonic()
        recorder.phase = "4 database back"
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        print(f"database down for {restarted_at - down_at:.1f} s")
        for phase, counts in sorted(recorder.statuses.items()):
            print(f"  {phase}: {dict(sorted(counts.items(), key=str))}")
        first = recorder.first_write_after.get("4 database back")
        recovery = None if first is None else first - restarted_at
        print(
            f"first acknowledged write {recovery:.2f} s after the restart"
            if recovery is not None
            else "no write succeeded after the restart"
        )
        result = audit(cluster, recorder)
        print(f"writes: {json.dumps(result)}")

        def server_errors(phase, allowed=()):
            return sum(
                n
                for s, n in recorder.statuses.get(phase, {}).items()
                if isinstance(s, int) and s >= 500 and s not in allowed
            )

        if server_errors("1 dead Redis (reads, logins)"):
            failures.append("5xx while only Redis was dead")
        if recorder.statuses.get("1 dead Redis (reads, logins)", {}).get(200, 0) == 0:
            failures.append("no successful read while Redis was dead")
        if server_errors("3 database down", allowed=(503,)):
            failures.append("errors other than 503 while the database was down")
        if recorder.statuses.get("3 database down", {}).get(503, 0) == 0:
            failures.append("no 503 while the database was down")
        if recorder.missing_retry_after:
            failures.append(f"{recorder.missing_retry_after} 503s without Retry-After")
        if server_errors("2 writes, kill -9 of a worker"):
            failures.append("5xx while writing and killing a worker")
        # Requests already in flight when the server came back may still answer 503.
        if server_errors("4 database back", allowed=(503,)):
            failures.append("errors other than 503 after the restart")
        if result["lost"]:
            failures.append(f"lost writes: {result['lost']}")
        if result["partial"]:
            failures.append(f"partial writes: {result['partial']}")
        if recovery is None or recovery > args.recovery_seconds:
            failures.append(f"no write succeeded within {args.recovery_seconds} s of the restart")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        cluster.destroy()
    for failure in failures:
        print(f"FAIL: {failure}")
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
