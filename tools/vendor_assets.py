"""Vendor the Leaflet and plugin files the map loads, so the app never needs the network.

Each package is fetched from the npm registry with ``npm pack`` (the ordinary client, in a
temporary directory), checked against the pinned tarball integrity, and only the needed dist
files are copied under ``static/vendor/<package>/``, keeping the relative layout so that CSS
``url(...)`` references still resolve.  ``static/vendor/MANIFEST.json`` records name, version,
licence, tarball integrity and a sha256 per file.  The files are committed; run this only to
change a version.

Usage::

    python tools/vendor_assets.py            # fetch and (re)write static/vendor/
    python tools/vendor_assets.py --check    # offline: verify files on disk against MANIFEST.json
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = ROOT / "static" / "vendor"
MANIFEST = VENDOR_DIR / "MANIFEST.json"


@dataclass(frozen=True)
class Package:
    """One npm package: which tarball members to copy, and where to (relative to its folder)."""

    npm: str
    version: str
    licence: str
    dest: str
    integrity: str
    files: dict[str, str] = field(default_factory=dict)


PACKAGES: tuple[Package, ...] = (
    Package(
        npm="leaflet",
        version="1.9.3",
        licence="BSD-2-Clause",
        dest="leaflet",
        integrity="sha512-iB2cR9vAkDOu5l3HAay2obcUHZ7xwUBBjph8+PGtmW/2lYhbLizWtG7nTeYht36WfOslixQF9D/uSIzhZgGMfQ==",
        files={
            "LICENSE": "LICENSE",
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
        },
    ),
    Package(
        npm="jquery",
        version="3.7.1",
        licence="MIT",
        dest="jquery",
        integrity="sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        files={"LICENSE.txt": "LICENSE.txt", "dist/jquery.min.js": "jquery.min.js"},
    ),
    Package(
        npm="leaflet-measure",
        version="2.1.7",
        licence="MIT",
        dest="leaflet-measure",
        integrity="sha512-IvoHIoVTIQSXUgaNnAMF17qXFB+dF5ICdwmY8BHyq/Hh33/xeGqQUUYlz0pRMzFN9NUcjsT6JBhCr1ia0CG5ug==",
        files={
            "LICENSE": "LICENSE",
            "dist/leaflet-measure.min.js": "leaflet-measure.min.js",
            "dist/leaflet-measure.css": "leaflet-measure.css",
            **{
                f"dist/images/{icon}{size}.png": f"images/{icon}{size}.png"
                for icon in ("cancel", "check", "focus", "rulers", "start", "trash")
                for size in ("", "_@2X")
            },
        },
    ),
    Package(
        npm="leaflet-minimap",
        version="3.6.1",
        licence="BSD-2-Clause",
        dest="leaflet-minimap",
        integrity="sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA==",
        files={
            "LICENSE.txt": "LICENSE.txt",
            "dist/Control.MiniMap.min.js": "Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css": "Control.MiniMap.min.css",
            "dist/images/toggle.png": "images/toggle.png",
            "dist/images/toggle.svg": "images/toggle.svg",
        },
    ),
    Package(
        npm="leaflet.fullscreen",
        version="3.0.0",
        licence="MIT",
        dest="leaflet.fullscreen",
        integrity="sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ==",
        files={
            "LICENSE": "LICENSE",
            "Control.FullScreen.js": "Control.FullScreen.js",
            "Control.FullScreen.css": "Control.FullScreen.css",
            "icon-fullscreen.svg": "icon-fullscreen.svg",
        },
    ),
    Package(
        npm="mgrs",
        version="2.2.0",
        licence="MIT",
        dest="mgrs",
        integrity="sha512-BHeewhEJ1n2MOFKvGXFPMxgfczWArFGltBYSZ+JTzlNfHSwJ7gEsXGXFjaU619yLmpmtyoLHu+d8Sd6ACsd0QA==",
        files={"license.md": "license.md", "dist/mgrs.min.js": "mgrs.min.js"},
    ),
    Package(
        npm="leaflet-search",
        version="2.9.7",
        licence="MIT",
        dest="leaflet-search",
        integrity="sha512-v7CxEbXyQXqLFjSkTpvM5i1cvmrcPOos57UmTnR94qqvVZykXyz/0SKEs3cbkFHjyrmMQ3Yk2Q5W6PvyuiSuPg==",
        files={
            "license.txt": "license.txt",
            "dist/leaflet-search.min.js": "dist/leaflet-search.min.js",
            "dist/leaflet-search.min.css": "dist/leaflet-search.min.css",
            "images/search-icon.png": "images/search-icon.png",
            "images/loader.gif": "images/loader.gif",
        },
    ),
)

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class VendorError(RuntimeError):
    """A tarball, file or manifest does not match what this script pins."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _npm_pack(pkg: Package, workdir: Path) -> Path:
    """Download ``name@version`` with ``npm pack`` and check its integrity; return the tarball."""
    spec = f"{pkg.npm}@{pkg.version}"
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    tarball: Path = workdir / info["filename"]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != pkg.integrity:
        raise VendorError(f"{spec}: tarball integrity {digest} != pinned {pkg.integrity}")
    return tarball


def _check_css_refs(css_path: Path) -> None:
    """Every relative ``url(...)`` in a vendored CSS file must point at a vendored file."""
    for ref in _CSS_URL.findall(css_path.read_text(encoding="utf-8")):
        if ref.startswith(("data:", "#")):
            continue
        if "://" in ref or ref.startswith("//"):
            raise VendorError(f"{css_path}: absolute url({ref}) would leave the app")
        if not (css_path.parent / ref).is_file():
            raise VendorError(f"{css_path}: url({ref}) is not vendored")


def vendor(pkg: Package, tarball: Path) -> list[dict[str, Any]]:
    """Copy the pinned members of a tarball into ``static/vendor/<dest>/``; return file records."""
    target = VENDOR_DIR / pkg.dest
    if target.exists():
        shutil.rmtree(target)
    records: list[dict[str, Any]] = []
    with tarfile.open(tarball, "r:gz") as tar:
        for member, rel in sorted(pkg.files.items(), key=lambda kv: kv[1]):
            handle = tar.extractfile(f"package/{member}")
            if handle is None:
                raise VendorError(f"{pkg.npm}@{pkg.version}: package/{member} is not a file")
            data = handle.read()
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            records.append(
                {"path": f"{pkg.dest}/{rel}", "bytes": len(data), "sha256": _sha256(data)}
            )
    for css in target.rglob("*.css"):
        _check_css_refs(css)
    return records


def fetch_all() -> dict[str, Any]:
    """Fetch every package, rewrite ``static/vendor/`` and MANIFEST.json; return the manifest."""
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    packages: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="vendor-") as tmp:
        for pkg in PACKAGES:
            files = vendor(pkg, _npm_pack(pkg, Path(tmp)))
            packages.append(
                {
                    "name": pkg.npm,
                    "version": pkg.version,
                    "licence": pkg.licence,
                    "source": f"npm pack {pkg.npm}@{pkg.version}",
                    "integrity": pkg.integrity,
                    "dir": pkg.dest,
                    "files": files,
                }
            )
    total = sum(int(f["bytes"]) for p in packages for f in p["files"])
    manifest = {
        "generated_by": "tools/vendor_assets.py",
        "total_bytes": total,
        "packages": packages,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check(*, vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Offline check of the committed files against MANIFEST.json; return a list of problems."""
    problems: list[str] = []
    manifest = json.loads((vendor_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    listed: set[str] = set()
    for pkg in manifest["packages"]:
        for rec in pkg["files"]:
            listed.add(rec["path"])
            path = vendor_dir / rec["path"]
            if not path.is_file():
                problems.append(f"missing: {rec['path']}")
            elif _sha256(path.read_bytes()) != rec["sha256"]:
                problems.append(f"sha256 mismatch: {rec['path']}")
    for path in vendor_dir.rglob("*"):
        rel = path.relative_to(vendor_dir).as_posix()
        if path.is_file() and rel != "MANIFEST.json" and rel not in listed:
            problems.append(f"not in manifest: {rel}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify files offline, fetch nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for line in problems:
            print(line, file=sys.stderr)
        print("vendor check:", "FAILED" if problems else "ok")
        return 1 if problems else 0
    manifest = fetch_all()
    print(f"vendored {len(manifest['packages'])} packages, {manifest['total_bytes']} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
