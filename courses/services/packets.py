"""Generating an application packet, preparing its files and marking it sent.

Only administrators who may generate packets do any of it. A packet is
generated only when every item of the credential's checklist is met; its
PDF and workbook are built by a task (``courses.tasks.application_packet_build``),
never in the request. Including sensitive documents (the Attestation of
Recovery, letters of reference) needs ``courses.view_sensitive_document``
as well: ticking it is written to the audit log, and so is every refused
attempt.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User

from ..models import ApplicationPacket, Credential
from ..permissions_supervision import (
    user_can_generate_packets,
    user_can_include_sensitive_in_packet,
)

logger = logging.getLogger(__name__)


def packet_generate(
    *,
    trainee: User,
    credential: Credential,
    by: User,
    include_sensitive: bool = False,
    request=None,
) -> ApplicationPacket:
    """Record a new packet (being prepared) and queue the building of its
    files. Refused, with nothing recorded but the refusal, when ``by`` may
    not, when sensitive documents are asked for by someone who may not see
    them, or when any checklist item is missing."""
    from ..selectors.packets import readiness

    if not user_can_generate_packets(by):
        raise PermissionDenied
    if include_sensitive and not user_can_include_sensitive_in_packet(by):
        # Outside any transaction, so the refusal stays in the log.
        audit.record(
            "application_packet.sensitive_refused",
            actor=by,
            target=trainee,
            request=request,
            credential=credential.slug,
        )
        raise ValidationError(
            {
                "include_sensitive": _(
                    "You may not include sensitive documents in a packet: that "
                    "needs the permission to view sensitive documents. Nothing "
                    "was generated."
                )
            }
        )
    progress = readiness(trainee=trainee, credential=credential)
    if not progress.is_met:
        missing = [
            item.description for item in progress.requirements if not item.progress.met
        ]
        raise ValidationError(
            _(
                "The packet cannot be generated until every item is met. "
                "Missing: %(items)s."
            )
            % {
                "items": "; ".join(missing)
                or _("the credential has no requirements recorded")
            }
        )
    from ..tasks import application_packet_build

    with transaction.atomic():
        packet = ApplicationPacket.objects.create(
            trainee=trainee,
            credential=credential,
            generated_by=by,
            generated_at=timezone.now(),
            includes_sensitive=include_sensitive,
            sensitive_ticked_by=by if include_sensitive else None,
        )
        audit.record(
            "application_packet.generated",
            actor=by,
            target=packet,
            request=request,
            trainee=trainee,
            credential=credential.slug,
            includes_sensitive=include_sensitive,
        )
        if include_sensitive:
            audit.record(
                "application_packet.sensitive_included",
                actor=by,
                target=packet,
                request=request,
                trainee=trainee,
                credential=credential.slug,
            )
        transaction.on_commit(partial(application_packet_build.enqueue, packet.pk))
    return packet


def packet_build(*, packet: ApplicationPacket) -> ApplicationPacket:
    """Build the packet's PDF and workbook into private storage and mark it
    ready (the task's work); a packet already prepared is left alone."""
    from ..pdf import packet_pdf_build
    from ..selectors.packets import packet_contents
    from ..spreadsheets_packet import packet_workbook_build

    if packet.status == ApplicationPacket.Status.READY:
        return packet
    contents = packet_contents(
        trainee=packet.trainee,
        credential=packet.credential,
        include_sensitive=packet.includes_sensitive,
        today=timezone.localdate(packet.generated_at),
    )
    try:
        pdf = packet_pdf_build(contents=contents, packet=packet)
        workbook = packet_workbook_build(contents=contents)
    except Exception:
        logger.exception("Application packet %s could not be built", packet.pk)
        ApplicationPacket.objects.filter(pk=packet.pk).update(
            status=ApplicationPacket.Status.FAILED
        )
        packet.status = ApplicationPacket.Status.FAILED
        return packet
    stem = f"application-packet-{packet.pk}"
    packet.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    packet.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
    packet.status = ApplicationPacket.Status.READY
    packet.prepared_at = timezone.now()
    ApplicationPacket.objects.filter(pk=packet.pk).update(
        pdf=packet.pdf.name,
        workbook=packet.workbook.name,
        status=packet.status,
        prepared_at=packet.prepared_at,
    )
    return packet


@transaction.atomic
def packet_mark_sent(
    *,
    packet: ApplicationPacket,
    by: User,
    sent_on: datetime.date,
    board_reference: str = "",
    request=None,
) -> ApplicationPacket:
    """Record that the packet went to the board, on which day, and the
    board's reference if it gave one. Once only."""
    if not user_can_generate_packets(by):
        raise PermissionDenied
    packet = ApplicationPacket.objects.select_for_update().get(pk=packet.pk)
    if packet.is_sent:
        raise ValidationError(
            _("This packet was already marked sent on %(date)s.")
            % {"date": packet.sent_on.isoformat()}
        )
    if not packet.is_ready:
        raise ValidationError(
            _("This packet is still being prepared; mark it sent once it is ready.")
        )
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    if sent_on < timezone.localdate(packet.generated_at):
        raise ValidationError(
            {"sent_on": _("The date cannot be before the packet was generated.")}
        )
    packet.sent_on = sent_on
    packet.sent_by = by
    packet.board_reference = board_reference.strip()
    packet.save(update_fields=["sent_on", "sent_by", "board_reference"])
    audit.record(
        "application_packet.sent",
        actor=by,
        target=packet,
        request=request,
        trainee=packet.trainee,
        sent_on=sent_on,
        board_reference=packet.board_reference,
    )
    return packet
