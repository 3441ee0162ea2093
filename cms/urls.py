from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

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
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("", include("django.contrib.auth.urls")),
]

urlpatterns = [
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
