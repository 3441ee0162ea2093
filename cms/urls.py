from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account as wagtail_account
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .ratelimits import ALL, limit

# Sign-in, password reset and the links that carry a code, rate limited
# (cms.ratelimits). The site's and the admin's own views, at their own
# paths and names, listed before the includes that would otherwise serve
# them.
limited_account_patterns = [
    path(
        "login/",
        limit("sign_in")(
            auth_views.LoginView.as_view(redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path(
        "password_reset/",
        limit("password_reset")(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "reset/<uidb64>/<token>/",
        limit("codes", method=ALL)(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
]
limited_admin_patterns = [
    path(
        "login/",
        limit("sign_in")(wagtail_account.LoginView.as_view()),
        name="wagtailadmin_login",
    ),
    path(
        "password_reset/",
        limit("password_reset")(wagtail_account.PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    path(
        "password_reset/confirm/<uidb64>/<token>/",
        limit("codes", method=ALL)(wagtail_account.PasswordResetConfirmView.as_view()),
        name="wagtailadmin_password_reset_confirm",
    ),
]

accounts_patterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/check-your-email/", views.signup_done, name="signup_done"),
    path(
        "signup/confirm/<uidb64>/<token>/",
        views.signup_activate,
        name="signup_activate",
    ),
    path("", views.account, name="account"),
    path("session/keep-alive/", views.session_keepalive, name="session_keepalive"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/recovery/", views.mfa_recovery, name="mfa_recovery"),
    path("mfa/backup-codes/", views.mfa_backup_codes, name="mfa_backup_codes"),
    *limited_account_patterns,
    path("", include("django.contrib.auth.urls")),
]

urlpatterns = [
    path("admin/", include(limited_admin_patterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include(accounts_patterns)),
    path("health/", views.health, name="health"),
]

# Apps that serve pages of their own say so with ``site_urls = True`` on their
# AppConfig; the site includes them without knowing what they are.
urlpatterns += [
    path("", include(f"{config.name}.urls"))
    for config in apps.get_app_configs()
    if getattr(config, "site_urls", False)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
