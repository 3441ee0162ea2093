"""Every named URL of the platform, requested (GET) by every kind of person,
answers as the table below says.

The URLs are read from the URLconf: the site's own pages (the cms, courses
and exams apps) and the admin pages those apps add (their viewsets and
``register_admin_urls`` views). Each is requested as each person in
``PEOPLE``, with arguments naming the records of one small world
(tests/platform_world.py): the trainee owns them, the trainer teaches their
cohort, the examiner sits on their panel.

To add a URL, add a row to ``EXPECTED``: its name, then the answer for each
person in the order of ``PEOPLE``. An answer is an HTTP status (200, 403,
404, 405), ``LOGIN`` (a redirect to a sign-in page) or ``MOVED`` (another
redirect). A URL without a row fails ``test_every_url_has_a_row``, naming
it; a URL whose arguments are not in ``ARGUMENTS`` fails its own test.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as admin_viewsets

from tests.factories import (
    AccommodationFactory,
    AgeRequirementFactory,
    HoursRequirementFactory,
    ModuleCompletionRequirementFactory,
    OralExamPassedRequirementFactory,
    QuestionCategoryFactory,
    TotalHoursRequirementFactory,
    WrittenExamPassedRequirementFactory,
    questions_in,
)
from tests.platform_world import PEOPLE, build_platform_world
from tests.shared import fresh, module_transaction

pytestmark = pytest.mark.django_db

OUR_APPS = ("cms.", "courses.", "exams.")
LOGIN = "login"
MOVED = "moved"

# --- the URLs -------------------------------------------------------------------


def _our_viewset_namespaces() -> set[str]:
    get_resolver().url_patterns  # noqa: B018 (registers the admin viewsets)
    return {
        viewset.url_namespace
        for viewset in admin_viewsets.viewsets
        if type(viewset).__module__.startswith(OUR_APPS)
    }


def _walk(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), pattern


def our_urls() -> dict[str, URLPattern]:
    """Named URLs whose view is the platform's, or that belong to one of its
    admin viewsets."""
    namespaces = _our_viewset_namespaces()
    found = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", pattern.callback)
        ours = view.__module__.startswith(OUR_APPS)
        if ours or name.split(":")[0] in namespaces:
            found.setdefault(name, pattern)
    return found


# --- their arguments ------------------------------------------------------------


def build_url_world() -> dict:
    world = build_platform_world()
    every_type = QuestionCategoryFactory(name="Every type")
    questions = questions_in(
        every_type,
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "ordering",
        "essay",
    )
    credential = world["course"].credential
    world.update(
        {
            "question": questions[-1],
            **{f"question-{q.type_code}": q for q in questions},
            "credential": credential,
            "hoursrequirement": HoursRequirementFactory(credential=credential),
            "totalhoursrequirement": TotalHoursRequirementFactory(
                credential=credential
            ),
            "modulecompletionrequirement": ModuleCompletionRequirementFactory(
                credential=credential, course=world["course"]
            ),
            "agerequirement": AgeRequirementFactory(credential=credential),
            "writtenexampassedrequirement": WrittenExamPassedRequirementFactory(
                credential=credential, exam=world["exam"]
            ),
            "oralexampassedrequirement": OralExamPassedRequirementFactory(
                credential=credential, oral_exam=world["oral_exam"]
            ),
            "hourcategory": world["module"].hour_category,
            "writtenexam": world["exam"],
            "questioncategory": world["category"],
            "oralexam": world["oral_exam"],
            "rubric": world["oral_exam"].rubric,
            "accommodation": AccommodationFactory(trainee=world["trainee"]),
            "wagtailusers_users": world["trainee"],
        }
    )
    world.update(_application_records(world))
    world.update(_account_records(world))
    return world


def _account_records(world) -> dict:
    """A certificate issued to the trainee (with its PDF), an audit entry,
    and a sign-up waiting for its confirmation link."""
    from django.core.files.base import ContentFile
    from django.urls import resolve

    from cms import audit
    from cms.services import signup_activate_path
    from tests.factories import CertificateFactory, UserFactory

    certificate = CertificateFactory(trainee=world["trainee"], course=world["course"])
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    link = resolve(signup_activate_path(UserFactory(is_active=False, last_login=None)))
    return {
        "certificate": certificate,
        "code": certificate.code,
        "audit_log": audit.record(
            "certificate.issued", actor=world["administrator"], target=certificate
        ),
        "signup_uidb64": link.kwargs["uidb64"],
        "signup_token": link.kwargs["token"],
    }


def _application_records(world) -> dict:
    """Course assignments, invitations, application documents and fees."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from courses.models import (
        ApplicationPacket,
        CourseTrainer,
        DocumentKind,
        DocumentRequirement,
        FeeRequirement,
        ReferenceRequirement,
        SuicidePreventionRequirement,
        SupervisionAgreementRequirement,
        SupervisionEvaluationRequirement,
        SupervisionGapRule,
    )
    from courses.services import documents as document_services
    from courses.services import invitations as invitation_services
    from courses.services import references as reference_services
    from courses.services.supervision import SigningContext
    from tests.factories import supervision_domains, supervisor_credential_type

    credential = world["course"].credential
    packet = ApplicationPacket(
        trainee=world["trainee"],
        credential=credential,
        generated_by=world["administrator"],
        generated_at=timezone.now(),
        status=ApplicationPacket.Status.READY,
    )
    packet.pdf.save("packet.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    packet.workbook.save("packet.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    packet.save()
    kind = DocumentKind.objects.create(
        slug="diploma-url-table", name="Diploma", source_citation="201 KAR 35:050"
    )
    owner = {
        "credential": credential,
        "source_citation": "201 KAR 35:050",
        "effective_date": datetime.date(2026, 1, 1),
    }
    return {
        "coursetrainer": CourseTrainer.objects.create(
            course=world["course"], trainer=world["trainer"]
        ),
        "invitation": invitation_services.invitation_create(
            cohort=world["cohort"], email=world["trainee"].email, by=world["trainer"]
        ),
        "documentkind": kind,
        "document": document_services.document_upload(
            trainee=world["trainee"],
            kind=kind,
            file=SimpleUploadedFile("diploma.pdf", b"%PDF-1.4\n%%EOF\n"),
        ),
        "documentrequirement": DocumentRequirement.objects.create(
            document_kind=kind, **owner
        ),
        "feerequirement": FeeRequirement.objects.create(**owner),
        "supervisiondomain": supervision_domains()[0],
        "supervisorcredentialtype": supervisor_credential_type(),
        "supervisiongaprule": SupervisionGapRule.objects.create(
            credential=credential,
            description="A session at least every 15 days",
            max_days=15,
            source_citation="908 KAR 2:220",
        ),
        "supervisionagreementrequirement": (
            SupervisionAgreementRequirement.objects.create(**owner)
        ),
        "supervisionevaluationrequirement": (
            SupervisionEvaluationRequirement.objects.create(**owner)
        ),
        "referencerequirement": ReferenceRequirement.objects.create(**owner),
        "reference": _received_letter(world, reference_services, SigningContext),
        "packet": packet,
        "suicidepreventionrequirement": SuicidePreventionRequirement.objects.create(
            document_kind=kind, **owner
        ),
    }


def _received_letter(world, services, signing_context):
    """A letter of reference the trainee's referee wrote and signed."""
    from courses.models import ReferenceRequest
    from tests.factories import adpss_credential, supervisor_credential_type

    reference = ReferenceRequest.objects.create(
        trainee=world["trainee"],
        credential=adpss_credential(),
        referee_name="Lee Counselor",
        referee_email="lee@example.org",
        referee_credential_type=supervisor_credential_type("lcadc"),
        referee_credential_number="LCADC-9",
    )
    return services.reference_letter_submit(
        token=services.reference_token_issue(reference=reference),
        letter_text="A letter of reference.",
        typed_name="Lee Counselor",
        signing=signing_context(),
    )


# Which record each URL argument names, by the argument's name.
ARGUMENT_RECORDS = {
    "entry_id": "entry",
    "course_id": "course",
    "cohort_id": "cohort",
    "seat_id": "seat",
    "lesson_id": "lesson",
    "session_id": "session",
    "trainee_id": "trainee",
    "exam_id": "exam",
    "attempt_id": "attempt",
    "response_id": "response",
    "oral_exam_id": "oral_exam",
    "booking_id": "booking",
    "slot_id": "slot",
    "sitting_id": "sitting",
    "sheet_id": "sheet",
    "question_id": "question",
    "user_id": "trainee",
    "invitation_id": "invitation",
    "document_id": "document",
    "agreement_id": "agreement",
    "log_id": "supervision_log",
    "reference_id": "reference",
    "packet_id": "packet",
    "certificate_id": "certificate",
    "code": "code",
}


class Literal(str):
    """An argument's value as it is, even where a record has the same name."""


# Arguments that are not records, and records particular to one URL.
ARGUMENTS = {
    "courses:seat_decide": {"action": "confirm"},
    "courses:entry_decide": {"action": "verify"},
    "courses:invitation_decide": {"action": "accept"},
    "courses:invitation_link": {"token": "a-token-nobody-was-sent"},
    "courses:reference_letter_link": {"token": "a-token-nobody-was-sent"},
    "courses:packet_download": {"part": "pdf"},
    "courses_certificate_action": {"action": Literal("revoke")},
    "signup_activate": {"uidb64": "signup_uidb64", "token": "signup_token"},
    "exams:attempt": {"attempt_id": "open_attempt"},
    "exams:attempt_save": {"attempt_id": "open_attempt"},
    "exams:attempt_submit": {"attempt_id": "open_attempt"},
    "courses:log_create": {"kind": Literal("session")},
    "courses:log_detail": {"kind": Literal("session")},
    "courses:log_sign": {"kind": Literal("session")},
    "courses:log_send_back": {"kind": Literal("session")},
    "courses:log_correct": {"kind": Literal("session")},
}


def url_for(name: str, pattern: URLPattern, world: dict) -> str:
    kwargs = {}
    for argument in pattern.pattern.converters:
        special = ARGUMENTS.get(name, {}).get(argument)
        if argument == "pk":
            record = world[name.split(":")[0]]
        elif argument == "credential_slug":
            kwargs[argument] = world["credential"].slug
            continue
        elif isinstance(special, Literal) or (
            special is not None and special not in world
        ):
            kwargs[argument] = special
            continue
        else:
            key = special or ARGUMENT_RECORDS.get(argument)
            assert key, f"{name}: no record for the argument {argument!r}"
            record = world[key]
        # A value that is not a record (a code, a token) is used as it is.
        kwargs[argument] = record if isinstance(record, str) else record.pk
    return reverse(name, kwargs=kwargs)


# --- the answers ----------------------------------------------------------------

# Answers many URLs share.
POST_ONLY = (405,) * 8  # a GET is refused before anything else
# Wagtail admin pages: sign-in for whoever may not use the admin; a trainer
# or administrator with the permission sees the page; one without is sent
# back to the admin's home page.
ADMIN_FOR_TRAINERS = (LOGIN, LOGIN, LOGIN, 200, 200, LOGIN, LOGIN, 200)
ADMIN_FOR_ADMINISTRATORS = (LOGIN, LOGIN, LOGIN, MOVED, MOVED, LOGIN, LOGIN, 200)
PUBLIC = (200,) * 8

#: URL name -> (anonymous, trainee, other_trainee, trainer, other_trainer,
#: examiner, supervisor, administrator)
EXPECTED: dict[str, tuple] = {
    "coursetrainer:add": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:delete": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:edit": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:history": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:history_results": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:index": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:index_results": ADMIN_FOR_ADMINISTRATORS,
    "coursetrainer:usage": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:add": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:copy": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:delete": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:edit": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:history": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:history_results": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:index": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:index_results": ADMIN_FOR_ADMINISTRATORS,
    "documentkind:usage": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "documentrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "feerequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "suicidepreventionrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "courses:invitations": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:invitation_decide": POST_ONLY,
    "courses:invitation_link": (LOGIN, 404, 404, 403, 403, 403, 403, 403),
    "courses:my_documents": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:document_file": (LOGIN, 200, 404, 404, 404, 404, 404, 200),
    "courses:documents_to_verify": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:document_decide": POST_ONLY,
    "courses:fees": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:my_references": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:reference_resend": POST_ONLY,
    "courses:reference_withdraw": POST_ONLY,
    # A link that names no request: the same readable 404 for everyone.
    "courses:reference_letter_link": (404,) * 8,
    # Letters are sensitive: administrators need the sensitive-document
    # permission too, which no role holds (tests/courses/test_references.py
    # tries an administrator who holds it).
    "courses:reference_letters": (LOGIN, 403, 403, 403, 403, 403, 403, 403),
    "courses:reference_letter": (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    # The world has two credentials with checklists: a list to choose from.
    "courses:ready_to_apply_index": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:ready_to_apply": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:packets": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:packet_candidates": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:packet_trainee": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:packet_generate": POST_ONLY,
    "courses:packet_mark_sent": POST_ONLY,
    "courses:packet_download": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "accommodation:add": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:copy": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:delete": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:edit": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:history": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:history_results": ADMIN_FOR_ADMINISTRATORS,
    "accommodation:index": ADMIN_FOR_TRAINERS,
    "accommodation:index_results": ADMIN_FOR_TRAINERS,
    "accommodation:usage": ADMIN_FOR_ADMINISTRATORS,
    "account": (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "agerequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "agerequirement:index": ADMIN_FOR_TRAINERS,
    "agerequirement:index_results": ADMIN_FOR_TRAINERS,
    "agerequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "audit_log:index": ADMIN_FOR_ADMINISTRATORS,
    "audit_log:index_results": ADMIN_FOR_ADMINISTRATORS,
    "audit_log:inspect": ADMIN_FOR_ADMINISTRATORS,
    "cms_lockout_unlock": (LOGIN, LOGIN, LOGIN, 405, 405, LOGIN, LOGIN, 405),
    "cms_lockouts": ADMIN_FOR_ADMINISTRATORS,
    "cms_mfa_reset": (LOGIN, LOGIN, LOGIN, 405, 405, LOGIN, LOGIN, 405),
    "cms_mfa_staff": ADMIN_FOR_ADMINISTRATORS,
    # The certificate is the trainee's; the trainer teaches them.
    "courses:certificate_badge_json": (LOGIN, 200, 404, 200, 404, 404, 404, 200),
    "courses:certificate_badge_jwt": (LOGIN, 200, 404, 200, 404, 404, 404, 200),
    "courses:certificate_pdf": (LOGIN, 200, 404, 200, 404, 404, 404, 200),
    "courses:credential_status": PUBLIC,
    "courses:achievement": PUBLIC,
    "courses:agreement_create": (LOGIN, 403, 403, 403, 403, 403, 200, 403),
    # The agreement's two people; administrators, who record the board's
    # approval. Whoever else does not learn it exists.
    "courses:agreement_detail": (LOGIN, 200, 404, 404, 404, 404, 200, 200),
    "courses:agreement_edit": (LOGIN, 403, 403, 403, 403, 403, 200, 403),
    "courses:agreement_sign": POST_ONLY,
    "courses:agreement_approve": POST_ONLY,
    "courses:evaluation_create": (LOGIN, 403, 403, 403, 403, 403, 200, 403),
    "courses:feedback_give": (LOGIN, 200, 404, 404, 404, 404, 404, 404),
    # A log is its agreement's two people's.
    "courses:log_create": (LOGIN, 200, 404, 404, 404, 404, 200, 404),
    "courses:log_detail": (LOGIN, 200, 404, 404, 404, 404, 200, 404),
    "courses:log_correct": (LOGIN, 200, 404, 404, 404, 404, 200, 404),
    "courses:log_sign": POST_ONLY,
    "courses:log_send_back": POST_ONLY,
    "courses:cohort_create": (LOGIN, 403, 403, 200, 200, 403, 403, 200),
    "courses:cohort_detail": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:cohort_edit": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:cohort_progress": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:complete_lesson": POST_ONLY,
    "courses:dashboard": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:did_document": PUBLIC,
    "courses:enroll": POST_ONLY,
    "courses:entry_decide": POST_ONLY,
    # The trainee, their trainer and supervisor, administrators.
    "courses:evidence": (LOGIN, 200, 404, 200, 404, 404, 200, 200),
    "courses:feedback_report": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:jwks": PUBLIC,
    "courses:my_certificates": (LOGIN, 200, 200, 200, 200, 403, 403, 200),
    "courses:my_hour_record": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:my_hours": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:my_supervision": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:request_seat": POST_ONLY,
    "courses:seat_add": POST_ONLY,
    "courses:seat_decide": POST_ONLY,
    "courses:session_create": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:session_detail": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:sign_in_sheet": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "courses:sign_in_sheet_upload": (LOGIN, 403, 403, MOVED, 404, 403, 403, MOVED),
    "courses:submit_hours": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "courses:supervision": (LOGIN, 403, 403, 403, 403, 403, 200, 403),
    "courses:supervision_decide": POST_ONLY,
    "courses:teaching": (LOGIN, 403, 403, 200, 200, 403, 403, 200),
    "courses:trainee_hour_record": (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    "courses:trainee_ledger": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:trainee_list": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "courses:verification_queue": (LOGIN, 403, 403, 200, 200, 403, 403, 200),
    "courses:verify": PUBLIC,
    "courses:verify_code": PUBLIC,
    "courses:verify_credential": POST_ONLY,
    "courses_certificate_action": (LOGIN, LOGIN, LOGIN, 405, 405, LOGIN, LOGIN, 405),
    "courses_certificate_detail": ADMIN_FOR_ADMINISTRATORS,
    "courses_certificate_issue": (LOGIN, LOGIN, LOGIN, 405, 405, LOGIN, LOGIN, 405),
    "courses_certificates": ADMIN_FOR_ADMINISTRATORS,
    "courses_certificates_due": ADMIN_FOR_ADMINISTRATORS,
    "courses_certificates_review": ADMIN_FOR_ADMINISTRATORS,
    "courses_curriculum_audit": ADMIN_FOR_TRAINERS,
    "courses_curriculum_audit_course": ADMIN_FOR_TRAINERS,
    "credential:add": ADMIN_FOR_ADMINISTRATORS,
    "credential:copy": ADMIN_FOR_ADMINISTRATORS,
    "credential:delete": ADMIN_FOR_ADMINISTRATORS,
    "credential:edit": ADMIN_FOR_ADMINISTRATORS,
    "credential:history": ADMIN_FOR_ADMINISTRATORS,
    "credential:history_results": ADMIN_FOR_ADMINISTRATORS,
    "credential:index": ADMIN_FOR_TRAINERS,
    "credential:index_results": ADMIN_FOR_TRAINERS,
    "credential:usage": ADMIN_FOR_ADMINISTRATORS,
    "exams:attempt": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:attempt_result": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:attempt_save": POST_ONLY,
    "exams:attempt_start": POST_ONLY,
    "exams:attempt_submit": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:exam_detail": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "exams:exam_list": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "exams:grade_response": (LOGIN, 403, 403, 200, 404, 403, 403, 200),
    "exams:grading_queue": (LOGIN, 403, 403, 200, 200, 403, 403, 200),
    "exams:item_analysis": (LOGIN, 403, 403, 200, 200, 403, 403, 200),
    "exams:oral_agreement": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "exams:oral_booking_calendar": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:oral_booking_cancel": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:oral_booking_manage": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "exams:oral_booking_mark": POST_ONLY,
    "exams:oral_day": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_exam": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "exams:oral_examiner": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_reconcile": (LOGIN, 403, 403, 403, 403, MOVED, 403, MOVED),
    "exams:oral_release": POST_ONLY,
    "exams:oral_result": (LOGIN, 200, 404, 403, 403, 403, 403, 403),
    "exams:oral_results": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "exams:oral_roster_export": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_score_sheet": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_score_submit": (LOGIN, 403, 403, 403, 403, MOVED, 403, 403),
    "exams:oral_sheet_reopen": (LOGIN, 403, 403, 403, 403, 403, 403, 200),
    "exams:oral_slot": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_slot_new": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_slot_series": (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    "exams:oral_slot_withdraw": POST_ONLY,
    "exams:oral_slots": (LOGIN, 200, 200, 403, 403, 403, 403, 403),
    "exams_bank": ADMIN_FOR_TRAINERS,
    "exams_bank_add": (LOGIN, LOGIN, LOGIN, MOVED, MOVED, LOGIN, LOGIN, MOVED),
    "exams_bank_export": ADMIN_FOR_TRAINERS,
    "exams_bank_import": ADMIN_FOR_TRAINERS,
    "exams_bank_results": ADMIN_FOR_TRAINERS,
    "exams_bank_template": ADMIN_FOR_TRAINERS,
    "exams_question_preview": ADMIN_FOR_TRAINERS,
    "exams_question_regrade": ADMIN_FOR_TRAINERS,
    "exams_reports": ADMIN_FOR_TRAINERS,
    "health": PUBLIC,
    "hourcategory:add": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:copy": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:delete": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:edit": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:history": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:history_results": ADMIN_FOR_ADMINISTRATORS,
    "hourcategory:index": ADMIN_FOR_TRAINERS,
    "hourcategory:index_results": ADMIN_FOR_TRAINERS,
    "hourcategory:usage": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "hoursrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "mfa_backup_codes": (LOGIN, 404, 404, MOVED, MOVED, 404, 404, MOVED),
    "mfa_recovery": (LOGIN, 404, 404, MOVED, MOVED, 404, 404, MOVED),
    "mfa_setup": (LOGIN, 404, 404, 200, 200, 404, 404, 200),
    "mfa_verify": (LOGIN, 404, 404, MOVED, MOVED, 404, 404, MOVED),
    "modulecompletionrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "modulecompletionrequirement:index": ADMIN_FOR_TRAINERS,
    "modulecompletionrequirement:index_results": ADMIN_FOR_TRAINERS,
    "modulecompletionrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "oralexam:add": ADMIN_FOR_TRAINERS,
    "oralexam:copy": ADMIN_FOR_TRAINERS,
    "oralexam:delete": ADMIN_FOR_ADMINISTRATORS,
    "oralexam:edit": ADMIN_FOR_TRAINERS,
    "oralexam:history": ADMIN_FOR_TRAINERS,
    "oralexam:history_results": ADMIN_FOR_TRAINERS,
    "oralexam:index": ADMIN_FOR_TRAINERS,
    "oralexam:index_results": ADMIN_FOR_TRAINERS,
    "oralexam:usage": ADMIN_FOR_TRAINERS,
    "oralexampassedrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "oralexampassedrequirement:index": ADMIN_FOR_TRAINERS,
    "oralexampassedrequirement:index_results": ADMIN_FOR_TRAINERS,
    "oralexampassedrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "question-essay:add": ADMIN_FOR_TRAINERS,
    "question-essay:copy": ADMIN_FOR_TRAINERS,
    "question-essay:delete": ADMIN_FOR_TRAINERS,
    "question-essay:edit": ADMIN_FOR_TRAINERS,
    "question-essay:history": ADMIN_FOR_TRAINERS,
    "question-essay:history_results": ADMIN_FOR_TRAINERS,
    "question-essay:index": ADMIN_FOR_TRAINERS,
    "question-essay:index_results": ADMIN_FOR_TRAINERS,
    "question-essay:usage": ADMIN_FOR_TRAINERS,
    "question-matching:add": ADMIN_FOR_TRAINERS,
    "question-matching:copy": ADMIN_FOR_TRAINERS,
    "question-matching:delete": ADMIN_FOR_TRAINERS,
    "question-matching:edit": ADMIN_FOR_TRAINERS,
    "question-matching:history": ADMIN_FOR_TRAINERS,
    "question-matching:history_results": ADMIN_FOR_TRAINERS,
    "question-matching:index": ADMIN_FOR_TRAINERS,
    "question-matching:index_results": ADMIN_FOR_TRAINERS,
    "question-matching:usage": ADMIN_FOR_TRAINERS,
    "question-multiple_response:add": ADMIN_FOR_TRAINERS,
    "question-multiple_response:copy": ADMIN_FOR_TRAINERS,
    "question-multiple_response:delete": ADMIN_FOR_TRAINERS,
    "question-multiple_response:edit": ADMIN_FOR_TRAINERS,
    "question-multiple_response:history": ADMIN_FOR_TRAINERS,
    "question-multiple_response:history_results": ADMIN_FOR_TRAINERS,
    "question-multiple_response:index": ADMIN_FOR_TRAINERS,
    "question-multiple_response:index_results": ADMIN_FOR_TRAINERS,
    "question-multiple_response:usage": ADMIN_FOR_TRAINERS,
    "question-numerical:add": ADMIN_FOR_TRAINERS,
    "question-numerical:copy": ADMIN_FOR_TRAINERS,
    "question-numerical:delete": ADMIN_FOR_TRAINERS,
    "question-numerical:edit": ADMIN_FOR_TRAINERS,
    "question-numerical:history": ADMIN_FOR_TRAINERS,
    "question-numerical:history_results": ADMIN_FOR_TRAINERS,
    "question-numerical:index": ADMIN_FOR_TRAINERS,
    "question-numerical:index_results": ADMIN_FOR_TRAINERS,
    "question-numerical:usage": ADMIN_FOR_TRAINERS,
    "question-ordering:add": ADMIN_FOR_TRAINERS,
    "question-ordering:copy": ADMIN_FOR_TRAINERS,
    "question-ordering:delete": ADMIN_FOR_TRAINERS,
    "question-ordering:edit": ADMIN_FOR_TRAINERS,
    "question-ordering:history": ADMIN_FOR_TRAINERS,
    "question-ordering:history_results": ADMIN_FOR_TRAINERS,
    "question-ordering:index": ADMIN_FOR_TRAINERS,
    "question-ordering:index_results": ADMIN_FOR_TRAINERS,
    "question-ordering:usage": ADMIN_FOR_TRAINERS,
    "question-short_answer:add": ADMIN_FOR_TRAINERS,
    "question-short_answer:copy": ADMIN_FOR_TRAINERS,
    "question-short_answer:delete": ADMIN_FOR_TRAINERS,
    "question-short_answer:edit": ADMIN_FOR_TRAINERS,
    "question-short_answer:history": ADMIN_FOR_TRAINERS,
    "question-short_answer:history_results": ADMIN_FOR_TRAINERS,
    "question-short_answer:index": ADMIN_FOR_TRAINERS,
    "question-short_answer:index_results": ADMIN_FOR_TRAINERS,
    "question-short_answer:usage": ADMIN_FOR_TRAINERS,
    "question-single_choice:add": ADMIN_FOR_TRAINERS,
    "question-single_choice:copy": ADMIN_FOR_TRAINERS,
    "question-single_choice:delete": ADMIN_FOR_TRAINERS,
    "question-single_choice:edit": ADMIN_FOR_TRAINERS,
    "question-single_choice:history": ADMIN_FOR_TRAINERS,
    "question-single_choice:history_results": ADMIN_FOR_TRAINERS,
    "question-single_choice:index": ADMIN_FOR_TRAINERS,
    "question-single_choice:index_results": ADMIN_FOR_TRAINERS,
    "question-single_choice:usage": ADMIN_FOR_TRAINERS,
    "question-true_false:add": ADMIN_FOR_TRAINERS,
    "question-true_false:copy": ADMIN_FOR_TRAINERS,
    "question-true_false:delete": ADMIN_FOR_TRAINERS,
    "question-true_false:edit": ADMIN_FOR_TRAINERS,
    "question-true_false:history": ADMIN_FOR_TRAINERS,
    "question-true_false:history_results": ADMIN_FOR_TRAINERS,
    "question-true_false:index": ADMIN_FOR_TRAINERS,
    "question-true_false:index_results": ADMIN_FOR_TRAINERS,
    "question-true_false:usage": ADMIN_FOR_TRAINERS,
    "questioncategory:add": ADMIN_FOR_TRAINERS,
    "questioncategory:copy": ADMIN_FOR_TRAINERS,
    "questioncategory:delete": ADMIN_FOR_TRAINERS,
    "questioncategory:edit": ADMIN_FOR_TRAINERS,
    "questioncategory:history": ADMIN_FOR_TRAINERS,
    "questioncategory:history_results": ADMIN_FOR_TRAINERS,
    "questioncategory:index": ADMIN_FOR_TRAINERS,
    "questioncategory:index_results": ADMIN_FOR_TRAINERS,
    "questioncategory:usage": ADMIN_FOR_TRAINERS,
    "referencerequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "referencerequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "rubric:add": ADMIN_FOR_TRAINERS,
    "rubric:copy": ADMIN_FOR_TRAINERS,
    "rubric:delete": ADMIN_FOR_ADMINISTRATORS,
    "rubric:edit": ADMIN_FOR_TRAINERS,
    "rubric:history": ADMIN_FOR_TRAINERS,
    "rubric:history_results": ADMIN_FOR_TRAINERS,
    "rubric:index": ADMIN_FOR_TRAINERS,
    "rubric:index_results": ADMIN_FOR_TRAINERS,
    "rubric:usage": ADMIN_FOR_TRAINERS,
    "session_keepalive": POST_ONLY,
    "signup": (200, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "signup_activate": PUBLIC,
    "signup_done": PUBLIC,
    "supervisionagreementrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "supervisionagreementrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:add": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:copy": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:delete": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:edit": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:history": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:history_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:usage": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:index": ADMIN_FOR_ADMINISTRATORS,
    "supervisiondomain:index_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "supervisionevaluationrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:add": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:copy": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:delete": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:edit": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:history": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:history_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:usage": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:index": ADMIN_FOR_ADMINISTRATORS,
    "supervisiongaprule:index_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:add": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:copy": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:delete": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:edit": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:history": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:history_results": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:usage": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:index": ADMIN_FOR_ADMINISTRATORS,
    "supervisorcredentialtype:index_results": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:index": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:index_results": ADMIN_FOR_ADMINISTRATORS,
    "totalhoursrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:add": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:copy": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:delete": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:edit": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:history": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:history_results": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:index": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:index_results": ADMIN_FOR_ADMINISTRATORS,
    "wagtailusers_users:usage": ADMIN_FOR_ADMINISTRATORS,
    "writtenexam:add": ADMIN_FOR_TRAINERS,
    "writtenexam:copy": ADMIN_FOR_TRAINERS,
    "writtenexam:delete": ADMIN_FOR_TRAINERS,
    "writtenexam:edit": ADMIN_FOR_TRAINERS,
    "writtenexam:history": ADMIN_FOR_TRAINERS,
    "writtenexam:history_results": ADMIN_FOR_TRAINERS,
    "writtenexam:index": ADMIN_FOR_TRAINERS,
    "writtenexam:index_results": ADMIN_FOR_TRAINERS,
    "writtenexam:usage": ADMIN_FOR_TRAINERS,
    "writtenexampassedrequirement:add": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:copy": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:delete": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:edit": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:history": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:history_results": ADMIN_FOR_ADMINISTRATORS,
    "writtenexampassedrequirement:index": ADMIN_FOR_TRAINERS,
    "writtenexampassedrequirement:index_results": ADMIN_FOR_TRAINERS,
    "writtenexampassedrequirement:usage": ADMIN_FOR_ADMINISTRATORS,
}

URLS = our_urls()


@pytest.fixture(scope="module")
def world_records(request, django_db_setup, django_db_blocker, tmp_path_factory):
    private_media = tmp_path_factory.mktemp("private")
    with (
        override_settings(PRIVATE_MEDIA_ROOT=private_media),
        module_transaction(request, django_db_blocker),
    ):
        yield {**build_url_world(), "private_media": private_media}


@pytest.fixture
def world(world_records, db, settings):
    settings.PRIVATE_MEDIA_ROOT = world_records["private_media"]
    return {
        key: fresh(value) if hasattr(value, "pk") else value
        for key, value in world_records.items()
    }


def answer(response) -> int | str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith((reverse("login"), reverse("wagtailadmin_login"))):
            return LOGIN
        return MOVED
    return response.status_code


def test_every_url_has_a_row():
    missing = sorted(set(URLS) - set(EXPECTED))
    assert not missing, (
        "URLs without a row in EXPECTED (tests/cms/test_url_roles.py): "
        + ", ".join(missing)
    )
    gone = sorted(set(EXPECTED) - set(URLS))
    assert not gone, "Rows for URLs that no longer exist: " + ", ".join(gone)


@pytest.mark.parametrize("name", sorted(URLS))
def test_each_person_gets_the_expected_answer(client, world, name):
    url = url_for(name, URLS[name], world)
    answers = []
    for person in PEOPLE:
        client.logout()
        if person != "anonymous":
            client.force_login(world[person])
        with transaction.atomic():
            answers.append(answer(client.get(url)))
            transaction.set_rollback(True)
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name}: no row in EXPECTED; it answers {answers}"
    differences = [
        f"{person}: expected {want}, got {got}"
        for person, want, got in zip(PEOPLE, expected, answers, strict=True)
        if want != got
    ]
    assert not differences, f"{name} ({url}): " + "; ".join(differences)
