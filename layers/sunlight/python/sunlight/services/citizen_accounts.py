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


class CitizenEnrolment:
    def __init__(self, directory: UserDirectory) -> None:
        self._directory = directory

    def on_confirmed(self, username: str, trigger_source: str) -> bool:
        """Adds a newly confirmed self-registered account to the citizen group; True if it did.
        Cognito retries a failed trigger, and adding to a group twice is harmless."""
        if trigger_source != CONFIRM_SIGN_UP:
            return False
        self._directory.add_to_group(username, Role.CITIZEN)
        return True
