"""A date and time typed on the Copenhagen wall clock: the one place it becomes UTC.

Every form with a date and a time pairs a `DateField` with a `LocalTimeField` naming it
(tests/test_local_times.py checks every form). The clock skips an hour in March and shows one
twice in October; neither is guessed silently.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from markupsafe import Markup, escape
from wtforms import Field, TimeField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError
from wtforms.widgets import TimeInput

from ..formatting import format_date, local_to_utc, repeated_time, skipped_time, utc_offset
from ..i18n import gettext as _

SUMMER_TIME, WINTER_TIME = "summer", "winter"


class LocalTimeInput(TimeInput):
    """The time input; below it, when the clock shows the time twice that day, the choice
    between summer and winter time as two radio buttons (no JavaScript needed: the page comes
    back with the question, and the answer is posted with the form)."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        html = super().__call__(field, **kwargs)
        if not isinstance(field, LocalTimeField):
            return html
        moment = field.local_moment()
        if moment is None or not repeated_time(*moment):
            return html
        day, at = moment
        chosen = field.fold()
        options = []
        for fold, value, text in (
            (0, SUMMER_TIME, _("Sommertid: kl. %(time)s (%(offset)s), første gang",
                               time=at.strftime("%H.%M"),
                               offset=utc_offset(day, at.replace(fold=0)))),
            (1, WINTER_TIME, _("Vintertid: kl. %(time)s (%(offset)s), en time senere",
                               time=at.strftime("%H.%M"),
                               offset=utc_offset(day, at.replace(fold=1)))),
        ):
            box_id = f"{field.id}-{value}"
            checked = " checked" if chosen == fold else ""
            options.append(
                f'<li><input type="radio" id="{box_id}" name="{field.dst_name}" '
                f'value="{value}"{checked}> <label for="{box_id}">{escape(text)}</label></li>')
        legend = _("Kl. %(time)s den %(date)s findes to gange. Hvilken mener du?",
                   time=at.strftime("%H.%M"), date=format_date(day))
        return html + Markup(
            f'<fieldset class="dst-choice"><legend>{escape(legend)}</legend>'
            f'<ul class="checkbox-list">{"".join(options)}</ul></fieldset>')


class LocalTimeField(TimeField):
    """The time of a date and time typed on the Copenhagen wall clock; `date_field` names the
    form's date field beside it, `empty` is the time an empty field means.

    The one place a typed local time becomes UTC (`utc()`). A time the clock skips (the spring
    switch, 28.03.2027 kl. 02.30) is refused at the field with the time to choose instead; a
    time it shows twice (the autumn switch, 31.10.2027 kl. 02.30) asks which, summer or winter
    time, with two radio buttons under the field (`LocalTimeInput`). An edit page shows the
    stored one chosen."""

    widget = LocalTimeInput()

    def __init__(self, label: Any = None, validators: Any = None, *, date_field: str,
                 empty: time, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self._owner = kwargs.get("_form")
        self.date_field = date_field
        self.empty = empty
        self.dst_name = f"{self.name}-dst"
        self._posted_dst: str | None = None
        self._posted = False

    def process_formdata(self, valuelist: list[Any]) -> None:
        # A browser posts an empty time input as "": that is "no time typed" (the `empty`
        # time), never an unreadable one, which left the moment unknown and failed the save.
        if valuelist and isinstance(valuelist[0], str) and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        self._posted = formdata is not None
        if formdata is not None:
            self._posted_dst = formdata.get(self.dst_name)

    def fold(self) -> int | None:
        """0 for summer time, 1 for winter time; None when a posted form chose neither. Only
        a time the clock shows twice asks."""
        if self._posted:
            return {SUMMER_TIME: 0, WINTER_TIME: 1}.get(self._posted_dst or "")
        return self.data.fold if isinstance(self.data, time) else 0

    def local_moment(self) -> tuple[date, time] | None:
        """The typed date and time (the empty time if none), or None without a readable date."""
        day = self._owner[self.date_field].data if self._owner is not None else None
        if not isinstance(day, date) or self.process_errors:  # a time that could not be read
            return None
        return day, self.data if isinstance(self.data, time) else self.empty

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        moment = None if form[self.date_field].errors else self.local_moment()
        if moment is None:
            return
        day, at = moment
        instead = skipped_time(day, at)
        if instead is not None:
            raise ValidationError(_(
                "Klokken %(time)s findes ikke den %(date)s, fordi uret stilles frem til "
                "sommertid. Vælg fx %(instead)s.", time=at.strftime("%H.%M"),
                date=format_date(day), instead=instead.strftime("%H.%M")))
        if repeated_time(day, at) and self.fold() is None:
            raise ValidationError(_(
                "Klokken %(time)s findes to gange den %(date)s, fordi uret stilles tilbage til "
                "vintertid. Vælg under feltet, om du mener sommertid eller vintertid.",
                time=at.strftime("%H.%M"), date=format_date(day)))

    def utc(self) -> datetime | None:
        """The moment in UTC after validation; None without a date."""
        moment = self.local_moment()
        if moment is None:
            return None
        day, at = moment
        return local_to_utc(day, at.replace(fold=self.fold() or 0))
