"""The GIFT parser: Moodle GIFT text in, import-schema question dicts and
line-numbered problems out. Pure Python, so no database."""

import random
from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from exams.gift import GiftProblem, GiftResult, parse_gift

NO_QUESTIONS = "The file contains no questions."


def gift(text: str) -> str:
    return dedent(text).lstrip("\n")


def only_question(text: str) -> dict:
    result = parse_gift(gift(text))
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.questions) == 1
    return result.questions[0]


def only_problem(text: str) -> GiftProblem:
    result = parse_gift(gift(text))
    assert result.questions == [], result.questions
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


# --- one test per question type ---------------------------------------------


def test_true_false_with_title_category_and_feedback():
    question = only_question(
        """
        $CATEGORY: $course$/top/Peer Support Foundations/Recovery Principles

        ::Person-driven recovery::Recovery is person-driven. {T#The person, not \
the provider, directs their recovery.}
        """
    )
    assert question == {
        "type": "true_false",
        "category": "Recovery Principles",
        "title": "Person-driven recovery",
        "text": "Recovery is person-driven.",
        "text_format": "plain",
        "points": "1",
        "general_feedback": "",
        "answer": True,
        # The first feedback is for a wrong answer, here False.
        "feedback_true": "",
        "feedback_false": "The person, not the provider, directs their recovery.",
        "line": 3,
    }


def test_true_false_spellings():
    result = parse_gift(
        gift(
            """
            A peer specialist diagnoses mental illness. {F}

            Peer support is based on mutuality. {TRUE}

            Peers must share every detail of their own story. {FALSE####Share \
with purpose.}
            """
        )
    )
    assert result.problems == []
    assert [q["answer"] for q in result.questions] == [False, True, False]
    assert [q["line"] for q in result.questions] == [1, 3, 5]
    assert result.questions[2]["general_feedback"] == "Share with purpose."
    assert result.questions[2]["feedback_true"] == ""
    assert result.questions[2]["feedback_false"] == ""


def test_single_choice_with_per_answer_and_general_feedback():
    question = only_question(
        """
        ::Role boundaries::What does a peer specialist share to build mutuality? {
          =Their own lived experience of recovery#Right: shared experience builds \
trust.
          ~A diagnosis for the person#Peers do not diagnose.
          ~Advice about changing medication#That is outside the peer role.
          ####Peers offer lived experience, not clinical services.
        }
        """
    )
    assert question["type"] == "single_choice"
    assert question["title"] == "Role boundaries"
    assert question["text"] == "What does a peer specialist share to build mutuality?"
    assert question["general_feedback"] == (
        "Peers offer lived experience, not clinical services."
    )
    assert question["choices"] == [
        {
            "text": "Their own lived experience of recovery",
            "correct": True,
            "feedback": "Right: shared experience builds trust.",
        },
        {
            "text": "A diagnosis for the person",
            "correct": False,
            "feedback": "Peers do not diagnose.",
        },
        {
            "text": "Advice about changing medication",
            "correct": False,
            "feedback": "That is outside the peer role.",
        },
    ]
    assert question["category"] == ""
    assert question["points"] == "1"
    assert question["line"] == 1
    assert "answer" not in question and "accepted" not in question


def test_single_choice_weights_of_100_and_negative_map_to_right_and_wrong():
    question = only_question(
        "Who leads a recovery plan? {~%100%The person ~%-50%The peer ~%0%The judge}"
    )
    assert question["type"] == "single_choice"
    assert [c["correct"] for c in question["choices"]] == [True, False, False]
    assert [c["text"] for c in question["choices"]] == [
        "The person",
        "The peer",
        "The judge",
    ]


def test_multiple_response_from_weights():
    question = only_question(
        """
        Which are SAMHSA's four dimensions of recovery? {
          ~%25%Health
          ~%25%Home#Yes: a stable, safe place to live.
          ~%25%Purpose
          ~%25%Community
          ~%-100%Diagnosis#No: recovery is not defined by a diagnosis.
        }
        """
    )
    assert question["type"] == "multiple_response"
    assert [(c["text"], c["correct"]) for c in question["choices"]] == [
        ("Health", True),
        ("Home", True),
        ("Purpose", True),
        ("Community", True),
        ("Diagnosis", False),
    ]
    assert question["choices"][1]["feedback"] == "Yes: a stable, safe place to live."
    assert question["choices"][4]["feedback"] == (
        "No: recovery is not defined by a diagnosis."
    )


def test_multiple_response_with_repeating_decimal_weights():
    question = only_question(
        "Which are peer-support values? "
        "{~%33.33333%Mutuality ~%33.33333%Hope ~%33.33333%Self-determination "
        "~Coercion ~%-50%Pity}"
    )
    assert question["type"] == "multiple_response"
    assert [c["correct"] for c in question["choices"]] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_short_answer():
    question = only_question(
        """
        ::Plan name::What is the name of the self-designed prevention and wellness \
plan developed by Mary Ellen Copeland? {=WRAP =Wellness Recovery Action Plan}
        """
    )
    assert question["type"] == "short_answer"
    assert question["accepted"] == [
        {"text": "WRAP", "weight": "100", "feedback": ""},
        {"text": "Wellness Recovery Action Plan", "weight": "100", "feedback": ""},
    ]
    assert question["title"] == "Plan name"
    assert "choices" not in question


def test_matching():
    question = only_question(
        """
        Match each term with its meaning. {
          =WRAP -> Wellness Recovery Action Plan
          =CPS -> Certified Peer Specialist
          =Trauma-informed -> Asking "what happened to you?"
          ####Review the glossary in Module 1.
        }
        """
    )
    assert question["type"] == "matching"
    assert question["pairs"] == [
        {"prompt": "WRAP", "match": "Wellness Recovery Action Plan"},
        {"prompt": "CPS", "match": "Certified Peer Specialist"},
        {"prompt": "Trauma-informed", "match": 'Asking "what happened to you?"'},
    ]
    assert question["general_feedback"] == "Review the glossary in Module 1."


def test_essay():
    question = only_question(
        """
        ::Using your story::Describe a time you shared part of your recovery story \
to support someone. What did you choose to leave out, and why? {}
        """
    )
    assert question["type"] == "essay"
    assert question["text"].endswith("What did you choose to leave out, and why?")
    assert set(question) == {
        "type",
        "category",
        "title",
        "text",
        "text_format",
        "points",
        "general_feedback",
        "line",
    }


def test_essay_with_general_feedback_only():
    question = only_question(
        "Explain shared decision-making. {####Mention choice, information and respect.}"
    )
    assert question["type"] == "essay"
    assert question["general_feedback"] == "Mention choice, information and respect."


def test_missing_word():
    question = only_question(
        "Peer support is built on {=mutuality ~authority ~diagnosis} and shared "
        "experience."
    )
    assert question["type"] == "single_choice"
    assert question["text"] == "Peer support is built on _____ and shared experience."

    short = only_question("The {=WRAP} is a self-designed wellness plan.")
    assert short["type"] == "short_answer"
    assert short["text"] == "The _____ is a self-designed wellness plan."
    assert [a["text"] for a in short["accepted"]] == ["WRAP"]


def test_answers_after_the_question_is_not_missing_word():
    question = only_question("Recovery is person-driven.\n{T}\n")
    assert question["text"] == "Recovery is person-driven."


# --- categories, titles, escapes, comments, line endings ---------------------


def test_categories_follow_the_most_recent_category_line():
    result = parse_gift(
        gift(
            """
            Before any category. {T}

            $CATEGORY: $course$/top/Default for PS101/Ethics

            Peers keep what they hear confidential, within limits. {T}
            Ignore me? No: this line continues the question above.

            $CATEGORY: $system$/Core Competencies
            Hope is a core value of peer support. {T}

            $CATEGORY: Boundaries

            A peer may lend money to a person they support. {F}

            $CATEGORY: $course$/top/Trauma//Resilience

            Trauma can affect trust. {T}

            $CATEGORY: $system$

            Back at the top. {T}
            """
        )
    )
    assert [str(p) for p in result.problems] == [
        "Line 6: text after the answer block (the missing-word format) only works "
        "in multiple-choice, short-answer and numerical questions, not in "
        "true/false questions; the question was not imported."
    ]
    assert [(q["category"], q["line"]) for q in result.questions] == [
        ("", 1),
        ("Core Competencies", 9),
        ("Boundaries", 13),
        ("Trauma/Resilience", 17),
        ("", 21),
    ]


def test_titles_are_optional_and_unescaped():
    result = parse_gift(
        gift(
            """
            ::Ethics\\: dual relationships::A peer may date a person they \
support. {F}

            ::::A title can be empty. {T}

            No title here. {T}
            """
        )
    )
    assert result.problems == []
    assert [q["title"] for q in result.questions] == [
        "Ethics: dual relationships",
        "",
        "",
    ]
    assert result.questions[0]["text"] == "A peer may date a person they support."


def test_escapes():
    question = only_question(
        r"""
        ::Symbols\: a test::Which means "not equal"\: \=, \~, \#, \{ or \}? {
          =\~\=#Right\: tilde-equals \{as in some languages\}.
          ~\=\=#That is \#equal\#.
          ~a\\b
        }
        """
    )
    assert question["title"] == "Symbols: a test"
    assert question["text"] == 'Which means "not equal": =, ~, #, { or }?'
    assert question["choices"] == [
        {
            "text": "~=",
            "correct": True,
            "feedback": "Right: tilde-equals {as in some languages}.",
        },
        {"text": "==", "correct": False, "feedback": "That is #equal#."},
        {"text": "a\\b", "correct": False, "feedback": ""},
    ]


def test_escaped_newline():
    question = only_question(r"First line\nsecond line. {T}")
    assert question["text"] == "First line\nsecond line."


def test_comments_are_ignored_but_not_urls():
    result = parse_gift(
        gift(
            """
            // Module 3: crisis support
            // question: 1 name: warm line
            ::Warm line::Peers staff https://example.org/warmlines {
              // the right answer first
              =T
            }

            // a comment-only paragraph

              // indented comment
            Crisis plans are written by the person. {T}
            """
        )
    )
    assert result.problems == []
    assert [q["line"] for q in result.questions] == [3, 11]
    first = result.questions[0]
    assert first["type"] == "short_answer"  # "=T" is an accepted answer, not TRUE
    assert [a["text"] for a in first["accepted"]] == ["T"]
    assert first["text"] == "Peers staff https://example.org/warmlines"


def test_comment_between_lines_of_a_question_is_dropped():
    question = only_question(
        """
        Peer specialists
        // (edit: reworded)
        share lived experience. {T}
        """
    )
    assert question["text"] == "Peer specialists\nshare lived experience."


def test_windows_line_endings_and_bom():
    text = (
        "\ufeff$CATEGORY: $course$/Hope\r\n"
        "\r\n"
        "::Hope::Hope is essential to recovery. {T}\r\n"
        "\r\n"
        "Which is a peer value? {\r\n"
        "=Mutuality#Yes\r\n"
        "~Control\r\n"
        "}\r\n"
        "\r\n"
        "Numbers only? {#3}\r\n"
    )
    result = parse_gift(text)
    assert [q["line"] for q in result.questions] == [3, 5, 10]
    assert result.questions[0]["category"] == "Hope"
    assert result.questions[0]["title"] == "Hope"
    assert result.questions[1]["choices"][0] == {
        "text": "Mutuality",
        "correct": True,
        "feedback": "Yes",
    }
    assert not any("\r" in c["text"] for c in result.questions[1]["choices"])
    assert result.problems == []
    assert result.questions[2]["answers"] == [
        {"value": "3", "tolerance": "0", "weight": "100", "feedback": ""}
    ]


def test_old_mac_line_endings():
    result = parse_gift("Hope matters. {T}\r\rPeers diagnose. {F}\r")
    assert [q["line"] for q in result.questions] == [1, 3]


def test_html_and_plain_format_tags_are_stripped():
    result = parse_gift(
        gift(
            """
            ::Html::[html]<p>Recovery is <b>non-linear</b>.</p>{T}

            [plain]Setbacks are part of recovery. {T}

            ::Choices::[html]<p>Pick one</p>{=[html]<i>Hope</i> ~[plain]Fear}
            """
        )
    )
    assert result.problems == []
    assert [q["text"] for q in result.questions] == [
        "<p>Recovery is <b>non-linear</b>.</p>",
        "Setbacks are part of recovery.",
        "<p>Pick one</p>",
    ]
    assert [q["text_format"] for q in result.questions] == ["html", "plain", "html"]
    assert [c["text"] for c in result.questions[2]["choices"]] == [
        "<i>Hope</i>",
        "Fear",
    ]


# --- unsupported features: a problem naming the feature, on its line --------


def test_numerical_with_a_tolerance():
    question = only_question(
        """
        // Module 4: supervision
        ::Hours::How many hours of supervised work experience does the alcohol \
and drug peer support specialist application need? {#500:20####It is 500 hours.}
        """
    )
    assert question["type"] == "numerical"
    assert question["line"] == 2
    assert question["answers"] == [
        {"value": "500", "tolerance": "20", "weight": "100", "feedback": ""}
    ]
    assert question["general_feedback"] == "It is 500 hours."


def test_numerical_with_a_range_in_the_missing_word_format():
    question = only_question(
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}."
    )
    assert question["type"] == "numerical"
    assert question["text"] == "What is the value of pi (to 3 decimal places)? _____."
    assert question["answers"] == [
        {"minimum": "3.141", "maximum": "3.142", "weight": "100", "feedback": ""}
    ]


def test_numerical_with_several_graded_answers_and_feedback():
    question = only_question(
        """
        ::Numerical example::
        When was Ulysses S. Grant born? {#
             =1822:0      #Correct! 100% credit
             =%50%1822:2  #He was born in 1822. You get 50% credit for being close.
        }
        """
    )
    assert question["answers"] == [
        {
            "value": "1822",
            "tolerance": "0",
            "weight": "100",
            "feedback": "Correct! 100% credit",
        },
        {
            "value": "1822",
            "tolerance": "2",
            "weight": "50",
            "feedback": "He was born in 1822. You get 50% credit for being close.",
        },
    ]


def test_numerical_answer_line_is_the_line_of_the_bad_number():
    result = parse_gift(
        gift(
            """
            Hope is a core value. {T}

            How many supervised hours
            does certification need? {#
            =25
            =%50%twenty
            }
            """
        )
    )
    assert len(result.questions) == 1
    assert [str(p) for p in result.problems] == [
        "Line 6: “twenty” is not a number, number:tolerance or min..max (use a "
        "point for decimals); the question was not imported."
    ]


def test_numerical_problems():
    result = parse_gift(
        gift(
            """
            No answer. {#}

            Only partial credit. {#=%50%25}

            Backwards range. {#5..3}

            Negative tolerance. {#5:-1}

            Other answers. {#=25 ~#Not quite}

            Losing points. {#=25 =%-50%30}
            """
        )
    )
    assert result.questions == []
    assert [str(p) for p in result.problems] == [
        "Line 1: the numerical question has no answer; the question was not imported.",
        "Line 3: no answer earns full credit (100%); the question was not imported.",
        "Line 5: “5..3” is not a number, number:tolerance or min..max (use a point "
        "for decimals); the question was not imported.",
        "Line 7: “5:-1” is not a number, number:tolerance or min..max (use a point "
        "for decimals); the question was not imported.",
        "Line 9: feedback for any other answer (~...) in numerical questions is not "
        "supported; the question was not imported.",
        "Line 11: numerical answers cannot lose points (%-50%); the question was "
        "not imported.",
    ]


def test_description_item_is_reported_among_questions():
    result = parse_gift(
        gift(
            """
            ::Intro::This section covers ethics for peer specialists.

            Peers may accept gifts of any value. {F}
            """
        )
    )
    assert [q["line"] for q in result.questions] == [3]
    assert [(p.line, p.message) for p in result.problems] == [
        (
            1,
            "description items (text with no answer block {...}) are not "
            "supported; the item was not imported.",
        )
    ]


def test_markdown_format_sets_the_question_format():
    question = only_question(
        """
        // Module 2

        ::Md::[markdown]Who's buried in **Grant's tomb**?{
        =no one#excellent answer!
        =nobody#excellent answer!}
        """
    )
    assert question["line"] == 3
    assert question["text"] == "Who's buried in **Grant's tomb**?"
    assert question["text_format"] == "markdown"
    assert [(a["text"], a["feedback"]) for a in question["accepted"]] == [
        ("no one", "excellent answer!"),
        ("nobody", "excellent answer!"),
    ]


def test_moodle_format_is_html_with_its_line_breaks():
    question = only_question(
        "[moodle]Which supports recovery?\\nPick one. {\n"
        "=[moodle]Hope#Yes\\nit does.\n~Shame####See\\nModule 1.}"
    )
    assert question["text_format"] == "html"
    assert question["text"] == "Which supports recovery?<br>\nPick one."
    assert question["choices"][0] == {
        "text": "Hope",
        "correct": True,
        "feedback": "Yes<br>\nit does.",
    }
    assert question["general_feedback"] == "See<br>\nModule 1."


def test_another_format_on_an_answer_is_reported_once_on_its_line():
    result = parse_gift(
        gift(
            """
            Peers share hope. {T}

            Which supports recovery? {
              =[markdown]**Hope**
              ~[markdown]Shame
            }
            """
        )
    )
    assert len(result.questions) == 1
    assert [p.line for p in result.problems] == [4]
    assert "[markdown] text format can only be given before the question text" in (
        result.problems[0].message
    )


def test_single_choice_with_partial_credit_weights_and_feedback():
    question = only_question(
        """
        ::Jesus' hometown::Jesus Christ was from {
            ~Jerusalem#This was an important city, but the wrong answer.
            ~%25%Bethlehem#He was born here, but not raised here.
            ~%50%Galilee#You need to be more specific.
            =Nazareth#Yes! That's right!}.
        """
    )
    assert question["type"] == "single_choice"
    assert question["text"] == "Jesus Christ was from _____."
    assert [
        (c["text"], c["correct"], c.get("weight"), c["feedback"])
        for c in question["choices"]
    ] == [
        (
            "Jerusalem",
            False,
            None,
            "This was an important city, but the wrong answer.",
        ),
        ("Bethlehem", False, "25", "He was born here, but not raised here."),
        ("Galilee", False, "50", "You need to be more specific."),
        ("Nazareth", True, None, "Yes! That's right!"),
    ]


def test_partial_credit_next_to_a_full_answer():
    question = only_question(
        "Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}"
    )
    assert question["type"] == "single_choice"
    assert [(c["correct"], c.get("weight")) for c in question["choices"]] == [
        (False, None),
        (False, "50"),
        (True, None),
    ]


def test_partial_credit_without_a_full_answer():
    problem = only_problem(
        """
        Where does recovery happen? {
          ~%50%In a clinic, sometimes
          ~In a courtroom
          ~Nowhere
        }
        """
    )
    assert problem.line == 2
    assert problem.message == (
        "no answer earns full credit: mark the right one with = (or ~%100%), and "
        "others may keep a partial credit such as %50%; the question was not "
        "imported."
    )


def test_weights_that_do_not_map_to_right_and_wrong():
    problem = only_problem(
        """
        Which help a person in crisis? {
          ~%70%Listening
          ~%30%A warm line number
          ~Arguing
        }
        """
    )
    assert problem.line == 2
    assert "%70%, %30%" in problem.message
    assert "don't map cleanly to right and wrong answers" in problem.message


def test_weights_that_do_not_add_up():
    problem = only_problem("Pick the values. {~%40%Hope ~%40%Respect ~Pity}")
    assert "don't map cleanly" in problem.message


def test_weight_on_an_equals_answer():
    problem = only_problem("Pick one. {=%50%Hope ~Fear}")
    assert "cannot also have the weight %50%" in problem.message


def test_weight_that_is_not_a_number_or_out_of_range():
    result = parse_gift(
        gift(
            """
            Pick one. {=Hope ~%half%Fear}

            Pick one. {=Hope ~%-150%Fear}
            """
        )
    )
    assert result.questions == []
    assert [str(p) for p in result.problems] == [
        "Line 1: the answer weight %half% is not a number; the question was not "
        "imported.",
        "Line 3: the answer weight %-150% is outside -100% to 100%; the question "
        "was not imported.",
    ]


def test_short_answers_with_weights_and_feedback():
    question = only_question(
        """
        ::Jesus' hometown:: Jesus Christ was from {
             =Nazareth#Yes! That's right!
             =%75%Nazereth#Right, but misspelled.
             =%25%Bethlehem#He was born here, but not raised here.
        }.
        """
    )
    assert question["type"] == "short_answer"
    assert question["accepted"] == [
        {"text": "Nazareth", "weight": "100", "feedback": "Yes! That's right!"},
        {"text": "Nazereth", "weight": "75", "feedback": "Right, but misspelled."},
        {
            "text": "Bethlehem",
            "weight": "25",
            "feedback": "He was born here, but not raised here.",
        },
    ]


def test_short_answers_need_one_full_credit_answer_and_no_penalty():
    result = parse_gift(
        gift(
            """
            Name the plan. {
              =%50%WRAP
              =%50%Wellness plan
            }

            Name the plan. {=WRAP =%-50%Nothing}
            """
        )
    )
    assert result.questions == []
    assert [str(p) for p in result.problems] == [
        "Line 1: no answer earns full credit (100%); the question was not imported.",
        "Line 6: short answers cannot lose points (%-50%); the question was not "
        "imported.",
    ]


def test_feedback_for_right_and_wrong_true_false_answers():
    question = only_question(
        "Recovery is linear. {F#Recovery has ups and downs.#Right: it is not.}"
    )
    assert question["answer"] is False
    assert question["feedback_true"] == "Recovery has ups and downs."
    assert question["feedback_false"] == "Right: it is not."


def test_matching_distractor_without_a_prompt():
    problem = only_problem(
        """
        Match each service to its description. {
          =Warm line -> Peer-run phone support
          =Drop-in center -> A place to visit without an appointment
          =Clubhouse -> A community where members work together
          = -> Inpatient unit
        }
        """
    )
    assert problem.line == 5
    assert "no prompt" in problem.message


def test_feedback_in_matching():
    problem = only_problem("Match. {=A -> Alpha =B -> Bravo#good =C -> Charlie}")
    assert "feedback in matching questions" in problem.message


# --- syntax errors -----------------------------------------------------------


def test_unclosed_brace_reports_the_line_of_the_brace():
    result = parse_gift(
        gift(
            """
            Hope is a core value. {T}

            ::Open::Which is a peer value?
            {
              =Mutuality
              ~Control
            """
        )
    )
    assert len(result.questions) == 1
    assert [str(p) for p in result.problems] == [
        "Line 4: the answer block opened with { is not closed with }; the "
        "question was not imported."
    ]


def test_brace_inside_an_answer_block():
    problem = only_problem("Which? {=Hope\n~Fear\nNext question? {T}")
    assert problem.line == 3
    assert "{ inside an answer block" in problem.message


def test_closing_brace_without_opening():
    problem = only_problem("Values } are important. {T}")
    assert problem.line == 1
    assert "} without a {" in problem.message


def test_two_answer_blocks_usually_mean_a_missing_blank_line():
    problem = only_problem("Hope matters. {T}\nPeers diagnose. {F}")
    assert problem.line == 2
    assert "only one answer block" in problem.message


def test_answer_block_with_no_answers():
    result = parse_gift("Pick one. {=}\n\nPick one. {~ ~}\n")
    assert result.questions == []
    assert [str(p) for p in result.problems] == [
        "Line 1: the answer block has no answers; the question was not imported.",
        "Line 3: the answer block has no answers; the question was not imported.",
    ]


def test_empty_answer_among_answers():
    problem = only_problem("Pick one. {\n=Hope\n~\n~Fear\n}")
    assert problem.line == 3
    assert "an answer is empty" in problem.message


def test_single_choice_with_no_correct_answer():
    problem = only_problem(
        """
        Which is a peer value?
        {~Control ~Pity ~Authority}
        """
    )
    assert problem.line == 2
    assert problem.message == (
        "the question has no correct answer (mark it with =); the question was "
        "not imported."
    )


def test_single_choice_with_two_correct_answers():
    problem = only_problem(
        """
        Which is a peer value? {
          =Mutuality
          =Hope
          ~Control
        }
        """
    )
    assert problem.line == 3
    assert "only one correct answer" in problem.message


def test_multiple_choice_with_one_answer():
    result = parse_gift("Pick. {~Hope}")
    assert result.questions == []
    messages = [p.message for p in result.problems]
    assert any("at least two answers" in m for m in messages)


def test_text_after_a_matching_block():
    problem = only_problem(
        "Match these {=A -> Alpha =B -> Bravo =C -> Charlie}\nplease."
    )
    assert problem.line == 2
    assert "not in matching questions" in problem.message


def test_text_after_an_essay_block():
    problem = only_problem("Describe your recovery {} in detail.")
    assert "not in essay questions" in problem.message


def test_matching_needs_three_pairs():
    problem = only_problem(
        """
        Peer support is good.
        Match. {
          =WRAP -> Wellness Recovery Action Plan
          =CPS -> Certified Peer Specialist
        }
        """
    )
    assert problem.line == 2
    assert problem.message == (
        "a matching question needs at least three pairs (this one has 2); the "
        "question was not imported."
    )


def test_matching_pair_without_arrow():
    problem = only_problem(
        "Match. {\n=A -> Alpha\n=B Bravo\n=C -> Charlie\n=D -> Delta\n}"
    )
    assert problem.line == 3
    assert "has no ->" in problem.message


def test_answer_without_equals_or_tilde():
    problem = only_problem("What is the plan called? {WRAP}")
    assert "“WRAP” in the answer block is not an answer" in problem.message


def test_unclosed_title():
    problem = only_problem("::Hope Hope is a core value. {T}")
    assert problem.line == 1
    assert "title is not closed" in problem.message


def test_question_with_no_text():
    problem = only_problem("::Just a title::{T}")
    assert "has no text" in problem.message


def test_every_problem_in_one_question_is_reported():
    result = parse_gift("Pick. {\n~%abc%Hope\n=\n~Fear\n}")
    assert result.questions == []
    assert [p.line for p in result.problems] == [2, 3]


# --- whole files -------------------------------------------------------------


def test_three_good_questions_and_a_bad_one():
    result = parse_gift(
        gift(
            """
            // Peer Specialist Certification: practice exam
            $CATEGORY: $course$/top/Practice

            ::Q1::Recovery is person-driven. {T}

            ::Q2::How many hours of supervision are required? {#40}

            ::Q3::Which is a core peer-support value? {
              =Mutuality#Yes.
              ~Coercion#No.
            }

            ::Q4::Which are crisis resources? {
              ~988
              ~A warm line
            }
            """
        )
    )
    assert isinstance(result, GiftResult)
    assert [q["title"] for q in result.questions] == ["Q1", "Q2", "Q3"]
    assert [q["line"] for q in result.questions] == [4, 6, 8]
    assert all(q["category"] == "Practice" for q in result.questions)
    assert [str(p) for p in result.problems] == [
        "Line 13: the question has no correct answer (mark it with =); the "
        "question was not imported.",
    ]


def test_problem_str():
    assert str(GiftProblem(14, "oops")) == "Line 14: oops"


def test_empty_input():
    for text in ("", "\ufeff", "   \n\n\t\n", "// only a comment\n// another\n"):
        result = parse_gift(text)
        assert result.questions == []
        assert [(p.line, p.message) for p in result.problems] == [(1, NO_QUESTIONS)]


def test_only_categories():
    result = parse_gift("$CATEGORY: Ethics\n\n$CATEGORY: Hope\n")
    assert result.questions == []
    assert [p.message for p in result.problems] == [NO_QUESTIONS]


def test_random_text():
    result = parse_gift(
        "Dear team,\nplease find attached the schedule for next week.\n\nThanks!\n"
    )
    assert result.questions == []
    assert [(p.line, p.message) for p in result.problems] == [(1, NO_QUESTIONS)]


def test_binary_garbage():
    for seed in range(20):
        data = random.Random(seed).randbytes(500).decode("utf-8", errors="replace")
        result = parse_gift(data)
        assert result.questions == []
        assert [p.message for p in result.problems] == [NO_QUESTIONS]


def test_utf16_file_read_as_utf8():
    data = "Recovery is person-driven. {T}\n".encode("utf-16")
    result = parse_gift(data.decode("utf-8", errors="replace"))
    assert result.questions == []
    assert [p.message for p in result.problems] == [NO_QUESTIONS]


_GIFT_ALPHABET = "{}~=#:%->\\/$[] \n\r\tTFab1.\ufeff\ufffd\x00"


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=_GIFT_ALPHABET, max_size=80)))
def test_never_raises(text):
    result = parse_gift(text)
    line_count = max(1, len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    assert result.questions or result.problems
    for problem in result.problems:
        assert 1 <= problem.line <= line_count
        assert str(problem).startswith(f"Line {problem.line}: ")
    for question in result.questions:
        assert question["type"] in {
            "single_choice",
            "multiple_response",
            "true_false",
            "short_answer",
            "matching",
            "numerical",
            "essay",
        }
        assert 1 <= question["line"] <= line_count
        assert question["points"] == "1"
