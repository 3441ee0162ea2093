"""Extension points other apps plug into."""

from django.dispatch import Signal

# Sent by the fixture loader after courses are loaded, with ``report`` (a
# cms.services.LoadReport) and ``fixtures_dir`` (a Path), so apps that build
# on courses (exams) can load their own fixtures in the same command.
fixtures_loaded = Signal()

# Sent by ``load_demo_data`` after the demo users and cohorts, with ``report``
# and ``today`` (the load date), so apps that build on courses can add demo
# records of their own (the exams app's oral-exam slots).
demo_data_loaded = Signal()
