"""The bytes of evidence files, kept by their SHA-256 under ``FILES_DIR``.

Layout (backups rely on it): ``FILES_DIR/ab/abcdef…`` — the first two hex digits of the
digest as a folder, the whole hex digest as the file name. The same bytes are stored once
however often they are attached (in any county): a file's name says nothing of its content
or owner, and the database's attachments say who may read it.

A file is written to a temporary file in its folder and renamed into place, so a reader
never meets half a file and a crash leaves only a temporary file (``.tmp-`` prefix).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile

from flask import current_app

__all__ = ["BlobStore", "files_dir", "store"]

DIGEST = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def files_dir(app=None) -> str:
    """``FILES_DIR`` (env ``CHAINCRM_FILES_DIR``), by default ``<instance folder>/files``."""
    app = app or current_app
    return app.config.get("FILES_DIR") or os.path.join(app.instance_path, "files")


class BlobStore:
    """Content-addressed files under ``root``."""

    def __init__(self, root: str):
        self.root = root

    def path_for(self, sha256: str) -> str:
        if not DIGEST.match(sha256 or ""):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return os.path.join(self.root, sha256[:2], sha256)

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and answer its digest."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256)
        if os.path.exists(path) and self.matches(sha256):
            return sha256
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, path)  # atomic on one file system
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return sha256

    def exists(self, sha256: str) -> bool:
        return os.path.isfile(self.path_for(sha256))

    def matches(self, sha256: str) -> bool:
        """The stored file is there and its bytes still hash to its name."""
        digest = hashlib.sha256()
        try:
            with open(self.path_for(sha256), "rb") as stored:
                while chunk := stored.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == sha256

    def remove(self, sha256: str) -> bool:
        """Delete the stored file (a manager's purge); False if it was not there."""
        try:
            os.unlink(self.path_for(sha256))
        except FileNotFoundError:
            return False
        return True


def store(app=None) -> BlobStore:
    """The application's store (``FILES_DIR``)."""
    return BlobStore(files_dir(app))
