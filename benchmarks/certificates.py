"""Benchmark: issue certificates through the task path (PDF included), then
verify codes against the running site.

    .venv/bin/python benchmarks/certificates.py --certificates 1000 --verifies 10000

It builds its own SQLite database and private media in a temporary folder
(or uses ``--database-url``), gives N trainees a completed one-module course
whose completion rule is met, and runs for each the task a completing event
queues (``issue_due_certificates_for``) and the PDF task it queues in turn,
timing both. It then serves the site with gunicorn on 127.0.0.1 and
requests ``/verify/<code>/`` for a mix of real and unknown codes from a
pool of threads. The last line printed is:

    RESULT certificates=... per_certificate_ms=... pdf_ms=... verifies=...
           errors=... verify_p50_ms=... verify_p95_ms=...

Targets (issue 12): under 1 s per certificate with its PDF, verify p95 under
50 ms. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--verifies", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default="",
        help="a database to use instead of a fresh SQLite file (it is migrated)",
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure(folder: Path, database_url: str, port: int) -> dict:
    env = {
        # DEBUG off, no static manifest to build, immediate tasks.
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        # The benchmark measures the page, not the rate limit.
        "CERTIFICATE_VERIFY_RATE": "100000000/m",
    }
    os.environ.update(env)
    return env


def build(count: int) -> list[int]:
    """N adult trainees who completed a one-lesson online module; returns
    their ids. Rows are written in bulk: the benchmark is about issuing."""
    import datetime
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone

    from cms import roles
    from cms.models import User
    from cms.services import home_page_get
    from courses.models import (
        AgeRequirement,
        CourseIndexPage,
        CoursePage,
        Enrollment,
        HourCategory,
        HourEntry,
        LessonPage,
        LessonProgress,
        ModuleCompletionRequirement,
        ModulePage,
    )

    call_command("migrate", verbosity=0, interactive=False)
    category, _ = HourCategory.objects.get_or_create(
        slug="bench-ethics", defaults={"name": "Ethics (benchmark)"}
    )
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Courses", slug="courses")
        home_page_get().add_child(instance=index)
    course = CoursePage(title="Benchmark course", slug=f"bench-{time.time_ns()}")
    index.add_child(instance=course)
    module = ModulePage(
        title="Ethics",
        slug="ethics",
        credit_hours=Decimal(6),
        hour_category=category,
        delivery=ModulePage.Delivery.ONLINE,
    )
    course.add_child(instance=module)
    lesson = LessonPage(title="Boundaries", slug="boundaries", body=[])
    module.add_child(instance=lesson)
    effective = datetime.date(2026, 1, 1)
    AgeRequirement.objects.create(
        completion_of=course,
        minimum_age=18,
        source_citation="benchmark",
        effective_date=effective,
    )
    ModuleCompletionRequirement.objects.create(
        completion_of=course,
        course=course,
        source_citation="bench",
        effective_date=effective,
    )
    stamp = time.time_ns()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-{stamp}-{n}@example.org",
                legal_name=f"Trainee {n} Benchmark",
                date_of_birth=datetime.date(1990, 1, 1),
            )
            for n in range(count)
        ]
    )
    Group.objects.get(name=roles.TRAINEE).user_set.add(*users)
    now = timezone.now()
    Enrollment.objects.bulk_create(
        [Enrollment(trainee=u, course=course) for u in users]
    )
    LessonProgress.objects.bulk_create(
        [LessonProgress(trainee=u, lesson=lesson, completed_at=now) for u in users]
    )
    HourEntry.objects.bulk_create(
        [
            HourEntry(
                trainee=u,
                category=category,
                hours=Decimal(6),
                earned_on=now.date(),
                source=HourEntry.Source.MODULE_COMPLETION,
                source_key=f"module:{u.pk}:{module.pk}",
                module=module,
                description=module.title,
                created_at=now,
            )
            for u in users
        ]
    )
    return [u.pk for u in users]


def issue(trainee_ids: list[int]) -> tuple[list[str], list[float], list[float]]:
    from courses import tasks
    from courses.models import Certificate

    codes, per_certificate, pdf_times = [], [], []
    for trainee_id in trainee_ids:
        started = time.perf_counter()
        issued = tasks.issue_due_certificates_for.call(trainee_id)
        pdf_started = time.perf_counter()
        for certificate_id in issued:
            tasks.certificate_pdf_render.call(certificate_id)
        done = time.perf_counter()
        per_certificate.append((done - started) * 1000)
        pdf_times.append((done - pdf_started) * 1000)
        codes.extend(
            Certificate.objects.filter(pk__in=issued).values_list("code", flat=True)
        )
    return codes, per_certificate, pdf_times


def serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/verify/", timeout=10)
            return server
        except OSError:  # not listening yet, or still loading
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def verify(port: int, codes: list[str], count: int, concurrency: int):
    rng = random.Random(12)
    unknown = ["A" * 32, "NOTACODE", "B2C3" * 8]
    paths = [
        f"/verify/{rng.choice(codes) if rng.random() < 0.8 else rng.choice(unknown)}/"
        for _ in range(count)
    ]

    def fetch(path: str) -> tuple[float, bool]:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}{path}", timeout=10
            ) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return (time.perf_counter() - started) * 1000, ok

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(fetch, paths))
    times = sorted(ms for ms, _ in results)
    errors = sum(1 for _, ok in results if not ok)
    return times, errors


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * share))]


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="certificates-bench-") as folder:
        port = free_port()
        env = configure(Path(folder), args.database_url, port)
        import django

        django.setup()
        print(f"Building {args.certificates} trainees who completed the course...")
        trainee_ids = build(args.certificates)
        print("Issuing through the task path, PDF included...")
        codes, per_certificate, pdf_times = issue(trainee_ids)
        from django.db import connections

        connections.close_all()
        print(f"Verifying {args.verifies} codes against the running site...")
        server = serve(env, port, args.workers, args.threads)
        try:
            times, errors = verify(port, codes, args.verifies, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        "RESULT "
        f"certificates={len(codes)} "
        f"per_certificate_ms={statistics.mean(per_certificate or [0]):.1f} "
        f"pdf_ms={statistics.mean(pdf_times or [0]):.1f} "
        f"verifies={len(times)} errors={errors} "
        f"verify_p50_ms={percentile(times, 0.50):.1f} "
        f"verify_p95_ms={percentile(times, 0.95):.1f}"
    )


if __name__ == "__main__":
    main()
