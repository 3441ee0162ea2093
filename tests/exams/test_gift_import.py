"""GIFT files through the admin import: good ones import, bad ones explain."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams.models import Question, TrueFalseQuestion

pytestmark = pytest.mark.django_db

GOOD = b"""$CATEGORY: $course$/Imported peer bank

::Person driven:: Recovery is person-driven. {T}

::Dimensions:: Which dimension of recovery is a stable and safe place to live? {
=Home #Yes.
~Health #Not quite.
~Purpose
}
"""

BAD = b"""$CATEGORY: Imported peer bank

Recovery is person-driven. {T}

Match. {=Home -> A safe place#good =Health -> Wellbeing =Purpose -> Meaning}

Name a dimension {=Home =Health}
"""


def upload(client, content):
    return client.post(
        reverse("exams_bank_import"),
        {"file": SimpleUploadedFile("bank.gift", content)},
    )


def test_good_gift_file_imports_as_drafts(client_as):
    client = client_as("trainer")
    response = upload(client, GOOD)
    assert response.status_code == 302
    imported = Question.objects.filter(category__name="Imported peer bank")
    assert imported.count() == 2
    assert set(imported.values_list("status", flat=True)) == {"draft"}
    assert TrueFalseQuestion.objects.get(title="Person driven").correct_answer


def test_unsupported_gift_features_are_named_and_nothing_is_imported(client_as):
    client = client_as("trainer")
    count = Question.objects.count()
    response = upload(client, BAD)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 5:" in html
    assert "feedback in matching questions" in html
    assert Question.objects.count() == count
