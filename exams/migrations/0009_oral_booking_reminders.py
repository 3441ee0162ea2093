"""Oral-exam bookings remember when their reminder went out, so each booking
is reminded once however many task workers run."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0008_oral_exams_slots_bookings_scores"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="reminder_sent_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="reminder sent at"
            ),
        ),
    ]
