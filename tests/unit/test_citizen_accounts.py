"""CitizenEnrolment: a confirmed self-registration becomes a citizen; nothing else does."""

from __future__ import annotations

import pytest

from sunlight.models.roles import Role
from sunlight.services.citizen_accounts import CitizenEnrolment
from sunlight.services.ports import UserNotFound
from tests.fakes.users import InMemoryUserDirectory, staff


@pytest.fixture
def directory() -> InMemoryUserDirectory:
    return InMemoryUserDirectory([staff("zhangsan", department_id=None), staff("market.window", Role.WINDOW)])


def test_a_confirmed_sign_up_joins_the_citizen_group_once(directory):
    enrolment = CitizenEnrolment(directory)
    assert enrolment.on_confirmed("zhangsan", "PostConfirmation_ConfirmSignUp") is True
    assert enrolment.on_confirmed("zhangsan", "PostConfirmation_ConfirmSignUp") is True  # Cognito's retry
    assert directory.users["zhangsan"].roles == (Role.CITIZEN,)


def test_a_confirmed_password_reset_grants_nothing(directory):
    assert CitizenEnrolment(directory).on_confirmed("market.window", "PostConfirmation_ConfirmForgotPassword") is False
    assert directory.users["market.window"].roles == (Role.WINDOW,)


def test_an_unknown_user_fails_so_cognito_reports_it(directory):
    with pytest.raises(UserNotFound):
        CitizenEnrolment(directory).on_confirmed("ghost", "PostConfirmation_ConfirmSignUp")


def test_the_name_chosen_at_registration_is_written_by_the_trigger_not_the_user(directory):
    # The app client cannot write `name` (it is the actor name in timelines and the log); the
    # trigger writes the name the citizen gave with ConfirmSignUp, once, tidied.
    CitizenEnrolment(directory).on_confirmed("zhangsan", "PostConfirmation_ConfirmSignUp", "  张  三 ")
    assert directory.users["zhangsan"].full_name == "张 三"


@pytest.mark.parametrize("chosen", [None, "", "   ", "x" * 41, "张\x00三", 42])
def test_an_unusable_chosen_name_is_ignored(directory, chosen):
    before = directory.users["zhangsan"].full_name
    CitizenEnrolment(directory).on_confirmed("zhangsan", "PostConfirmation_ConfirmSignUp", chosen)
    assert directory.users["zhangsan"].full_name == before


def test_a_password_reset_never_renames_staff(directory):
    CitizenEnrolment(directory).on_confirmed("market.window", "PostConfirmation_ConfirmForgotPassword", "局长")
    assert directory.users["market.window"].full_name == "用户market.window"
