"""Checklist items of the alcohol and drug credential that read supervision:
each says met or missing through ``progress()``; the shipped rules carry
citations and load once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from courses.models import (
    Requirement,
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
)
from courses.selectors import credential_progress
from courses.services import supervision as services
from tests.factories import (
    ADPSS_SUPERVISION,
    adpss_credential,
    log_session,
    make_agreement,
    signing_context,
    supervision_domains,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(
        datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False
    ):
        yield


def rule(model):
    return model.objects.create(
        credential=adpss_credential(),
        source_citation="201 KAR 35:070",
        effective_date=datetime.date(2026, 1, 1),
        sort_order=125,
    )


def test_the_agreement_item_is_missing_until_signed_by_both_and_approved():
    requirement = rule(SupervisionAgreementRequirement)
    agreement = make_agreement(signed=False)
    trainee = agreement.trainee
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Waiting for a signature"
    services.agreement_sign(
        agreement=agreement,
        by=trainee,
        typed_name=trainee.legal_name,
        signing=signing_context(),
    )
    progress = requirement.progress(trainee)
    assert not progress.met
    assert "approval not recorded" in progress.status
    make_agreement(trainee, approved=True)
    assert requirement.progress(trainee).met


def test_the_agreement_item_is_missing_with_no_agreement(make_user):
    requirement = rule(SupervisionAgreementRequirement)
    progress = requirement.progress(make_user("trainee"))
    assert not progress.met
    assert progress.next_url == reverse("courses:my_supervision")


def test_the_evaluation_item_is_met_once_the_supervisor_signs_one():
    requirement = rule(SupervisionEvaluationRequirement)
    agreement = make_agreement()
    assert not requirement.progress(agreement.trainee).met
    services.evaluation_write(
        agreement=agreement,
        by=agreement.supervisor,
        ratings={d.slug: 3 for d in supervision_domains()},
        comments={},
        summary="",
        typed_name=agreement.supervisor.legal_name,
        signing=signing_context(),
    )
    assert requirement.progress(agreement.trainee).met


def test_the_supervision_hours_item_moves_towards_met_as_sessions_are_signed():
    credential = adpss_credential()
    agreement = make_agreement(credential=credential)

    def supervision_item():
        [progress] = credential_progress(
            trainee=agreement.trainee, credentials=[credential]
        )
        return next(
            item.progress
            for item in progress.requirements
            if "supervision in total" in item.description
        )

    assert supervision_item().fraction == 0
    log_session(agreement, minutes=150, signed=True)
    item = supervision_item()
    assert not item.met
    assert item.fraction == pytest.approx(float(Decimal("2.5") / ADPSS_SUPERVISION))


def test_measuring_the_checklist_costs_the_same_queries_whatever_the_logs(
    django_assert_max_num_queries,
):
    credential = adpss_credential()
    rule(SupervisionAgreementRequirement)
    rule(SupervisionEvaluationRequirement)
    agreement = make_agreement(credential=credential)
    for day in range(1, 6):
        log_session(agreement, date=datetime.date(2026, 3, day), signed=True)
    with django_assert_max_num_queries(12):
        credential_progress(trainee=agreement.trainee, credentials=[credential])


def test_the_shipped_adpss_rules_include_agreement_and_evaluation(curriculum):
    rules = Requirement.objects.filter(credential__slug="adpss")
    kinds = {type(r) for r in rules}
    assert SupervisionAgreementRequirement in kinds
    assert SupervisionEvaluationRequirement in kinds
    assert all(r.source_citation for r in rules)


def test_loading_the_fixtures_again_adds_nothing(curriculum):
    from cms.services import LoadReport
    from courses.management.commands.load_fixtures import load_all_fixtures

    report = LoadReport()
    load_all_fixtures(report)
    assert report.created == []
