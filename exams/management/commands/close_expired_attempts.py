"""Close attempts whose deadline has passed, with the answers saved so far.

Run it every minute (cron or a task worker) so attempts close on time even
when the trainee has left; pages also close expired attempts as they load.
"""

from django.core.management.base import BaseCommand

from exams.services import attempts_close_expired


class Command(BaseCommand):
    help = "Close and grade attempts past their deadline."

    def handle(self, *args, **options):
        closed = attempts_close_expired()
        if options["verbosity"]:
            self.stdout.write(f"Closed {closed} expired attempts.")
