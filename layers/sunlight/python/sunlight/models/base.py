"""The base of every domain model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DomainModel(BaseModel):
    """A pydantic model whose validator and serializer are built when first used, not when its module
    is imported: a function imports every model its routes name and a request uses a few of them,
    so building all of them at import would be paid on every cold start (bench/cold_imports.py)."""

    model_config = ConfigDict(defer_build=True)
