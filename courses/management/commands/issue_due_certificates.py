"""Issue every completion certificate that is due.

The events that complete a course queue the check themselves; this sweep
catches anything they missed (a rule changed, a task lost). Safe to run at
any time: a trainee never gets two valid certificates of one course.
"""

from django.core.management.base import BaseCommand

from courses.services import certificates_issue_due


class Command(BaseCommand):
    help = "Issue the completion certificates that are due (idempotent)."

    def handle(self, *args, **options):
        issued = certificates_issue_due()
        for certificate in issued:
            self.stdout.write(
                f"Issued {certificate.course_title} to {certificate.legal_name} "
                f"({certificate.grouped_code})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(issued)} certificate(s) issued."))
