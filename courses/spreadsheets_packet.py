"""The application packet's workbook: one sheet per section of the packet
(Checklist, Classroom hours, Supervision, Experience), and the sensitive
documents only in a packet an administrator ticked them for."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .spreadsheets import _save, hour_record_rows

BOLD = Font(bold=True)


def _heading(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _signature_text(signature) -> str:
    if signature is None:
        return ""
    return (
        f"{signature.typed_name}, {signature.signed_at.isoformat(timespec='minutes')}"
        f", SHA-256 {signature.text_sha256}"
    )


def packet_workbook_build(*, contents) -> bytes:
    workbook = Workbook()
    checklist = workbook.active
    checklist.title = "Checklist"
    checklist.append(["Application checklist"])
    checklist["A1"].font = Font(bold=True, size=14)
    checklist.append(["Applicant (legal name)", contents.trainee.legal_name])
    checklist.append(["Email", contents.trainee.email])
    checklist.append(["Credential", contents.credential.name])
    checklist.append(["Checked on", contents.generated_on])
    checklist.append([])
    _heading(checklist, ["Item", "Met", "Status", "Source", "Met on"])
    for row in contents.checklist.requirements:
        checklist.append(
            [
                row.description,
                "Yes" if row.progress.met else "No",
                row.progress.status,
                row.requirement.source_citation,
                row.progress.met_on,
            ]
        )
    checklist.column_dimensions["A"].width = 60
    checklist.column_dimensions["C"].width = 36
    checklist.column_dimensions["D"].width = 48

    hours = workbook.create_sheet("Classroom hours")
    hour_record_rows(hours, contents.hour_record)
    hours.column_dimensions["B"].width = 44

    supervision = workbook.create_sheet("Supervision")
    _heading(supervision, ["Domain", "Hours", "Minimum"])
    for row in contents.supervision_by_domain:
        supervision.append(
            [
                row.domain.name,
                float(row.hours),
                float(row.minimum) if row.minimum is not None else None,
            ]
        )
    supervision.append(["Total", float(contents.supervision_total), None])
    supervision.append([])
    _heading(
        supervision,
        [
            "Supervisor",
            "Credential",
            "Credential number",
            "Agreement from",
            "Agreement to",
            "Board approved on",
            "Board reference",
        ],
    )
    for item in contents.agreements:
        agreement = item.subject
        supervision.append(
            [
                agreement.supervisor.legal_name,
                agreement.supervisor_credential_type.name,
                agreement.supervisor_credential_number,
                agreement.start_date,
                agreement.end_date,
                agreement.board_approved_on if agreement.is_approved else None,
                agreement.board_reference if agreement.is_approved else "",
            ]
        )
    supervision.append([])
    _heading(
        supervision,
        [
            "Date",
            "Minutes",
            "Hours",
            "Format",
            "Direct",
            "Domains",
            "Supervisor",
            "Trainee's signature",
            "Supervisor's signature",
        ],
    )
    for item in contents.sessions:
        session = item.subject
        supervision.append(
            [
                session.date,
                session.minutes,
                float(session.hours),
                session.get_format_display(),
                "Yes" if session.is_direct else "No",
                "; ".join(domain.name for domain in session.domains.all()),
                session.agreement.supervisor.legal_name,
                _signature_text(item.trainee_signature),
                _signature_text(item.supervisor_signature),
            ]
        )
    for summary in contents.evaluations:
        supervision.append([])
        _heading(supervision, ["Supervision evaluation", "Rating (1-4)", "Comments"])
        for name, rating, comment in summary.ratings:
            supervision.append([name, rating, comment])
        supervision.append(["Overall", None, summary.evaluation.summary])
        supervision.append(["Signed", None, _signature_text(summary.signature)])
    supervision.column_dimensions["A"].width = 32

    experience = workbook.create_sheet("Experience")
    _heading(
        experience,
        [
            "Site or employer",
            "From",
            "To",
            "Hours",
            "Description",
            "Supervisor's signature",
        ],
    )
    for item in contents.experience:
        log = item.subject
        experience.append(
            [
                log.site,
                log.period_start,
                log.period_end,
                float(log.hours),
                log.description,
                _signature_text(item.supervisor_signature),
            ]
        )
    experience.append(["Total", None, None, float(contents.experience_total)])
    experience.column_dimensions["A"].width = 32

    if contents.include_sensitive:
        sensitive = workbook.create_sheet("Sensitive documents")
        _heading(sensitive, ["Document", "Uploaded", "Verification"])
        for document in contents.sensitive_documents:
            sensitive.append(
                [
                    document.kind.name,
                    document.uploaded_at.date(),
                    document.get_status_display(),
                ]
            )
        for letter in contents.reference_letters:
            kind = letter.referee_credential_type
            signature = letter.signature
            sensitive.append(
                [
                    f"Letter of reference from {letter.referee_name}, "
                    f"{kind.abbreviation or kind.name} "
                    f"{letter.referee_credential_number}",
                    timezone.localdate(letter.received_at)
                    if letter.received_at
                    else None,
                    (
                        f"Signed by {signature.typed_name}; "
                        f"SHA-256 {signature.text_sha256}"
                        if signature
                        else "Received"
                    ),
                ]
            )
    return _save(workbook)
