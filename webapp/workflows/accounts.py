"""People: login with throttling, invitations, password reset, roles and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from .. import mail
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..links import absolute_url
from ..models import ApiToken, LoginAttempt, Organisation, OrgKind, Role, RoleGrant, User
from ..permissions import SYSTEM, Actor, RegionScope, SystemActor, require
from ..security import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    make_link_token,
    needs_rehash,
    new_api_token,
    new_nonce,
    verify_password,
)
from ..text import email_problem
from .base import WorkflowError, record

# The roles in words, for forms, pages and the audit log.
ROLE_LABELS = {
    Role.SECRETARIAT: _l("Sekretariat"),
    Role.RESPONDENT: _l("Besvarer for organisation"),
    Role.STEERING_MEMBER: _l("Medlem af styregruppe"),
    Role.USER_ORG_REP: _l("Repræsentant for brugerorganisation"),
    Role.POLITICIAN: _l("Politiker"),
    Role.OBSERVER: _l("Observatør"),
}


class LoginThrottled(WorkflowError):
    pass


class RoleMismatch(WorkflowError):
    """A role given to a person whose organisation it is not meant for; the secretariat may
    still give it, but only on purpose (`confirmed`)."""


# The organisations a role that grants power is meant for; other roles fit any organisation.
ROLE_FITS: dict[Role, frozenset[OrgKind]] = {
    Role.SECRETARIAT: frozenset({OrgKind.SECRETARIAT}),
    Role.RESPONDENT: frozenset({OrgKind.MUNICIPALITY, OrgKind.REGION}),
}


def _misfit_explanation(role: Role) -> str:
    if role == Role.SECRETARIAT:
        return _("Sekretariatsrollen kan styre hele regionen: cyklusser, skemaer, personer og "
                 "roller. Den er til personer i sekretariatets organisation.")
    return _("Rollen som besvarer indsender skemaer på organisationens vegne. Den er til "
             "personer i en kommune eller regionen.")


def check_role_fit(roles: set[Role], organisation: Organisation, *, confirmed: bool,
                   field: str) -> None:
    """Refuse roles that do not fit the organisation's kind unless the secretariat confirmed."""
    misfits = sorted(r for r in roles
                     if r in ROLE_FITS and organisation.kind not in ROLE_FITS[r])
    if not misfits or confirmed:
        return
    raise RoleMismatch(" ".join([
        *(_misfit_explanation(r) for r in misfits),
        _("%(name)s er ikke en sådan organisation. Sæt kryds i “Ja, giv rollen alligevel”, "
          "hvis personen skal have rollen alligevel, eller vælg en anden rolle.",
          name=organisation.name),
    ]), field=field)


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Throttle:
    """Attempts of one purpose (LoginAttempt rows) counted per account and per client address
    within a window; past either limit the next attempt is refused. The limits are settings
    named by their config keys. A login counts only failures; a reset request counts every
    request, since each one would send an e-mail."""

    purpose: str
    window_key: str
    per_account_key: str
    per_address_key: str
    failures_only: bool

    def window(self) -> timedelta:
        return timedelta(seconds=current_app.config[self.window_key])

    def _count(self, column: InstrumentedAttribute[str], value: str, since: datetime) -> int:
        query = select(func.count(LoginAttempt.id)).where(
            LoginAttempt.purpose == self.purpose, column == value,
            LoginAttempt.created_at >= since)
        if self.failures_only:
            query = query.where(LoginAttempt.success.is_(False))
        return db.session.scalar(query) or 0

    def exceeded(self, email: str, address: str, now: datetime) -> bool:
        config = current_app.config
        since = now - self.window()
        return (self._count(LoginAttempt.email, email, since) >= config[self.per_account_key]
                or self._count(LoginAttempt.address, address[:64], since)
                >= config[self.per_address_key])

    def note(self, email: str, address: str, *, success: bool, now: datetime) -> None:
        db.session.add(LoginAttempt(purpose=self.purpose, email=email, address=address[:64],
                                    success=success, created_at=now))


LOGIN_THROTTLE = Throttle("login", "LOGIN_WINDOW_SECONDS", "LOGIN_MAX_FAILURES_PER_ACCOUNT",
                          "LOGIN_MAX_FAILURES_PER_ADDRESS", failures_only=True)
RESET_THROTTLE = Throttle("reset", "RESET_WINDOW_SECONDS", "RESET_MAX_PER_ACCOUNT",
                          "RESET_MAX_PER_ADDRESS", failures_only=False)


def login(email: str, password: str, *, address: str, now: datetime) -> User:
    """Check the credentials; raise WorkflowError (or LoginThrottled) with a Danish message.

    Failures are counted per account and per address within a window; past the limit even a
    correct password is refused until the window has passed.
    """
    email = normalise_email(email)
    if LOGIN_THROTTLE.exceeded(email, address, now):
        minutes = max(1, int(LOGIN_THROTTLE.window().total_seconds() // 60))
        raise LoginThrottled(_(
            "For mange mislykkede loginforsøg. Vent %(minutes)d minutter, og prøv igen.",
            minutes=minutes,
        ))
    user = db.session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    LOGIN_THROTTLE.note(email, address, success=ok, now=now)
    if not ok or user is None:
        raise WorkflowError(_("E-mailadressen eller adgangskoden er forkert."))
    if not user.active:
        raise WorkflowError(_("Din konto er deaktiveret. Kontakt sekretariatet."))
    if not user.region_open:
        raise WorkflowError(_("Din region er ikke aktiv på Aftalehjul lige nu. Kontakt "
                              "sekretariatet."))
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


def check_password_strength(password: str, user: User | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WorkflowError(
            _("Adgangskoden skal være på mindst %(n)d tegn.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if user is not None and password.strip().lower() == user.email.lower():
        raise WorkflowError(_("Adgangskoden må ikke være din e-mailadresse."), field="password")


def _link(endpoint: str, token: str) -> str:
    return absolute_url(endpoint, token=token)


def invite(
    actor: User, *, email: str, name: str, organisation: Organisation, role: Role, now: datetime,
    confirmed: bool = False,
) -> User:
    """Create (or re-invite) a person in the actor's region and e-mail a link to set a password.

    A role that does not fit the organisation's kind needs `confirmed`. An address already used
    in another region is refused without saying so: e-mail addresses are unique across regions,
    so the refusal itself cannot be avoided, but it names no person, organisation or region and
    reads the same whether the person is invited or active there.
    """
    require(actor, "people.manage", organisation,
            message=_("Kun sekretariatet kan invitere personer."))
    email = normalise_email(email)
    problem = email_problem(email) or (None if email else _("Skriv personens e-mailadresse."))
    if problem is not None:
        raise WorkflowError(problem, field="email")
    user = db.session.scalar(
        select(User).where(User.email == email).options(selectinload(User.grants)))
    if user is not None and user.region_id != organisation.region_id:
        raise WorkflowError(_("Adressen kan ikke inviteres her. Kontakt Aftalehjuls drift, hvis "
                              "personen skal flyttes til jeres region."), field="email")
    if user is not None and (user.password_hash is not None
                             or user.organisation_id != organisation.id):
        # The region's own people are on its people list already: saying so leaks nothing.
        raise WorkflowError(
            _("Der findes allerede en bruger med denne e-mailadresse. Find personen under "
              "Personer, og ret roller dér."), field="email"
        )
    held = user.roles_in(organisation.region_id) if user is not None else set()
    check_role_fit({role} - held, organisation, confirmed=confirmed, field="role")
    if user is None:
        user = User(email=email, name=name.strip(), organisation_id=organisation.id,
                    session_nonce=new_nonce(), active=True, created_at=now, grants=[])
        db.session.add(user)
        db.session.flush()
        record(actor=actor, action="user.invited", obj=user, now=now,
               region_id=organisation.region_id, label=user.email,
               after={"email": email, "name": user.name, "organisation": organisation.name,
                      "role": role.value})
    else:
        user.name = name.strip()
        user.session_nonce = new_nonce()  # the earlier link stops working
        if not user.active:  # inviting again is the secretariat's intent to let them in
            user.active = True
            record(actor=actor, action="user.activated", obj=user, now=now,
                   region_id=organisation.region_id, label=user.email,
                   before={"active": False}, after={"active": True})
        record(actor=actor, action="user.reinvited", obj=user, now=now,
               region_id=organisation.region_id, label=user.email, after={"role": role.value})
    user.invited_at = now
    grant(actor, user, organisation.region_id, role, now)
    send_invitation(user, organisation, inviter=actor.name, now=now)
    return user


def inviter_name(actor: Actor) -> str:
    """Who an invitation says invited: the person, the operator named by `--by`, else the
    platform's operations."""
    if isinstance(actor, SystemActor) and actor.name == SYSTEM.name:
        return _("Aftalehjuls drift")
    return actor.name


def send_invitation(user: User, organisation: Organisation, *, inviter: str,
                    now: datetime) -> None:
    """Queue the e-mail with the link to set a password (the person must have an id); the
    one invitation the secretariat's page, the operator's command and an import all send."""
    token = make_link_token("invite", user.id, user.session_nonce)
    mail.queue("invitation", user.email, now=now, region_id=organisation.region_id,
               name=user.name, inviter=inviter, organisation=organisation.name,
               link=_link("auth.accept_invitation", token),
               days=current_app.config["INVITATION_MAX_AGE_SECONDS"] // 86400)


def grant(actor: Actor, user: User, region_id: int, role: Role, now: datetime) -> None:
    """Add a role through the loaded `user.grants`, so checks in the same request see it."""
    if role in user.roles_in(region_id):
        return
    user.grants.append(RoleGrant(region_id=region_id, role=role, granted_at=now))
    record(actor=actor, action="role.granted", obj=user, now=now, region_id=region_id,
           label=user.email, after={"role": role.value})


def _managed_region(actor: Actor, user: User, refusal: str) -> int:
    """The person's region, once the actor may manage people there."""
    region_id = user.organisation.region_id
    require(actor, "people.manage", RegionScope(region_id), message=refusal)
    return region_id


def grant_role(actor: User, user: User, role: Role, *, now: datetime) -> None:
    region_id = _managed_region(actor, user, _("Kun sekretariatet kan tildele roller."))
    grant(actor, user, region_id, role, now)


def revoke_role(actor: User, user: User, role: Role, *, now: datetime) -> None:
    region_id = _managed_region(actor, user, _("Kun sekretariatet kan fjerne roller."))
    if actor.id == user.id and role == Role.SECRETARIAT:
        raise WorkflowError(_("Du kan ikke fjerne din egen sekretariatsrolle."))
    grant = next((g for g in user.grants if g.region_id == region_id and g.role == role), None)
    if grant is None:
        return
    user.grants.remove(grant)  # delete-orphan removes the row
    record(actor=actor, action="role.revoked", obj=user, now=now, region_id=region_id,
           label=user.email, before={"role": role.value})


def set_active(actor: User, user: User, active: bool, *, now: datetime) -> None:
    region_id = _managed_region(actor, user, _("Kun sekretariatet kan deaktivere personer."))
    if actor.id == user.id and not active:
        raise WorkflowError(_("Du kan ikke deaktivere dig selv."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.session_nonce = new_nonce()  # logs the person out everywhere
        user.calendar_token = None  # and their calendar address must not come back with them
    record(actor=actor, action="user.activated" if active else "user.deactivated", obj=user,
           now=now, region_id=region_id, label=user.email,
           before={"active": not active}, after={"active": active})


def set_roles(actor: User, user: User, roles: set[Role], active: bool, *, now: datetime,
              confirmed: bool = False) -> None:
    """The person page's one operation: grant the roles that are new, revoke those that are
    gone, then (de)activate. Each step keeps its own checks and audit event; a refusal part-way
    leaves the earlier steps in the session for the caller's rollback, as with any operation.
    A new role that does not fit the person's organisation needs `confirmed`; one already held
    is kept without asking again."""
    held = user.roles_in(user.organisation.region_id)
    check_role_fit(roles - held, user.organisation, confirmed=confirmed, field="roles")
    for role in sorted(roles - held):
        grant_role(actor, user, role, now=now)
    for role in sorted(held - roles):
        revoke_role(actor, user, role, now=now)
    set_active(actor, user, active, now=now)


def set_password(user: User, password: str, *, now: datetime, action: str) -> None:
    """Set a new password from an invitation or reset link; every old session and link dies."""
    check_password_strength(password, user)
    user.password_hash = hash_password(password)
    user.session_nonce = new_nonce()
    record(actor=user, action=action, obj=user, now=now, region_id=user.organisation.region_id,
           label=user.email)


def request_password_reset(email: str, *, address: str, now: datetime) -> None:
    """Send a reset link if the address belongs to an active person; say nothing either way.

    Requests are throttled per e-mail address and per client address: past the limit no e-mail
    is sent, and the caller still says the same (a throttled answer must not read differently).
    """
    email = normalise_email(email)
    throttled = RESET_THROTTLE.exceeded(email, address, now)
    RESET_THROTTLE.note(email, address, success=not throttled, now=now)
    if throttled:
        return
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active:
        return
    token = make_link_token("reset", user.id, user.session_nonce)
    region_id = db.session.scalar(
        select(Organisation.region_id).where(Organisation.id == user.organisation_id))
    mail.queue("password_reset", user.email, now=now, region_id=region_id, name=user.name,
               link=_link("auth.reset_password", token),
               minutes=current_app.config["RESET_MAX_AGE_SECONDS"] // 60)
    record(actor=SYSTEM, action="user.reset_requested", obj=user, now=now, region_id=region_id,
           label=user.email)


def create_user(
    actor: SystemActor, *, email: str, name: str, organisation: Organisation, roles: list[Role],
    password: str, now: datetime,
) -> User:
    """For operators (CLI) and the demo: a ready person with a password."""
    require(actor, "people.create", organisation)
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise WorkflowError(_("Der findes allerede en bruger med denne e-mailadresse."),
                            field="email")
    user = User(email=email, name=name, organisation_id=organisation.id,
                session_nonce=new_nonce(), active=True, created_at=now, grants=[])
    check_password_strength(password, user)
    user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor=actor, action="user.created", obj=user, now=now,
           region_id=organisation.region_id, label=email,
           after={"email": email, "roles": [r.value for r in roles]})
    for role in roles:
        grant(actor, user, organisation.region_id, role, now)
    return user


def create_api_token(user: User, *, now: datetime) -> str:
    token, digest = new_api_token()
    db.session.add(ApiToken(user_id=user.id, token_hash=digest, last_four=token[-4:],
                            created_at=now))
    db.session.flush()
    record(actor=user, action="api_token.created", obj=user, now=now,
           region_id=user.organisation.region_id, label=user.email)
    return token


def revoke_api_token(actor: User, owner: User, token: ApiToken, *, now: datetime) -> bool:
    """Stop one of `owner`'s API tokens working: the owner, or the region's secretariat (a
    leaked token). Returns False when it was revoked already (a second click changes nothing)."""
    require(actor, "api_token.revoke", owner,
            message=_("Du kan kun tilbagekalde dine egne API-nøgler."))
    if token.user_id != owner.id:
        raise WorkflowError(_("API-nøglen hører ikke til denne person."))
    if token.revoked_at is not None:
        return False
    token.revoked_at = now
    record(actor=actor, action="api_token.revoked", obj=owner, now=now,
           region_id=owner.region_id, label=owner.email,
           after={"token": f"…{token.last_four or ''}",
                  "created_at": token.created_at.isoformat()})
    return True
