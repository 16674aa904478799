"""The store: content-addressed, deduplicated, written whole or not at all."""

from __future__ import annotations

import hashlib
import os

import pytest

from crm.files.storage import BlobStore


def test_a_file_is_kept_under_its_digest_in_a_two_digit_folder(tmp_path):
    store = BlobStore(str(tmp_path))
    data = b"%PDF-1.4 contract"
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    path = tmp_path / digest[:2] / digest
    assert path.read_bytes() == data
    assert store.exists(digest) and store.matches(digest)


def test_the_same_bytes_are_stored_once(tmp_path):
    store = BlobStore(str(tmp_path))
    first = store.put(b"same bytes")
    second = store.put(b"same bytes")
    assert first == second
    assert [p.name for p in (tmp_path / first[:2]).iterdir()] == [first]


def test_a_failed_write_leaves_no_file_and_no_temporary(tmp_path, monkeypatch):
    store = BlobStore(str(tmp_path))

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.put(b"half written")
    digest = hashlib.sha256(b"half written").hexdigest()
    assert not store.exists(digest)
    assert list((tmp_path / digest[:2]).iterdir()) == []


def test_a_damaged_copy_is_replaced_when_the_same_bytes_come_again(tmp_path):
    store = BlobStore(str(tmp_path))
    digest = store.put(b"original")
    (tmp_path / digest[:2] / digest).write_bytes(b"damaged")
    assert not store.matches(digest)
    store.put(b"original")
    assert store.matches(digest)


def test_names_that_are_not_digests_are_refused(tmp_path):
    with pytest.raises(ValueError):
        BlobStore(str(tmp_path)).path_for("../../etc/passwd")
