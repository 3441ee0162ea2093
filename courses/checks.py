"""Deployment checks of the courses app (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def open_badges_issuer_key(app_configs, **kwargs):
    """Certificates are signed as Open Badges with the issuer key; without
    one the signed downloads and the credential check are unavailable."""
    from .badges import issuer_private_jwk

    if not settings.OPEN_BADGES_ISSUER_KEY:
        return [
            Warning(
                "OPEN_BADGES_ISSUER_KEY is not set: certificates cannot be "
                "signed as Open Badges credentials.",
                hint="Run manage.py generate_issuer_key and set the variable.",
                id="courses.W001",
            )
        ]
    try:
        issuer_private_jwk()
    except ImproperlyConfigured as error:
        return [Warning(str(error), id="courses.W002")]
    return []
