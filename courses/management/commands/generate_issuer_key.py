"""Print a new Ed25519 key for signing Open Badges credentials.

Put it in the environment as OPEN_BADGES_ISSUER_KEY and keep it secret; its
public half is published at /.well-known/jwks.json and did.json. Replacing
the key makes credentials signed with the old one fail verification.
"""

from django.core.management.base import BaseCommand

from courses.badges import issuer_key_new


class Command(BaseCommand):
    help = "Print a new issuer key for OPEN_BADGES_ISSUER_KEY."

    def handle(self, *args, **options):
        self.stdout.write(f"OPEN_BADGES_ISSUER_KEY={issuer_key_new()}")
