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


def _link(mail) -> str:
    line = next(line for line in mail.body.splitlines() if "/accounts/signup/" in line)
    return line.split("testserver", 1)[1].strip()


def test_sign_up_creates_a_trainee_who_confirms_by_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")
    user = User.objects.get(email="new.trainee@example.org")
    assert user.legal_name == "Joanna Lee Rivers"
    assert roles.user_has_role(user, roles.TRAINEE)
    assert not user.is_staff and not user.is_active
    assert client.get(reverse("account")).status_code == 302  # not signed in yet
    assert [mail.to for mail in mailoutbox] == [["new.trainee@example.org"]]
    assert mailoutbox[0].subject == "Confirm your email address"

    link = _link(mailoutbox[0])
    assert client.get(link).status_code == 200  # a GET confirms nothing
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(link, {"password": GOOD["password1"]}, follow=True)
    assert "Your trainee account is ready" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("account")).context["user"] == user
    # The link works once.
    client.post(reverse("logout"))
    response = client.post(link, {"password": GOOD["password1"]})
    assert "not valid" in response.content.decode()


def test_sign_up_with_a_registered_email_looks_exactly_the_same(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    existing = make_user("trainee", email="taken@example.org", legal_name="Kept Name")
    answers = []
    for email in ("fresh@example.org", "Taken@Example.org"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("signup"), {**GOOD, "email": email})
        page = client.get(response["Location"])
        answers.append(
            (response.status_code, response["Location"], page.status_code, page.content)
        )
    assert answers[0] == answers[1]
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    existing.refresh_from_db()
    assert existing.legal_name == "Kept Name"
    assert existing.check_password("a-long-test-password-9")
    assert [mail.to for mail in mailoutbox] == [
        ["fresh@example.org"],
        ["taken@example.org"],
    ]
    exists = mailoutbox[1]
    assert exists.subject == "You already have an account"
    assert "/accounts/login/" in exists.body
    assert "/accounts/password_reset/" in exists.body


def test_confirming_asks_for_the_password_chosen(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), GOOD)
    response = client.post(_link(mailoutbox[0]), {"password": "not-the-one-1234"})
    assert response.status_code == 200
    assert "not the password you chose" in response.content.decode()
    assert not User.objects.get(email="new.trainee@example.org").is_active


def test_signing_up_again_before_confirming_replaces_the_pending_details(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup"), GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signup"),
            {
                **GOOD,
                "legal_name": "Joanna Rivers",
                "password1": "second-try-harbor-5",
                "password2": "second-try-harbor-5",
            },
        )
    first, second = _link(mailoutbox[0]), _link(mailoutbox[1])
    # The first link died with the first password.
    assert "not valid" in client.get(first).content.decode()
    response = client.post(second, {"password": "second-try-harbor-5"})
    assert response.status_code == 302
    user = User.objects.get(email="new.trainee@example.org")
    assert user.is_active and user.legal_name == "Joanna Rivers"


@pytest.mark.parametrize("link", ["MQ/bad-token", "not-base64!/x-y", "999999/abc-def"])
def test_a_bad_confirmation_link_says_so(client, link):
    uid, token = link.split("/")
    response = client.get(reverse("signup_activate", args=[uid, token]))
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_sign_up_form_labels_every_field(client):
    html = client.get(reverse("signup")).content.decode()
    for field in ("email", "first_name", "legal_name", "password1", "password2"):
        assert f'<label for="id_{field}">' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
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


def test_open_redirect_after_sign_up_is_ignored(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("signup") + "?next=https://evil.example.com/", GOOD
        )
    assert response["Location"] == reverse("signup_done")
    assert "evil" not in mailoutbox[0].body
    response = client.post(
        _link(mailoutbox[0]) + "?next=https://evil.example.com/",
        {"password": GOOD["password1"]},
    )
    assert response["Location"] == reverse("account")


def test_the_page_asked_for_is_kept_through_the_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("signup") + "?next=/learning/", GOOD)
    link = _link(mailoutbox[0])
    assert "next=%2Flearning%2F" in link
    response = client.post(link, {"password": GOOD["password1"], "next": "/learning/"})
    assert response["Location"] == "/learning/"


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
