# Prints an API token for a throwaway editor, for the judges' editorial operations.
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from workflow.tokens import token_issue

user, _ = get_user_model().objects.get_or_create(username="judge-editor")
user.set_password(secrets.token_urlsafe(16))
user.is_staff = True
user.save()
user.groups.add(Group.objects.get(name="Editor"))
print(token_issue(user=user, name="judges", source="ci")[1])
