"""Questions answered by arranging: matching prompts to options, and putting
items in order."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from ...blocks import ItemsStreamBlock, PairsStreamBlock
from .base import Question, block_id
from .common import _fraction, cell_lines, one_line


class MatchingQuestion(Question):
    type_code = "matching"
    type_label = gettext_lazy("Matching")
    answer_keys = frozenset({"matches"})

    pairs = StreamField(PairsStreamBlock(), verbose_name=gettext_lazy("pairs"))

    panels = [*Question.common_panels, FieldPanel("pairs"), *Question.feedback_panels]

    class Meta:
        verbose_name = gettext_lazy("matching question")
        verbose_name_plural = gettext_lazy("matching questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        generator = rng or random.Random(self.pk)
        pairs = [
            (block_id(b, i, "p"), b.value["prompt"], b.value["match"])
            for i, b in enumerate(self.pairs)
        ]
        # Option ids are fresh random tokens: an id derived from its prompt's
        # id would give the answer away in the page.
        option_ids = {
            pid: f"o{generator.getrandbits(64):016x}" for pid, _p, _m in pairs
        }
        options = [{"id": option_ids[pid], "text": match} for pid, _p, match in pairs]
        prompts = [{"id": pid, "text": prompt} for pid, prompt, _m in pairs]
        # The options are always shuffled, or the answer would be the order.
        generator.shuffle(options)
        if shuffle:
            generator.shuffle(prompts)
        content["prompts"] = prompts
        content["options"] = options
        key["matches"] = {pid: option_ids[pid] for pid, _p, _m in pairs}
        key["options"] = {option_ids[pid]: match for pid, _p, match in pairs}
        key["prompts"] = {pid: prompt for pid, prompt, _m in pairs}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["pairs"] = [
            {"prompt": b.value["prompt"], "match": b.value["match"]} for b in self.pairs
        ]
        return data

    def set_answers(self, data):
        self.pairs = [("pair", dict(pair)) for pair in data["pairs"]]

    @classmethod
    def grade_frozen(cls, key, answer):
        given = (answer or {}).get("matches") or {}
        right = sum(
            1
            for prompt, option in key["matches"].items()
            if given.get(prompt) == option
        )
        return _fraction(right, len(key["matches"]))

    @classmethod
    def is_answered(cls, answer):
        return any((answer or {}).get("matches", {}).values())

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        matches = cls.check_answer_shape(answer).get("matches") or {}
        prompts = {p["id"] for p in content["prompts"]}
        options = {o["id"] for o in content["options"]}
        if (
            not isinstance(matches, dict)
            or not set(matches) <= prompts
            or not {v for v in matches.values() if v} <= options
        ):
            raise ValidationError(_("That match is not part of this question."))
        return {"matches": {k: v for k, v in matches.items() if v}}

    @classmethod
    def answer_from_post(cls, content, data):
        return {
            "matches": {
                prompt["id"]: data.get(f"match-{prompt['id']}", "")
                for prompt in content["prompts"]
            }
        }

    @classmethod
    def right_answer(cls, content, key):
        return {"matches": dict(key["matches"])}

    @classmethod
    def wrong_answer(cls, content, key):
        prompts = list(key["matches"])
        return {
            "matches": {
                prompt: key["matches"][prompts[(i + 1) % len(prompts)]]
                for i, prompt in enumerate(prompts)
            }
        }

    @classmethod
    def answer_widget(cls, content, answer):
        matches = (answer or {}).get("matches") or {}
        return {
            "prompts_with_match": [
                (prompt, matches.get(prompt["id"], "")) for prompt in content["prompts"]
            ]
        }

    @classmethod
    def review_lines(cls, content, key, answer):
        matches = (answer or {}).get("matches") or {}
        lines = []
        for prompt in content["prompts"]:
            given = matches.get(prompt["id"])
            right = key["matches"][prompt["id"]]
            lines.append(
                {
                    "text": "{} → {}".format(
                        prompt["text"], key["options"].get(given, "—")
                    ),
                    "chosen": False,
                    "correct": given == right,
                    "feedback": ""
                    if given == right
                    else _("Matches: %(m)s") % {"m": key["options"][right]},
                }
            )
        return lines

    @classmethod
    def to_row(cls, data):
        return {
            "Answers": "\n".join(
                f"{one_line(p['prompt'])} = {one_line(p['match'])}"
                for p in data["pairs"]
            )
        }

    @classmethod
    def from_row(cls, cells, problem):
        answers = cell_lines(cells["Answers"])
        pairs = []
        for line in answers:
            if "=" not in line:
                problem(
                    "Answers",
                    _("'%(line)s' is not a 'prompt = match' pair.") % {"line": line},
                )
                continue
            prompt, match = (part.strip() for part in line.split("=", 1))
            if not prompt or not match:
                problem(
                    "Answers",
                    _("'%(line)s' needs text on both sides of '='.") % {"line": line},
                )
                continue
            pairs.append({"prompt": prompt, "match": match})
        if len(pairs) < 3 and len(pairs) == len(answers):
            problem("Answers", _("give at least three pairs."))
        return {"pairs": pairs}


class OrderingQuestion(Question):
    """Put items in order. Credit is the share of items in the right place."""

    type_code = "ordering"
    type_label = gettext_lazy("Ordering")
    answer_keys = frozenset({"order"})

    items = StreamField(
        ItemsStreamBlock(), verbose_name=gettext_lazy("items, in the correct order")
    )

    panels = [*Question.common_panels, FieldPanel("items"), *Question.feedback_panels]

    class Meta:
        verbose_name = gettext_lazy("ordering question")
        verbose_name_plural = gettext_lazy("ordering questions")

    def freeze(self, *, shuffle=False, rng=None):
        content, key = super().freeze()
        items = [
            {"id": block_id(block, i, "i"), "text": block.value}
            for i, block in enumerate(self.items)
        ]
        shown = list(items)
        generator = rng or random.Random(self.pk)
        for _attempt in range(5):  # never show the answer as the starting order
            generator.shuffle(shown)
            if len(shown) < 2 or shown != items:
                break
        content["items"] = shown
        key["order"] = [item["id"] for item in items]
        key["items"] = {item["id"]: item["text"] for item in items}
        return content, key

    def as_dict(self):
        data = super().as_dict()
        data["items"] = [block.value for block in self.items]
        return data

    def set_answers(self, data):
        self.items = [("item", text) for text in data["items"]]

    @classmethod
    def grade_frozen(cls, key, answer):
        given = list((answer or {}).get("order") or [])
        right = sum(
            1
            for index, item in enumerate(key["order"])
            if index < len(given) and given[index] == item
        )
        return _fraction(right, len(key["order"]))

    @classmethod
    def is_answered(cls, answer):
        return bool((answer or {}).get("order"))

    @classmethod
    def clean_answer(cls, content, answer):
        if answer is None:
            return None
        order = cls.check_answer_shape(answer).get("order") or []
        items = [i["id"] for i in content["items"]]
        if (
            not isinstance(order, list)
            or not all(isinstance(i, str) for i in order)
            or sorted(order) != sorted(items)
        ):
            raise ValidationError(_("Put every item in order exactly once."))
        return {"order": order}

    @classmethod
    def answer_from_post(cls, content, data):
        ranks = []
        for index, item in enumerate(content["items"]):
            try:
                rank = int(data.get(f"rank-{item['id']}", ""))
            except ValueError:
                rank = len(content["items"]) + index
            ranks.append((rank, index, item["id"]))
        return {"order": [item_id for _rank, _index, item_id in sorted(ranks)]}

    @classmethod
    def right_answer(cls, content, key):
        return {"order": list(key["order"])}

    @classmethod
    def wrong_answer(cls, content, key):
        return {"order": list(reversed(key["order"]))}

    @classmethod
    def answer_widget(cls, content, answer):
        order = (answer or {}).get("order") or [i["id"] for i in content["items"]]
        ranks = {item_id: index + 1 for index, item_id in enumerate(order)}
        return {
            "items_with_rank": [
                (item, ranks.get(item["id"], 0)) for item in content["items"]
            ]
        }

    @classmethod
    def review_lines(cls, content, key, answer):
        given = (answer or {}).get("order") or []
        return [
            {
                "text": f"{index}. {key['items'][item_id]}",
                "correct": index - 1 < len(given) and given[index - 1] == item_id,
            }
            for index, item_id in enumerate(key["order"], start=1)
        ]

    @classmethod
    def to_row(cls, data):
        return {"Answers": "\n".join(one_line(item) for item in data["items"])}

    @classmethod
    def from_row(cls, cells, problem):
        answers = cell_lines(cells["Answers"])
        if len(answers) < 3:
            problem("Answers", _("give at least three items, in the correct order."))
        if len(set(answers)) != len(answers):
            problem("Answers", _("each item must be different."))
        return {"items": answers}
