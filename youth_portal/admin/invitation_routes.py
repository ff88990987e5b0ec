"""The page where a person answers an invitation to a role in a city (invitations.py): for the invited person, signed
in, not for staff (so not in the admin blueprint, whose every page asks for a capability)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import tokens
from ..extensions import db, login_manager
from ..tokens import TokenPurpose
from . import invitations

bp = Blueprint("role_invitations", __name__)


def _invitation_or_404(token: str) -> invitations.Invitation:
    """The invitation behind the link, for the signed-in person only (anyone else finds nothing here)."""
    found = tokens.find(token, TokenPurpose.ROLE_INVITATION)
    invitation = invitations.invitation_of(found) if found is not None else None
    if found is None or invitation is None or found.user_id != current_user.id:
        abort(404)
    return invitation


@bp.get("/account/role-invitation/<token>")
def page(token: str):
    """The invited person reads what the role lets them do, and accepts or declines it (signed in as themselves)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return render_template("admin/role_invitation.html", invitation=_invitation_or_404(token), token=token)


@bp.post("/account/role-invitation/<token>")
def answer(token: str):
    """Accept the role (given now, if the person may still hold it) or decline it; the link is used up either way."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    invitation = _invitation_or_404(token)
    accepted = "accept" in request.form
    if not accepted and "decline" not in request.form:
        abort(400)  # neither button: nobody pressed one
    if tokens.redeem(token, TokenPurpose.ROLE_INVITATION) is None:
        abort(404)
    person, city, role = current_user._get_current_object(), invitation.city, invitation.role
    if not accepted:
        invitations.decline(invitation, person)
        db.session.commit()
        flash(_("You declined the role “%(role)s” in %(city)s.", role=role.label, city=city.name), "info")
        return redirect(url_for("my_account.overview"))
    try:
        invitations.accept(invitation, person)
    except invitations.InvitationLapsed:
        db.session.commit()  # the link is used up, and the refusal recorded
        return render_template("admin/role_invitation.html", invitation=invitation, lapsed=True), 409
    db.session.commit()
    flash(_("You now hold the role “%(role)s” in %(city)s.", role=role.label, city=city.name), "success")
    return redirect(url_for("my_account.overview"))
