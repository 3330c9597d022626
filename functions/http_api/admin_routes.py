"""Administration routes (系统管理), included by handler.py: the catalog of powers maintained by the
legal office (法制办, role admin) with versions and change history, departments, and the staff
accounts and roles of the user pool. Errors are mapped to HTTP by handler.py."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from sunlight.bootstrap import container
from sunlight.models.catalog_admin import (
    AdminCatalogItem,
    AdminDepartment,
    AdminItemSummary,
    CatalogChange,
    CatalogItemCreate,
    CatalogItemUpdate,
    DepartmentUpdate,
    VersionRequest,
)
from sunlight.models.users import CreatedUser, CreateUserRequest, PasswordReset, StaffUserView, UpdateUserRequest
from sunlight.services.pagination import Page

from .common import Cursor, Limit, current_principal

router = Router()

ItemCode = Annotated[str, Path(max_length=40, description="权力编码")]
DepartmentId = Annotated[str, Path(max_length=40, description="部门编码")]
Username = Annotated[str, Path(max_length=40, description="用户名")]
DepartmentFilter = Annotated[str | None, Query(max_length=40, description="部门")]


def _principal():
    return current_principal()


# --- catalog items (事项管理) ---------------------------------------------------------------


@router.get("/admin/catalog/items", summary="事项管理：全部事项（含未发布）")
def admin_list_items(department: DepartmentFilter = None, cursor: Cursor = None, limit: Limit = 20) -> Page[AdminItemSummary]:
    return container().catalog_admin.list_items(_principal(), department_id=department, cursor=cursor, limit=limit)


@router.post("/admin/catalog/items", summary="新增事项（未发布）")
def admin_create_item(request: Annotated[CatalogItemCreate, Body()]) -> Response[AdminCatalogItem]:
    created = container().catalog_admin.create_item(_principal(), request)
    return Response(201, content_types.APPLICATION_JSON, created)


@router.get("/admin/catalog/items/<itemCode>", summary="事项详情（含版本）")
def admin_get_item(itemCode: ItemCode) -> AdminCatalogItem:
    return container().catalog_admin.get_item(_principal(), itemCode)


@router.put("/admin/catalog/items/<itemCode>", summary="修改事项（须带读取时的版本号）")
def admin_update_item(itemCode: ItemCode, request: Annotated[CatalogItemUpdate, Body()]) -> AdminCatalogItem:
    return container().catalog_admin.update_item(_principal(), itemCode, request)


@router.post("/admin/catalog/items/<itemCode>/publish", summary="发布事项")
def admin_publish_item(itemCode: ItemCode, request: Annotated[VersionRequest, Body()]) -> AdminCatalogItem:
    return container().catalog_admin.set_published(_principal(), itemCode, True, request.version)


@router.post("/admin/catalog/items/<itemCode>/unpublish", summary="撤销发布")
def admin_unpublish_item(itemCode: ItemCode, request: Annotated[VersionRequest, Body()]) -> AdminCatalogItem:
    return container().catalog_admin.set_published(_principal(), itemCode, False, request.version)


@router.get("/admin/catalog/items/<itemCode>/history", summary="事项修改记录")
def admin_item_history(itemCode: ItemCode, cursor: Cursor = None, limit: Limit = 20) -> Page[CatalogChange]:
    return container().catalog_admin.history(_principal(), itemCode, cursor=cursor, limit=limit)


# --- departments (部门管理) -----------------------------------------------------------------


@router.get("/admin/departments", summary="部门管理：全部部门（含版本）")
def admin_list_departments() -> list[AdminDepartment]:
    return container().catalog_admin.list_departments(_principal())


@router.put("/admin/departments/<departmentId>", summary="新建或修改部门")
def admin_save_department(departmentId: DepartmentId, request: Annotated[DepartmentUpdate, Body()]) -> AdminDepartment:
    return container().catalog_admin.save_department(_principal(), departmentId, request)


@router.get("/admin/departments/<departmentId>/history", summary="部门修改记录")
def admin_department_history(departmentId: DepartmentId, cursor: Cursor = None, limit: Limit = 20) -> Page[CatalogChange]:
    return container().catalog_admin.department_history(_principal(), departmentId, cursor=cursor, limit=limit)


# --- users and roles (用户与角色) -----------------------------------------------------------


@router.get("/admin/users", summary="工作人员账号")
def admin_list_users(department: DepartmentFilter = None, cursor: Cursor = None, limit: Limit = 20) -> Page[StaffUserView]:
    return container().user_admin.list_users(_principal(), department_id=department, cursor=cursor, limit=limit)


@router.post("/admin/users", summary="新建工作人员账号（返回临时密码）")
def admin_create_user(request: Annotated[CreateUserRequest, Body()]) -> Response[CreatedUser]:
    created = container().user_admin.create_user(_principal(), request)
    return Response(201, content_types.APPLICATION_JSON, created)


@router.get("/admin/users/<username>", summary="工作人员账号详情")
def admin_get_user(username: Username) -> StaffUserView:
    return container().user_admin.get_user(_principal(), username)


@router.put("/admin/users/<username>", summary="修改姓名、所属部门和角色")
def admin_update_user(username: Username, request: Annotated[UpdateUserRequest, Body()]) -> StaffUserView:
    return container().user_admin.update_user(_principal(), username, request)


@router.post("/admin/users/<username>/disable", summary="停用账号")
def admin_disable_user(username: Username) -> StaffUserView:
    return container().user_admin.set_enabled(_principal(), username, False)


@router.post("/admin/users/<username>/enable", summary="启用账号")
def admin_enable_user(username: Username) -> StaffUserView:
    return container().user_admin.set_enabled(_principal(), username, True)


@router.post("/admin/users/<username>/reset-password", summary="重置密码（返回新的临时密码）")
def admin_reset_password(username: Username) -> PasswordReset:
    return container().user_admin.reset_password(_principal(), username)
