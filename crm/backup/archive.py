"""The backup archive: one tar file whose ``manifest.json`` lists every other member.

Layout (``FORMAT_VERSION`` 1)::

    database.sqlite | database.pgdump   the database (SQLite file, or pg_dump custom format)
    files/ab/<sha256 hex>               the evidence files, as under FILES_DIR
    manifest.json                       written last: format, versions, dialect, time,
                                        sha256 and size of each member, rows per table

The manifest is written last because each member's hash is taken while the member is
streamed into the tar (one read of each evidence file). A name ending in ``.gz`` gives a
gzip-compressed tar; reading detects either.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

__all__ = [
    "ArchiveWriter",
    "BackupError",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "FILES_PREFIX",
    "MANIFEST_NAME",
    "Manifest",
    "iter_verified_members",
    "read_manifest",
]

FORMAT_NAME = "chaincrm-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
FILES_PREFIX = "files/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup, check or restore that cannot go on; the message says why, in one line."""


@dataclass
class Manifest:
    app_version: str
    alembic_revision: str | None
    dialect: str
    created_at: str  # ISO 8601 UTC, "…Z"
    database_member: str
    row_counts: dict[str, int]
    members: dict[str, dict] = field(default_factory=dict)  # name -> {"sha256", "size"}
    # PostgreSQL: roles that ran the server through `chaincrm db grant-app-role`; a restore
    # grants them again (privileges are not restored from the dump, see postgres_db).
    app_roles: list[str] = field(default_factory=list)
    format: str = FORMAT_NAME
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise BackupError(f"{MANIFEST_NAME} is not valid JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise BackupError(f"not a chaincrm backup ({MANIFEST_NAME} does not say format {FORMAT_NAME!r})")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"backup format version {data.get('format_version')!r}; this chaincrm reads version "
                f"{FORMAT_VERSION} (use the chaincrm version that wrote it)"
            )
        try:
            return cls(**data)
        except TypeError as exc:
            raise BackupError(f"{MANIFEST_NAME} has unexpected or missing fields ({exc})") from None


class _HashingReader:
    """Passes reads through while hashing them: tarfile reads each member exactly once."""

    def __init__(self, source: IO[bytes]):
        self._source, self.digest = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self.digest.update(chunk)
        return chunk


class ArchiveWriter:
    """Adds members to a new archive at ``path``, then the manifest on ``close``."""

    def __init__(self, path: str, mtime: float = 0):
        self.path, self.mtime = path, mtime
        # Written beside the target and renamed at the end: a failed backup leaves no
        # half-written archive under the name the operator will later trust.
        self._partial = path + ".partial"
        self._tar = tarfile.open(
            self._partial, "w:gz" if path.endswith(".gz") else "w", format=tarfile.PAX_FORMAT
        )
        self.members: dict[str, dict] = {}

    def add_file(self, name: str, source_path: str) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = os.path.getsize(source_path), 0o600, self.mtime
        with open(source_path, "rb") as source:
            reader = _HashingReader(source)
            self._tar.addfile(info, reader)
        self.members[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}

    def close(self, manifest: Manifest) -> None:
        manifest.members = dict(self.members)
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(raw), 0o600, self.mtime
        self._tar.addfile(info, io.BytesIO(raw))
        self._tar.close()
        os.replace(self._partial, self.path)

    def abort(self) -> None:
        self._tar.close()
        if os.path.exists(self._partial):
            os.remove(self._partial)


def _open(path: str) -> tarfile.TarFile:
    if not os.path.isfile(path):
        raise BackupError(f"{path}: no such file")
    try:
        return tarfile.open(path, "r:*")
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not a backup archive ({exc})") from None


def read_manifest(path: str) -> Manifest:
    with _open(path) as tar:
        try:
            member = tar.getmember(MANIFEST_NAME)
        except KeyError:
            raise BackupError(f"{path} has no {MANIFEST_NAME}: not a chaincrm backup") from None
        except tarfile.TarError as exc:
            raise BackupError(f"{path} is damaged ({exc})") from None
        return Manifest.from_json(tar.extractfile(member).read())


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return not name.startswith("/") and ".." not in parts and "" not in parts


def iter_verified_members(path: str, manifest: Manifest) -> Iterator[tuple[str, IO[bytes]]]:
    """Yield ``(name, readable)`` for each member but the manifest, after checking its name,
    kind and size; raises BackupError when its content does not hash to the manifest's
    sha256 (the caller must read each yielded member to the end before the next one),
    when a member is missing or when one is not in the manifest."""
    seen: set[str] = set()
    with _open(path) as tar:
        try:
            for member in tar:
                name = member.name
                if name == MANIFEST_NAME:
                    continue
                expected = manifest.members.get(name)
                if expected is None or not _safe_name(name):
                    raise BackupError(f"{name}: member not listed in {MANIFEST_NAME} (archive altered?)")
                if not member.isfile() or member.size != expected["size"]:
                    raise BackupError(f"{name}: size {member.size}, manifest says {expected['size']}")
                reader = _HashingReader(tar.extractfile(member))
                yield name, reader
                while reader.read(_CHUNK):  # whatever the caller left unread
                    pass
                if reader.digest.hexdigest() != expected["sha256"]:
                    raise BackupError(
                        f"{name}: sha256 does not match the manifest (archive altered or damaged)"
                    )
                seen.add(name)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"{path} is damaged ({exc})") from None
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise BackupError(f"members missing from the archive: {', '.join(missing[:5])}")
