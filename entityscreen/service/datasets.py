"""Source ids of files that export one dataset of a family of sources (issue #13): an
OpenSanctions FollowTheMoney export is stored as ``opensanctions:{dataset}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sources import Parsed


def dataset_source(parsed: Parsed, given: str | None, location: str) -> str:
    """The source id of a file that exports one dataset of a family (OpenSanctions FtM):
    ``"{family}:{dataset}"``, the family being the source given (the manifest's id) or the
    format's, the dataset the one the file names, else its folder's (``location``: the
    file's path or URL). Two exports (``t1/`` of eu_fsf, ``zala/``) thus never replace
    each other. A given id with a colon is taken as it is: the user chose the dataset."""
    family = given or parsed.source
    if ":" in family:
        return family
    from ..sources.ftm_schema import dataset_in_path

    dataset = parsed.dataset or dataset_in_path(location)
    return f"{family}:{dataset}" if dataset else family


__all__ = ["dataset_source"]
