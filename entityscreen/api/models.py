"""Request and response models of the HTTP API (pydantic, at the edge only).

The screening response is the dict of :meth:`entityscreen.results.ScreeningResult.to_dict`
(the same JSON as ``entityscreen screen --json``); it is typed loosely here on purpose, so
the CLI and the API can never drift apart.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..errors import InputError
from ..model import MAX_IDENTIFIER_CHARS, MAX_IDENTIFIERS, check_birth_date
from .models_yente import (
    EntityExample,
    EntityMatches,
    EntityMatchResponse,
    MatchRequest,
    ScoredEntity,
    TotalSpec,
)

#: The name it had before issue #14 (yente's is EntityMatchResponse).
MatchResponse = EntityMatchResponse

#: Most parties in one /screen request, and queries in one /match request.
MAX_PARTIES = 1000
#: Longest name accepted.
MAX_NAME = 1000


class PartyIn(BaseModel):
    """A party to screen."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=MAX_NAME, examples=["Hikvision"])
    id: str | None = Field(None, max_length=200, examples=["CUST-0042"])
    schema_: str | None = Field(None, alias="schema", max_length=40, examples=["organization"])
    country: str | None = Field(None, max_length=100, examples=["CN"])
    address: str | None = Field(None, max_length=2000)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    birth_date: str | None = Field(
        None,
        max_length=10,
        description="YYYY, YYYY-MM or YYYY-MM-DD; evidence for or against a listed person.",
        examples=["1957-03-05"],
    )
    identifiers: list[Annotated[str, StringConstraints(max_length=MAX_IDENTIFIER_CHARS)]] = Field(
        default_factory=list,
        max_length=MAX_IDENTIFIERS,
        description="Passport, national id, registration, tax or IMO numbers.",
        examples=[["AAIN29392"]],
    )

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, value: str | None) -> str | None:
        try:
            return check_birth_date(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None


class ScreenRequest(BaseModel):
    """One party (``party``) or up to 1,000 (``parties``) with the options of ``screen``."""

    model_config = ConfigDict(extra="forbid")

    party: PartyIn | None = None
    parties: list[PartyIn] | None = Field(None, max_length=MAX_PARTIES)
    threshold: float | None = Field(None, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1, le=100)
    lists: list[str] | None = Field(None, max_length=50, examples=[["EL", "SDN"]])
    as_of: date | None = Field(None, examples=["2019-10-09"])


class ScreenResponse(BaseModel):
    """One result per party, in request order (``entityscreen screen --json`` shape)."""

    results: list[dict[str, Any]]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: str = Field(..., examples=["false-positive"])
    reason: str = Field(..., min_length=1, max_length=5000)
    by: str | None = Field(None, max_length=200)


class ErrorResponse(BaseModel):
    detail: str | list[Any]


__all__ = [
    "MAX_NAME",
    "MAX_PARTIES",
    "DecisionIn",
    "EntityExample",
    "EntityMatchResponse",
    "EntityMatches",
    "ErrorResponse",
    "MatchRequest",
    "MatchResponse",
    "PartyIn",
    "ScoredEntity",
    "ScreenRequest",
    "ScreenResponse",
    "TotalSpec",
]
