"""The shared form fields."""

import pytest
from django import forms

from cms.fields import ModelChoiceField, ModelMultipleChoiceField
from cms.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["9" * 30, "-" + "9" * 30, str(2**63)])
def test_an_id_too_large_for_the_database_is_not_a_choice(posted):
    """Found by the form fuzz tests: Django's own field sent it to an IN
    query, and SQLite answered with OverflowError, a server error."""
    field = ModelMultipleChoiceField(queryset=User.objects.all())

    with pytest.raises(forms.ValidationError) as caught:
        field.clean([posted])

    assert caught.value.code == "invalid_pk_value"
    assert posted in caught.value.messages[0]


def test_ids_of_records_are_still_accepted(make_user):
    person = make_user()
    field = ModelMultipleChoiceField(queryset=User.objects.all())

    assert list(field.clean([str(person.pk)])) == [person]


def test_an_id_too_large_for_a_page_key_is_not_a_choice():
    """A page's key is a relation to its base page, which Django's overflow
    guard does not cover: SQLite raised OverflowError on the lookup."""
    from courses.models import CoursePage

    field = ModelChoiceField(queryset=CoursePage.objects.all())

    with pytest.raises(forms.ValidationError) as caught:
        field.clean("9" * 30)

    assert caught.value.code == "invalid_choice"
