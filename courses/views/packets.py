"""The trainee's "Ready to apply" page, and the administrators' application
packets: trainees' readiness for a credential, generating a packet (its
files built by a task), marking it sent, downloading it.

A packet the user may not see answers 404, the same as one that does not
exist; a refused packet with sensitive documents is written to the audit
log, and so is every download.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import audit
from cms.access import role_required
from cms.models import User
from cms.spreadsheets import XLSX_CONTENT_TYPE

from ..forms_packets import PacketGenerateForm, PacketSentForm
from ..forms_supervision import errors_to_form
from ..models import ApplicationPacket, Credential
from ..permissions import (
    user_can_generate_packets,
    user_can_include_sensitive_in_packet,
    user_can_study,
    user_can_view_packet,
)
from ..selectors import credential_progress
from ..selectors import packets as selectors
from ..services import packets as services
from .files import private_file_response

packet_staff_required = role_required(user_can_generate_packets)


def _checklist_credential(slug: str) -> Credential:
    credential = get_object_or_404(Credential, slug=slug)
    if not credential.requirements.exists():
        raise Http404
    return credential


# The trainee's side ---------------------------------------------------------------


@role_required(user_can_study)
def ready_to_apply_index(request):
    """Each credential with a checklist, how far the trainee is with it."""
    credentials = selectors.checklist_credentials()
    if len(credentials) == 1:
        return redirect("courses:ready_to_apply", credential_slug=credentials[0].slug)
    return render(
        request,
        "courses/packets/ready_index.html",
        {"items": credential_progress(trainee=request.user, credentials=credentials)},
    )


@role_required(user_can_study)
def ready_to_apply(request, credential_slug: str):
    credential = _checklist_credential(credential_slug)
    progress = selectors.readiness(trainee=request.user, credential=credential)
    return render(
        request,
        "courses/packets/ready.html",
        {"item": progress, "credential": credential},
    )


# The administrators' side ---------------------------------------------------------


@packet_staff_required
def packets_home(request):
    return render(
        request,
        "courses/packets/home.html",
        {"credentials": selectors.checklist_credentials()},
    )


@packet_staff_required
def packet_candidates(request, credential_slug: str):
    credential = _checklist_credential(credential_slug)
    email = request.GET.get("email", "").strip()
    not_found = False
    if email:
        trainee = selectors.trainee_by_email(email)
        if trainee is not None:
            return redirect(
                "courses:packet_trainee",
                credential_slug=credential.slug,
                trainee_id=trainee.pk,
            )
        not_found = True
    rows, total = selectors.packet_candidates(credential=credential)
    return render(
        request,
        "courses/packets/candidates.html",
        {
            "credential": credential,
            "rows": rows,
            "total": total,
            "email": email,
            "not_found": not_found,
        },
    )


def _trainee_page(request, credential, trainee, *, form=None, sent_form=None):
    return render(
        request,
        "courses/packets/trainee.html",
        {
            "credential": credential,
            "trainee": trainee,
            "item": selectors.readiness(trainee=trainee, credential=credential),
            "packets": [
                (packet, user_can_view_packet(request.user, packet))
                for packet in selectors.packets_of(
                    trainee=trainee, credential=credential
                )
            ],
            "form": form or PacketGenerateForm(),
            "sent_form": sent_form or PacketSentForm(),
            "may_include_sensitive": user_can_include_sensitive_in_packet(request.user),
        },
        status=400 if (form or sent_form) else 200,
    )


@packet_staff_required
def packet_trainee(request, credential_slug: str, trainee_id: int):
    credential = _checklist_credential(credential_slug)
    trainee = get_object_or_404(User, pk=trainee_id)
    return _trainee_page(request, credential, trainee)


@require_POST
@packet_staff_required
def packet_generate(request, credential_slug: str, trainee_id: int):
    credential = _checklist_credential(credential_slug)
    trainee = get_object_or_404(User, pk=trainee_id)
    form = PacketGenerateForm(request.POST)
    if form.is_valid():
        try:
            services.packet_generate(
                trainee=trainee,
                credential=credential,
                by=request.user,
                include_sensitive=form.cleaned_data["include_sensitive"],
                request=request,
            )
        except ValidationError as error:
            if "include_sensitive" not in getattr(error, "error_dict", {}):
                errors_to_form(form, error)
                return _trainee_page(request, credential, trainee, form=form)
            # The refused attempt is in the audit log: the answer is a
            # redirect, as after any request that recorded something.
            for message in error.message_dict["include_sensitive"]:
                messages.error(
                    request,
                    f"{form.fields['include_sensitive'].label}: {message}",
                )
        else:
            messages.success(
                request,
                _("The packet is being prepared; its files appear here when ready."),
            )
        return redirect(
            "courses:packet_trainee",
            credential_slug=credential.slug,
            trainee_id=trainee.pk,
        )
    return _trainee_page(request, credential, trainee, form=form)


def _packet_or_404(request, packet_id: int) -> ApplicationPacket:
    packet = get_object_or_404(
        ApplicationPacket.objects.select_related("trainee", "credential"),
        pk=packet_id,
    )
    if not user_can_view_packet(request.user, packet):
        if packet.includes_sensitive:
            audit.record(
                "application_packet.refused",
                actor=request.user,
                target=packet,
                request=request,
            )
        raise Http404
    return packet


@require_POST
@packet_staff_required
def packet_mark_sent(request, packet_id: int):
    packet = _packet_or_404(request, packet_id)
    form = PacketSentForm(request.POST)
    if form.is_valid():
        try:
            services.packet_mark_sent(
                packet=packet,
                by=request.user,
                sent_on=form.cleaned_data["sent_on"],
                board_reference=form.cleaned_data["board_reference"],
                request=request,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The packet is marked sent."))
            return redirect(
                "courses:packet_trainee",
                credential_slug=packet.credential.slug,
                trainee_id=packet.trainee_id,
            )
    return _trainee_page(request, packet.credential, packet.trainee, sent_form=form)


PARTS = {
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("workbook", XLSX_CONTENT_TYPE),
}


def packet_download(request, packet_id: int, part: str):
    """The packet's PDF or workbook, as an attachment, audited."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_can_generate_packets(request.user):
        raise PermissionDenied
    if part not in PARTS:
        raise Http404
    packet = _packet_or_404(request, packet_id)
    field_name, content_type = PARTS[part]
    stored = getattr(packet, field_name)
    if not packet.is_ready or not stored:
        raise Http404
    response = private_file_response(
        stored,
        name=f"application-packet-{packet.trainee_id}-{packet.pk}.{part}",
        content_type=content_type,
    )
    audit.record(
        "application_packet.downloaded",
        actor=request.user,
        target=packet,
        request=request,
        part=part,
        trainee=packet.trainee,
        includes_sensitive=packet.includes_sensitive,
    )
    return response
