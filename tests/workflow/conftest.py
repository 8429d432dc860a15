import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


@pytest.fixture
def groups(db):
    """The Reporter and Editor groups from fixtures/groups.json."""
    call_command("loaddata", "fixtures/groups.json", verbosity=0)
    return {group.name: group for group in Group.objects.all()}


def _user(username: str, group: Group | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, is_staff=True, **fields
    )
    if group is not None:
        user.groups.add(group)
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


@pytest.fixture
def reporter(groups):
    return _user("rita", groups["Reporter"], first_name="Rita", last_name="Reporter")


@pytest.fixture
def other_reporter(groups):
    return _user("oleg", groups["Reporter"])


@pytest.fixture
def editor(groups):
    return _user("edna", groups["Editor"], first_name="Edna", last_name="Editor")


@pytest.fixture
def other_editor(groups):
    return _user("emil", groups["Editor"], first_name="Emil", last_name="Editor")


@pytest.fixture
def admin_user_(db):
    return User.objects.create_superuser(username="root", password="pw-root", email="r@x.test")
