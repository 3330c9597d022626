"""Routes of any signed-in user's account: who am I, and signing out everywhere."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from sunlight.bootstrap import container
from sunlight.models.roles import MeView

from .common import current_principal

router = Router()


@router.get("/me", summary="当前用户")
def me() -> MeView:
    return MeView.of(current_principal())


@router.post("/me/sign-out", summary="退出登录（所有设备，一分钟内生效）")
def sign_out() -> dict:
    principal = current_principal()
    container().sessions.revoke(principal.user_id, "signed out", sparing_this_second=True)
    return {"signed_out": True}
