"""A city admin's consultation settings: the city's districts and the smallest group results may show."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ... import access
from ...audit.services import record
from ...extensions import db
from ...permissions import Capability
from ...questionnaires.texts import language_name

bp = Blueprint("settings", __name__)

MAX_DISTRICTS = 100
DISTRICT_MAX_LENGTH = 80  # Response.district
#: Below 5 people, a group in the results could point at someone; the issue's default is 10.
SUPPRESSION_BOUNDS = (5, 100)


class CitySettingsForm(FlaskForm):
    """Districts one per line, and k: groups of fewer than k people are hidden in results."""

    districts = TextAreaField(_l("Districts"))
    suppression_k = IntegerField(
        _l("Smallest group shown in results"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(*SUPPRESSION_BOUNDS, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )

    def validate_districts(self, field) -> None:
        names = district_list(field.data)
        if len(names) > MAX_DISTRICTS:
            raise ValidationError(_l("List at most %(max)d districts.", max=MAX_DISTRICTS))
        too_long = [name for name in names if len(name) > DISTRICT_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _l("Each district name can have at most %(max)d characters.", max=DISTRICT_MAX_LENGTH)
            )


def district_list(text: str | None) -> list[str]:
    """One name a line, trimmed, without empty lines or repeats (whatever their case)."""
    names, seen = [], set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@bp.route("/cities/<slug>/manage/consultations/settings", methods=["GET", "POST"])
@access.requires(Capability.MANAGE_CITY_SETTINGS)
def edit(city):
    """The city's districts (for the optional district question) and the suppression threshold k."""
    form = CitySettingsForm(data={"districts": "\n".join(city.districts or []), "suppression_k": city.suppression_k})
    if form.validate_on_submit():
        districts = district_list(form.districts.data)
        changed = {}
        if districts != (city.districts or []):
            city.districts = districts
            changed["districts"] = len(districts)
        if form.suppression_k.data != city.suppression_k:
            city.suppression_k = form.suppression_k.data
            changed["suppression_k"] = city.suppression_k
        if changed:
            record("city.settings_changed", actor=current_user, city=city, **changed)
        db.session.commit()
        flash(_("The consultation settings of %(city)s were saved.", city=city.name), "success")
        return redirect(url_for("consultations.settings.edit", slug=city.slug))
    return render_template(
        "consultations/settings/settings.html",
        city=city,
        form=form,
        language_name=language_name,
    ), 422 if form.is_submitted() else 200
