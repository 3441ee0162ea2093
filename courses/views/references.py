"""Letters of reference: the trainee's "My references", the referee's page
behind the emailed link, and the administrators' reading of the letters.

The trainee sees only whether a letter arrived. The referee's page needs no
account (nor a second factor): the link's token is the credential, used
once; a link that cannot be used answers a readable page (404 for one that
names nothing, 410 for one used, withdrawn or expired), changes nothing and
is audited. A letter is opened only by administrators allowed to view
sensitive documents; every reading, and every refusal, is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from cms import audit
from cms.access import role_required, second_factor_exempt
from cms.ratelimits import ALL, limit

from ..forms_references import RefereeLetterForm, ReferenceRequestForm
from ..models.references import ReferenceRequest
from ..permissions import (
    user_can_manage_reference,
    user_can_request_references,
    user_can_view_reference_letters,
)
from ..selectors import references as selectors
from ..services import references as services
from ..services.supervision import SigningContext
from .files import private, private_file_response


@role_required(user_can_request_references)
def my_references(request):
    if request.method == "POST":
        form = ReferenceRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reference_request_create(
                    trainee=request.user,
                    credential=data["credential"],
                    referee_name=data["referee_name"],
                    referee_email=data["referee_email"],
                    credential_type=data["credential_type"],
                    credential_number=data["credential_number"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Sent. %(name)s gets an email with a link to write the letter.")
                    % {"name": data["referee_name"]},
                )
                return redirect("courses:my_references")
    else:
        form = ReferenceRequestForm()
    return render(
        request,
        "courses/references/mine.html",
        {
            "form": form,
            "references": selectors.references_of(trainee=request.user),
            "rules": selectors.reference_progress(trainee=request.user),
        },
    )


def _own_reference(request, reference_id: int) -> ReferenceRequest:
    reference = get_object_or_404(
        ReferenceRequest.objects.defer(*selectors.LETTER_FIELDS), pk=reference_id
    )
    if not user_can_manage_reference(request.user, reference):
        raise Http404
    return reference


def _act(request, reference_id: int, action, done: str):
    reference = _own_reference(request, reference_id)
    try:
        action(reference=reference, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, done)
    return redirect("courses:my_references")


@require_POST
@role_required(user_can_request_references)
def reference_resend(request, reference_id: int):
    return _act(
        request,
        reference_id,
        services.reference_request_resend,
        _("A new link is on its way; the old one no longer works."),
    )


@require_POST
@role_required(user_can_request_references)
def reference_withdraw(request, reference_id: int):
    return _act(
        request,
        reference_id,
        services.reference_request_withdraw,
        _("Withdrawn; the referee's link no longer works."),
    )


PROBLEM_STATUS = {"unknown": 404, "used": 410, "withdrawn": 410, "expired": 410}


@login_not_required
@second_factor_exempt
@never_cache
@csrf_protect
@limit("codes", method=ALL)
def reference_letter_link(request, token: str):
    """The referee's page: who asks, for what; the letter and signature."""
    reference = services.reference_for_token(token)
    problem = services.link_problem(reference)
    if problem is None and request.method == "POST":
        form = RefereeLetterForm(
            request.POST, request.FILES, referee_name=reference.referee_name
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reference_letter_submit(
                    token=token,
                    letter_text=data["letter_text"],
                    letter_file=data["letter_file"],
                    typed_name=data["typed_name"],
                    signing=SigningContext.from_request(request),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_error(None, error)
                else:
                    # The link was used or withdrawn meanwhile.
                    problem = services.link_problem(services.reference_for_token(token))
            else:
                return render(
                    request,
                    "courses/references/letter_done.html",
                    {"reference": reference},
                )
    elif problem is None:
        form = RefereeLetterForm(referee_name=reference.referee_name)
    if problem is not None:
        services.link_refused_record(
            reference=reference, problem=problem, request=request
        )
        return render(
            request,
            "courses/references/link_problem.html",
            {"problem": problem},
            status=PROBLEM_STATUS.get(problem, 404),
        )
    return render(
        request,
        "courses/references/letter_form.html",
        {"reference": reference, "form": form},
    )


@role_required(user_can_view_reference_letters)
def reference_letters(request):
    """Received letters, by trainee (their content only on opening one)."""
    letters = selectors.letters_received()
    trainees: dict[int, dict] = {}
    for letter in letters:
        entry = trainees.setdefault(
            letter.trainee_id, {"trainee": letter.trainee, "letters": []}
        )
        entry["letters"].append(letter)
    return render(
        request,
        "courses/references/letters.html",
        {"trainees": list(trainees.values())},
    )


def reference_letter(request, reference_id: int):
    """One letter, to an administrator allowed to read it: the uploaded
    file, or the written text as a text file; always an attachment."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reference = get_object_or_404(
        ReferenceRequest.objects.select_related("trainee"), pk=reference_id
    )
    if (
        not user_can_view_reference_letters(request.user)
        or reference.status != ReferenceRequest.Status.RECEIVED
    ):
        audit.record(
            "reference_letter.refused",
            actor=request.user,
            target=reference,
            request=request,
            trainee=reference.trainee,
        )
        raise Http404
    if reference.letter_file:
        response = private_file_response(
            reference.letter_file, name=f"reference-{reference.pk}"
        )
    else:
        response = private(
            HttpResponse(
                reference.letter_text, content_type="text/plain; charset=utf-8"
            )
        )
        response["Content-Disposition"] = (
            f'attachment; filename="reference-{reference.pk}.txt"'
        )
    audit.record(
        "reference_letter.downloaded",
        actor=request.user,
        target=reference,
        request=request,
        trainee=reference.trainee,
    )
    return response
