"""Citizen accounts (公众账号): citizens register themselves in the user pool (Cognito's SignUp
and ConfirmSignUp, called by the SPA). When Cognito confirms a new account it calls the
post-confirmation trigger, which makes the account a citizen's: only then may it apply, track
its own cases, rate and complain. Staff accounts are created by administrators instead
(services/users.py) and never pass through here."""

from __future__ import annotations

from sunlight.models.roles import Role
from sunlight.services.ports import UserDirectory

# Cognito's triggerSource when a user confirms the sign-up code; the same trigger also fires
# after a forgotten password is reset (PostConfirmation_ConfirmForgotPassword), which grants nothing.
CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp"


NAME_MAX = 40


def display_name(raw: object) -> str | None:
    """The name a citizen gave at registration (ClientMetadata `display_name`), if usable."""
    if not isinstance(raw, str):
        return None
    name = " ".join(raw.split())
    if not name or len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        return None
    return name


class CitizenEnrolment:
    def __init__(self, directory: UserDirectory) -> None:
        self._directory = directory

    def on_confirmed(self, username: str, trigger_source: str, chosen_name: object = None) -> bool:
        """Adds a newly confirmed self-registered account to the citizen group, and sets the
        display name the citizen chose at registration; True if it did. Users cannot write
        `name` through the app client (it is the actor name in timelines and the log), so it is
        written here, once, for a new citizen only. Cognito retries a failed trigger; adding
        to a group twice and writing the same name again are harmless."""
        if trigger_source != CONFIRM_SIGN_UP:
            return False
        self._directory.add_to_group(username, Role.CITIZEN)
        name = display_name(chosen_name)
        if name:
            self._directory.set_name(username, name)
        return True
