"""The keep-alive an open exam attempt page calls."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def session_keepalive(request):
    """Nothing but a request: SessionTimeoutMiddleware notes the activity.
    Says 403 once the session has ended, so the page can tell the person."""
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False, "code": "signed_out"}, status=403)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
