"""Leave a fifth of each session page free on PostgreSQL.

A signed-in session is kept in the store until a fixed time, so noting
activity rewrites only its data, which no index covers; with room left on
the page, those writes are HOT updates.
"""

from django.db import migrations

from cms.db import SetFillfactor


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0008_certificate_settings"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        SetFillfactor("sessions.Session", 80),
    ]
