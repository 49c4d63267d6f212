"""The declared list of sources: official URLs and mirror file patterns, validated by pydantic."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError


class SourceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    url: str
    required: bool = True


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    format: str
    files: list[SourceFile] = Field(min_length=1)
    mirror: list[str] = Field(default_factory=list)
    #: A mirror without this source's file is skipped, not a failure: for sources kept
    #: for online updates that air-gapped mirrors rarely hold (the eCFR XML of a date).
    optional_in_mirror: bool = False

    def find_in_mirror(self, mirror: Path) -> list[Path]:
        """Files of this source in a mirror folder: all matches of the first pattern that
        matches anything, in path order (see manifest.yml)."""
        for pattern in self.mirror:
            found = sorted(p for p in mirror.glob(pattern) if p.is_file())
            if found:
                return found
        return []


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[SourceSpec]

    def get(self, source_id: str) -> SourceSpec:
        for spec in self.sources:
            if spec.id == source_id:
                return spec
        known = ", ".join(s.id for s in self.sources)
        raise InputError(f"unknown source {source_id!r}; the manifest lists: {known}")


def load_manifest(path: Path | None = None) -> Manifest:
    """The manifest at ``path``, or the one shipped with the package."""
    try:
        if path is None:
            text = resources.files(__package__).joinpath("manifest.yml").read_text("utf-8")
            where = "built-in manifest"
        else:
            text = path.read_text("utf-8")
            where = str(path)
        data = yaml.safe_load(text)
        return Manifest.model_validate(data)
    except OSError as exc:
        raise InputError(f"cannot read manifest {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{where}: invalid YAML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise InputError(f"{where}: invalid manifest at {loc}: {first['msg']}") from None
