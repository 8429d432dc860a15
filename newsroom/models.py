"""Model building blocks shared by the apps."""

from django.db import models
from django.db.models import Q

from newsroom.dates import PRECISION_CHOICES, PartialDate, Precision

PRECISION_VALUES = [p.value for p in Precision]


def precision_field(**kwargs) -> models.CharField:
    return models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True, **kwargs)


def partial_date(date, precision) -> PartialDate | None:
    """A PartialDate from a model's date and precision columns, or None when unset."""
    if date is None:
        return None
    return PartialDate(date, precision or Precision.DAY)


def partial_date_constraint(date_field: str, name: str) -> models.CheckConstraint:
    """A date column has a valid precision exactly when it is set."""
    precision_field_name = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field_name: ""})
            | Q(**{f"{date_field}__isnull": False, f"{precision_field_name}__in": PRECISION_VALUES})
        ),
        name=name,
        violation_error_message=f"{date_field} needs a precision (year, month or day), "
        "and a precision needs a date.",
    )


def choices_constraint(field: str, choices, name: str, allow_blank: bool = False):
    """Guard an enumeration in the database, not only in forms."""
    values = [value for value, _label in choices]
    if allow_blank:
        values.append("")
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class SlugNaturalKeyManager(models.Manager):
    """Resolve fixtures' natural keys by slug."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class PublicVersion(models.Model):
    """One row whose token changes with every write that could change a public page.

    Database triggers on the tables of the articles and entities apps write a new random
    token in the same transaction as the change (see newsroom.public_version), so a
    reader who sees the token also sees the data it stands for, and a rolled-back
    change leaves no token behind that could stand for it.
    """

    token = models.CharField(max_length=32)

    class Meta:
        db_table = "newsroom_publicversion"

    def __str__(self) -> str:
        return self.token
