"""Read Moodle GIFT text into question dicts in the question-bank import schema.

Pure Python: no models, no database. ``parse_gift`` never raises on bad
input. It returns the questions it could read and, for everything else, a
problem with the line it is on. A question with any problem is left out;
nothing GIFT can say that this platform cannot hold is dropped silently.

The rules follow Moodle's own GIFT importer (question/format/gift): blank
lines separate questions, whole-line ``//`` comments are ignored, the first
``{`` and the first ``}`` after it bound the answers, ``####`` (the last one)
starts the general feedback, and ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n`` are escapes.

What the platform holds, as Moodle means it:

- multiple choice with one ``=`` answer becomes single choice; the other
  answers may carry a partial credit (``~%50%Galilee``), and negative
  weights count as 0. Without ``=``, equal weights adding up to 100% make a
  multiple-response question.
- short answers keep each answer's weight and feedback (``=%75%Nazereth#…``);
  one answer must earn 100%.
- numerical answers (``{#1822:2}``, ``{#3.141..3.142}``, or several graded
  ``=%50%1822:2#…`` answers) become numerical questions.
- true/false keeps both feedbacks: ``{T#shown for a wrong answer#shown for
  a right one}``.
- a format tag before the question text sets its format: [plain] (also the
  default), [html], [markdown], or [moodle] (HTML with line breaks kept),
  and the general feedback and answer feedback follow it. Answer texts are
  plain; a tag on an answer or feedback may repeat the question's format,
  or say [plain] or [html] (taken as written, as before), but another
  format there is reported.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from django.utils.translation import gettext as _

__all__ = ["GiftProblem", "GiftResult", "parse_gift"]

BLANK = "_____"

_ESCAPES = {
    ":": ":",
    "#": "#",
    "=": "=",
    "{": "{",
    "}": "}",
    "~": "~",
    "n": "\n",
    "\\": "\\",
}
_ESCAPE = re.compile(r"\\[:#={}~n\\]")
_FORMAT_TAG = re.compile(r"\s*\[(html|moodle|markdown|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"%([^%\n]*)%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMERIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Where each question keeps its feedback, for the [moodle] line breaks.
_FEEDBACK_LISTS = ("choices", "accepted", "answers")
_CATEGORY = re.compile(r"\$CATEGORY:", re.IGNORECASE)
_CATEGORY_ROOT = re.compile(r"\$[A-Za-z]+\$(?:/|$)")
_CATEGORY_SLASH = re.compile(r"(?<!/)/(?!/)")  # "//" is a "/" inside a name
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT_TOLERANCE = 0.5  # %33.33333% three times is 100


@dataclass(frozen=True)
class GiftProblem:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


@dataclass
class GiftResult:
    questions: list[dict]
    problems: list[GiftProblem]


def parse_gift(text: str, *, max_questions: int | None = None) -> GiftResult:
    """Every question in ``text`` that this platform can hold, and a problem
    (with its line) for each thing that stopped a question from importing.

    With ``max_questions``, a file with more questions than that is refused
    as a whole when the first one too many is reached, before it is read.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    questions: list[dict] = []
    problems: list[GiftProblem] = []
    category = ""
    looks_like_gift = False
    count = 0
    for lines in _blocks(text.split("\n")):
        first = lines[0][1].strip()
        if _CATEGORY.match(first):
            looks_like_gift = True
            category = _category_name(first[len("$CATEGORY:") :])
            continue
        count += 1
        if max_questions is not None and count > max_questions:
            message = _(
                "The file has more than %(limit)s questions; split it into "
                "files of at most %(limit)s."
            ) % {"limit": max_questions}
            return GiftResult(
                questions=[], problems=[GiftProblem(lines[0][0], message)]
            )
        item = _Item(lines, category)
        looks_like_gift = looks_like_gift or item.looks_like_gift()
        question = item.parse()
        problems.extend(item.problems)
        if question is not None:
            questions.append(question)
    if not questions and (not problems or not looks_like_gift or _is_binary(text)):
        # Empty, comments only, plain prose or a binary file: saying what is
        # wrong with each "paragraph" would only be noise.
        problems = [GiftProblem(1, _("The file contains no questions."))]
    problems.sort(key=lambda problem: problem.line)
    return GiftResult(questions=questions, problems=problems)


# --- helpers -----------------------------------------------------------------


def _blocks(lines: list[str]):
    """Runs of non-blank lines as [(line number, line)], comment lines left
    out. A ``$CATEGORY:`` line always stands alone."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped and not _CATEGORY.match(stripped):
            block.append((number, line))
            continue
        if block:
            yield block
            block = []
        if stripped:
            yield [(number, line)]
    if block:
        yield block


def _category_name(raw: str) -> str:
    """``$course$/top/Peer support//advocacy/Ethics`` -> ``Ethics``."""
    name = _unescape(raw).strip()
    name = _CATEGORY_ROOT.sub("", name, count=1)
    segments = [part.strip() for part in _CATEGORY_SLASH.split(name)]
    segments = [part.replace("//", "/") for part in segments if part]
    return segments[-1] if segments else ""


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: _ESCAPES[match[0][1]], text)


def _mask(text: str) -> str:
    """``text`` with each escape replaced by two NULs: the same length, so
    positions found in the mask are positions in the text, and no escaped
    character can be mistaken for syntax."""
    return _ESCAPE.sub("\x00\x00", text)


def _is_binary(text: str) -> bool:
    """Replacement characters and control characters (NULs from UTF-16, say)
    make up at least 1% of the text."""
    bad = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\f\v"))
    return bad > 0 and bad * 100 >= len(text)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _weights_equal(weights: list[float]) -> bool:
    return max(weights) - min(weights) <= 0.01


class _Item:
    """One blank-line-separated block that should hold one question."""

    def __init__(self, lines: list[tuple[int, str]], category: str):
        self.src = "\n".join(line for _number, line in lines)
        self.mask = _mask(self.src)
        self.numbers = [number for number, _line in lines]
        self.newlines = [i for i, ch in enumerate(self.src) if ch == "\n"]
        self.category = category
        self.problems: list[GiftProblem] = []
        self._formats_seen: set[str] = set()
        self.tag_format = "plain"

    # -- plumbing --

    def looks_like_gift(self) -> bool:
        return (
            "{" in self.mask
            or "}" in self.mask
            or "::" in self.mask
            or _FORMAT_TAG.match(self.src) is not None
        )

    def line_at(self, pos: int) -> int:
        index = bisect_left(self.newlines, pos)  # newlines before pos
        return self.numbers[min(index, len(self.numbers) - 1)]

    def problem(self, pos: int, message: str) -> None:
        self.problems.append(GiftProblem(self.line_at(pos), message))

    def skip_space(self, pos: int, end: int) -> int:
        while pos < end and self.src[pos].isspace():
            pos += 1
        return pos

    def raw_text(self, start: int, end: int, *, sets_format: bool = False) -> str:
        """src[start:end] unescaped, its [format] tag removed. The question
        text's tag (``sets_format``) sets the question's format; elsewhere a
        tag that the question's format cannot honour is reported."""
        raw = self.src[start:end]
        tag = _FORMAT_TAG.match(raw)
        if tag:
            name = tag[1].lower()
            if sets_format:
                self.tag_format = name
            elif (
                name not in ("plain", "html", self.tag_format)
                and name not in self._formats_seen
            ):
                self._formats_seen.add(name)
                self.problem(
                    start + tag.start(1),
                    _(
                        "the [%(format)s] text format can only be given before the "
                        "question text, for the whole question; answers are plain "
                        "text. The question was not imported."
                    )
                    % {"format": name},
                )
            raw = raw[tag.end() :]
        return _unescape(raw)

    def text(self, start: int, end: int) -> str:
        return self.raw_text(start, end).strip()

    def split(self, start: int, end: int, markers: str):
        """Answers in src[start:end], each starting at one of ``markers``:
        [(marker position, marker, body start, body end)]."""
        found = [i for i in range(start, end) if self.mask[i] in markers]
        parts = []
        for k, pos in enumerate(found):
            body_end = found[k + 1] if k + 1 < len(found) else end
            parts.append((pos, self.mask[pos], pos + 1, body_end))
        lead = self.src[start : found[0] if found else end]
        if lead.strip():
            self.problem(
                self.skip_space(start, end),
                _(
                    "“%(text)s” in the answer block is not an answer: each answer "
                    "starts with = (right) or ~ (wrong); the question was not imported."
                )
                % {"text": _shorten(_unescape(lead))},
            )
        return parts

    def weight(self, start: int, end: int) -> tuple[float | None, str, int, bool]:
        """A ``%n%`` weight at the start of an answer body: (weight, as
        written, where the answer text starts, whether it was valid)."""
        pos = self.skip_space(start, end)
        match = _WEIGHT.match(self.mask, pos, end)
        if match is None:
            return None, "", start, True
        written = match[0]
        number = match[1].strip()
        if not _NUMBER.fullmatch(number):
            self.problem(
                pos,
                _(
                    "the answer weight %(weight)s is not a number; the question was "
                    "not imported."
                )
                % {"weight": written},
            )
            return None, written, match.end(), False
        value = float(number)
        if not -100 <= value <= 100:
            self.problem(
                pos,
                _(
                    "the answer weight %(weight)s is outside -100%% to 100%%; the "
                    "question was not imported."
                )
                % {"weight": written},
            )
            return None, written, match.end(), False
        return value, written, match.end(), True

    def answer_and_feedback(self, start: int, end: int) -> tuple[str, str, int]:
        """(answer, feedback after #, where the # is or -1)."""
        hash_pos = self.mask.find("#", start, end)
        if hash_pos == -1:
            return self.text(start, end), "", -1
        return self.text(start, hash_pos), self.text(hash_pos + 1, end), hash_pos

    def no_answers(self, parts, pos: int) -> bool:
        if parts and all(not self.src[b0:b1].strip() for _p, _m, b0, b1 in parts):
            self.problem(
                pos,
                _("the answer block has no answers; the question was not imported."),
            )
            return True
        return False

    def empty_answer(self, pos: int) -> None:
        self.problem(pos, _("an answer is empty; the question was not imported."))

    # -- the question --

    def parse(self) -> dict | None:
        src, mask = self.src, self.mask
        end = len(src.rstrip())
        start = self.skip_space(0, end)
        pos = start
        title = ""
        if mask.startswith("::", pos):
            close = mask.find("::", pos + 2, end)
            if close == -1:
                self.problem(
                    pos,
                    _(
                        "the title is not closed with ::; the question was not "
                        "imported."
                    ),
                )
                return None
            title = " ".join(_unescape(src[pos + 2 : close]).split())
            pos = close + 2

        opening = mask.find("{", pos, end)
        closing = mask.find("}", pos, end)
        if opening == -1 and closing == -1:
            self.problem(
                start,
                _(
                    "description items (text with no answer block {...}) are not "
                    "supported; the item was not imported."
                ),
            )
            return None
        if opening == -1 or -1 < closing < opening:
            self.problem(
                closing,
                _(
                    "} without a { before it (write \\} for a literal brace); the "
                    "question was not imported."
                ),
            )
            return None
        closing = mask.find("}", opening + 1, end)
        nested = mask.find("{", opening + 1, end if closing == -1 else closing)
        if nested != -1:
            self.problem(
                nested,
                _(
                    "{ inside an answer block: is a } missing before it? (write \\{ "
                    "for a literal brace); the question was not imported."
                ),
            )
            return None
        if closing == -1:
            self.problem(
                opening,
                _(
                    "the answer block opened with { is not closed with }; the "
                    "question was not imported."
                ),
            )
            return None
        extra = [i for i in (mask.find("{", closing + 1, end),) if i != -1]
        extra += [i for i in (mask.find("}", closing + 1, end),) if i != -1]
        if extra:
            self.problem(
                min(extra),
                _(
                    "a question can have only one answer block {...}; separate "
                    "questions with a blank line. The question was not imported."
                ),
            )
            return None

        after_start = self.skip_space(closing + 1, end)
        missing_word = after_start < end
        before = self.raw_text(pos, opening, sets_format=True)
        if missing_word:
            text = (before + BLANK + _unescape(src[closing + 1 : end])).strip()
        else:
            text = before.strip()
        if not text:
            self.problem(
                start,
                _("the question has no text; the question was not imported."),
            )

        a0, a1 = opening + 1, closing
        general_feedback = ""
        separator = mask.rfind("####", a0, a1)
        if separator != -1:
            general_feedback = self.text(separator + 4, a1)
            a1 = separator
        body = mask[a0:a1]

        question = {
            "type": "",
            "category": self.category,
            "title": title,
            "text": text,
            # [moodle] text is HTML whose line breaks count (see _moodle_breaks).
            "text_format": "html" if self.tag_format == "moodle" else self.tag_format,
            "points": "1",
            "general_feedback": general_feedback,
        }
        if not body.strip():
            question["type"] = "essay"
        elif body.lstrip().startswith("#"):
            question.update(self.numerical(opening, a0 + body.index("#") + 1, a1))
        elif "~" in body:
            question.update(self.choice(opening, a0, a1))
        elif "=" in body and "->" in body:
            question.update(self.matching(opening, a0, a1))
        else:
            hash_pos = mask.find("#", a0, a1)
            value = _unescape(src[a0 : a1 if hash_pos == -1 else hash_pos]).strip()
            if value.upper() in _TRUE_FALSE:
                question.update(self.true_false(a0, a1, _TRUE_FALSE[value.upper()]))
            else:
                question.update(self.short_answer(opening, a0, a1))

        if missing_word and question["type"] in ("matching", "true_false", "essay"):
            self.problem(
                after_start,
                _(
                    "text after the answer block (the missing-word format) only "
                    "works in multiple-choice, short-answer and numerical questions, "
                    "not in %(kind)s questions; the question was not imported."
                )
                % {"kind": question["type"].replace("_", "/")},
            )
        question["line"] = self.line_at(start)
        if self.tag_format == "moodle":
            _moodle_breaks(question)
        return None if self.problems else question

    # -- answer blocks by type --

    def choice(self, opening: int, a0: int, a1: int) -> dict:
        parts = self.split(a0, a1, "~=")
        if self.no_answers(parts, opening):
            return {"type": "single_choice"}
        answers = []
        weights_ok = True
        for pos, marker, b0, b1 in parts:
            weight, written, text_start, ok = self.weight(b0, b1)
            weights_ok = weights_ok and ok
            text, feedback, _hash = self.answer_and_feedback(text_start, b1)
            if not text:
                self.empty_answer(pos)
            if marker == "=":
                if weight is not None and weight != 100:
                    weights_ok = False
                    self.problem(
                        pos,
                        _(
                            "an answer marked = is fully right, so it cannot also "
                            "have the weight %(weight)s; the question was not "
                            "imported."
                        )
                        % {"weight": written},
                    )
                fraction = 100.0
            else:
                fraction = weight or 0.0
            answers.append(
                {
                    "pos": pos,
                    "marker": marker,
                    "written": written,
                    "fraction": fraction,
                    "text": text,
                    "feedback": feedback,
                }
            )
        if len(answers) < 2:
            self.problem(
                opening,
                _(
                    "a multiple-choice question needs at least two answers; the "
                    "question was not imported."
                ),
            )
        kind = "single_choice"
        if weights_ok and len(answers) >= 2:
            kind = self.choice_kind(opening, answers)
        choices = []
        for answer in answers:
            if kind == "single_choice":
                correct = answer["fraction"] >= 100
            else:
                correct = answer["fraction"] > 0
            choice = {
                "text": answer["text"],
                "correct": correct,
                "feedback": answer["feedback"],
            }
            if kind == "single_choice" and 0 < answer["fraction"] < 100:
                choice["weight"] = _percent(answer["fraction"])
            choices.append(choice)
        return {"type": kind, "choices": choices}

    def choice_kind(self, opening: int, answers: list[dict]) -> str:
        right = [a for a in answers if a["fraction"] > 0]
        full = [a for a in right if a["fraction"] >= 100]
        partial = [a for a in right if a["fraction"] < 100]
        has_equals = any(a["marker"] == "=" for a in answers)
        if partial and (has_equals or len(right) == 1):
            # One answer earns full credit and others part of it: a single
            # choice with partial credit, as Moodle grades it.
            if not full:
                self.problem(
                    partial[0]["pos"],
                    _(
                        "no answer earns full credit: mark the right one with = (or "
                        "~%%100%%), and others may keep a partial credit such as "
                        "%(weight)s; the question was not imported."
                    )
                    % {"weight": partial[0]["written"]},
                )
            elif len(full) > 1:
                self.too_many_right(full)
            return "single_choice"
        if partial:
            weights = [a["fraction"] for a in right]
            if (
                full
                or not _weights_equal(weights)
                or (abs(sum(weights) - 100) > _WEIGHT_TOLERANCE)
            ):
                self.problem(
                    right[0]["pos"],
                    _(
                        "the answer weights %(weights)s don't map cleanly to right "
                        "and wrong answers (the right answers' weights must be "
                        "equal and add up to 100%%); the question was not imported."
                    )
                    % {"weights": ", ".join(a["written"] for a in right)},
                )
            return "multiple_response"
        if not full:
            self.problem(
                opening,
                _(
                    "the question has no correct answer (mark it with =); the "
                    "question was not imported."
                ),
            )
        elif len(full) > 1:
            self.too_many_right(full)
        return "single_choice"

    def too_many_right(self, full: list[dict]) -> None:
        self.problem(
            full[1]["pos"],
            _(
                "a single-choice question can have only one correct answer (=); "
                "for several right answers give each a weight such as ~%50%. "
                "The question was not imported."
            ),
        )

    def true_false(self, a0: int, a1: int, answer: bool) -> dict:
        """{T#feedback for a wrong answer#feedback for a right one}."""
        first = self.mask.find("#", a0, a1)
        wrong = right = ""
        if first != -1:
            second = self.mask.find("#", first + 1, a1)
            wrong = self.text(first + 1, a1 if second == -1 else second)
            if second != -1:
                right = self.text(second + 1, a1)
        return {
            "type": "true_false",
            "answer": answer,
            "feedback_true": right if answer else wrong,
            "feedback_false": wrong if answer else right,
        }

    def short_answer(self, opening: int, a0: int, a1: int) -> dict:
        parts = self.split(a0, a1, "=")
        accepted: list[dict] = []
        if self.no_answers(parts, opening):
            return {"type": "short_answer", "accepted": accepted}
        for pos, _marker, b0, b1 in parts:
            weight = self.answer_weight(pos, b0, b1, _("short answers"))
            text, feedback, _hash = self.answer_and_feedback(weight[1], b1)
            if not text:
                self.empty_answer(pos)
            accepted.append(
                {"text": text, "weight": _percent(weight[0]), "feedback": feedback}
            )
        self.needs_full_credit(opening, accepted)
        return {"type": "short_answer", "accepted": accepted}

    def answer_weight(self, pos: int, b0: int, b1: int, kind: str):
        """(weight in percent, where the answer starts) for a short or a
        numerical answer: 100 unless written, never negative."""
        weight, written, text_start, _ok = self.weight(b0, b1)
        if weight is not None and weight < 0:
            self.problem(
                pos,
                _(
                    "%(kind)s cannot lose points (%(weight)s); the question was not "
                    "imported."
                )
                % {"kind": kind, "weight": written},
            )
        return (100.0 if weight is None else max(weight, 0.0)), text_start

    def needs_full_credit(self, opening: int, answers: list[dict]) -> None:
        if answers and not any(float(a["weight"]) >= 100 for a in answers):
            self.problem(
                opening,
                _("no answer earns full credit (100%); the question was not imported."),
            )

    def numerical(self, opening: int, a0: int, a1: int) -> dict:
        """{#1822:2}, {#3.141..3.142}, or graded answers {#=1822 =%50%1822:2}."""
        wrong = self.mask.find("~", a0, a1)
        if wrong != -1:
            self.problem(
                wrong,
                _(
                    "feedback for any other answer (~...) in numerical questions is "
                    "not supported; the question was not imported."
                ),
            )
            a1 = wrong
        if "=" in self.mask[a0:a1]:
            parts = self.split(a0, a1, "=")
        else:
            parts = [(a0, "=", a0, a1)]
        answers: list[dict] = []
        if not self.src[a0:a1].strip():
            self.problem(
                opening,
                _(
                    "the numerical question has no answer; the question was not "
                    "imported."
                ),
            )
            return {"type": "numerical", "answers": answers}
        if self.no_answers(parts, opening):
            return {"type": "numerical", "answers": answers}
        for pos, _marker, b0, b1 in parts:
            weight = self.answer_weight(pos, b0, b1, _("numerical answers"))
            written, feedback, _hash = self.answer_and_feedback(weight[1], b1)
            answer = _numerical_answer(written)
            if answer is None:
                self.problem(
                    self.skip_space(weight[1], b1),
                    _(
                        "“%(answer)s” is not a number, number:tolerance or min..max "
                        "(use a point for decimals); the question was not imported."
                    )
                    % {"answer": _shorten(written)},
                )
                continue
            answer.update(weight=_percent(weight[0]), feedback=feedback)
            answers.append(answer)
        self.needs_full_credit(opening, answers)
        return {"type": "numerical", "answers": answers}

    def matching(self, opening: int, a0: int, a1: int) -> dict:
        parts = self.split(a0, a1, "=")
        pairs: list[dict] = []
        if self.no_answers(parts, opening):
            return {"type": "matching", "pairs": pairs}
        for pos, _marker, b0, b1 in parts:
            arrow = self.mask.find("->", b0, b1)
            if arrow == -1:
                self.problem(
                    pos,
                    _(
                        "a matching pair is written =prompt -> match, and this one "
                        "has no ->; the question was not imported."
                    ),
                )
                continue
            hash_pos = self.mask.find("#", b0, b1)
            if hash_pos != -1:
                self.problem(
                    hash_pos,
                    _(
                        "feedback in matching questions (#...) is not supported; "
                        "the question was not imported."
                    ),
                )
            prompt, match = self.text(b0, arrow), self.text(arrow + 2, b1)
            if not prompt:
                self.problem(
                    pos,
                    _(
                        "extra wrong matches with no prompt (= -> ...) are not "
                        "supported; the question was not imported."
                    ),
                )
            elif not match:
                self.problem(
                    pos,
                    _("a matching pair has no match; the question was not imported."),
                )
            pairs.append({"prompt": prompt, "match": match})
        if len(parts) < 3:
            self.problem(
                opening,
                _(
                    "a matching question needs at least three pairs (this one has "
                    "%(count)s); the question was not imported."
                )
                % {"count": len(parts)},
            )
        return {"type": "matching", "pairs": pairs}


def _percent(value: float) -> str:
    """A weight as written in the import dicts: "50", "33.33333"."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _numerical_answer(written: str) -> dict | None:
    """Moodle's numerical answer forms: 1822, 1822:2 (± 2), 3.141..3.142."""
    written = written.strip()
    if ".." in written:
        low, _sep, high = (part.strip() for part in written.partition(".."))
        numbers = _NUMERIC.fullmatch(low) and _NUMERIC.fullmatch(high)
        if numbers and float(low) <= float(high):
            return {"minimum": low, "maximum": high}
        return None
    value, _sep, tolerance = (part.strip() for part in written.partition(":"))
    if not _NUMERIC.fullmatch(value):
        return None
    if _sep and not (_NUMERIC.fullmatch(tolerance) and float(tolerance) >= 0):
        return None
    return {"value": value, "tolerance": tolerance or "0"}


def _moodle_breaks(question: dict) -> None:
    """Moodle's own format is HTML whose line breaks show: keep them."""

    def html(text: str) -> str:
        return text.replace("\n", "<br>\n")

    for field in ("text", "general_feedback", "feedback_true", "feedback_false"):
        if question.get(field):
            question[field] = html(question[field])
    for field in _FEEDBACK_LISTS:
        for item in question.get(field) or []:
            if item.get("feedback"):
                item["feedback"] = html(item["feedback"])
