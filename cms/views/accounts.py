"""Account views for the public site."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from .. import roles, services
from ..forms import ConfirmSignUpForm, SignUpForm
from ..models import User
from ..ratelimits import ALL, limit


@sensitive_post_parameters("password1", "password2")
@limit("sign_up")
def signup(request):
    """Sign-up for trainees. A valid form always leads to "check your email",
    whether or not the address already has an account (the email says
    which), so the page never tells anyone who is registered."""
    if request.user.is_authenticated:
        return redirect("account")
    next_url = _safe_next(request)
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            services.account_sign_up(
                cleaned_data=form.cleaned_data,
                password=form.cleaned_data["password1"],
                next_url=next_url,
            )
            return redirect("signup_done")
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(request, "registration/signup_done.html")


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return next_url


@sensitive_post_parameters("password")
@limit("codes", method=ALL)
def signup_activate(request, uidb64: str, token: str):
    """The link in the confirmation email: confirm the address and sign in.
    A GET only shows the button, so a mail scanner opening the link uses
    nothing up."""
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "registration/signup_activate.html", {"valid": False})
    form = ConfirmSignUpForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend="cms.backends.ModelBackend")
        messages.success(request, _("Welcome! Your trainee account is ready."))
        return redirect(_safe_next(request) or "account")
    return render(
        request,
        "registration/signup_activate.html",
        {"valid": True, "form": form, "next": _safe_next(request)},
    )


def _user_from_link(uidb64: str, token: str):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.get(pk=pk, is_active=False, last_login__isnull=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if not default_token_generator.check_token(user, token):
        return None
    return user


@login_required
def account(request):
    """The signed-in person's profile and roles."""
    names = roles.user_role_names(request.user)
    role_labels = [roles.ROLE_LABELS[name] for name in roles.ROLES if name in names]
    return render(request, "registration/account.html", {"role_labels": role_labels})
