"""Accounts on the local system, as deployed: a citizen registers (the e-mailed code is checked,
the post-confirmation trigger makes the account a citizen's), resets a forgotten password by
e-mail; an administrator resets a staff password and the staff member sets a new one at sign-in."""

from __future__ import annotations

import uuid

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from infra.local.runner import MAIL_PAGE_PATH
from tests.e2e.conftest import USERS, Client

PASSWORD = "Citizen#Passw0rd"


@pytest.fixture(scope="module")
def cognito(system):
    return boto3.client("cognito-idp", endpoint_url=system.moto_url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def client_id(system) -> str:
    return system.outputs["UserPoolClientId"]


def error_code(call) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def last_code(system, username: str, purpose: str) -> str:
    mail = next(m for m in system.mailbox.mails(username) if m.purpose == purpose)
    assert mail.body == f"您的验证码是 {mail.code}。"  # the pool's template (infra/constructs/identity.py)
    return mail.code


def sign_in(cognito, client_id: str, username: str, password: str) -> dict:
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password})


def test_a_citizen_registers_confirms_with_the_emailed_code_and_may_use_the_citizen_api(system, cognito, client_id):
    username = f"zhang{uuid.uuid4().hex[:6]}"
    # `name` is the actor name written into timelines: the app client may not write it, as in Cognito.
    assert error_code(lambda: cognito.sign_up(
        ClientId=client_id, Username=username, Password=PASSWORD,
        UserAttributes=[{"Name": "name", "Value": "张三"}, {"Name": "email", "Value": f"{username}@example.cn"}])) == "NotAuthorizedException"
    answer = cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                             UserAttributes=[{"Name": "email", "Value": f"{username}@example.cn"}])
    assert answer["UserConfirmed"] is False and answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = last_code(system, username, "sign_up")
    assert error_code(lambda: sign_in(cognito, client_id, username, PASSWORD)) == "UserNotConfirmedException"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert error_code(lambda: cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=wrong)) == "CodeMismatchException"

    resent = cognito.resend_confirmation_code(ClientId=client_id, Username=username)["CodeDeliveryDetails"]
    assert resent["Destination"].startswith("z***@")
    new_code = last_code(system, username, "sign_up")
    if new_code != code:  # the first code was replaced
        assert error_code(lambda: cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)) == "CodeMismatchException"
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=new_code,
                            ClientMetadata={"display_name": "张三"})
    assert error_code(lambda: cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=new_code)) == "NotAuthorizedException"
    assert error_code(lambda: cognito.resend_confirmation_code(ClientId=client_id, Username=username)) == "InvalidParameterException"

    # The post-confirmation trigger (the real handler, through moto's Lambda) made it a citizen.
    pool = system.outputs["UserPoolId"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=username)["Groups"]
    assert [g["GroupName"] for g in groups] == ["citizen"]
    signed_in = sign_in(cognito, client_id, username, PASSWORD)["AuthenticationResult"]
    me = Client(system.api_url, signed_in["IdToken"])
    assert me.get("/my/cases").status_code == 200
    assert me.get("/worklist").status_code == 403
    # The trigger wrote the chosen name; the citizen cannot rewrite it (nor the department) later.
    assert me.get("/me").json()["name"] == "张三"
    for attribute in ("name", "custom:department"):
        assert error_code(lambda attribute=attribute: cognito.update_user_attributes(
            AccessToken=signed_in["AccessToken"], UserAttributes=[{"Name": attribute, "Value": "市监察局局长"}])) == "NotAuthorizedException"
    cognito.update_user_attributes(AccessToken=signed_in["AccessToken"], UserAttributes=[{"Name": "phone_number", "Value": "+8613800138000"}])


def test_a_citizen_resets_a_forgotten_password_by_email_and_staff_cannot(system, cognito, client_id):
    username = f"li{uuid.uuid4().hex[:6]}"
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": f"{username}@example.cn"}])
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=last_code(system, username, "sign_up"))

    cognito.forgot_password(ClientId=client_id, Username=username)
    code = last_code(system, username, "forgot_password")
    reset = dict(ClientId=client_id, Username=username, ConfirmationCode=code)
    assert error_code(lambda: cognito.confirm_forgot_password(**reset, Password="weak")) == "InvalidPasswordException"
    assert error_code(lambda: cognito.confirm_forgot_password(
        **{**reset, "ConfirmationCode": f"{(int(code) + 1) % 1_000_000:06d}"}, Password="New#Passw0rd-22")) == "CodeMismatchException"
    cognito.confirm_forgot_password(**reset, Password="New#Passw0rd-22")
    assert sign_in(cognito, client_id, username, "New#Passw0rd-22")["AuthenticationResult"]["IdToken"]
    assert error_code(lambda: sign_in(cognito, client_id, username, PASSWORD)) == "NotAuthorizedException"
    # A password reset confirms nothing new: still exactly a citizen.
    groups = cognito.admin_list_groups_for_user(UserPoolId=system.outputs["UserPoolId"], Username=username)["Groups"]
    assert [g["GroupName"] for g in groups] == ["citizen"]

    # Staff accounts have no e-mail: only an administrator can reset theirs.
    assert error_code(lambda: cognito.forgot_password(ClientId=client_id, Username="planning.window")) == "InvalidParameterException"


def test_an_admin_resets_a_staff_password_and_the_staff_member_sets_a_new_one(system, login, cognito, client_id):
    username = "police.reviewer"
    admin = login("admin")
    assert login("market.window").post(f"/admin/users/{username}/reset-password").status_code == 403
    answer = admin.post(f"/admin/users/{username}/reset-password")
    assert answer.status_code == 200, answer.text
    temporary = answer.json()["temporary_password"]
    assert answer.json()["user"]["status"] == "FORCE_CHANGE_PASSWORD"
    assert error_code(lambda: sign_in(cognito, client_id, username, USERS["password"])) == "NotAuthorizedException"

    challenge = sign_in(cognito, client_id, username, temporary)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    result = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": USERS["password"]})  # back to the demo password
    assert result["AuthenticationResult"]["IdToken"]
    assert admin.get(f"/admin/users/{username}").json()["status"] == "CONFIRMED"
    assert admin.post("/admin/users/nobody.here/reset-password").status_code == 404


def test_the_local_mailbox_page_lists_the_codes(system):
    page = requests.get(system.web_url + MAIL_PAGE_PATH, timeout=10)
    assert page.status_code == 200 and "本地邮箱" in page.text
    mails = requests.get(system.web_url + MAIL_PAGE_PATH + "?format=json", timeout=10).json()
    assert all({"to", "username", "code", "purpose"} <= set(m) for m in mails)
