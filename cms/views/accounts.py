"""Account views for the public site."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from .. import roles
from ..forms import SignUpForm


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Create a trainee account and sign the new trainee in."""
    if request.user.is_authenticated:
        return redirect("account")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                user.groups.add(Group.objects.get(name=roles.TRAINEE))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your trainee account is ready."))
            return redirect(next_url or "account")
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def account(request):
    """The signed-in person's profile and roles."""
    names = roles.user_role_names(request.user)
    role_labels = [roles.ROLE_LABELS[name] for name in roles.ROLES if name in names]
    return render(request, "registration/account.html", {"role_labels": role_labels})
