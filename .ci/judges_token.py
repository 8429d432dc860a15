# Prints an API token for a throwaway editor, for the judges' editorial operations.
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

user, _ = get_user_model().objects.get_or_create(username="judge-editor")
user.set_password(secrets.token_urlsafe(16))
user.is_staff = True
user.save()
user.groups.add(Group.objects.get(name="Editor"))
print(Token.objects.get_or_create(user=user)[0].key)
