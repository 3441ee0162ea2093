"""Leave a fifth of each answer page free on PostgreSQL.

Every autosave rewrites a response's answer, revision and time, none of
them indexed. Responses are inserted fifty at a time when an attempt starts
and would fill their pages completely; with room left on the page, the
saves are HOT updates.
"""

from django.db import migrations

from cms.db import SetFillfactor


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0011_attemptquestion_attempt_unindexed"),
    ]

    operations = [
        SetFillfactor("exams.Response", 80),
    ]
