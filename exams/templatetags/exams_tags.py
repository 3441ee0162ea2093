"""Turning a frozen question, its key and an answer into review lines."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def review_lines(item: dict) -> list[dict]:
    content, key, answer = item["content"], item["key"], item["answer"] or {}
    kind = content["type"]
    if kind in ("single_choice", "multiple_response"):
        chosen = {answer.get("choice")} | set(answer.get("choices") or [])
        return [
            {
                "text": choice["text"],
                "chosen": choice["id"] in chosen,
                "correct": choice["id"] in key["correct"],
                "feedback": key["feedback"].get(choice["id"], "")
                if choice["id"] in chosen
                else "",
            }
            for choice in content["choices"]
        ]
    if kind == "true_false":
        given = answer.get("answer")
        return [
            {
                "text": _("True") if value else _("False"),
                "chosen": given is value,
                "correct": key["answer"] is value,
                "feedback": key["feedback"]["true" if value else "false"]
                if given is value
                else "",
            }
            for value in (True, False)
        ]
    if kind == "short_answer":
        return [
            {"text": _("Your answer: %(a)s") % {"a": answer.get("text", "")}},
            {
                "text": _("Accepted: %(a)s") % {"a": "; ".join(key["accepted"])},
                "correct": True,
            },
        ]
    if kind == "matching":
        matches = answer.get("matches") or {}
        return [
            {
                "text": "{} → {}".format(
                    prompt["text"], key["options"].get(matches.get(prompt["id"]), "—")
                ),
                "chosen": False,
                "correct": matches.get(prompt["id"]) == key["matches"][prompt["id"]],
                "feedback": ""
                if matches.get(prompt["id"]) == key["matches"][prompt["id"]]
                else _("Matches: %(m)s")
                % {"m": key["options"][key["matches"][prompt["id"]]]},
            }
            for prompt in content["prompts"]
        ]
    if kind == "ordering":
        given = answer.get("order") or []
        return [
            {
                "text": f"{index}. {key['items'][item_id]}",
                "correct": index - 1 < len(given) and given[index - 1] == item_id,
            }
            for index, item_id in enumerate(key["order"], start=1)
        ]
    if kind == "essay":
        return [{"text": answer.get("text", "")}]
    return []
