"""Extension points other apps plug into."""

from django.dispatch import Signal

# Sent by the fixture loader after courses are loaded, with ``report`` (a
# cms.services.LoadReport) and ``fixtures_dir`` (a Path), so apps that build
# on courses (exams) can load their own fixtures in the same command.
fixtures_loaded = Signal()
