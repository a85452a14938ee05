import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from qunce.accounts.models import User
from qunce.org.models import Gender, Person, PoliticalStatus, Role, RoleGrant, TitleLevel, Unit

TEST_PASSWORD = "Correct-Horse-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    staff_no = factory.Sequence(lambda n: f"T{n:07d}")
    name = factory.Sequence(lambda n: f"测试{n}")
    gender = Gender.MALE
    title_level = TitleLevel.ASSOCIATE
    title = "副教授"
    political_status = PoliticalStatus.CPC_MEMBER
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


def unit_root(**values):
    return Unit.objects.add_root({"kind": Unit.Kind.UNIVERSITY, **values})


def unit_child(parent, **values):
    return Unit.objects.add_child(parent, {"kind": Unit.Kind.BRANCH, **values})


def grant(user, role, unit=None):
    return RoleGrant.objects.create(user=user, role=role, unit=unit)


__all__ = [
    "TEST_PASSWORD",
    "PersonFactory",
    "Role",
    "UserFactory",
    "grant",
    "unit_child",
    "unit_root",
]
