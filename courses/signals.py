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


def _course_trainer_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from cms import audit

        audit.record(
            "course.trainer_assigned",
            target=instance.course,
            trainer=instance.trainer,
        )


def _course_trainer_deleted(sender, instance, **kwargs):
    from cms import audit

    audit.record(
        "course.trainer_unassigned",
        target=instance.course,
        trainer=instance.trainer,
    )


def connect_course_trainer_audit() -> None:
    """Assigning a trainer to a course is a grant of power: audited however
    it happens."""
    from django.db.models.signals import post_delete, post_save

    from .models import CourseTrainer

    post_save.connect(
        _course_trainer_saved, sender=CourseTrainer, dispatch_uid="audit_ct_saved"
    )
    post_delete.connect(
        _course_trainer_deleted, sender=CourseTrainer, dispatch_uid="audit_ct_deleted"
    )
