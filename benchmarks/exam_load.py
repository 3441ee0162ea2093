"""Load test: N trainees take a 50-question exam at once against gunicorn and
PostgreSQL, measured against the same server's own ceiling in the same run.

    .venv/bin/python benchmarks/exam_load.py --trainees 500 --interval 5
    .venv/bin/python benchmarks/exam_load.py --trainees 5000 --interval 30

A shared, noisy machine makes one absolute figure mean little, so the run
measures, before and after the exam load, the cheapest request a signed-in
person can make (``/health/``: the session and the user's row) on the same
gunicorn, settings and database, and prints the exam's figures as ratios to
it:

1. **ceiling, before** — ``/health/`` at the exam's offered load (one request
   per trainee per interval, Poisson arrivals) for ``--ceiling-seconds``;
   then as fast as ``--closed-clients`` clients can go (closed loop) for
   ``--closed-seconds``.
2. **exam** — every trainee starts an attempt (starts spread over
   ``--ramp`` seconds; ``--class-burst B`` starts B more within one minute
   once the others are under way), saves an answer every ``--interval``
   seconds (with jitter), reloads the page every ``--reload-every`` saves and
   submits. Every save the server acknowledged must be in the database
   afterwards.
3. **save, closed loop** — ``--closed-clients`` trainees with an attempt each
   save as fast as they can for ``--closed-seconds``.
4. **ceiling, after** — as in 1, to show whether the machine changed.

For every phase it prints requests, throughput, latency percentiles, and CPU
milliseconds per request spent by the app (gunicorn's processes, from
``/proc``), by PostgreSQL (the backends serving this database, from
``/proc``; and their active time from ``pg_stat_database``) and by the load
generator itself (which must stay under a quarter of the machine); and what
PostgreSQL wrote: updates of the tables a save writes and how many of them
were HOT (in place, no index touched), WAL, and the checkpoints that fell in
the phase with what they wrote. The last lines are the ratios and:

    RESULT trainees=... requests=... errors=... p50_ms=... p95_ms=...
           p99_ms=... lost_answers=... save_p95_ratio=... save_rps_ratio=...

The load generator is one asyncio loop with one pool of keep-alive
connections (``--connections``); each request carries its trainee's session
cookie. Traffic goes only to 127.0.0.1. The benchmark refuses to start when
its port is taken, says so when gunicorn does not come up, and creates and
drops its own database (``--database``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument(
        "--interval",
        type=float,
        default=5.0,
        help="seconds between one trainee's saves",
    )
    parser.add_argument("--reload-every", type=int, default=10)
    parser.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which trainees start their attempts "
        "(default: 60, or 300 from 2,000 trainees)",
    )
    parser.add_argument(
        "--class-burst",
        type=int,
        default=0,
        metavar="B",
        help="B more trainees start within one minute, once the ramp is over",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "granian"],
        default="gunicorn",
        help="the WSGI server (--workers processes of --threads threads each)",
    )
    parser.add_argument(
        "--app-cpus",
        metavar="LIST",
        help="pin gunicorn to these CPUs with taskset (e.g. 0, or 0,1)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=64,
        help="keep-alive connections the load generator shares",
    )
    parser.add_argument("--ceiling-seconds", type=float, default=30.0)
    parser.add_argument("--closed-seconds", type=float, default=15.0)
    parser.add_argument("--closed-clients", type=int, default=16)
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="a Redis URL for the shared cache, which then holds the sessions",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="peer_platform_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--trace",
        metavar="CSV",
        help="write every request (seconds since the start, kind, ms) to this file",
    )
    args = parser.parse_args(argv)
    if args.ramp is None:
        args.ramp = 300.0 if args.trainees >= 2000 else 60.0
    return args


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        # Connections outlive the run: the PostgreSQL CPU is read from each
        # backend's /proc entry, and a backend that closes mid-phase takes
        # its CPU with it (a 33-minute exam once showed 0.06 ms a request).
        DJANGO_CONN_MAX_AGE="86400",
    )
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def refuse_taken_port(port: int) -> None:
    """Exit when anything listens on the port or it cannot be bound: the
    figures would be some other server's."""
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(
                f"Port {port} is taken: something already listens on 127.0.0.1:"
                f"{port}. Stop it or choose another with --port."
            )
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            sys.exit(f"Port {port} cannot be used ({error}); choose another --port.")


# Preparing the database ----------------------------------------------------------


@dataclass
class Prepared:
    exam_id: int
    cookie_name: str
    exam_cookies: list[str]
    burst_cookies: list[str]
    ceiling_cookies: list[str]
    closed: list[tuple[str, int, list[tuple[int, dict]]]]  # cookie, attempt, answers


def prepare(args, env) -> Prepared:
    """A fresh database with the fixtures, the trainees and a 50-question
    exam; the closed-loop savers' attempts are started here."""
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database],
        check=True,
    )
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=True
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    loaded = subprocess.run(
        [*manage, "load_fixtures"], env=env, capture_output=True, text=True
    )
    if loaded.returncode:  # the page-by-page log is only worth reading then
        sys.exit(loaded.stdout + loaded.stderr)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from cms import sessions
    from cms.models import User
    from cms.session_backends.db import SessionStore
    from courses.models import CoursePage, Enrollment
    from exams import services
    from exams.models import BlueprintRule, Question, QuestionCategory, WrittenExam

    course = CoursePage.objects.get(slug="alcohol-drug-peer-support")
    category = QuestionCategory.objects.create(name="Load test")
    pool = list(Question.objects.order_by("pk")[: args.questions])
    Question.objects.filter(pk__in=[q.pk for q in pool]).update(
        category=category, status="active"
    )
    exam = WrittenExam.objects.create(
        course=course,
        title="Load test exam",
        time_limit_minutes=24 * 60,
        pass_mark_percent=Decimal(70),
        is_published=True,
        attempts_allowed=1,
    )
    BlueprintRule.objects.create(exam=exam, category=category, count=len(pool))
    password = make_password(None)
    total = args.trainees + args.class_burst + args.closed_clients
    users = User.objects.bulk_create(
        User(
            email=f"load{n}@example.org",
            legal_name=f"Load Trainee {n}",
            password=password,
        )
        for n in range(total)
    )
    Group.objects.get(name="Trainees").user_set.add(*users)
    Enrollment.objects.bulk_create(
        Enrollment(trainee=user, course=course) for user in users
    )
    cookies = []
    signed_in = timezone.now()
    for user in users:
        # As signing in leaves it (cms.sessions.session_started).
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "cms.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session[sessions.STARTED] = session[sessions.LAST_SEEN] = signed_in.timestamp()
        session.set_expiry(signed_in + settings.SESSION_ABSOLUTE_LIFETIME)
        session.create()
        cookies.append(session.session_key)
    exam_cookies = cookies[: args.trainees]
    burst_cookies = cookies[args.trainees : args.trainees + args.class_burst]
    closed = []
    for user, cookie in zip(
        users[args.trainees + args.class_burst :],
        cookies[args.trainees + args.class_burst :],
        strict=True,
    ):
        attempt = services.attempt_start(
            exam=exam, trainee=user, rng=random.Random(user.pk)
        )
        rng = random.Random(attempt.pk)
        answers = [
            (position, answer_for(content, rng))
            for _ in range(2)  # two rounds, so most saves change the answer
            for position, content in attempt.questions.values_list(
                "position", "content"
            )
        ]
        closed.append((cookie, attempt.pk, answers))
    from django.db import connection

    with connection.cursor() as cursor:
        # Statistics for the tables just filled, as autovacuum would gather.
        cursor.execute("ANALYZE")
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] != "on":
            print(
                "   PostgreSQL's autovacuum is off on this server: the answers' "
                "dead rows pile up through the run, as no production server "
                "would let them.",
                flush=True,
            )
    return Prepared(
        exam_id=exam.pk,
        cookie_name=settings.SESSION_COOKIE_NAME,
        exam_cookies=exam_cookies,
        burst_cookies=burst_cookies,
        ceiling_cookies=exam_cookies,
        closed=closed,
    )


# The server and the CPU it spends ------------------------------------------------


def _granian_command(args) -> list[str]:
    """The same app under Granian (a server whose HTTP handling is Rust):
    ``--threads`` WSGI threads in each of ``--workers`` processes."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.threads),
        "--backlog",
        "4096",
        "--log-level",
        "warning",
        "--no-access-log",
        "cms.wsgi:application",
    ]


def start_server(args, env) -> subprocess.Popen:
    if args.server == "granian":
        command = _granian_command(args)
    else:
        command = _gunicorn_command(args)
    if args.app_cpus:
        command = ["taskset", "-c", args.app_cpus, *command]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    _servers.append(server)
    return _wait_until_serving(args, server)


def _gunicorn_command(args) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "cms.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
        "--keep-alive",
        "75",
        "--backlog",
        "4096",
        "--log-level",
        "warning",
    ]


def _wait_until_serving(args, server: subprocess.Popen) -> subprocess.Popen:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(
                f"{args.server} exited with code {server.returncode} before it served "
                "a request; its messages are above."
            )
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{args.port}/health/", timeout=2
            ) as answer:
                if answer.status == 200 and json.load(answer).get("ok"):
                    return server
        except (OSError, urllib.error.URLError, ValueError):
            pass  # not listening yet
        time.sleep(0.25)
    stop_server(server)
    sys.exit(f"{args.server} did not answer /health/ on port {args.port} within 60 s.")


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU of one process, in seconds; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def _delta(before, after) -> tuple:
    """How much each of a tuple of cumulative counters grew."""
    return tuple(b - a for a, b in zip(before, after, strict=True))


# The tables an exam writes to on every save, whose updates PostgreSQL can
# make in place (HOT: no index touched) when the page has room.
WRITTEN_TABLES = ("exams_response", "django_session", "exams_attempt")


class Meter:
    """CPU seconds of the app, of this database's PostgreSQL backends and of
    the load generator, read at the start and end of a phase; and what
    PostgreSQL wrote meanwhile: updates of the tables a save writes (how many
    were HOT), WAL, and checkpoints."""

    def __init__(self, server: subprocess.Popen, database: str):
        import psycopg

        self.server = server
        self.database = database
        self.stats = psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        )
        self.tables = psycopg.connect(
            f"postgresql://postgres@127.0.0.1:5432/{database}", autocommit=True
        )
        self.seen: dict[int, float] = {}
        (data_directory,) = self.stats.execute("SHOW data_directory").fetchone()
        self.disk = disk_of(data_directory)

    def _backends(self) -> list[int]:
        rows = self.stats.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
            "pg_backend_pid()",
            [self.database],
        ).fetchall()
        return [pid for (pid,) in rows]

    def _active_ms(self) -> float:
        self.stats.execute("SELECT pg_stat_clear_snapshot()")
        row = self.stats.execute(
            "SELECT coalesce(active_time, 0) FROM pg_stat_database WHERE datname = %s",
            [self.database],
        ).fetchone()
        return float(row[0]) if row else 0.0

    def _writes(self) -> dict:
        """Cumulative counters: per table (updates, HOT updates), WAL bytes,
        and checkpoints (timed, requested, buffers written, write and sync
        milliseconds)."""
        self.tables.execute("SELECT pg_stat_clear_snapshot()")
        tables = {
            name: (updated, hot)
            for name, updated, hot in self.tables.execute(
                "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                " WHERE relname = ANY(%s)",
                [list(WRITTEN_TABLES)],
            ).fetchall()
        }
        wal, *checkpoints = self.stats.execute(
            "SELECT pg_current_wal_lsn() - '0/0', checkpoints_timed, "
            "checkpoints_req, buffers_checkpoint, checkpoint_write_time, "
            "checkpoint_sync_time FROM pg_stat_bgwriter"
        ).fetchone()
        return {"tables": tables, "wal": int(wal), "checkpoints": checkpoints}

    def read(self) -> dict:
        backends = {pid: _cpu_seconds(pid) for pid in self._backends()}
        return {
            "app": sum(_cpu_seconds(pid) for pid in _tree(self.server.pid)),
            "backends": backends,
            "pg_active_ms": self._active_ms(),
            "writes": self._writes(),
            "generator": time.process_time(),
            "wall": time.perf_counter(),
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict:
        # A backend that started during the phase counts from zero; one that
        # ended during it is lost (connections persist, so few do).
        postgres = sum(
            cpu - before["backends"].get(pid, 0.0)
            for pid, cpu in after["backends"].items()
        )
        first, last = before["writes"], after["writes"]
        return {
            "tables": {
                name: _delta(
                    first["tables"].get(name, (0, 0)), last["tables"].get(name, (0, 0))
                )
                for name in WRITTEN_TABLES
            },
            "wal": last["wal"] - first["wal"],
            "checkpoints": _delta(first["checkpoints"], last["checkpoints"]),
            "app": after["app"] - before["app"],
            "postgres": postgres,
            "pg_active": (after["pg_active_ms"] - before["pg_active_ms"]) / 1000,
            "generator": after["generator"] - before["generator"],
            "wall": after["wall"] - before["wall"],
        }


# The load generator --------------------------------------------------------------


class Connection:
    """One HTTP/1.1 keep-alive connection on asyncio streams (stdlib only)."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, head: bytes, body: bytes):
        for _attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    "127.0.0.1", self.port
                )
            try:
                self.writer.write(head + body)
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionError("closed")
                status = int(status_line.split()[1])
                length, close, location = 0, False, None
                while True:
                    line = await self.reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    name = name.lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"connection" and b"close" in value.lower():
                        close = True
                    elif name == b"location":
                        location = value.strip().decode()
                data = await self.reader.readexactly(length) if length else b""
                if close:
                    self.close()
                return status, data, location
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                self.close()
        raise ConnectionError("request failed twice")

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Phase:
    name: str
    requests: int = 0
    errors: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    trace: list[tuple[float, str, float]] = field(default_factory=list)
    cpu: dict = field(default_factory=dict)

    @property
    def latencies(self) -> list[float]:
        return [ms for values in self.by_kind.values() for ms in values]


class Load:
    """Requests through one shared pool of connections, timed into a phase."""

    def __init__(self, port: int, cookie_name: str, connections: int):
        self.port = port
        self.cookie_name = cookie_name
        self.size = connections
        self.pool: asyncio.Queue | None = None
        self.phase: Phase | None = None
        self.csrf = secrets.token_hex(16)

    async def open(self):
        self.pool = asyncio.Queue()
        for _ in range(self.size):
            self.pool.put_nowait(Connection(self.port))

    async def close(self):
        while self.pool and not self.pool.empty():
            self.pool.get_nowait().close()

    def head(self, method, path, cookie, length, content_type=None) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"Cookie: {self.cookie_name}={cookie}; csrftoken={self.csrf}",
            f"X-CSRFToken: {self.csrf}",
            f"Content-Length: {length}",
            "Connection: keep-alive",
        ]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def request(self, kind, method, path, cookie, body=b"", content_type=None):
        """(status, body, location), or None when the connection failed. The
        time counted includes waiting for a free connection, as a browser
        waits for the server."""
        head = self.head(method, path, cookie, len(body), content_type)
        phase = self.phase
        started = time.perf_counter()
        connection = await self.pool.get()
        try:
            result = await connection.request(head, body)
        except ConnectionError:
            result = None
            phase.errors += 1
        else:
            phase.requests += 1
        finally:
            self.pool.put_nowait(connection)
        latency = (time.perf_counter() - started) * 1000
        phase.by_kind.setdefault(kind, []).append(latency)
        phase.trace.append((started, kind, latency))
        return result


async def open_loop_health(load: Load, cookies, rate: float, seconds: float, rng):
    """``rate`` requests a second to /health/ with Poisson arrivals, each as a
    random trainee, for ``seconds``: the exam's offered load, at its cheapest."""
    tasks = []
    end = time.perf_counter() + seconds
    at = time.perf_counter()

    async def one(cookie):
        result = await load.request("health", "GET", "/health/", cookie)
        if result is not None and result[0] != 200:
            load.phase.errors += 1

    while True:
        at += rng.expovariate(rate)
        if at >= end:
            break
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        tasks.append(asyncio.create_task(one(rng.choice(cookies))))
    await asyncio.gather(*tasks)


async def closed_loop(load: Load, clients, seconds: float, make_request):
    """Each client sends its next request as soon as the last is answered."""
    end = time.perf_counter() + seconds

    async def client(state):
        count = 0
        while time.perf_counter() < end:
            result = await make_request(state, count)
            count += 1
            if result is not None and result[0] != 200:
                load.phase.errors += 1

    await asyncio.gather(*(client(state) for state in clients))


def answer_for(content, rng):
    kind = content["type"]
    if kind == "single_choice":
        return {"choice": rng.choice(content["choices"])["id"]}
    if kind == "multiple_response":
        return {"choices": [c["id"] for c in content["choices"][:2]]}
    if kind == "true_false":
        return {"answer": rng.random() < 0.5}
    if kind in ("short_answer", "essay"):
        return {"text": f"answer {rng.randint(1, 10**6)}"}
    if kind == "numerical":
        return {"text": str(rng.randint(0, 100))}
    if kind == "matching":
        options = [o["id"] for o in content["options"]]
        return {
            "matches": {
                p["id"]: options[i % len(options)]
                for i, p in enumerate(content["prompts"])
            }
        }
    if kind == "ordering":
        return {"order": [i["id"] for i in content["items"]]}
    return None


async def trainee(args, load: Load, exam_id, cookie, acked, rng, delay: float):
    from asgiref.sync import sync_to_async

    from exams.models import AttemptQuestion

    await asyncio.sleep(delay)
    result = await load.request(
        "start",
        "POST",
        f"/exams/{exam_id}/start/",
        cookie,
        content_type="application/x-www-form-urlencoded",
    )
    if (
        result is None
        or result[0] != 302
        or "/exams/attempts/" not in (result[2] or "")
    ):
        load.phase.errors += 1
        return
    attempt_id = int(result[2].rstrip("/").split("/")[-1])
    contents = await sync_to_async(
        lambda: dict(
            AttemptQuestion.objects.filter(attempt_id=attempt_id).values_list(
                "position", "content"
            )
        )
    )()
    page = f"/exams/attempts/{attempt_id}/"
    if (await load.request("page", "GET", page, cookie) or (0,))[0] != 200:
        load.phase.errors += 1
    for number, position in enumerate(sorted(contents), start=1):
        await asyncio.sleep(args.interval * rng.uniform(0.8, 1.2))
        answer = answer_for(contents[position], rng)
        body = json.dumps(
            {"position": position, "answer": answer, "revision": 0}
        ).encode()
        result = await load.request(
            "save", "POST", f"{page}save/", cookie, body, "application/json"
        )
        if result is None:
            continue
        status, data, _ = result
        if status == 200:
            acked.append((attempt_id, position, json.loads(data)["revision"], answer))
        else:
            load.phase.errors += 1
        if number % args.reload_every == 0:
            reload = await load.request("page", "GET", page, cookie)
            if reload is None or reload[0] != 200:
                load.phase.errors += 1
    result = await load.request(
        "submit",
        "POST",
        f"{page}submit/",
        cookie,
        content_type="application/x-www-form-urlencoded",
    )
    if result is None or result[0] != 302:
        load.phase.errors += 1


def lost_answers(acked) -> int:
    from exams.models import Response

    saved = {
        (r["attempt_question__attempt_id"], r["attempt_question__position"]): r
        for r in Response.objects.filter(
            attempt_question__attempt_id__in={a for a, *_ in acked}
        ).values(
            "attempt_question__attempt_id",
            "attempt_question__position",
            "revision",
            "answer",
        )
    }
    lost = 0
    for attempt_id, position, revision, answer in acked:
        row = saved.get((attempt_id, position))
        if (
            row is None
            or row["revision"] < revision
            or (row["revision"] == revision and not _same(row["answer"], answer))
        ):
            lost += 1
    return lost


def _same(saved, sent) -> bool:
    """Whether the saved answer is the one sent, as the question type keeps
    it (choices as a sorted set, a number with its value beside the text)."""
    if sent and "choices" in sent:
        sent = {"choices": sorted(set(sent["choices"]))}
    if saved and "value" in saved and sent and "text" in sent:
        return saved.get("text") == sent["text"].strip()
    return saved == sent


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# The run -------------------------------------------------------------------------


async def run(args, prepared: Prepared, meter: Meter) -> tuple[list[Phase], list]:
    load = Load(args.port, prepared.cookie_name, args.connections)
    await load.open()
    rng = random.Random(args.seed)
    rate = args.trainees / args.interval
    phases: list[Phase] = []
    acked: list = []

    async def measured(name, work):
        phase = Phase(name)
        load.phase = phase
        before = meter.read()
        reporter = asyncio.create_task(progress(phase, load, meter.disk))
        await work
        reporter.cancel()
        phase.cpu = Meter.spent(before, meter.read())
        phases.append(phase)
        print(describe(phase), flush=True)
        return phase

    async def health(_state, _count):
        return await load.request(
            "health", "GET", "/health/", rng.choice(prepared.ceiling_cookies)
        )

    async def save(state, count):
        cookie, attempt_id, answers = state
        position, answer = answers[count % len(answers)]
        body = json.dumps(
            {"position": position, "answer": answer, "revision": None}
        ).encode()
        return await load.request(
            "save",
            "POST",
            f"/exams/attempts/{attempt_id}/save/",
            cookie,
            body,
            "application/json",
        )

    clients = [None] * args.closed_clients

    async def ceiling(when):
        await measured(
            f"ceiling {when}: /health/ at the exam's offered load",
            open_loop_health(
                load, prepared.ceiling_cookies, rate, args.ceiling_seconds, rng
            ),
        )
        await measured(
            f"ceiling {when}: /health/ closed loop",
            closed_loop(load, clients, args.closed_seconds, health),
        )

    # Warm-up, not counted: every worker thread imports what it lazily
    # imports and opens its database connection.
    load.phase = Phase("warm-up")
    await closed_loop(load, clients, 5.0, health)
    await ceiling("before")
    exam_started = time.perf_counter()
    burst_at = args.ramp + 2 * args.interval

    def trainees():
        for cookie in prepared.exam_cookies:
            delay = rng.uniform(0, max(args.ramp, args.interval))
            yield trainee(args, load, prepared.exam_id, cookie, acked, rng_for(), delay)
        for cookie in prepared.burst_cookies:
            delay = burst_at + rng.uniform(0, 60)
            yield trainee(args, load, prepared.exam_id, cookie, acked, rng_for(), delay)

    def rng_for():
        return random.Random(rng.random())

    exam = await measured(
        f"exam: {args.trainees} trainees, a save every {args.interval:g} s",
        asyncio.gather(*trainees()),
    )
    exam.started = exam_started
    exam.burst_at = exam_started + burst_at if prepared.burst_cookies else None
    await measured(
        "save closed loop",
        closed_loop(load, prepared.closed, args.closed_seconds, save),
    )
    await ceiling("after")
    await load.close()
    return phases, acked


def machine_jiffies() -> tuple[int, int, int]:
    """(busy, stolen, total) CPU time of the whole machine so far, from
    ``/proc/stat``: busy is everything but idle and I/O wait; stolen is time
    the hypervisor gave the machine's CPUs to other guests."""
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0]
    fields = [int(n) for n in cpu.split()[1:9]]
    idle, iowait, steal = fields[3], fields[4], fields[7]
    total = sum(fields)
    return total - idle - iowait, steal, total


def cpu_pressure() -> str:
    """The share of the last ten seconds in which runnable work waited for a
    CPU (``/proc/pressure/cpu``), or "n/a" where the kernel does not say."""
    try:
        some = Path("/proc/pressure/cpu").read_text().split("\n", 1)[0]
    except OSError:
        return "n/a"
    return f"{float(some.split()[1].split('=')[1]):.0f} %"


def disk_of(path: str) -> str | None:
    """The name ``/proc/diskstats`` gives the block device holding ``path``
    (PostgreSQL's data directory), or None where that cannot be read."""
    try:
        device = os.stat(path).st_dev
        for line in Path("/proc/diskstats").read_text().splitlines():
            major, minor, name = line.split()[:3]
            if os.makedev(int(major), int(minor)) == device:
                return name
    except (OSError, ValueError):
        return None
    return None


def disk_writes(name: str | None) -> tuple[int, int, int]:
    """(writes, sectors written, milliseconds spent writing) so far by the
    device ``name``, from ``/proc/diskstats``; zeros where it is unknown."""
    if name:
        for line in Path("/proc/diskstats").read_text().splitlines():
            fields = line.split()
            if fields[2] == name:
                return int(fields[7]), int(fields[9]), int(fields[10])
    return 0, 0, 0


async def progress(phase: Phase, load: Load, disk: str | None, every: float = 30.0):
    """A line every ``every`` seconds, so a run that falls behind its offered
    load shows it while it runs: requests waiting for a connection pile up.

    Each line also says how busy the whole machine was (and how much of its
    CPU the hypervisor gave to other guests), how much runnable work waited
    for a CPU, what the disk holding PostgreSQL's data wrote and how long a
    write took, and the clock time, to set beside PostgreSQL's log (its
    checkpoints) when a window stalls."""
    started = time.perf_counter()
    before = machine_jiffies()
    written = disk_writes(disk)
    while True:
        await asyncio.sleep(every)
        now = machine_jiffies()
        busy, stolen, total = _delta(before, now)
        before = now
        now_written = disk_writes(disk)
        writes, sectors, waited = _delta(written, now_written)
        written = now_written
        total = total or 1
        recent = [ms for at, _kind, ms in phase.trace[-500:]]
        print(
            f"   … {time.perf_counter() - started:.0f} s: {phase.requests} requests, "
            f"{phase.errors} errors, recent p95 {percentile(recent, 0.95):.0f} ms, "
            f"{load.size - load.pool.qsize()} of {load.size} connections busy; "
            f"machine {100 * busy / total:.0f} % busy ({100 * stolen / total:.0f} % "
            f"stolen), waiting for a CPU {cpu_pressure()}, "
            + (
                f"disk wrote {sectors * 512 / 2**20 / every:.1f} MB/s, "
                f"{waited / writes if writes else 0:.1f} ms a write, "
                if disk
                else ""
            )
            + f"{time.strftime('%H:%M:%S', time.gmtime())} UTC",
            flush=True,
        )


def describe(phase: Phase) -> str:
    cpu = phase.cpu
    wall = cpu["wall"] or 1
    count = max(1, phase.requests + phase.errors)
    lines = [
        f"== {phase.name}",
        f"   requests={phase.requests} errors={phase.errors} "
        f"seconds={wall:.1f} rps={phase.requests / wall:.1f}",
        f"   cpu ms/request: app={1000 * cpu['app'] / count:.2f} "
        f"postgres={1000 * cpu['postgres'] / count:.2f} "
        f"(active {1000 * cpu['pg_active'] / count:.2f}) "
        f"generator={1000 * cpu['generator'] / count:.2f}; "
        f"generator used {100 * cpu['generator'] / wall / CPUS:.1f}% of the machine",
    ]
    timed, requested, buffers, write_ms, sync_ms = cpu["checkpoints"]
    lines.append(
        "   postgres wrote: "
        + ", ".join(
            f"{name} {updated} updates ({100 * hot / updated:.0f} % HOT)"
            for name, (updated, hot) in cpu["tables"].items()
            if updated
        )
        + f"; WAL {cpu['wal'] / 2**20:.0f} MB "
        f"({cpu['wal'] / count / 1024:.1f} kB/request); "
        f"{timed + requested} checkpoints ({requested} requested), "
        f"{buffers * 8 / 1024:.0f} MB written by them, "
        f"write {write_ms / 1000:.0f} s, sync {sync_ms / 1000:.1f} s"
    )
    for kind, values in phase.by_kind.items():
        lines.append(
            f"   {kind:>6}: n={len(values)} p50_ms={percentile(values, 0.50):.1f} "
            f"p95_ms={percentile(values, 0.95):.1f} "
            f"p99_ms={percentile(values, 0.99):.1f} max_ms={max(values):.1f}"
        )
    return "\n".join(lines)


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def summary(args, phases: list[Phase], lost: int) -> str:
    by_name = {phase.name.split(":")[0]: phase for phase in phases}
    exam = next(p for p in phases if p.name.startswith("exam"))
    bare_open = [p for p in phases if "offered load" in p.name]
    bare_closed = [p for p in phases if "/health/ closed loop" in p.name]
    save_closed = by_name["save closed loop"]
    saves = exam.by_kind.get("save", [])
    starts = exam.by_kind.get("start", [])
    save_p95 = percentile(saves, 0.95)
    bare_p95 = statistics.fmean(percentile(p.latencies, 0.95) for p in bare_open)
    bare_rps = statistics.fmean(p.requests / p.cpu["wall"] for p in bare_closed)
    save_rps = save_closed.requests / save_closed.cpu["wall"]
    lines = [
        "== ratios (same run, same server)",
        f"   save p95 in the exam / /health/ p95 at that load: "
        f"{save_p95:.1f} / {bare_p95:.1f} ms = {_ratio(save_p95, bare_p95):.2f}",
        f"   save closed-loop rps / /health/ closed-loop rps: "
        f"{save_rps:.0f} / {bare_rps:.0f} = {_ratio(save_rps, bare_rps):.2f} "
        "(target at least 0.5)",
        f"   start p95 / save p95: {percentile(starts, 0.95):.1f} / {save_p95:.1f} "
        f"ms = {_ratio(percentile(starts, 0.95), save_p95):.2f} (target at most 5)",
        "   ceiling before → after: p95 "
        + " → ".join(f"{percentile(p.latencies, 0.95):.1f}" for p in bare_open)
        + " ms, closed-loop rps "
        + " → ".join(f"{p.requests / p.cpu['wall']:.0f}" for p in bare_closed),
    ]
    if getattr(exam, "burst_at", None):
        window = [
            ms
            for at, kind, ms in exam.trace
            if kind == "save" and exam.burst_at <= at <= exam.burst_at + 90
        ]
        lines.append(
            f"   save p95 while {args.class_burst} more start within a minute: "
            f"{percentile(window, 0.95):.1f} ms (n={len(window)})"
        )
    latencies = exam.latencies
    lines.append(
        f"RESULT trainees={args.trainees} requests={exam.requests} "
        f"errors={sum(p.errors for p in phases)} "
        f"p50_ms={percentile(latencies, 0.50):.1f} "
        f"p95_ms={percentile(latencies, 0.95):.1f} "
        f"p99_ms={percentile(latencies, 0.99):.1f} "
        f"save_p95_ms={save_p95:.1f} lost_answers={lost} "
        f"save_p95_ratio={_ratio(save_p95, bare_p95):.2f} "
        f"save_rps_ratio={_ratio(save_rps, bare_rps):.2f}"
    )
    return "\n".join(lines)


_servers: list[subprocess.Popen] = []


def _stop_on_terminate(signum, frame):
    # Stopped from outside (``timeout``, ``kill``): stop gunicorn first, or it
    # would hold the port for the next run, then leave at once.
    for server in _servers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    os._exit(128 + signum)


def main(argv=None):
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    args = parse_args(argv)
    refuse_taken_port(args.port)
    env = environment(args)
    print(
        f"Preparing {args.trainees} trainees"
        + (f" (+{args.class_burst} in a burst)" if args.class_burst else "")
        + f" and a {args.questions}-question exam…",
        flush=True,
    )
    prepared = prepare(args, env)
    refuse_taken_port(args.port)  # still free after the minutes preparing took
    server = start_server(args, env)
    print(
        f"Serving with {args.server}: {args.workers} workers, "
        f"{args.threads} threads each"
        + (f", on CPUs {args.app_cpus}" if args.app_cpus else "")
        + (", sessions and cache in Redis" if args.redis else ""),
        flush=True,
    )
    started = time.perf_counter()
    try:
        meter = Meter(server, args.database)
        phases, acked = asyncio.run(run(args, prepared, meter))
    finally:
        stop_server(server)
    lost = lost_answers(acked)
    if args.trace:
        with open(args.trace, "w") as trace:
            trace.write("t_s,phase,kind,ms\n")
            for phase in phases:
                for at, kind, ms in sorted(phase.trace):
                    trace.write(f"{at - started:.3f},{phase.name},{kind},{ms:.1f}\n")
    print(summary(args, phases, lost))


if __name__ == "__main__":
    main()
