"""Load test: N trainees take a 50-question exam at once against gunicorn and
PostgreSQL, then the database is checked for every acknowledged save.

    .venv/bin/python benchmarks/exam_load.py --trainees 500 --interval 5

Trainees start their attempts spread over ``ramp`` seconds, as a class
would. Each simulated trainee starts an attempt, saves an answer every ``interval``
seconds (with jitter), reloads the attempt page every ``reload_every`` saves,
and submits. Every save the server acknowledged (HTTP 200 with a revision)
must be in the database afterwards. The last line printed is:

    RESULT trainees=... requests=... errors=... p50_ms=... p95_ms=...
           p99_ms=... lost_answers=...

Traffic goes only to 127.0.0.1. The benchmark creates and drops its own
database (``--database``, default peer_platform_bench).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args():
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
        default=60.0,
        help="seconds over which trainees start their attempts",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
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
    return parser.parse_args()


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        DJANGO_CONN_MAX_AGE="600",
    )
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def prepare(args, env):
    """A fresh database with the fixtures, N trainees and a 50-question exam."""
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
    from django.contrib.sessions.backends.db import SessionStore

    from cms.models import User
    from courses.models import CoursePage, Enrollment
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
        time_limit_minutes=600,
        pass_mark_percent=Decimal(70),
        is_published=True,
        attempts_allowed=1,
    )
    BlueprintRule.objects.create(exam=exam, category=category, count=len(pool))
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"load{n}@example.org",
            legal_name=f"Load Trainee {n}",
            password=password,
        )
        for n in range(args.trainees)
    )
    Group.objects.get(name="Trainees").user_set.add(*users)
    Enrollment.objects.bulk_create(
        Enrollment(trainee=user, course=course) for user in users
    )
    cookies = []
    for user in users:
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return exam.pk, cookies, settings.SESSION_COOKIE_NAME


class Client:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams (stdlib only)."""

    def __init__(self, port, session_cookie, cookie_name):
        self.port = port
        self.csrf = secrets.token_hex(16)
        self.cookie = f"{cookie_name}={session_cookie}; csrftoken={self.csrf}"
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", content_type=None, accept=None):
        for _attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    "127.0.0.1", self.port
                )
            headers = [
                f"{method} {path} HTTP/1.1",
                f"Host: 127.0.0.1:{self.port}",
                f"Cookie: {self.cookie}",
                f"X-CSRFToken: {self.csrf}",
                f"Content-Length: {len(body)}",
                "Connection: keep-alive",
            ]
            if content_type:
                headers.append(f"Content-Type: {content_type}")
            if accept:
                headers.append(f"Accept: {accept}")
            try:
                self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
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
                    name, _, value = line.decode().partition(":")
                    name = name.lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "connection" and "close" in value.lower():
                        close = True
                    elif name == "location":
                        location = value.strip()
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


async def trainee(args, index, exam_id, cookie, cookie_name, stats, acked, rng):
    from asgiref.sync import sync_to_async

    from exams.models import AttemptQuestion

    client = Client(args.port, cookie, cookie_name)
    await asyncio.sleep(rng.uniform(0, max(args.ramp, args.interval)))

    async def timed(kind, *call_args, **kwargs):
        started = time.perf_counter()
        try:
            result = await client.request(*call_args, **kwargs)
        except ConnectionError:
            result = None
            stats["errors"] += 1
        else:
            stats["requests"] += 1
        latency = (time.perf_counter() - started) * 1000
        stats["latencies"].append(latency)
        stats["by_kind"].setdefault(kind, []).append(latency)
        stats["trace"].append((started, kind, latency))
        return result

    result = await timed(
        "start",
        "POST",
        f"/exams/{exam_id}/start/",
        body=b"",
        content_type="application/x-www-form-urlencoded",
    )
    if (
        result is None
        or result[0] != 302
        or "/exams/attempts/" not in (result[2] or "")
    ):
        stats["errors"] += 1
        client.close()
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
    if (await timed("page", "GET", page) or (0,))[0] != 200:
        stats["errors"] += 1
    for number, position in enumerate(sorted(contents), start=1):
        await asyncio.sleep(args.interval * rng.uniform(0.8, 1.2))
        answer = answer_for(contents[position], rng)
        body = json.dumps(
            {"position": position, "answer": answer, "revision": 0}
        ).encode()
        result = await timed(
            "save", "POST", f"{page}save/", body=body, content_type="application/json"
        )
        if result is None:
            continue
        status, data, _ = result
        if status == 200:
            acked.append((attempt_id, position, json.loads(data)["revision"], answer))
        else:
            stats["errors"] += 1
        if number % args.reload_every == 0:
            reload = await timed("page", "GET", page)
            if reload is None or reload[0] != 200:
                stats["errors"] += 1
    result = await timed(
        "submit",
        "POST",
        f"{page}submit/",
        body=b"",
        content_type="application/x-www-form-urlencoded",
    )
    if result is None or result[0] != 302:
        stats["errors"] += 1
    client.close()


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
            or (row["revision"] == revision and row["answer"] != _normal(answer))
        ):
            lost += 1
    return lost


def _normal(answer):
    if answer and "choices" in answer:
        return {"choices": sorted(set(answer["choices"]))}
    return answer


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    args = parse_args()
    env = environment(args)
    print(
        f"Preparing {args.trainees} trainees and a {args.questions}-question exam…",
        flush=True,
    )
    exam_id, cookies, cookie_name = prepare(args, env)
    server = subprocess.Popen(
        [
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
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/", timeout=1)
                break
            except Exception:  # the server is not listening yet
                time.sleep(0.2)
        stats = {
            "requests": 0,
            "errors": 0,
            "latencies": [],
            "by_kind": {},
            "trace": [],
        }
        acked = []
        rng = random.Random(args.seed)
        started = time.perf_counter()

        async def run_all():
            await asyncio.gather(
                *(
                    trainee(
                        args,
                        n,
                        exam_id,
                        cookie,
                        cookie_name,
                        stats,
                        acked,
                        random.Random(rng.random()),
                    )
                    for n, cookie in enumerate(cookies)
                )
            )

        asyncio.run(run_all())
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lost = lost_answers(acked)
    if args.trace:
        with open(args.trace, "w") as trace:
            trace.write("t_s,kind,ms\n")
            for at, kind, ms in sorted(stats["trace"]):
                trace.write(f"{at - started:.3f},{kind},{ms:.1f}\n")
    latencies = stats["latencies"]
    print(
        f"elapsed_s={elapsed:.1f} acknowledged_saves={len(acked)} "
        f"mean_ms={statistics.fmean(latencies) if latencies else 0:.1f} "
        f"rps={stats['requests'] / elapsed:.1f}"
    )
    for kind, values in stats["by_kind"].items():
        print(
            f"{kind:>6}: n={len(values)} p50_ms={percentile(values, 0.50):.1f} "
            f"p95_ms={percentile(values, 0.95):.1f} "
            f"p99_ms={percentile(values, 0.99):.1f} max_ms={max(values):.1f}"
        )
    print(
        f"RESULT trainees={args.trainees} requests={stats['requests']} "
        f"errors={stats['errors']} p50_ms={percentile(latencies, 0.50):.1f} "
        f"p95_ms={percentile(latencies, 0.95):.1f} "
        f"p99_ms={percentile(latencies, 0.99):.1f} lost_answers={lost}"
    )


if __name__ == "__main__":
    main()
