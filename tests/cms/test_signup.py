import pytest
from django.urls import reverse

from cms import roles
from cms.models import User

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "new.trainee@example.org",
    "first_name": "Jo",
    "last_name": "Rivers",
    "legal_name": "Joanna Lee Rivers",
    "date_of_birth": "1990-05-01",
    "password1": "blue-river-stone-42",
    "password2": "blue-river-stone-42",
}


def test_sign_up_creates_a_signed_in_trainee(client):
    response = client.post(reverse("signup"), GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="new.trainee@example.org")
    assert user.legal_name == "Joanna Lee Rivers"
    assert roles.user_has_role(user, roles.TRAINEE)
    assert not user.is_staff
    assert client.get(reverse("account")).context["user"] == user


def test_sign_up_form_labels_every_field(client):
    html = client.get(reverse("signup")).content.decode()
    for field in ("email", "first_name", "legal_name", "password1", "password2"):
        assert f'<label for="id_{field}">' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "TRAINER@example.org"}, "email", "already exists"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        (
            {"password1": "12345678901", "password2": "12345678901"},
            "password2",
            "entirely numeric",
        ),
        ({"password2": "something-else-99"}, "password2", "match"),
        ({"legal_name": ""}, "legal_name", "required"),
        ({"legal_name": "   "}, "legal_name", "required"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"date_of_birth": "31/31/1990"}, "date_of_birth", "valid date"),
    ],
)
def test_sign_up_with_bad_input_shows_field_errors_and_creates_nothing(
    client, make_user, changes, field, message
):
    make_user("trainer", email="trainer@example.org")
    before = User.objects.count()
    response = client.post(reverse("signup"), {**GOOD, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert User.objects.count() == before


def test_open_redirect_after_sign_up_is_ignored(client):
    response = client.post(reverse("signup") + "?next=https://evil.example.com/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account")


def test_login_with_email_and_logout(client, make_user):
    make_user("trainee", email="sam@example.org")
    response = client.post(
        reverse("login"),
        {"username": "Sam@Example.org", "password": "a-long-test-password-9"},
    )
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("account")).status_code == 302


def test_login_with_wrong_password_says_so(client, make_user):
    make_user("trainee", email="sam@example.org")
    response = client.post(
        reverse("login"), {"username": "sam@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, make_user, mailoutbox
):
    make_user("trainee", email="sam@example.org")
    client.post(reverse("password_reset"), {"email": "sam@example.org"})
    assert len(mailoutbox) == 1
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line
    )
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "fresh-garden-path-7",
            "new_password2": "fresh-garden-path-7",
        },
    )
    assert response.status_code == 302
    assert client.login(username="sam@example.org", password="fresh-garden-path-7")


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
def test_account_page_shows_the_users_role(client_as, role):
    response = client_as(role).get(reverse("account"))
    assert response.status_code == 200
    assert role.capitalize() in response.content.decode()


def test_account_page_requires_sign_in(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
