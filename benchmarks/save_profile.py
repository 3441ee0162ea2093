"""Where a save's time goes: one trainee's autosave, run in this process
through the whole Django stack (production settings, PostgreSQL), beside the
cheapest signed-in request (``/health/``), the attempt's page (read on
arrival and on each reload) and the start of an attempt (each by a new
trainee, drawing and freezing 50 questions) measured the same way.

    .venv/bin/python benchmarks/save_profile.py --requests 1000
    .venv/bin/python benchmarks/save_profile.py --show-queries --top 40

``--show-queries`` prints the SQL of one request of each kind (for the save,
one that changes the answer); ``--top N`` the N functions with the most
cumulative (or, with ``--sort tottime``, own) time under the profiler.

For each request kind it prints the wall milliseconds per request (no
profiler), the PostgreSQL backend's CPU milliseconds per request (from
``/proc``), the queries per request, and, from a second pass under cProfile,
how the app's own time divides between the request handler and middleware,
sessions and authentication, the ORM, the database driver's wait on
PostgreSQL, JSON, the project's code and the rest of Python. The profiler
slows Python down, so read its shares as proportions, not milliseconds.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.exam_load import (  # noqa: E402
    CLOCK_TICKS,
    environment,
    parse_args,
    prepare,
)

CATEGORIES = [
    ("PostgreSQL wait (driver)", ("psycopg", "<method 'poll'", "select.")),
    ("ORM", ("django/db/",)),
    ("sessions & auth", ("django/contrib/sessions/", "django/contrib/auth/")),
    (
        "handler & middleware",
        (
            "django/core/handlers/",
            "django/middleware/",
            "whitenoise/",
            "django/contrib/messages/",
            "wagtail/",
            "django/test/",
        ),
    ),
    ("request & response", ("django/http/", "django/urls/", "django/utils/")),
    ("JSON", ("json/", "<built-in method _json")),
    ("project code", ("/exams/", "/courses/", "/cms/")),
]


def category(key) -> str:
    filename, _line, name = key
    where = f"{filename}:{name}"
    for label, needles in CATEGORIES:
        if any(needle in where for needle in needles):
            return label
    return "other Python"


START_WARM = 20


def backend_cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return 1000 * (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--starts",
        type=int,
        default=200,
        help="attempts started (each by a new trainee) per pass",
    )
    parser.add_argument(
        "--pages",
        type=int,
        default=200,
        help="views of the attempt's page per pass",
    )
    parser.add_argument("--database", default="peer_platform_profile")
    parser.add_argument(
        "--show-queries",
        action="store_true",
        help="print the SQL of one request of each kind",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=0,
        metavar="N",
        help="print the N functions with the most time per kind",
    )
    parser.add_argument(
        "--sort",
        default="cumulative",
        choices=("cumulative", "tottime"),
        help="order of --top: time in and under a function, or in it alone",
    )
    options = parser.parse_args()
    args = parse_args(
        [
            "--trainees",
            str(START_WARM + 1 + 2 * options.starts),
            "--closed-clients",
            "1",
            "--database",
            options.database,
        ]
    )
    env = environment(args)
    print(
        "Preparing a database with one trainee in an attempt and "
        f"{args.trainees} who will start one…",
        flush=True,
    )
    prepared = prepare(args, env)
    os.environ.update(env)

    import json

    from django.db import connection
    from django.test import Client

    cookie, attempt_id, answers = prepared.closed[0]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.cookies[prepared.cookie_name] = cookie
    client.cookies["csrftoken"] = csrf = "x" * 32

    def save(count):
        position, answer = answers[count % len(answers)]
        response = client.post(
            f"/exams/attempts/{attempt_id}/save/",
            json.dumps({"position": position, "answer": answer, "revision": None}),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
        )
        assert response.status_code == 200, response.content

    def health(_count):
        response = client.get("/health/")
        assert response.status_code == 200

    def page(_count):
        response = client.get(f"/exams/attempts/{attempt_id}/")
        assert response.status_code == 200, response.status_code

    starter = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    starter.cookies["csrftoken"] = csrf

    def start(count):
        # Each start is a new trainee's: starting again would only resume.
        starter.cookies[prepared.cookie_name] = prepared.exam_cookies[count]
        response = starter.post(
            f"/exams/{prepared.exam_id}/start/", HTTP_X_CSRFTOKEN=csrf
        )
        assert response.status_code == 302, response.content
        assert "/exams/attempts/" in response["Location"], response["Location"]

    print(
        f"{'request':<8} {'wall ms':>8} {'postgres cpu ms':>16} {'queries':>8}   "
        "app time under the profiler"
    )
    # After the warm-up every question holds its second-round answer, so a
    # first-round answer that differs from it is a save that writes.
    half = len(answers) // 2
    changed = next((i for i in range(half) if answers[i][1] != answers[i + half][1]), 0)
    kinds = (
        ("health", health, 100, options.requests),
        ("save", save, 100, options.requests),
        ("page", page, START_WARM, options.pages),
        ("start", start, START_WARM, options.starts),
    )
    for name, request, warm, requests in kinds:
        for n in range(warm):  # warm: imports, caches, the connection
            request(n)
        connection.ensure_connection()
        backend = connection.connection.info.backend_pid
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            request(changed if name == "save" else warm)
        if options.show_queries:
            print(f"-- {name}", *queries, sep="\n", flush=True)
        pg_before = backend_cpu_ms(backend)
        started = time.perf_counter()
        first = warm + 1
        for n in range(first, first + requests):
            request(n)
        wall = (time.perf_counter() - started) * 1000 / requests
        pg = (backend_cpu_ms(backend) - pg_before) / requests
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(first + requests, first + 2 * requests):
            request(n)
        profiler.disable()
        if options.top:
            pstats.Stats(profiler).sort_stats(options.sort).print_stats(options.top)
        shares = defaultdict(float)
        stats = pstats.Stats(profiler).stats
        for key, (_calls, _primitive, own, _cumulative, _callers) in stats.items():
            shares[category(key)] += own
        total = sum(shares.values()) or 1
        parts = ", ".join(
            f"{label} {100 * seconds / total:.0f}%"
            for label, seconds in sorted(shares.items(), key=lambda i: -i[1])
        )
        print(f"{name:<8} {wall:>8.2f} {pg:>16.2f} {len(queries):>8}   {parts}")


if __name__ == "__main__":
    main()
