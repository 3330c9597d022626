"""Levels of government (行政层级): 市 → 县（市、区）→ 乡镇（街道）→ 村（社区）.

Every department belongs to one government; every government but the city's has a parent one
level up. A government is named by its administrative-division code (行政区划代码: 6 digits for
the city and its districts, 9 for a township, 12 for a village), so a case's place in the tree
is its government's chain of codes from the city down (`government_path`), and "this level and
below" is a prefix test on that chain, with no lookup.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from .base import DomainModel


class GovernmentLevel(StrEnum):
    CITY = "city"  # 市
    COUNTY = "county"  # 县（市、区）
    TOWNSHIP = "township"  # 乡镇（街道）
    VILLAGE = "village"  # 村（社区）

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def depth(self) -> int:
        return LEVEL_ORDER.index(self)


LEVEL_ORDER = (GovernmentLevel.CITY, GovernmentLevel.COUNTY, GovernmentLevel.TOWNSHIP, GovernmentLevel.VILLAGE)
LEVEL_LABELS = {
    GovernmentLevel.CITY: "市级",
    GovernmentLevel.COUNTY: "县（市、区）级",
    GovernmentLevel.TOWNSHIP: "乡镇（街道）级",
    GovernmentLevel.VILLAGE: "村（社区）级",
}
CODE_LENGTHS = {
    GovernmentLevel.CITY: 6,
    GovernmentLevel.COUNTY: 6,
    GovernmentLevel.TOWNSHIP: 9,
    GovernmentLevel.VILLAGE: 12,
}
# The demo city (鄂州市, as the Ezhou seeds): existing departments without a government are its own.
CITY_GOVERNMENT_ID = "420700"


class Government(DomainModel):
    """One government of the tree (市人民政府、区人民政府、街道办事处、社区居委会)."""

    model_config = ConfigDict(frozen=True)

    government_id: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$", description="行政区划代码")
    name: str = Field(min_length=2, max_length=40, description="e.g. 鄂城区")
    level: GovernmentLevel
    parent_id: str | None = Field(default=None, description="上级政府；市级为空")

    @model_validator(mode="after")
    def _fits_its_level(self) -> Government:
        if len(self.government_id) != CODE_LENGTHS[self.level]:
            raise ValueError(f"{self.level.label}的行政区划代码应为 {CODE_LENGTHS[self.level]} 位")
        if (self.level is GovernmentLevel.CITY) != (self.parent_id is None):
            raise ValueError("只有市级政府没有上级政府")
        return self


def government_path(government_id: str, governments: dict[str, Government]) -> tuple[str, ...]:
    """The chain of government ids from the top of the tree down to this one (inclusive)."""
    path: list[str] = []
    current: str | None = government_id
    while current is not None:
        if current in path or current not in governments:
            raise ValueError(f"未知或循环的上级政府：{current}")
        path.append(current)
        current = governments[current].parent_id
    return tuple(reversed(path))


def placed_path(government_id: str, governments: dict[str, Government]) -> tuple[str, ...]:
    """`government_path`, with a government missing from the catalog (a stack not yet seeded with
    levels) placed directly under the city: the city's 监察局 still sees it and no district does."""
    try:
        return government_path(government_id, governments)
    except ValueError:
        return (government_id,) if government_id == CITY_GOVERNMENT_ID else (CITY_GOVERNMENT_ID, government_id)


def within(path: tuple[str, ...] | list[str], government_id: str) -> bool:
    """Whether a record at `path` is at the government `government_id` or below it."""
    return government_id in path
