"""Form fields the editorial screens share: figures as written, times in the newsroom zone."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.figures import FigureError, format_figure, parse_figure


class FigureField(forms.DecimalField):
    """A decimal shown and typed as people write figures: "1,131", not "1131.0000"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_figure(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return super().to_python(str(parse_figure(str(value))))
        except FigureError as error:
            raise ValidationError(str(error), code="invalid") from error

    def widget_attrs(self, widget):
        # DecimalField asks for a number input's step; a figure is typed as text.
        return forms.Field.widget_attrs(self, widget)


DATETIME_FORMAT_HELP = "YYYY-MM-DD HH:MM"


def newsroom_zone_help(when: dt.datetime | None = None) -> str:
    """The sentence under a time field: the zone it is read in, its offset now, the format."""
    zone = zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)
    local = timezone.localtime(when or timezone.now(), zone)
    offset = local.strftime("%z")
    return (
        f"Newsroom time: {settings.NEWSROOM_TIME_ZONE} ({local.tzname()}, "
        f"UTC{offset[:3]}:{offset[3:]} now; summer time is applied for the date you pick). "
        f"Format {DATETIME_FORMAT_HELP}, e.g. {local:%Y-%m-%d} 09:30."
    )


class NewsroomDateTimeInput(forms.DateTimeInput):
    """The browser's own date-time picker (<input type="datetime-local">).

    Its value is "2027-03-28T10:00", which forms.DateTimeField reads (as it reads a typed
    "2027-03-28 10:00") in the current zone, the newsroom's in the admin: a local time
    that a clock change skips or repeats is a form error, never a guess.
    """

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
