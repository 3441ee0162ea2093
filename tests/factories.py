"""Factories for every record the tests need, and small builders of the
course shapes the tests share.

Each factory makes a valid object from no arguments. Pages are created in the
tree under the site's home page, live, as Wagtail's own tests make them;
``with_revision=True`` also saves and publishes a first revision, as editors
and the fixture loader do. Records whose invariants live in services (seats,
attendance, the hour ledger, attempts) are created through those services.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from cms import roles
from cms.models import ContentPage, HomePage, User
from cms.services import home_page_get, page_publish_child
from courses import services as course_services
from courses.models import (
    AgeRequirement,
    Attendance,
    Certificate,
    ClassSession,
    Cohort,
    CohortSeat,
    CourseIndexPage,
    CoursePage,
    Credential,
    Enrollment,
    HourCategory,
    HourEntry,
    HoursRequirement,
    LessonPage,
    ModuleCompletionRequirement,
    ModulePage,
    Requirement,
    TotalHoursRequirement,
)
from exams import services as exam_services
from exams.models import (
    Accommodation,
    Attempt,
    BlueprintRule,
    Booking,
    EssayQuestion,
    MatchingQuestion,
    MultipleResponseQuestion,
    NumericalQuestion,
    OralExam,
    OralExamPassedRequirement,
    OrderingQuestion,
    Question,
    QuestionCategory,
    Response,
    Rubric,
    RubricCriterion,
    ScoreSheet,
    ShortAnswerQuestion,
    SingleChoiceQuestion,
    Sitting,
    Slot,
    TrueFalseQuestion,
    WrittenExam,
    WrittenExamPassedRequirement,
    question_type,
)

PASSWORD = "a-long-test-password-9"

# People -----------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    legal_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


def user_with_role(role: str, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)


ROLE_NAMES = {
    "trainee": roles.TRAINEE,
    "trainer": roles.TRAINER,
    "examiner": roles.EXAMINER,
    "supervisor": roles.SUPERVISOR,
    "administrator": roles.ADMINISTRATOR,
}

# Hour categories and credentials ------------------------------------------------

# The topics the Kentucky curricula credit hours in, with their display names;
# tests name categories by these slugs.
HOUR_CATEGORIES = {
    "ethics": "Ethics",
    "domestic-violence": "Domestic violence",
    "hiv": "HIV",
    "advocacy": "Advocacy",
    "mentoring-education": "Mentoring and education",
    "recovery-support": "Recovery support",
    "suicide-prevention": "Suicide assessment, treatment and management",
    "confidentiality": "Confidentiality and privacy law",
    "kps-core": "Kentucky Peer Specialist core training",
}


class HourCategoryFactory(factory.django.DjangoModelFactory):
    """An hour category; asking twice for one slug gives the same row."""

    class Meta:
        model = HourCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(
        lambda o: HOUR_CATEGORIES.get(o.slug, o.slug.replace("-", " ").capitalize())
    )
    sort_order = factory.LazyAttribute(
        lambda o: (
            (list(HOUR_CATEGORIES).index(o.slug) + 1) * 10
            if o.slug in HOUR_CATEGORIES
            else 1000
        )
    )


def hour_category(slug: str) -> HourCategory:
    return HourCategoryFactory(slug=slug)


class CredentialFactory(factory.django.DjangoModelFactory):
    """A credential; asking twice for one slug gives the same row."""

    class Meta:
        model = Credential
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"credential-{n}")
    name = factory.LazyAttribute(lambda o: f"Credential {o.slug}")
    authority = "Kentucky Board of Alcohol and Drug Counselors"
    regulation = "201 KAR 35:050"


class _RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    credential = factory.SubFactory(CredentialFactory)
    source_citation = "201 KAR 35:050 Section 1(1)"
    effective_date = datetime.date(2026, 1, 1)
    sort_order = factory.Sequence(lambda n: n * 10)


class HoursRequirementFactory(_RequirementFactory):
    class Meta:
        model = HoursRequirement

    category = factory.SubFactory(HourCategoryFactory)
    minimum_hours = Decimal(10)


class TotalHoursRequirementFactory(_RequirementFactory):
    class Meta:
        model = TotalHoursRequirement

    minimum_hours = Decimal(60)
    sort_order = 100


class RequirementFactory(_RequirementFactory):
    """A rule of the base type, which no subclass measures: never met."""

    class Meta:
        model = Requirement


class AgeRequirementFactory(_RequirementFactory):
    class Meta:
        model = AgeRequirement

    minimum_age = 18
    source_citation = "908 KAR 2:220: applicants must be 18 or older"


class ModuleCompletionRequirementFactory(_RequirementFactory):
    """Every published module of ``course``; ``modules=[...]`` chooses some."""

    class Meta:
        model = ModuleCompletionRequirement
        skip_postgeneration_save = True

    course = factory.SubFactory("tests.factories.CoursePageFactory")
    source_citation = "908 KAR 2:220: the five-day training program"

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.modules.set(extracted)


# Minimum hours per topic of the alcohol and drug peer support credential
# (201 KAR 35:050 Section 1(1)), and the total the board's checklist asks for;
# KRS 210.366's suicide-prevention training, and the experience and direct
# supervision a registration needs besides the classroom.
ADPSS_TOPIC_MINIMUMS = {
    "ethics": 16,
    "domestic-violence": 3,
    "hiv": 2,
    "advocacy": 10,
    "mentoring-education": 10,
    "recovery-support": 10,
}
ADPSS_TOTAL = 60
ADPSS_SUICIDE_PREVENTION = 6
ADPSS_EXPERIENCE = 500
ADPSS_SUPERVISION = 25
KPS_TOTAL = 30


def adpss_credential() -> Credential:
    """The alcohol and drug peer support credential with its hour rules: the
    topic minimums, six hours of suicide prevention, 60 training hours in
    all, 500 hours of experience and 25 of supervision."""
    credential = CredentialFactory(
        slug="adpss", name="Kentucky Alcohol and Drug Peer Support Specialist"
    )
    if not credential.requirements.exists():
        for order, (slug, hours) in enumerate(ADPSS_TOPIC_MINIMUMS.items(), start=1):
            HoursRequirementFactory(
                credential=credential,
                category=hour_category(slug),
                minimum_hours=Decimal(hours),
                sort_order=order * 10,
            )
        HoursRequirementFactory(
            credential=credential,
            category=hour_category("suicide-prevention"),
            minimum_hours=Decimal(ADPSS_SUICIDE_PREVENTION),
            source_citation="KRS 210.366: at least 6 hours of suicide assessment, "
            "treatment and management training",
            sort_order=70,
        )
        TotalHoursRequirementFactory(
            credential=credential,
            minimum_hours=Decimal(ADPSS_TOTAL),
            source_citation="Board application checklist: 60 classroom hours",
        )
        TotalHoursRequirementFactory(
            credential=credential,
            kind=HourEntry.Kind.EXPERIENCE,
            minimum_hours=Decimal(ADPSS_EXPERIENCE),
            source_citation="201 KAR 35:050; KRS 309.0831: 500 hours of experience",
            sort_order=110,
        )
        TotalHoursRequirementFactory(
            credential=credential,
            kind=HourEntry.Kind.SUPERVISION,
            minimum_hours=Decimal(ADPSS_SUPERVISION),
            source_citation="201 KAR 35:070: 25 hours of direct supervision",
            sort_order=120,
        )
    return credential


def kps_credential() -> Credential:
    """The Kentucky Peer Specialist credential: about 30 hours of training."""
    credential = CredentialFactory(
        slug="kps",
        name="Kentucky Peer Specialist (KPS)",
        authority="Kentucky Department for Behavioral Health",
        regulation="908 KAR 2:220",
    )
    if not credential.requirements.exists():
        TotalHoursRequirementFactory(
            credential=credential,
            minimum_hours=Decimal(KPS_TOTAL),
            source_citation="908 KAR 2:220: about 30 hours over five days",
        )
    return credential


# Pages --------------------------------------------------------------------------


def lesson_body(
    *,
    heading: str = "Why peer support works",
    text: str = "<p>Recovery is a process of change through which people improve "
    "their health and wellness and strive to reach their full potential.</p>",
    key_point: tuple[str, str] = (
        "Recovery is person-driven",
        "The person in recovery sets the goals; the peer supports them.",
    ),
    activity: tuple[str, int, str] | None = (
        "Pair exercise: listening for strengths",
        15,
        "<ol><li>One partner describes a hard week.</li>"
        "<li>The other names three strengths they heard.</li></ol>",
    ),
    reflection: str | None = "When did someone's hope make a difference to you?",
) -> list[dict]:
    """A lesson body made of the lesson blocks that need no media or network:
    a heading, rich text, a key point, an activity and a reflection."""
    body = [
        {"type": "heading", "value": {"text": heading, "level": "h2"}},
        {"type": "text", "value": text},
        {"type": "key_point", "value": {"title": key_point[0], "text": key_point[1]}},
    ]
    if activity is not None:
        title, minutes, instructions = activity
        body.append(
            {
                "type": "activity",
                "value": {
                    "title": title,
                    "minutes": minutes,
                    "instructions": instructions,
                },
            }
        )
    if reflection is not None:
        body.append({"type": "reflection", "value": {"prompt": reflection}})
    return body


class PageFactory(factory.django.DjangoModelFactory):
    """A live page added under ``parent``.

    ``with_revision=True`` publishes it through a first revision
    (``cms.services.page_publish_child``) instead, which costs about three
    times as many queries; tests that edit, moderate or publish ask for it.
    """

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, with_revision=False, **kwargs):
        page = model_class(*args, **kwargs)
        if with_revision:
            page_publish_child(parent=parent, page=page)
        else:
            parent.add_child(instance=page)
        return page

    @classmethod
    def _build(cls, model_class, *args, parent=None, with_revision=False, **kwargs):
        return model_class(*args, **kwargs)


class ContentPageFactory(PageFactory):
    class Meta:
        model = ContentPage

    parent = factory.LazyFunction(home_page_get)
    title = factory.Sequence(lambda n: f"About the programs {n}")
    summary = "What peer specialists do and how Kentucky credentials them."
    show_in_menus = True
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "What peers do", "level": "h2"}},
            {"type": "text", "value": "<p>Peers offer strengths-based support.</p>"},
        ]
    )


class CourseIndexPageFactory(PageFactory):
    """The course catalogue. There is only ever one: a second call returns it."""

    class Meta:
        model = CourseIndexPage

    parent = factory.LazyFunction(home_page_get)
    title = "Courses"
    slug = "courses"
    summary = "Every course offered on the platform."
    intro = "<p>Each course is built from modules.</p>"
    show_in_menus = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = CourseIndexPage.objects.first()
        if existing is not None:
            return existing
        return super()._create(model_class, *args, **kwargs)


def course_index() -> CourseIndexPage:
    return CourseIndexPageFactory()


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    parent = factory.LazyFunction(course_index)
    title = factory.Sequence(lambda n: f"Peer support course {n}")
    summary = "A course for peer specialists."
    intro = "<p>What the course covers and how it is taught.</p>"


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    parent = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What the module covers."
    credit_hours = Decimal(2)
    hour_category = factory.SubFactory(HourCategoryFactory)
    delivery = ModulePage.Delivery.ONLINE
    objectives = factory.LazyFunction(
        lambda: [{"type": "objective", "value": "Describe the peer role."}]
    )


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    parent = factory.SubFactory(ModulePageFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "What the lesson teaches."
    duration_minutes = 45
    body = factory.LazyFunction(lesson_body)


def home_page_fill(
    *, heading: str, text: str, call_to_action=None, label: str = ""
) -> HomePage:
    """Give the home page its hero text and main button."""
    home = home_page_get()
    home.hero_heading = heading
    home.hero_text = text
    home.call_to_action_page = call_to_action
    home.call_to_action_label = label
    home.save()
    return home


# Modules shaped like the alcohol and drug curriculum's, in its order: slug,
# title, credit hours, hour category, delivery, lessons. Together they offer
# exactly the credential's minimum in every topic and 60 hours in all.
CLASSROOM = ModulePage.Delivery.CLASSROOM
ONLINE = ModulePage.Delivery.ONLINE
# fmt: off
AD_MODULES = [
    ("ethics-foundations", "Ethics I: Foundations of peer ethics", 8, "ethics",
     CLASSROOM, 1),
    ("ethics-boundaries", "Ethics II: Boundaries and dual relationships", 8,
     "ethics", ONLINE, 1),
    ("domestic-violence", "Domestic Violence: Recognizing, responding and "
     "referring", 3, "domestic-violence", ONLINE, 2),
    ("hiv", "HIV: Transmission, control, treatment and prevention", 2, "hiv",
     ONLINE, 2),
    ("advocacy-self-and-peer", "Advocacy I: Self-advocacy and peer advocacy", 5,
     "advocacy", CLASSROOM, 1),
    ("advocacy-systems", "Advocacy II: Advocating for peer services", 5,
     "advocacy", ONLINE, 1),
    ("mentoring-recovery-story", "Mentoring and Education I: Your recovery "
     "story", 5, "mentoring-education", CLASSROOM, 1),
    ("mentoring-groups-education", "Mentoring and Education II: Groups and "
     "motivational skills", 5, "mentoring-education", ONLINE, 1),
    ("recovery-foundations", "Recovery Support I: Foundations of recovery", 5,
     "recovery-support", ONLINE, 1),
    ("recovery-planning", "Recovery Support II: Recovery planning", 5,
     "recovery-support", CLASSROOM, 1),
    ("suicide-prevention", "Suicide Prevention: Assessment, treatment and "
     "management", 6, "suicide-prevention", CLASSROOM, 1),
    ("confidentiality", "Confidentiality: HIPAA and 42 CFR Part 2", 3,
     "confidentiality", ONLINE, 1),
]
# fmt: on
AD_MODULE_SLUGS = [spec[0] for spec in AD_MODULES]


def alcohol_drug_course(
    *,
    modules=("ethics-foundations", "hiv"),
    with_lessons: bool = True,
    **fields,
) -> CoursePage:
    """The alcohol and drug peer support course, with the credential's hour
    rules, and the given modules of AD_MODULES (in its order): by default a
    classroom ethics module (8 hours, one lesson) and an online HIV module
    (2 hours, two lessons)."""
    unknown = set(modules) - set(AD_MODULE_SLUGS)
    if unknown:
        raise ValueError(f"No such module: {sorted(unknown)}")
    if "credential" not in fields:
        fields["credential"] = adpss_credential()
    course = CoursePageFactory(
        **{
            "title": "Alcohol and Drug Peer Support Specialist Training",
            "slug": "alcohol-drug-peer-support",
            **fields,
        }
    )
    for slug, title, hours, category, delivery, lessons in AD_MODULES:
        if slug not in modules:
            continue
        module = ModulePageFactory(
            parent=course,
            title=title,
            slug=slug,
            credit_hours=Decimal(hours),
            hour_category=hour_category(category),
            delivery=delivery,
        )
        for number in range(1, lessons + 1 if with_lessons else 1):
            LessonPageFactory(
                parent=module,
                title=f"{title.split(':')[0]}, lesson {number}",
                slug=f"{slug}-lesson-{number}",
            )
    return course


KPS_DAYS = [
    "Recovery and hope",
    "The peer role",
    "Ethics and boundaries",
    "Trauma-informed support and cultural humility",
    "Recovery planning, resources and self-care",
]


def kps_course(*, days: int = 1, lessons_per_day: int = 1, **fields) -> CoursePage:
    """The Kentucky Peer Specialist course: classroom days of six hours of
    core training each (five make the credential's 30), every one taught in
    class, so trainees join through a cohort."""
    if "credential" not in fields:
        fields["credential"] = kps_credential()
    course = CoursePageFactory(
        **{"title": "Kentucky Peer Specialist Training", "slug": "kps", **fields}
    )
    for day in range(1, days + 1):
        module = ModulePageFactory(
            parent=course,
            title=f"Day {day}: {KPS_DAYS[(day - 1) % len(KPS_DAYS)]}",
            slug=f"day-{day}",
            credit_hours=Decimal(6),
            hour_category=hour_category("kps-core"),
            delivery=CLASSROOM,
        )
        for number in range(1, lessons_per_day + 1):
            LessonPageFactory(
                parent=module,
                title=f"Day {day}, lesson {number}",
                slug=f"day-{day}-lesson-{number}",
            )
    return course


def kps_credential_rules(
    *, course: CoursePage, exam: WrittenExam | None = None
) -> Credential:
    """Give the KPS course's credential the rest of its rules, in the order
    the shipped credential has them: 18 or older, every module of the course
    completed, then, given ``exam``, that written test passed; the 30 hours
    stay last."""
    credential = course.credential
    AgeRequirementFactory(credential=credential, sort_order=10)
    ModuleCompletionRequirementFactory(
        credential=credential, course=course, sort_order=20
    )
    if exam is not None:
        WrittenExamPassedRequirementFactory(
            credential=credential, exam=exam, sort_order=30
        )
    return credential


@dataclass
class BuiltCourse:
    """A course, its modules in order and each module's lessons by its id."""

    course: CoursePage
    modules: list[ModulePage]
    lessons: dict[int, list[LessonPage]] = field(default_factory=dict)


def course_with_modules(
    *shapes: tuple[str, int], category: HourCategory | None = None, **fields
) -> BuiltCourse:
    """A course with one module per (delivery, number of lessons) given:
    "Module 1", "Module 2"... of two credit hours each, all in one hour
    category, with lessons "Lesson 1.1", "Lesson 1.2"..."""
    category = category or HourCategoryFactory()
    built = BuiltCourse(course=CoursePageFactory(**fields), modules=[])
    for position, (delivery, lesson_count) in enumerate(shapes, start=1):
        module = ModulePageFactory(
            parent=built.course,
            title=f"Module {position}",
            slug=f"module-{position}",
            credit_hours=Decimal(2),
            hour_category=category,
            delivery=delivery,
        )
        built.modules.append(module)
        built.lessons[module.pk] = [
            LessonPageFactory(
                parent=module,
                title=f"Lesson {position}.{number}",
                slug=f"lesson-{position}-{number}",
            )
            for number in range(1, lesson_count + 1)
        ]
    return built


# Cohorts, class days, enrollment, attendance ------------------------------------


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.SubFactory(CoursePageFactory)
    name = factory.LazyAttribute(lambda o: f"{o.course.title} cohort")
    start_date = factory.LazyFunction(datetime.date.today)
    end_date = factory.LazyAttribute(
        lambda o: o.start_date + datetime.timedelta(days=30)
    )
    location = "Frankfort, KY"
    capacity = 10

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if not create:
            return
        self.trainers.set(
            extracted if extracted is not None else [UserFactory(role=roles.TRAINER)]
        )


class ClassSessionFactory(factory.django.DjangoModelFactory):
    """A class day on the cohort's first day, covering the given modules (by
    default one new classroom module of the cohort's course)."""

    class Meta:
        model = ClassSession
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyAttribute(lambda o: o.cohort.start_date)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(15, 0)

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [
                ModulePageFactory(parent=self.cohort.course, delivery=CLASSROOM)
            ]
        self.modules.set(extracted)


class CohortSeatFactory(factory.django.DjangoModelFactory):
    """A requested seat; ``confirmed_by=<trainer>`` confirms it through the
    service, which also enrolls the trainee."""

    class Meta:
        model = CohortSeat
        django_get_or_create = ("cohort", "trainee")
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)

    @factory.post_generation
    def confirmed_by(self, create, extracted, **kwargs):
        if create and extracted is not None:
            confirmed = course_services.seat_confirm(seat=self, by=extracted)
            self.status = confirmed.status
            self.decided_at = confirmed.decided_at
            self.decided_by = confirmed.decided_by


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment
        django_get_or_create = ("trainee", "course")

    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    course = factory.SubFactory(CoursePageFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """Attendance recorded through the service, so the ledger is credited; the
    trainee gets a confirmed seat in the cohort first if they lack one."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(ClassSessionFactory)
    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    status = Attendance.Status.PRESENT
    minutes_present = factory.LazyAttribute(lambda o: o.session.duration_minutes)
    recorded_by = factory.LazyAttribute(lambda o: o.session.cohort.trainers.first())

    @classmethod
    def _create(
        cls, model_class, *, session, trainee, status, minutes_present, recorded_by
    ):
        CohortSeatFactory(
            cohort=session.cohort, trainee=trainee, confirmed_by=recorded_by
        )
        return course_services.attendance_record(
            session=session,
            trainee=trainee,
            status=status,
            minutes=minutes_present,
            by=recorded_by,
        )


class HourEntryFactory(factory.django.DjangoModelFactory):
    """A verified ledger row, credited through the ledger service (so its
    source key is unique, as every credit's is)."""

    class Meta:
        model = HourEntry

    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    kind = HourEntry.Kind.TRAINING
    category = factory.SubFactory(HourCategoryFactory)
    hours = Decimal(3)
    earned_on = factory.LazyFunction(timezone.localdate)
    source = HourEntry.Source.CERTIFICATE
    source_key = factory.Sequence(lambda n: f"test-credit:{n}")
    description = "Peer support training"
    status = HourEntry.Status.VERIFIED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return course_services.entry_credit(**kwargs)


class ExternalHoursFactory(factory.django.DjangoModelFactory):
    """Hours from elsewhere, submitted with a PDF certificate and pending until
    someone decides them. Tests that use it set PRIVATE_MEDIA_ROOT (the
    ``private_media`` fixture), since the certificate is stored."""

    class Meta:
        model = HourEntry

    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    category = factory.LazyFunction(lambda: hour_category("suicide-prevention"))
    hours = Decimal(6)
    earned_on = datetime.date(2026, 2, 2)
    description = "Suicide assessment, treatment and management"
    provider = "QPR Institute"
    evidence = factory.LazyFunction(
        lambda: SimpleUploadedFile("c.pdf", b"%PDF-1.7 the certificate")
    )
    submission_id = factory.LazyFunction(uuid.uuid4)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return course_services.external_hours_submit(**kwargs)


def make_cohort(course, *, trainers=(), trainees=(), capacity=10, **kwargs) -> Cohort:
    """A cohort of the course; ``trainees`` get seats confirmed by the first
    trainer, which enrolls them."""
    trainers = list(trainers)
    cohort = CohortFactory(
        course=course, trainers=trainers, capacity=capacity, **kwargs
    )
    for trainee in trainees:
        seat(cohort, trainee, trainers[0])
    return cohort


def make_session(cohort, modules, *, date=None, start="09:00", end="15:00"):
    return ClassSessionFactory(
        cohort=cohort,
        modules=list(modules),
        date=date or cohort.start_date,
        start_time=datetime.time.fromisoformat(start),
        end_time=datetime.time.fromisoformat(end),
    )


def seat(cohort, trainee, by) -> CohortSeat:
    return CohortSeatFactory(cohort=cohort, trainee=trainee, confirmed_by=by)


def lessons_complete(trainee, lessons: Iterable[LessonPage]) -> None:
    """Mark the lessons complete as the trainee does, through the service."""
    for lesson in lessons:
        course_services.lesson_complete(trainee=trainee, lesson=lesson)


# The question bank ----------------------------------------------------------------


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    """A question category; asking twice for one name gives the same row."""

    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Exam domain {n}")
    description = "Questions on one domain of peer work."


_question_numbers = itertools.count(1)


class QuestionFactory(factory.django.DjangoModelFactory):
    """An active question with a reference key; set ``status`` for drafts or
    retired questions."""

    class Meta:
        abstract = True

    # One counter for every question type: keys are unique across the bank.
    key = factory.LazyFunction(lambda: f"test-q-{next(_question_numbers):04d}")
    category = factory.SubFactory(QuestionCategoryFactory)
    title = factory.Sequence(lambda n: f"Question {n}")
    text = factory.Sequence(lambda n: f"Question {n}: what does a peer do here?")
    points = Decimal(1)
    general_feedback = (
        "Peers support the goals the person sets; they do not direct recovery."
    )
    status = Question.Status.ACTIVE


def _choices(correct: list[bool]) -> list[tuple]:
    return [
        (
            "choice",
            {
                "text": f"{'Right' if right else 'Wrong'} choice {n}",
                "correct": right,
                "feedback": f"Feedback for choice {n}: "
                + ("that is what peers do." if right else "not the peer's role."),
            },
        )
        for n, right in enumerate(correct, start=1)
    ]


class SingleChoiceQuestionFactory(QuestionFactory):
    """Four choices, the second of them correct."""

    class Meta:
        model = SingleChoiceQuestion

    choices = factory.LazyFunction(lambda: _choices([False, True, False, False]))


class MultipleResponseQuestionFactory(QuestionFactory):
    """Four choices, the first and third correct."""

    class Meta:
        model = MultipleResponseQuestion

    choices = factory.LazyFunction(lambda: _choices([True, False, True, False]))


class TrueFalseQuestionFactory(QuestionFactory):
    class Meta:
        model = TrueFalseQuestion

    text = factory.Sequence(lambda n: f"Statement {n}: recovery is person-driven.")
    correct_answer = True
    feedback_true = "Right: the person in recovery leads."
    feedback_false = "Not so: the person in recovery leads."


class ShortAnswerQuestionFactory(QuestionFactory):
    class Meta:
        model = ShortAnswerQuestion

    text = factory.Sequence(lambda n: f"Question {n}: recovery is ... (two words)")
    answers = factory.LazyFunction(
        lambda: [
            (
                "answer",
                {"text": "person driven", "weight": Decimal(100), "feedback": ""},
            ),
            (
                "answer",
                {"text": "person-driven", "weight": Decimal(100), "feedback": ""},
            ),
        ]
    )


class NumericalQuestionFactory(QuestionFactory):
    """How many dimensions of recovery SAMHSA names: 4 exactly, with half
    credit for 10 (the number of guiding principles)."""

    class Meta:
        model = NumericalQuestion

    text = factory.Sequence(
        lambda n: f"Question {n}: how many dimensions of recovery are there?"
    )
    answers = factory.LazyFunction(
        lambda: [
            (
                "exact",
                {
                    "value": Decimal(4),
                    "tolerance": Decimal(0),
                    "weight": Decimal(100),
                    "feedback": "Health, home, purpose, community.",
                },
            ),
            (
                "exact",
                {
                    "value": Decimal(10),
                    "tolerance": Decimal(0),
                    "weight": Decimal(50),
                    "feedback": "Ten are the principles.",
                },
            ),
        ]
    )


class MatchingQuestionFactory(QuestionFactory):
    class Meta:
        model = MatchingQuestion

    pairs = factory.LazyFunction(
        lambda: [
            ("pair", {"prompt": "Health", "match": "Making informed choices"}),
            ("pair", {"prompt": "Home", "match": "A stable and safe place to live"}),
            ("pair", {"prompt": "Purpose", "match": "Meaningful daily activities"}),
            ("pair", {"prompt": "Community", "match": "Relationships and support"}),
        ]
    )


class OrderingQuestionFactory(QuestionFactory):
    class Meta:
        model = OrderingQuestion

    items = factory.LazyFunction(
        lambda: [
            ("item", "Listen to what the person wants"),
            ("item", "Agree the goals together"),
            ("item", "Plan the first steps"),
            ("item", "Review progress and adjust"),
        ]
    )


class EssayQuestionFactory(QuestionFactory):
    class Meta:
        model = EssayQuestion

    text = factory.Sequence(lambda n: f"Essay {n}: describe a boundary you would set.")
    points = Decimal(4)
    grading_guidance = "Names the boundary, says it kindly and offers an alternative."


QUESTION_FACTORIES = {
    "single_choice": SingleChoiceQuestionFactory,
    "multiple_response": MultipleResponseQuestionFactory,
    "true_false": TrueFalseQuestionFactory,
    "short_answer": ShortAnswerQuestionFactory,
    "matching": MatchingQuestionFactory,
    "ordering": OrderingQuestionFactory,
    "essay": EssayQuestionFactory,
    "numerical": NumericalQuestionFactory,
}


def questions_in(category: QuestionCategory, *type_codes: str) -> list[Question]:
    """One active question of each given type (repeat a type for more), in
    that order, so the lowest ids follow the order given."""
    return [QUESTION_FACTORIES[code](category=category) for code in type_codes]


# Written exams and attempts ----------------------------------------------------------


class WrittenExamFactory(factory.django.DjangoModelFactory):
    """A published, timed exam. ``blueprint`` takes (category, count) pairs;
    without it the exam draws all three questions of a new category (single
    choice, true/false and short answer), so it can be started at once."""

    class Meta:
        model = WrittenExam
        skip_postgeneration_save = True

    course = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"Written test {n}")
    instructions = "Answer every question; each answer is saved as you give it."
    time_limit_minutes = 30
    pass_mark_percent = Decimal(70)
    attempts_allowed = 1
    is_published = True

    @factory.post_generation
    def blueprint(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            category = QuestionCategoryFactory()
            questions_in(category, "single_choice", "true_false", "short_answer")
            extracted = [(category, 3)]
        for order, (category, count) in enumerate(extracted):
            BlueprintRuleFactory(
                exam=self, category=category, count=count, sort_order=order
            )


class BlueprintRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlueprintRule

    exam = factory.SubFactory(WrittenExamFactory, blueprint=[])
    category = factory.SubFactory(QuestionCategoryFactory)
    count = 1


class WrittenExamPassedRequirementFactory(_RequirementFactory):
    class Meta:
        model = WrittenExamPassedRequirement

    exam = factory.SubFactory(WrittenExamFactory, blueprint=[])
    source_citation = "908 KAR 2:220: the written test"


class AccommodationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accommodation

    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    time_multiplier = Decimal("1.50")
    extra_minutes = 0
    extra_attempts = 0
    note = "Extra time agreed with the program."


def right_answer(question_content: dict, key: dict) -> dict | None:
    """A fully right answer, from the question type itself."""
    return question_type(question_content["type"]).right_answer(question_content, key)


def wrong_answer(question_content: dict, key: dict) -> dict:
    """A given answer that differs from the right one (never empty)."""
    return question_type(question_content["type"]).wrong_answer(question_content, key)


class AttemptFactory(factory.django.DjangoModelFactory):
    """An attempt started through ``exams.services.attempt_start``, so its
    questions are frozen as in production; the trainee is enrolled in the
    exam's course first if they are not.

    ``answers="right"`` or ``"wrong"`` saves an answer to every question
    (through the save service); ``submitted=True`` submits it; ``graded_by``
    then grades the essays that wait, full marks for right answers and none
    for wrong ones (the grader must be allowed to: a trainer of a cohort of
    the exam's course, or an administrator). ``rng`` fixes the draw.
    """

    class Meta:
        model = Attempt

    exam = factory.SubFactory(WrittenExamFactory)
    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        exam,
        trainee,
        answers: str | None = None,
        submitted: bool = False,
        graded_by=None,
        rng: random.Random | None = None,
    ):
        course_services.enrollment_ensure(trainee=trainee, course=exam.course)
        attempt = exam_services.attempt_start(exam=exam, trainee=trainee, rng=rng)
        if answers is not None:
            pick = {"right": right_answer, "wrong": wrong_answer}[answers]
            for row in attempt.questions.all():
                exam_services.attempt_save_response(
                    attempt=attempt,
                    position=row.position,
                    answer=pick(row.content, row.key),
                    revision=None,
                )
        if submitted or graded_by is not None:
            exam_services.attempt_submit(attempt=attempt)
        if graded_by is not None:
            waiting = Response.objects.filter(
                attempt_question__attempt=attempt, score__isnull=True
            ).select_related("attempt_question")
            for response in waiting:
                exam_services.response_grade(
                    response=response,
                    score=response.attempt_question.points
                    if answers == "right"
                    else Decimal(0),
                    comment="Graded.",
                    by=graded_by,
                )
        attempt.refresh_from_db()
        return attempt


# Oral exams: slots and bookings ------------------------------------------------------


def rubric_levels(points=(1, 2, 3, 4)) -> list[tuple[str, dict]]:
    labels = ["Not yet", "Developing", "Proficient", "Exemplary", "Outstanding"]
    return [
        ("level", {"points": p, "label": labels[i], "descriptor": f"Level {p}."})
        for i, p in enumerate(points)
    ]


class RubricFactory(factory.django.DjangoModelFactory):
    """A rubric with ``criteria`` criteria (two by default) of four levels."""

    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Oral test rubric {n}")
    description = "What the panel listens for."

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for order in range(2 if extracted is None else extracted):
            RubricCriterion.objects.create(
                rubric=self,
                sort_order=order,
                title=f"Criterion {order + 1}",
                weight=Decimal(1),
                levels=rubric_levels(),
            )


class OralExamFactory(factory.django.DjangoModelFactory):
    """A published oral exam scored by two examiners, bookable from 30 days
    to 24 hours before a slot, cancellable until 48 hours before, with no
    written exam to pass first unless one is given."""

    class Meta:
        model = OralExam

    course = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"Oral test {n}")
    rubric = factory.SubFactory(RubricFactory)
    duration_minutes = 30
    examiners_per_sitting = 2
    pass_percent = Decimal(70)
    attempts_allowed = 2
    wait_between_attempts_hours = 0
    booking_opens_hours = 24 * 30
    booking_closes_hours = 24
    cancellation_hours = 48
    is_published = True


def in_days(days: float, *, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware moment ``days`` from today at a local wall-clock time."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


class SlotFactory(factory.django.DjangoModelFactory):
    """A one-place slot three days ahead, in a room, with a full panel: the
    lead examiner and, unless ``examiners`` names the panel, new examiners
    for the other seats."""

    class Meta:
        model = Slot
        skip_postgeneration_save = True

    oral_exam = factory.SubFactory(OralExamFactory)
    starts_at = factory.LazyFunction(lambda: in_days(3))
    duration_minutes = factory.LazyAttribute(lambda o: o.oral_exam.duration_minutes)
    place = "275 E. Main Street, Frankfort, room 2"
    video_link = ""
    capacity = 1
    lead_examiner = factory.SubFactory(UserFactory, role=roles.EXAMINER)
    created_by = factory.SelfAttribute("lead_examiner")

    @factory.post_generation
    def examiners(self, create, extracted, **kwargs):
        if not create:
            return
        panel = list(extracted) if extracted is not None else [self.lead_examiner]
        while len(panel) < self.oral_exam.examiners_per_sitting:
            panel.append(UserFactory(role=roles.EXAMINER))
        self.examiners.set(panel)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking as the database holds it, in any status, without the
    eligibility rules: for setting up a trainee's history. Tests of booking
    itself go through ``exams.services.booking_create``."""

    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    oral_exam = factory.SelfAttribute("slot.oral_exam")
    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    status = Booking.Status.BOOKED
    booked_at = factory.LazyFunction(timezone.now)
    changed_at = factory.LazyFunction(timezone.now)
    changed_by = factory.SelfAttribute("trainee")


def oral_ready_trainee(oral_exam: OralExam, trainee: User | None = None) -> User:
    """A trainee who may book ``oral_exam``: enrolled in its course and, when
    it names a written exam, with a graded attempt that passed it."""
    trainee = trainee or UserFactory(role=roles.TRAINEE)
    course_services.enrollment_ensure(trainee=trainee, course=oral_exam.course)
    if oral_exam.written_exam_id is not None:
        AttemptFactory(
            exam=oral_exam.written_exam,
            trainee=trainee,
            answers="right",
            submitted=True,
        )
    return trainee


# Oral exams: sittings and scores ---------------------------------------------------

ORAL_LEVELS = [
    (1, "Not yet", "Misses the point of the scenario."),
    (2, "Developing", "Sees the point but cannot say why it matters."),
    (3, "Proficient", "Responds well and explains the principle behind it."),
    (4, "Exemplary", "As proficient, weighing more than one way to respond."),
]

# (title, weight, critical floor): the three criteria ``oral_rubric`` makes
# unless told otherwise; the second is critical below 2 points.
ORAL_CRITERIA = [
    ("Explains recovery and its four dimensions", "1", None),
    ("Ethics and boundaries in a scenario", "2", 2),
    ("Knows the peer role and when to refer", "1", None),
]


def oral_rubric(
    criteria: Iterable[tuple[str, str, int | None]] = ORAL_CRITERIA,
    *,
    title: str | None = None,
    levels: Iterable[tuple[int, str, str]] = ORAL_LEVELS,
) -> Rubric:
    """A rubric of the criteria given as (title, weight, critical floor), in
    that order, each with ``levels`` as (points, label, descriptor): by
    default the four of ``ORAL_LEVELS``, 1 to 4 points."""
    levels = list(levels)
    rubric = Rubric.objects.create(
        title=title or f"Oral rubric {next(_question_numbers)}"
    )
    for order, (criterion_title, weight, floor) in enumerate(criteria):
        RubricCriterion.objects.create(
            rubric=rubric,
            sort_order=order,
            title=criterion_title,
            description=f"What the panel looks for in “{criterion_title}”.",
            weight=Decimal(weight),
            critical_floor=floor,
            levels=[
                ("level", {"points": p, "label": label, "descriptor": text})
                for p, label, text in levels
            ],
        )
    return rubric


def oral_exam_scored_with(
    rubric: Rubric | None = None, *, course: CoursePage | None = None, **fields
) -> OralExam:
    """A published oral exam scored with ``rubric`` (by default
    ``oral_rubric()``) by two examiners, passed at 70%, results shown at
    once."""
    values = {
        "title": f"Oral test {next(_question_numbers)}",
        "pass_percent": Decimal(70),
        "examiners_per_sitting": 2,
        "release": OralExam.Release.AT_ONCE,
        "is_published": True,
        **fields,
    }
    return OralExam.objects.create(
        course=course or CoursePageFactory(),
        rubric=rubric or oral_rubric(),
        **values,
    )


ORAL_SITTING_AT = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)


class SittingFactory(factory.django.DjangoModelFactory):
    """A sitting being scored: a slot of ``oral_exam`` with ``panel`` (two
    new examiners unless given; the first leads), the trainee's booking
    marked attended, and the sitting opened through the service, which
    freezes the rubric."""

    class Meta:
        model = Sitting

    oral_exam = factory.LazyFunction(oral_exam_scored_with)
    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    panel = factory.LazyFunction(
        lambda: [user_with_role(roles.EXAMINER), user_with_role(roles.EXAMINER)]
    )
    lead = None
    starts_at = ORAL_SITTING_AT

    @classmethod
    def _create(cls, model_class, *, oral_exam, trainee, panel, lead, starts_at):
        lead = lead or panel[0]
        slot = Slot.objects.create(
            oral_exam=oral_exam,
            starts_at=starts_at,
            duration_minutes=oral_exam.duration_minutes,
            place="Room 2, 275 East Main Street, Frankfort",
            lead_examiner=lead,
            created_by=lead,
        )
        slot.examiners.set(panel)
        booking = Booking.objects.create(
            slot=slot,
            oral_exam=oral_exam,
            trainee=trainee,
            status=Booking.Status.ATTENDED,
            booked_at=starts_at - datetime.timedelta(days=7),
            changed_at=starts_at,
            changed_by=lead,
        )
        return exam_services.sitting_open(booking=booking)


def _points_by_key(sitting: Sitting, points) -> dict[str, int | None]:
    if isinstance(points, dict):
        return points
    return {
        criterion["key"]: value
        for criterion, value in zip(sitting.criteria, points, strict=True)
    }


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    """An examiner's score sheet, filled in through the services.

    ``points`` gives each criterion's points in the rubric's order (a list,
    None for a level left out) or by criterion key (a dict); by default 3
    ("Proficient") everywhere. ``comments`` likewise, by default none.
    ``submitted=True`` submits it. The examiner is the first of the panel
    without a sheet unless given."""

    class Meta:
        model = ScoreSheet

    sitting = factory.SubFactory(SittingFactory)
    examiner = factory.LazyAttribute(
        lambda o: (
            o.sitting.booking.slot.examiners.exclude(
                oral_score_sheets__sitting=o.sitting
            )
            .order_by("pk")
            .first()
        )
    )

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        sitting,
        examiner,
        points=None,
        comments=None,
        submitted=False,
    ):
        if points is None:
            points = [3] * len(sitting.criteria)
        exam_services.score_sheet_save(
            sitting=sitting,
            examiner=examiner,
            levels=_points_by_key(sitting, points),
            comments=_points_by_key(sitting, comments) if comments else {},
        )
        if submitted:
            exam_services.score_sheet_submit(sitting=sitting, examiner=examiner)
        return ScoreSheet.objects.get(sitting=sitting, examiner=examiner)


class OralExamPassedRequirementFactory(_RequirementFactory):
    class Meta:
        model = OralExamPassedRequirement

    oral_exam = factory.LazyFunction(oral_exam_scored_with)
    source_citation = "908 KAR 2:220: the oral test"


def panel_of(sitting: Sitting) -> list[User]:
    """The sitting's panel, lead first, then by id."""
    slot = sitting.booking.slot
    return sorted(
        slot.examiners.all(), key=lambda e: (e.pk != slot.lead_examiner_id, e.pk)
    )


def sitting_scored(sitting: Sitting, *points_per_examiner) -> Sitting:
    """Each panel examiner in turn (``panel_of``) submits the points given
    for them; returns the sitting as the last submit left it."""
    for examiner, points in zip(panel_of(sitting), points_per_examiner, strict=False):
        ScoreSheetFactory(
            sitting=sitting, examiner=examiner, points=points, submitted=True
        )
    sitting.refresh_from_db()
    return sitting


# Completion rules and certificates ------------------------------------------------


def kps_completion_rules(*, course: CoursePage, exam=None) -> list[Requirement]:
    """The KPS course's completion rule: 18 or older, every module of the
    course completed and, given ``exam``, that written test passed."""
    owner = {"credential": None, "completion_of": course}
    rules = [
        AgeRequirementFactory(**owner, sort_order=10),
        ModuleCompletionRequirementFactory(**owner, course=course, sort_order=20),
    ]
    if exam is not None:
        rules.append(
            WrittenExamPassedRequirementFactory(**owner, exam=exam, sort_order=30)
        )
    return rules


@dataclass
class CertificateWorld:
    """A KPS course of two class days with its completion rule, a cohort
    with its trainer, and an adult trainee seated in it who has attended
    the first day; ``finish()`` records the second, completing the course."""

    course: CoursePage
    cohort: Cohort
    trainer: User
    trainee: User
    sessions: list

    def attend(self, index: int, minutes: int | None = None):
        session = self.sessions[index]
        return course_services.attendance_record(
            session=session,
            trainee=self.trainee,
            status=Attendance.Status.PRESENT,
            minutes=minutes if minutes is not None else session.duration_minutes,
            by=self.trainer,
        )

    def finish(self):
        return self.attend(1)


def certificate_world(*, trainee: User | None = None) -> CertificateWorld:
    course = kps_course(days=2)
    kps_completion_rules(course=course)
    trainer = user_with_role(roles.TRAINER, legal_name="Terry Trainer")
    trainee = trainee or user_with_role(
        roles.TRAINEE,
        legal_name="Alex Q. Trainee",
        date_of_birth=datetime.date(1990, 5, 17),
    )
    cohort = make_cohort(
        course, trainers=[trainer], trainees=[trainee], name="Louisville KPS week"
    )
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    sessions = [
        make_session(
            cohort, [module], date=cohort.start_date + datetime.timedelta(days=i)
        )
        for i, module in enumerate(modules)
    ]
    world = CertificateWorld(course, cohort, trainer, trainee, sessions)
    world.attend(0)
    return world


# Application documents ----------------------------------------------------------

DOCUMENT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def document_kind(slug="diploma", **fields):
    """A kind of application document (201 KAR 35:050), made once."""
    from courses.models import DocumentKind

    defaults = {
        "name": slug.replace("-", " ").capitalize(),
        "source_citation": "201 KAR 35:050",
    }
    defaults.update(fields)
    return DocumentKind.objects.get_or_create(slug=slug, defaults=defaults)[0]


def document_uploaded(trainee, kind, **fields):
    """A document the trainee uploaded through the service, waiting to be
    verified."""
    from courses.services import documents as document_services

    return document_services.document_upload(
        trainee=trainee,
        kind=kind,
        file=SimpleUploadedFile("document.pdf", DOCUMENT_PDF),
        **fields,
    )


# Supervision --------------------------------------------------------------------

SUPERVISION_DOMAINS = {
    "advocacy": ("Advocacy", "advocacy"),
    "ethical-responsibility": ("Ethical responsibility", "ethics"),
    "mentoring-education": ("Mentoring and education", "mentoring-education"),
    "recovery-wellness-support": ("Recovery and wellness support", "recovery-support"),
}


def supervision_domains() -> list:
    """The four domains of supervision (201 KAR 35:070), each credited to its
    hour category."""
    from courses.models import SupervisionDomain

    domains = []
    for order, (slug, (name, category)) in enumerate(SUPERVISION_DOMAINS.items()):
        domain, _created = SupervisionDomain.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "hour_category": hour_category(category),
                "source_citation": "201 KAR 35:070",
                "sort_order": order,
            },
        )
        domains.append(domain)
    return domains


def supervisor_credential_type(slug: str = "cadc"):
    from courses.models import SupervisorCredentialType

    names = {
        "cadc": ("Certified Alcohol and Drug Counselor", "CADC", True),
        "lcadc": ("Licensed Clinical Alcohol and Drug Counselor", "LCADC", True),
        "rpss-2y": ("Registered peer support specialist, two years", "RADPSS", False),
    }
    name, abbreviation, may_refer = names[slug]
    kind, _created = SupervisorCredentialType.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "abbreviation": abbreviation,
            "may_give_reference": may_refer,
            "source_citation": "KRS 309.0831",
        },
    )
    return kind


def signing_context():
    from courses.services.supervision import SigningContext

    return SigningContext(ip_address="203.0.113.7", user_agent="pytest browser")


def make_agreement(
    trainee=None,
    supervisor=None,
    *,
    credential=None,
    start_date=datetime.date(2026, 1, 1),
    end_date=datetime.date(2026, 12, 31),
    signed=True,
    approved=False,
):
    """An agreement drawn up (and signed) by the supervisor; ``signed`` also
    has the trainee sign it, ``approved`` records the board's approval."""
    from courses.services import supervision as supervision_services

    trainee = trainee or user_with_role(roles.TRAINEE)
    supervisor = supervisor or user_with_role(roles.SUPERVISOR)
    agreement = supervision_services.agreement_create(
        trainee=trainee,
        supervisor=supervisor,
        credential=credential or adpss_credential(),
        start_date=start_date,
        end_date=end_date,
        credential_type=supervisor_credential_type(),
        credential_number="CADC-1234",
        by=supervisor,
        typed_name=supervisor.legal_name,
        signing=signing_context(),
    )
    if signed:
        supervision_services.agreement_sign(
            agreement=agreement,
            by=trainee,
            typed_name=trainee.legal_name,
            signing=signing_context(),
        )
    if approved:
        supervision_services.agreement_approve(
            agreement=agreement,
            by=user_with_role(roles.ADMINISTRATOR),
            approved_on=start_date,
            reference="KBADC-2026-17",
        )
    return agreement


def log_session(
    agreement,
    *,
    by=None,
    date=datetime.date(2026, 2, 2),
    minutes=60,
    domains=None,
    is_direct=True,
    signed=False,
):
    """A session logged (and signed) by the trainee unless ``by`` says who;
    ``signed`` has the other person sign it too."""
    from courses.services import supervision as supervision_services

    by = by or agreement.trainee
    session = supervision_services.session_log(
        agreement=agreement,
        by=by,
        date=date,
        minutes=minutes,
        format="individual",
        is_direct=is_direct,
        domains=domains or supervision_domains()[:1],
        note="Talked about boundaries with a peer.",
        typed_name=by.legal_name,
        signing=signing_context(),
    )
    if signed:
        other = session.waiting_for
        supervision_services.log_sign(
            log=session,
            by=other,
            typed_name=other.legal_name,
            signing=signing_context(),
        )
        session.refresh_from_db()
    return session


def log_experience(
    agreement, *, hours=Decimal(40), period=(datetime.date(2026, 2, 1), None)
):
    from courses.services import supervision as supervision_services

    start, end = period
    return supervision_services.experience_log(
        agreement=agreement,
        by=agreement.trainee,
        period_start=start,
        period_end=end or start + datetime.timedelta(days=6),
        site="Bluegrass Recovery Center",
        hours=hours,
        domain=supervision_domains()[3],
        description="Peer support groups and one-to-one meetings.",
        typed_name=agreement.trainee.legal_name,
        signing=signing_context(),
    )


def supervisor_competencies(count: int = 4) -> list:
    """Some of the supervisor competencies of seed 001."""
    from courses.models import SupervisorCompetency

    names = [
        "Recovery orientation",
        "Role clarity",
        "Ethics and boundaries",
        "Strength-based, person-centred supervision",
        "Confidentiality",
    ]
    return [
        SupervisorCompetency.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "source_citation": "Seed 001", "sort_order": i},
        )[0]
        for i, name in enumerate(names[:count])
    ]


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row as issued, without the course being complete: for
    pages that show certificates. Issuing itself goes through the service
    (``certificate_world``)."""

    class Meta:
        model = Certificate

    trainee = factory.SubFactory(UserFactory, role=roles.TRAINEE)
    legal_name = factory.LazyAttribute(lambda o: o.trainee.legal_name)
    course = factory.SubFactory(CoursePageFactory)
    course_title = factory.LazyAttribute(lambda o: o.course.title)
    completed_on = datetime.date(2026, 6, 12)
    hours_by_topic = factory.LazyFunction(
        lambda: [
            {"category": "ethics", "name": "Ethics", "hours": "16.00"},
            {"category": "advocacy", "name": "Advocacy", "hours": "10.00"},
        ]
    )
    total_hours = Decimal("26.00")
    cohort_name = "Frankfort weekday cohort"
    trainer_names = factory.LazyFunction(lambda: ["Terry Trainer"])
    issuer_name = "Peer Specialist Training"
    requirements_met = factory.LazyFunction(lambda: ["Complete every module"])
    issued_at = factory.LazyFunction(timezone.now)
