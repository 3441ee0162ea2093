"""Background tasks of the courses app (django-tasks).

The database backend queues them for ``manage.py db_worker``; tests run them
at once. Each takes ids, not records, and reads what it needs when it runs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


@task()
def issue_due_certificates_for(trainee_id: int) -> list[int]:
    """Issue the certificates a trainee is now due (queued by the event that
    may have completed a course); the ids of those issued."""
    from cms.models import User

    from .services.certificates import certificates_issue_due_for

    trainee = User.objects.filter(pk=trainee_id).first()
    if trainee is None:
        return []
    return [c.pk for c in certificates_issue_due_for(trainee=trainee)]


@task()
def certificate_pdf_render(certificate_id: int) -> str:
    """Render a certificate's PDF into private storage; the file's sha256."""
    from .models import Certificate
    from .services.certificates import certificate_pdf_store

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return ""
    return certificate_pdf_store(certificate=certificate).pdf_sha256


@task()
def certificate_revoked_notify(certificate_id: int) -> bool:
    """Tell the trainee their certificate was revoked, and why."""
    from .models import Certificate

    certificate = (
        Certificate.objects.select_related("trainee").filter(pk=certificate_id).first()
    )
    if certificate is None or not certificate.trainee.email:
        return False
    context = {
        "certificate": certificate,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    send_mail(
        subject=render_to_string(
            "courses/certificates/email/revoked_subject.txt", context
        ).strip(),
        message=render_to_string("courses/certificates/email/revoked.txt", context),
        from_email=None,
        recipient_list=[certificate.trainee.email],
    )
    return True


@task()
def hour_record_sign_off_send(trainee_id: int, credential_id: int | None, by_id: int):
    """Render the verification of training hours, signed off by ``by``
    today, and email it to them as a PDF."""
    from django.core.mail import EmailMessage
    from django.utils import timezone

    from cms.models import User

    from .models import Credential
    from .pdf import hour_record_pdf_build
    from .selectors import hour_verification_record

    trainee = User.objects.get(pk=trainee_id)
    by = User.objects.get(pk=by_id)
    credential = (
        Credential.objects.filter(pk=credential_id).first() if credential_id else None
    )
    record = hour_verification_record(trainee=trainee, credential=credential)
    data = hour_record_pdf_build(
        record=record, signed_by=by, signed_on=timezone.localdate()
    )
    message = EmailMessage(
        subject=f"Verification of training hours: {trainee.legal_name}",
        body=(
            f"The verification of training hours of {trainee.legal_name}"
            f"{' for ' + credential.name if credential else ''}, signed off by "
            f"{by.legal_name}, is attached."
        ),
        to=[by.email],
    )
    message.attach(f"verification-of-hours-{trainee.pk}.pdf", data, "application/pdf")
    message.send()
    return True


@task()
def invitation_send(invitation_id: int) -> bool:
    """Email a cohort invitation, when its address belongs to a trainee."""
    from .services import invitations

    return invitations.invitation_send(invitation_id=invitation_id)


@task()
def reference_request_send(reference_id: int) -> bool:
    """Email a referee the single-use link to write their letter."""
    from .services import references

    return references.reference_request_send(reference_id=reference_id)


@task()
def application_packet_build(packet_id: int) -> str:
    """Build an application packet's PDF and workbook; its status after."""
    from .models import ApplicationPacket
    from .services.packets import packet_build

    packet = (
        ApplicationPacket.objects.select_related("trainee", "credential")
        .filter(pk=packet_id)
        .first()
    )
    if packet is None:
        return ""
    return packet_build(packet=packet).status
