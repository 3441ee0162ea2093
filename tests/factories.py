import factory
from django.contrib.auth.models import Group

from cms import roles
from cms.models import User

PASSWORD = "a-long-test-password-9"


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


def make_cohort(course, *, trainers=(), capacity=10, **kwargs):
    import datetime

    from courses.models import Cohort

    today = datetime.date.today()
    cohort = Cohort.objects.create(
        course=course,
        name=kwargs.pop("name", f"{course.title} cohort"),
        start_date=kwargs.pop("start_date", today),
        end_date=kwargs.pop("end_date", today + datetime.timedelta(days=30)),
        location=kwargs.pop("location", "Frankfort, KY"),
        capacity=capacity,
        **kwargs,
    )
    cohort.trainers.set(trainers)
    return cohort


def make_session(cohort, modules, *, date=None, start="09:00", end="15:00"):
    import datetime

    from courses.models import ClassSession

    session = ClassSession.objects.create(
        cohort=cohort,
        date=date or cohort.start_date,
        start_time=datetime.time.fromisoformat(start),
        end_time=datetime.time.fromisoformat(end),
    )
    session.modules.set(modules)
    return session


def seat(cohort, trainee, by):
    from courses import services
    from courses.models import CohortSeat

    seat_row, _ = CohortSeat.objects.get_or_create(cohort=cohort, trainee=trainee)
    return services.seat_confirm(seat=seat_row, by=by)
