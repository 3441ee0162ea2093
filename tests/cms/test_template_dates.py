"""Templates format dates and times through the active language's named
formats, so a translation or a site in another locale changes them all."""

import re
from pathlib import Path

from django.utils.formats import FORMAT_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
FILTER = re.compile(r"\|(?:date|time):\"([^\"]*)\"")
# The weekday's name on its own is a word, translated like any other; the
# weekday_date and weekday_datetime filters join it to the named formats.
ALLOWED = {"l", "D"}


def test_every_template_date_uses_a_named_format():
    offenders = []
    for app in ("cms", "courses", "exams"):
        for template in (ROOT / app / "templates").rglob("*"):
            if template.suffix not in (".html", ".txt"):  # pages and emails
                continue
            for match in FILTER.finditer(template.read_text()):
                if match[1] not in FORMAT_SETTINGS and match[1] not in ALLOWED:
                    offenders.append(f"{template.relative_to(ROOT)}: {match[0]}")
    assert offenders == [], "use DATE_FORMAT, TIME_FORMAT …: " + ", ".join(offenders)
