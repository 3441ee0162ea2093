"""Checklist documents: the trainee's "My documents" (upload, status), the
administrators' "Documents to verify", and the file itself.

A document the user may not see answers 404, the same as one that does not
exist. Every view of a sensitive document is written to the audit log
(``sensitive_document.downloaded``), and so is every refusal of one
(``sensitive_document.refused``).
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

from ..forms_supervision import DocumentDecisionForm, DocumentUploadForm
from ..models.documents import DocumentKind, TraineeDocument
from ..permissions import (
    user_can_upload_documents,
    user_can_verify_documents,
    user_can_view_document,
    user_can_view_sensitive_documents,
)
from ..services import documents as services
from .files import private_file_response


@role_required(user_can_upload_documents)
def my_documents(request):
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.document_upload(
                    trainee=request.user,
                    kind=data["kind"],
                    file=data["file"],
                    title=data["title"],
                    hours=data["hours"],
                    completed_on=data["completed_on"],
                    screening_referral_only=data["screening_referral_only"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Uploaded. An administrator will verify it."),
                )
                return redirect("courses:my_documents")
    else:
        form = DocumentUploadForm()
    return render(
        request,
        "courses/documents/mine.html",
        {
            "form": form,
            "kinds": DocumentKind.objects.all(),
            "documents": TraineeDocument.objects.filter(
                trainee=request.user
            ).select_related("kind"),
        },
    )


@role_required(user_can_verify_documents)
def documents_to_verify(request):
    pending = TraineeDocument.objects.filter(
        status=TraineeDocument.Status.PENDING
    ).select_related("kind", "trainee")
    may_see_sensitive = user_can_view_sensitive_documents(request.user)
    return render(
        request,
        "courses/documents/verify.html",
        {
            "documents": list(pending.order_by("uploaded_at", "pk")[:200]),
            "may_see_sensitive": may_see_sensitive,
            "form": DocumentDecisionForm(),
        },
    )


def _document_or_404(request, document_id: int) -> TraineeDocument:
    document = get_object_or_404(
        TraineeDocument.objects.select_related("kind", "trainee"), pk=document_id
    )
    if not user_can_view_document(request.user, document):
        if document.is_sensitive:
            audit.record(
                "sensitive_document.refused",
                actor=request.user,
                target=document,
                request=request,
                kind=document.kind.slug,
            )
        raise Http404
    return document


@require_POST
@role_required(user_can_verify_documents)
def document_decide(request, document_id: int):
    document = _document_or_404(request, document_id)
    form = DocumentDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("courses:documents_to_verify")
    try:
        services.document_decide(
            document=document,
            by=request.user,
            verified=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("courses:documents_to_verify")


def document_file(request, document_id: int):
    """Stream a document to the few people allowed to see it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = _document_or_404(request, document_id)
    response = private_file_response(
        document.file, name=f"document-{document.pk}", as_attachment=False
    )
    if document.is_sensitive:
        audit.record(
            "sensitive_document.downloaded",
            actor=request.user,
            target=document,
            request=request,
            kind=document.kind.slug,
            trainee=document.trainee,
        )
    return response
