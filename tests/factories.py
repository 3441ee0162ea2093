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
