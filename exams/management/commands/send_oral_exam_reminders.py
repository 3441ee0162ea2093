"""Queue the day-before reminders of oral-exam bookings that are due.

With the database task backend each booking's reminder is already queued for
its time; this command is the safety net (a worker that was down, a backend
that cannot defer). Run it every hour or so: each reminder still goes out
only once.
"""

from django.core.management.base import BaseCommand

from exams.tasks import booking_reminders_send_due


class Command(BaseCommand):
    help = "Queue the oral-exam reminders that are due."

    def handle(self, *args, **options):
        booking_reminders_send_due.enqueue()
        if options["verbosity"]:
            self.stdout.write("Queued the oral-exam reminders that are due.")
