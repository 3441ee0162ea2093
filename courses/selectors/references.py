"""Reads of letters of reference. What the trainee sees carries no letter;
the letters themselves only go to callers that have checked the reader may
see sensitive documents and audit the reading."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from cms.models import User

from ..models import Credential, RequirementFacts, RequirementProgress
from ..models.references import ReferenceRequest, ReferenceRequirement
from ..models.supervision import Signature

# Everything but the letter: the trainee's page never loads it.
LETTER_FIELDS = ("letter_text", "letter_file", "letter_file_sha256")


def references_of(*, trainee: User) -> list[ReferenceRequest]:
    """The trainee's requests, newest first, without their letters: one
    query."""
    return list(
        ReferenceRequest.objects.filter(trainee=trainee)
        .select_related("credential", "referee_credential_type")
        .defer(*LETTER_FIELDS)
    )


def reference_progress(
    *, trainee: User
) -> list[tuple[ReferenceRequirement, RequirementProgress]]:
    """Each credential's letters-of-reference rule and where the trainee
    stands on it ("1 of 2 letters received"): two queries."""
    facts = RequirementFacts(trainee)
    rules = ReferenceRequirement.objects.filter(credential__isnull=False)
    return [
        (rule, rule.progress(trainee, facts=facts))
        for rule in rules.select_related("credential").order_by("credential__name")
    ]


def letters_received(*, trainee: User | None = None) -> list[ReferenceRequest]:
    """Received letters (of one trainee, or everyone's), by trainee, without
    their content: the staff listing. Two queries at most."""
    letters = (
        ReferenceRequest.objects.filter(status=ReferenceRequest.Status.RECEIVED)
        .select_related("trainee", "credential", "referee_credential_type")
        .defer("letter_text")
        .order_by("trainee__legal_name", "trainee_id", "received_at", "pk")
    )
    if trainee is not None:
        letters = letters.filter(trainee=trainee)
    return list(letters[:500])


def letters_for_packet(
    trainee: User,
    include_sensitive: bool,
    *,
    credential: Credential | None = None,
) -> list[ReferenceRequest]:
    """The trainee's received letters with the referee's signature on each
    (``letter.signature``), for the application packet, or nothing unless
    the administrator chose to include sensitive documents. The caller
    checks the administrator may, and audits the choice."""
    if not include_sensitive:
        return []
    letters = ReferenceRequest.objects.filter(
        trainee=trainee, status=ReferenceRequest.Status.RECEIVED
    ).select_related("trainee", "credential", "referee_credential_type")
    if credential is not None:
        letters = letters.filter(credential=credential)
    letters = list(letters.order_by("received_at", "pk"))
    signatures = {
        s.object_id: s
        for s in Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(ReferenceRequest),
            object_id__in=[letter.pk for letter in letters],
            role=Signature.Role.REFEREE,
        )
    }
    for letter in letters:
        letter.signature = signatures.get(letter.pk)
    return letters
