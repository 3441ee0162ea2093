"""KRS 210.366: a verified training certificate of at least 6 hours (3 for a
trainee whose role is screening and referral only) within the last 6 years."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cms import roles
from courses.models import HoursRequirement, SuicidePreventionRequirement
from courses.services import documents as services
from tests.factories import adpss_credential, user_with_role

from .test_documents import administrator, kind, upload

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def media(private_media):
    return private_media


def certificate_kind():
    return kind("training-certificate", records_training=True)


def rule() -> SuicidePreventionRequirement:
    return SuicidePreventionRequirement.objects.create(
        credential=adpss_credential(),
        document_kind=certificate_kind(),
        source_citation="KRS 210.366",
        effective_date=datetime.date(2026, 1, 1),
    )


def certificate(trainee, *, hours, completed_on, screening=False, verified=True):
    document = upload(
        trainee,
        certificate_kind(),
        title="Suicide assessment, treatment and management",
        hours=Decimal(hours),
        completed_on=completed_on,
        screening_referral_only=screening,
    )
    if verified:
        services.document_decide(document=document, by=administrator(), verified=True)
    return document


@time_machine.travel(TODAY, tick=False)
def test_missing_without_a_certificate_then_met_by_a_verified_six_hours():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "No verified certificate"
    assert "at least 6 hours (3 if your role" in progress.next_step
    assert progress.next_url == reverse("courses:my_documents")

    pending = certificate(
        trainee, hours="6", completed_on=datetime.date(2025, 5, 1), verified=False
    )
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Certificate uploaded; waiting for verification"

    services.document_decide(document=pending, by=administrator(), verified=True)
    assert requirement.progress(trainee).met


@time_machine.travel(TODAY, tick=False)
def test_fewer_hours_than_needed_is_missing_and_says_how_many():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    certificate(trainee, hours="4", completed_on=datetime.date(2025, 5, 1))
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "4 hours on your certificate; 6 needed"


@time_machine.travel(TODAY, tick=False)
def test_three_hours_are_enough_for_screening_and_referral_only():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    certificate(
        trainee, hours="3", completed_on=datetime.date(2025, 5, 1), screening=True
    )
    assert requirement.progress(trainee).met
    other = user_with_role(roles.TRAINEE)
    certificate(other, hours="3", completed_on=datetime.date(2025, 5, 1))
    assert not requirement.progress(other).met


def test_a_certificate_counts_for_six_years_and_no_longer():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    with time_machine.travel(TODAY, tick=False):
        certificate(trainee, hours="6", completed_on=datetime.date(2020, 3, 15))
        assert requirement.progress(trainee).met
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        progress = requirement.progress(trainee)
        assert not progress.met
        assert progress.status == "Your certificate is more than 6 years old"


@time_machine.travel(TODAY, tick=False)
def test_a_rejected_certificate_or_another_kind_does_not_count():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    document = certificate(
        trainee, hours="6", completed_on=datetime.date(2025, 5, 1), verified=False
    )
    services.document_decide(
        document=document, by=administrator(), verified=False, reason="Not KRS 210.366"
    )
    services.document_decide(
        document=upload(trainee, kind()), by=administrator(), verified=True
    )
    assert not requirement.progress(trainee).met


def test_the_fixture_rule_replaces_the_old_six_hour_rule():
    from cms.services import LoadReport
    from courses.loaders import credentials_load, document_kinds_load

    credential = adpss_credential()
    assert HoursRequirement.objects.filter(
        credential=credential, category__slug="suicide-prevention"
    ).exists()
    certificate_kind()
    spec = [
        {
            "slug": "adpss",
            "requirements": [
                {
                    "type": "suicide_prevention",
                    "document_kind": "training-certificate",
                    "minimum_hours": "6",
                    "screening_hours": "3",
                    "valid_years": 6,
                    "replaces_category": "suicide-prevention",
                    "source_citation": "KRS 210.366",
                    "effective_date": "2026-01-01",
                }
            ],
        }
    ]
    document_kinds_load(kinds=[], report=LoadReport())
    credentials_load(credentials=spec, report=LoadReport())
    assert not HoursRequirement.objects.filter(
        credential=credential, category__slug="suicide-prevention"
    ).exists()
    rule = SuicidePreventionRequirement.objects.get(credential=credential)
    assert rule.describe() == (
        "Suicide-prevention training: 6 hours (3 for screening and referral "
        "only) within 6 years"
    )
    report = LoadReport()
    credentials_load(credentials=spec, report=report)
    assert report.created == []
    assert SuicidePreventionRequirement.objects.count() == 1
