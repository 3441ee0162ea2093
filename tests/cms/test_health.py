"""The health check a load balancer polls, which is also the exam
benchmark's ceiling: it must stay the cheapest request there is."""

import pytest
from django.urls import reverse

from cms import roles
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_anonymous_gets_ok_after_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "signed_in": False}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reads_only_the_session_and_its_own_row(
    client, role, django_assert_num_queries
):
    client.force_login(user_with_role(role))

    with django_assert_num_queries(2):  # the session, the user
        response = client.get(reverse("health"))

    assert response.json() == {"ok": True, "signed_in": True}


def test_it_only_answers_get(client):
    response = client.post(reverse("health"))

    assert response.status_code == 405
