"""Supervision pages: agreements, sessions and experience logs, signing.

A record the user is not a party to answers 404, the same as one that does
not exist, so nobody learns whom someone else supervises.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.access import role_required

from ..forms_supervision import (
    AgreementForm,
    ApproveForm,
    ExperienceForm,
    SendBackForm,
    SessionForm,
    SignForm,
    errors_to_form,
)
from ..models.supervision import (
    ExperienceLog,
    SignedLog,
    SupervisionSession,
    SupervisoryAgreement,
)
from ..permissions import (
    agreements_of,
    user_can_approve_agreements,
    user_can_supervise,
)
from ..selectors import supervision as supervision_selectors
from ..services import supervision as supervision_services
from ..services.supervision import SigningContext

supervisor_required = role_required(user_can_supervise)

LOG_MODELS = {"session": SupervisionSession, "experience": ExperienceLog}


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _agreement_for(request, agreement_id: int) -> SupervisoryAgreement:
    """An agreement the user is party to; administrators who record approvals
    see every agreement."""
    agreements = SupervisoryAgreement.objects.select_related(
        "trainee", "supervisor", "credential", "supervisor_credential_type"
    )
    if not user_can_approve_agreements(request.user):
        agreements = agreements_of(request.user, agreements)
    return get_object_or_404(agreements, pk=agreement_id)


def _party_agreement(request, agreement_id: int) -> SupervisoryAgreement:
    """An agreement the user is one of the two people of."""
    agreements = agreements_of(
        request.user,
        SupervisoryAgreement.objects.select_related(
            "trainee", "supervisor", "credential", "supervisor_credential_type"
        ),
    )
    return get_object_or_404(agreements, pk=agreement_id)


def _log_for(request, kind: str, log_id: int) -> SignedLog:
    model = LOG_MODELS.get(kind)
    if model is None:
        raise Http404
    logs = model.objects.select_related(
        "agreement__trainee",
        "agreement__supervisor",
        "agreement__credential",
        "logged_by",
    ).filter(
        agreement__in=agreements_of(request.user, SupervisoryAgreement.objects.all())
    )
    if model is ExperienceLog:
        logs = logs.select_related("domain")
    return get_object_or_404(logs, pk=log_id)


def _home_for(request) -> str:
    if user_can_supervise(request.user):
        return reverse("courses:supervision")
    return reverse("courses:my_supervision")


# Agreements -------------------------------------------------------------------


@supervisor_required
def agreement_create(request):
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = supervision_services.agreement_create(
                    trainee=data["trainee_email"],
                    supervisor=request.user,
                    credential=data["credential"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    credential_type=data["supervisor_credential_type"],
                    credential_number=data["supervisor_credential_number"],
                    by=request.user,
                    typed_name=data["typed_name"],
                    signing=SigningContext.from_request(request),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "trainee" in error.error_dict:
                    error = ValidationError(
                        {"trainee_email": error.error_dict.pop("trainee")}
                    )
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Agreement signed. %(name)s signs it next.")
                    % {"name": agreement.trainee.legal_name},
                )
                return redirect("courses:agreement_detail", agreement.pk)
    else:
        form = AgreementForm()
    return render(
        request,
        "courses/supervision/agreement_form.html",
        {"form": form, "agreement": None},
    )


def agreement_detail(request, agreement_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    agreement = _agreement_for(request, agreement_id)
    return render(
        request,
        "courses/supervision/agreement_detail.html",
        supervision_selectors.agreement_page(agreement=agreement, user=request.user)
        | {
            "sign_form": SignForm(),
            "approve_form": ApproveForm(),
            "may_approve": user_can_approve_agreements(request.user),
        },
    )


@require_POST
def agreement_sign(request, agreement_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    agreement = _party_agreement(request, agreement_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            supervision_services.agreement_sign(
                agreement=agreement,
                by=request.user,
                typed_name=form.cleaned_data["typed_name"],
                signing=SigningContext.from_request(request),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("You signed the agreement."))
            return redirect("courses:agreement_detail", agreement.pk)
    return render(
        request,
        "courses/supervision/agreement_detail.html",
        supervision_selectors.agreement_page(agreement=agreement, user=request.user)
        | {"sign_form": form, "approve_form": ApproveForm(), "may_approve": False},
        status=400,
    )


@supervisor_required
def agreement_edit(request, agreement_id: int):
    agreement = _party_agreement(request, agreement_id)
    if agreement.supervisor_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        form = AgreementForm(request.POST, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                supervision_services.agreement_change(
                    agreement=agreement,
                    by=request.user,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    credential_type=data["supervisor_credential_type"],
                    credential_number=data["supervisor_credential_number"],
                    typed_name=data["typed_name"],
                    signing=SigningContext.from_request(request),
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The agreement is changed and signed by you; the trainee "
                        "must sign the new version."
                    ),
                )
                return redirect("courses:agreement_detail", agreement.pk)
    else:
        form = AgreementForm(
            editing=True,
            initial={
                "start_date": agreement.start_date,
                "end_date": agreement.end_date,
                "supervisor_credential_type": agreement.supervisor_credential_type_id,
                "supervisor_credential_number": agreement.supervisor_credential_number,
            },
        )
    return render(
        request,
        "courses/supervision/agreement_form.html",
        {"form": form, "agreement": agreement},
    )


@require_POST
@role_required(user_can_approve_agreements)
def agreement_approve(request, agreement_id: int):
    agreement = get_object_or_404(SupervisoryAgreement, pk=agreement_id)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            supervision_services.agreement_approve(
                agreement=agreement,
                by=request.user,
                approved_on=form.cleaned_data["approved_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The board's approval is recorded."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[field].label}: {' '.join(errors)}"
                for field, errors in form.errors.items()
            ),
        )
    return redirect("courses:agreement_detail", agreement.pk)


# Logs -------------------------------------------------------------------------


def _log_form_class(kind: str):
    return SessionForm if kind == "session" else ExperienceForm


def log_create(request, agreement_id: int, kind: str):
    if (response := _signed_in(request)) is not None:
        return response
    if kind not in LOG_MODELS:
        raise Http404
    agreement = _party_agreement(request, agreement_id)
    form_class = _log_form_class(kind)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("confirm")
            try:
                if kind == "session":
                    log = supervision_services.session_log(
                        agreement=agreement,
                        by=request.user,
                        signing=SigningContext.from_request(request),
                        **data,
                    )
                else:
                    log = supervision_services.experience_log(
                        agreement=agreement,
                        by=request.user,
                        signing=SigningContext.from_request(request),
                        **data,
                    )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Logged and signed. It counts once %(name)s signs it too.")
                    % {"name": log.waiting_for.legal_name},
                )
                return redirect("courses:log_detail", kind, log.pk)
    else:
        form = form_class()
    return render(
        request,
        "courses/supervision/log_form.html",
        {"form": form, "agreement": agreement, "kind": kind, "log": None},
    )


def log_detail(request, kind: str, log_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    log = _log_for(request, kind, log_id)
    return render(
        request,
        "courses/supervision/log_detail.html",
        supervision_selectors.log_page(log=log, user=request.user)
        | {"kind": kind, "sign_form": SignForm(), "send_back_form": SendBackForm()},
    )


@require_POST
def log_sign(request, kind: str, log_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    log = _log_for(request, kind, log_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            supervision_services.log_sign(
                log=log,
                by=request.user,
                typed_name=form.cleaned_data["typed_name"],
                signing=SigningContext.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, _as_validation_error(error))
        else:
            messages.success(request, _("Signed by both: the hours count."))
            return redirect("courses:log_detail", kind, log.pk)
    return render(
        request,
        "courses/supervision/log_detail.html",
        supervision_selectors.log_page(log=log, user=request.user)
        | {"kind": kind, "sign_form": form, "send_back_form": SendBackForm()},
        status=400,
    )


@require_POST
def log_send_back(request, kind: str, log_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    log = _log_for(request, kind, log_id)
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            supervision_services.log_send_back(
                log=log, by=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, _as_validation_error(error))
        else:
            messages.success(request, _("Sent back with your reason."))
            return redirect("courses:log_detail", kind, log.pk)
    return render(
        request,
        "courses/supervision/log_detail.html",
        supervision_selectors.log_page(log=log, user=request.user)
        | {"kind": kind, "sign_form": SignForm(), "send_back_form": form},
        status=400,
    )


def log_correct(request, kind: str, log_id: int):
    if (response := _signed_in(request)) is not None:
        return response
    log = _log_for(request, kind, log_id)
    form_class = _log_form_class(kind)
    if request.method == "POST":
        form = form_class(request.POST, correcting=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("confirm")
            try:
                if kind == "session":
                    supervision_services.session_correct(
                        session=log,
                        by=request.user,
                        signing=SigningContext.from_request(request),
                        **data,
                    )
                else:
                    supervision_services.experience_correct(
                        log=log,
                        by=request.user,
                        signing=SigningContext.from_request(request),
                        **data,
                    )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Corrected and signed by you; any hours it counted are "
                        "reversed until the other person signs the new version."
                    ),
                )
                return redirect("courses:log_detail", kind, log.pk)
    else:
        if kind == "session":
            initial = {
                "date": log.date,
                "minutes": log.minutes,
                "format": log.format,
                "is_direct": log.is_direct,
                "domains": list(log.domains.all()),
                "note": log.note,
            }
        else:
            initial = {
                "period_start": log.period_start,
                "period_end": log.period_end,
                "site": log.site,
                "hours": log.hours,
                "domain": log.domain_id,
                "description": log.description,
            }
        form = form_class(initial=initial, correcting=True)
    return render(
        request,
        "courses/supervision/log_form.html",
        {"form": form, "agreement": log.agreement, "kind": kind, "log": log},
    )


def _as_validation_error(error) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(str(error))


# The supervisor's page and the trainee's --------------------------------------


@supervisor_required
def supervision_home(request):
    return render(
        request,
        "courses/supervision/home.html",
        {
            "overview": supervision_selectors.supervisor_overview(
                supervisor=request.user
            ),
            "sign_form": SignForm(),
            "send_back_form": SendBackForm(),
        },
    )


@require_POST
@supervisor_required
def bulk_decide(request):
    """Sign, or send back with one reason, every log ticked on the page."""
    chosen = request.POST.getlist("log")
    action = request.POST.get("action")
    if action not in ("sign", "send_back") or not chosen:
        messages.error(request, _("Tick at least one log, then sign or send back."))
        return redirect("courses:supervision")
    form = SignForm(request.POST) if action == "sign" else SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            ),
        )
        return redirect("courses:supervision")
    done, failed = 0, []
    signing = SigningContext.from_request(request)
    mine = agreements_of(request.user, SupervisoryAgreement.objects.all())
    for value in chosen:
        kind, _sep, pk = value.partition(":")
        model = LOG_MODELS.get(kind)
        if model is None or not pk.isdigit():
            failed.append(_("%(value)s is not a log") % {"value": value[:40]})
            continue
        log = model.objects.filter(agreement__in=mine, pk=int(pk)).first()
        if log is None:
            failed.append(_("%(value)s is not a log") % {"value": value[:40]})
            continue
        try:
            if action == "sign":
                supervision_services.log_sign(
                    log=log,
                    by=request.user,
                    typed_name=form.cleaned_data["typed_name"],
                    signing=signing,
                )
            else:
                supervision_services.log_send_back(
                    log=log, by=request.user, reason=form.cleaned_data["reason"]
                )
        except (ValidationError, PermissionDenied) as error:
            failed.append(f"{log}: {' '.join(_as_validation_error(error).messages)}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            (_("%(count)s signed.") if action == "sign" else _("%(count)s sent back."))
            % {"count": done},
        )
    for failure in failed:
        messages.error(request, failure)
    return redirect("courses:supervision")


def my_supervision(request):
    """The trainee's agreements, logs and hours, with what waits for them."""
    if (response := _signed_in(request)) is not None:
        return response
    from ..permissions import user_can_log_supervision

    if not user_can_log_supervision(request.user):
        raise PermissionDenied
    return render(
        request,
        "courses/supervision/mine.html",
        {"mine": supervision_selectors.trainee_supervision(trainee=request.user)},
    )


# Evaluations and feedback ---------------------------------------------------------


@supervisor_required
def evaluation_create(request, agreement_id: int):
    from ..forms_supervision import EvaluationForm
    from ..models.supervision import SupervisionDomain

    agreement = _party_agreement(request, agreement_id)
    if agreement.supervisor_id != request.user.pk:
        raise Http404
    domains = SupervisionDomain.objects.all()
    if request.method == "POST":
        form = EvaluationForm(request.POST, domains=domains)
        if form.is_valid():
            try:
                supervision_services.evaluation_write(
                    agreement=agreement,
                    by=request.user,
                    ratings=form.ratings(),
                    comments=form.comments(),
                    summary=form.cleaned_data["summary"],
                    typed_name=form.cleaned_data["typed_name"],
                    signing=SigningContext.from_request(request),
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Evaluation signed and saved."))
                return redirect("courses:agreement_detail", agreement.pk)
    else:
        form = EvaluationForm(domains=domains)
    return render(
        request,
        "courses/supervision/evaluation_form.html",
        {"form": form, "agreement": agreement},
    )


def feedback_give(request, agreement_id: int):
    from ..forms_supervision import FeedbackForm
    from ..models.supervision import SupervisorCompetency

    if (response := _signed_in(request)) is not None:
        return response
    agreement = _party_agreement(request, agreement_id)
    if agreement.trainee_id != request.user.pk:
        raise Http404
    competencies = SupervisorCompetency.objects.all()
    if request.method == "POST":
        form = FeedbackForm(request.POST, competencies=competencies)
        if form.is_valid():
            try:
                supervision_services.feedback_give(
                    agreement=agreement,
                    by=request.user,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you. Your supervisor will never see your answers."),
                )
                return redirect("courses:my_supervision")
    else:
        form = FeedbackForm(competencies=competencies)
    return render(
        request,
        "courses/supervision/feedback_form.html",
        {"form": form, "agreement": agreement},
    )


def feedback_report(request):
    from ..permissions import user_can_view_supervision_feedback

    if (response := _signed_in(request)) is not None:
        return response
    if not user_can_view_supervision_feedback(request.user):
        raise PermissionDenied
    return render(
        request,
        "courses/supervision/feedback_report.html",
        {
            "rows": supervision_selectors.feedback_by_supervisor(),
            "minimum": supervision_selectors.FEEDBACK_MINIMUM,
        },
    )
