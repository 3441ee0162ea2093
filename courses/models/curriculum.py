"""Curriculum pages: catalogue, course, module, lesson."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from cms.models import BasePage

from ..blocks import LessonStreamBlock, ObjectivesBlock
from .credentials import HOURS_FIELD, Credential, HourCategory


class CourseIndexPage(BasePage):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live()
            .public()
            .child_of(self)
            .select_related("credential")
        )
        return context


class CoursePage(BasePage):
    """A training program made of modules."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    credential = models.ForeignKey(
        Credential,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("credential"),
        help_text=_("The credential whose requirements this course works towards."),
    )
    is_sample = models.BooleanField(
        _("sample curriculum"),
        default=False,
        help_text=_(
            "Shows a notice that this is a sample curriculum for trainers to adapt."
        ),
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("credential"), FieldPanel("is_sample")],
            heading=_("Credential"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors
        from ..permissions import user_can_study

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["outline"] = selectors.course_outline(course=self)
        context["enrollment"] = selectors.enrollment_for(trainee=user, course=self)
        context["can_study"] = user_can_study(user)
        context["offers_online"] = any(
            item.module.delivery == ModulePage.Delivery.ONLINE
            for item in context["outline"]
        )
        context["cohorts"] = selectors.cohort_offers(course=self, trainee=user)
        if context["enrollment"] is not None:
            (context["progress"],) = selectors.courses_progress(
                trainee=user, courses=[self]
            )
            context["module_progress"] = {
                item.module.pk: item for item in context["progress"].modules
            }
        return context


class ModulePage(BasePage):
    """A unit of a course, credited in one hour category when completed."""

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        CLASSROOM = "classroom", _("Classroom")

    objectives = StreamField(
        ObjectivesBlock(), blank=True, verbose_name=_("learning objectives")
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("Hours credited when the module is completed."),
        **HOURS_FIELD,
    )
    hour_category = models.ForeignKey(
        HourCategory,
        on_delete=models.PROTECT,
        related_name="modules",
        verbose_name=_("hour category"),
    )
    delivery = models.CharField(
        _("delivery mode"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.ONLINE,
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("credit_hours"),
                FieldPanel("hour_category"),
                FieldPanel("delivery"),
            ],
            heading=_("Credit"),
        ),
        FieldPanel("objectives"),
    ]
    # The summary is edited with the content of modules and lessons.
    promote_panels = BasePage.promote_panels[:-1]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = (
            LessonPage.objects.live().public().child_of(self).specific()
        )
        return context


class LessonPage(BasePage):
    """One lesson: the teaching content itself."""

    duration_minutes = models.PositiveIntegerField(
        _("planned duration (minutes)"), null=True, blank=True
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    promote_panels = BasePage.promote_panels[:-1]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors
        from ..models import LessonProgress

        context = super().get_context(request, *args, **kwargs)
        position = selectors.lesson_position(lesson=self)
        context["position"] = position
        context["previous_lesson"] = position.previous
        context["next_lesson"] = position.next
        context["module"] = position.module
        enrollment = selectors.enrollment_for(
            trainee=request.user, course=position.course
        )
        context["enrollment"] = enrollment
        context["is_complete"] = (
            enrollment is not None
            and LessonProgress.objects.filter(
                trainee=request.user, lesson=self
            ).exists()
        )
        return context
