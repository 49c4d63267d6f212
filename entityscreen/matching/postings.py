"""The (key hash, name id) pairs of an index build, gathered on disk and merged into postings.

A build makes one pair per key of every name (11.6 million for a 40 MB custom list,
139 MB as arrays) before they are sorted and de-duplicated into the index's postings.
Held in memory until the end, they were most of the build's peak (issue #13, item 6):
:class:`SpilledPairs` files them in 16 buckets by the hash's top 4 bits and writes them
to temporary files whenever more than a million are waiting;
:meth:`SpilledPairs.postings` reads back, sorts and de-duplicates one bucket at a time.
The files are the build's scratch, removed when it ends (in the system's temporary
folder, ``TMPDIR``); nothing here is read by anything else.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

Postings = tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int32]]


#: Pairs held in memory before they are written out (12 bytes each): a build of the real
#: lists' size never touches the disk, a huge custom list's holds at most this many.
SPILL_PAIRS = 1 << 20


class SpilledPairs:
    """(key hash, name id) pairs in 16 buckets by the hash's top 4 bits, written to one
    file per bucket whenever more than :data:`SPILL_PAIRS` are waiting.

    Pairs are added in name-id order, so each bucket's ids ascend and a stable sort by
    hash orders it by (hash, id). Use as a context manager: the files go with it.
    """

    BITS = 4

    def __init__(self) -> None:
        count = 1 << self.BITS
        self._hashes: list[list[npt.NDArray[np.uint64]]] = [[] for _ in range(count)]
        self._ids: list[list[npt.NDArray[np.int32]]] = [[] for _ in range(count)]
        self._waiting = 0
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        #: Pairs added (before de-duplication), and those written to files.
        self.count = 0
        self.spilled = 0

    def __enter__(self) -> SpilledPairs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop the pairs and remove the files."""
        for bucket in range(len(self._hashes)):
            self._hashes[bucket], self._ids[bucket] = [], []
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def add(self, hashes: npt.NDArray[np.uint64], ids: npt.NDArray[np.int32]) -> None:
        """Add pairs (``ids`` not below any id added before)."""
        top = (hashes >> np.uint64(64 - self.BITS)).astype(np.intp)
        order = np.argsort(top, kind="stable")
        bounds = np.searchsorted(top[order], np.arange(len(self._hashes) + 1))
        for bucket, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            if hi > lo:
                self._hashes[bucket].append(hashes[order[lo:hi]])
                self._ids[bucket].append(ids[order[lo:hi]])
        self.count += len(hashes)
        self._waiting += len(hashes)
        if self._waiting > SPILL_PAIRS:
            self._spill()

    def _files(self, bucket: int) -> tuple[Path, Path]:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="entityscreen-index-")
        folder = Path(self._dir.name)
        return folder / f"{bucket}.hash", folder / f"{bucket}.id"

    def _spill(self) -> None:
        """Append the waiting pairs to their buckets' files."""
        for bucket in range(len(self._hashes)):
            if not self._hashes[bucket]:
                continue
            hash_path, id_path = self._files(bucket)
            with open(hash_path, "ab") as hf, open(id_path, "ab") as idf:
                for h, i in zip(self._hashes[bucket], self._ids[bucket], strict=True):
                    h.astype("<u8", copy=False).tofile(hf)
                    i.astype("<i4", copy=False).tofile(idf)
            self._hashes[bucket], self._ids[bucket] = [], []
        self.spilled += self._waiting
        self._waiting = 0

    def _bucket(self, bucket: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32]]:
        """A bucket's pairs in the order added (its file's, then those still waiting),
        taken out of this object."""
        hashes, ids = self._hashes[bucket], self._ids[bucket]
        self._hashes[bucket], self._ids[bucket] = [], []
        if self._dir is not None:
            hash_path, id_path = self._files(bucket)
            if hash_path.exists():
                hashes.insert(0, np.fromfile(hash_path, dtype="<u8").astype(np.uint64, copy=False))
                ids.insert(0, np.fromfile(id_path, dtype="<i4").astype(np.int32, copy=False))
                hash_path.unlink()
                id_path.unlink()
        if not hashes:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
        if len(hashes) == 1:
            return hashes[0], ids[0]
        return np.concatenate(hashes), np.concatenate(ids)

    def postings(self) -> Postings:
        """Distinct hashes (sorted), offsets into the postings, and the postings (name ids
        per hash, ascending, each once). Holds one bucket at a time besides the result;
        once pairs were spilled, each bucket's postings go to a file too, read back whole
        at the end (no second copy of the largest array while it is put together)."""
        uniques: list[npt.NDArray[np.uint64]] = []
        starts: list[npt.NDArray[np.int64]] = []
        postings: list[npt.NDArray[np.int32]] = []
        done = 0
        out = None
        if self.spilled:
            out_path = self._files(0)[0].with_name("postings")
            out = open(out_path, "wb")  # noqa: SIM115 (closed below, removed with the folder)
        try:
            for bucket in range(len(self._hashes)):
                hashes, ids = self._bucket(bucket)
                if not len(hashes):
                    continue
                ids = ids[np.argsort(hashes, kind="stable")]
                hashes.sort()  # in place: equal hashes are interchangeable
                keep = np.ones(len(hashes), dtype=bool)
                keep[1:] = (hashes[1:] != hashes[:-1]) | (ids[1:] != ids[:-1])
                hashes, ids = hashes[keep], ids[keep]
                boundary = np.ones(len(hashes), dtype=bool)
                boundary[1:] = hashes[1:] != hashes[:-1]
                first = np.flatnonzero(boundary)
                uniques.append(hashes[first])
                starts.append(first.astype(np.int64) + done)
                if out is not None:
                    ids.astype("<i4", copy=False).tofile(out)
                else:
                    postings.append(ids.astype(np.int32, copy=False))
                done += len(ids)
                del hashes, ids, keep, boundary, first
        finally:
            if out is not None:
                out.close()
        starts.append(np.array([done], dtype=np.int64))
        # Joined and their parts dropped before the postings are read back: the parts
        # and the joined arrays are not held beside the largest array.
        unique = np.concatenate(uniques) if uniques else np.zeros(0, dtype=np.uint64)
        offsets = np.concatenate(starts)
        del uniques[:], starts[:]
        if out is not None:
            posted = np.fromfile(out_path, dtype="<i4").astype(np.int32, copy=False)
            out_path.unlink()
        elif len(postings) == 1:
            posted = postings[0]
        else:
            posted = np.concatenate(postings) if postings else np.zeros(0, dtype=np.int32)
        return unique, offsets, posted


__all__ = ["Postings", "SpilledPairs"]
