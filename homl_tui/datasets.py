"""Datasets for the lessons: real downloads with a cache and a checksum, and offline stand-ins.

Two kinds of data live here:

* **Offline data** that always works: the generated ``districts`` table committed under
  ``data/`` (:func:`load_districts`) and scikit-learn's bundled digits.
* **Real datasets** from their public URLs (:data:`REGISTRY`): California housing and MNIST.
  :func:`load_housing` and :func:`load_mnist` look in the cache, then try to download
  (streamed to a ``.part`` file, SHA-256 checked, with a progress bar on stderr), and fall back
  to the offline stand-in when that fails. They always say which one they used, on stderr and
  in the result (``df.attrs["source"]``, ``bunch.source``).

Checks use the offline data directly so that they are the same on every machine. Set
``HOML_TUI_OFFLINE=1`` to never try the network, ``HOML_TUI_CACHE`` to move the cache, and
``HOML_TUI_DATA_MIRROR`` to fetch files from another base URL (the tests use a local server).
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import sys
import tarfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from homl_tui.paths import data_paths, project_data_dir

ENV_OFFLINE = "HOML_TUI_OFFLINE"
ENV_CACHE = "HOML_TUI_CACHE"
ENV_MIRROR = "HOML_TUI_DATA_MIRROR"
CHUNK = 1 << 16


@dataclass(frozen=True)
class RemoteFile:
    """One downloadable file: where it is, what it must hash to, and what it is."""

    name: str
    url: str
    sha256: str
    filename: str
    license: str
    description: str
    size_bytes: int | None = None


REGISTRY: dict[str, RemoteFile] = {
    "california_housing": RemoteFile(
        name="california_housing",
        url="https://ndownloader.figshare.com/files/5976036",
        sha256="aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681",
        filename="cal_housing.tgz",
        license="Public domain (StatLib; Pace and Barry, 1997)",
        description="1990 California census block groups: 20,640 rows, 9 numeric columns "
        "(the StatLib version used by scikit-learn; no ocean_proximity column)",
    ),
    "mnist": RemoteFile(
        name="mnist",
        url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        filename="mnist.npz",
        license="CC BY-SA 3.0 (LeCun, Cortes and Burges)",
        description="70,000 handwritten digits, 28x28 grey levels (60,000 train, 10,000 test)",
        size_bytes=11_490_434,
    ),
}

HOUSING_COLUMNS = [
    "longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms",
    "population", "households", "median_income", "median_house_value",
]


class DownloadError(RuntimeError):
    """A download failed; the message says why in plain words."""


class ChecksumMismatch(DownloadError):
    pass


class IncompleteDownload(DownloadError):
    pass


# --------------------------------------------------------------------------- places


def cache_dir() -> Path:
    """Where downloads are kept: ``HOML_TUI_CACHE``, else ``cache/`` in the data folder."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser().resolve()
    return data_paths().cache


def offline() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")


def _say(message: str) -> None:
    print(f"homl-tui: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- download


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _human(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KB", "MB"):
        n /= 1024
        if n < 1024:
            return f"{n:.1f} {unit}"
    return f"{n / 1024:.1f} GB"


class Progress:
    """A download progress bar on a text stream: redrawn in place on a terminal, a line every
    25% otherwise (so CI logs stay short)."""

    def __init__(self, label: str, total: int | None, stream: IO[str] | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._last_quarter = -1

    def update(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.tty:
            if now - self._last_draw >= 0.1:
                self._last_draw = now
                self._draw("\r")
        elif self.total:
            quarter = min(4, self.done * 4 // self.total)
            if quarter > self._last_quarter:
                self._last_quarter = quarter
                self._draw("")

    def _draw(self, prefix: str) -> None:
        rate = self.done / max(1e-6, time.monotonic() - self.started)
        if self.total:
            frac = min(1.0, self.done / self.total)
            bar = "#" * int(frac * 24) + "-" * (24 - int(frac * 24))
            text = (f"{self.label} [{bar}] {frac:4.0%} {_human(self.done)}/{_human(self.total)}"
                    f" {_human(rate)}/s")
        else:
            text = f"{self.label} {_human(self.done)} {_human(rate)}/s"
        end = "" if self.tty else "\n"
        self.stream.write(f"{prefix}{text}{end}")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self._draw("\r")
            self.stream.write("\n")
            self.stream.flush()


def source_url(remote: RemoteFile) -> str:
    mirror = os.environ.get(ENV_MIRROR, "").rstrip("/")
    return f"{mirror}/{remote.filename}" if mirror else remote.url


def download(
    remote: RemoteFile,
    dest_dir: Path,
    *,
    timeout: float = 30.0,
    progress: bool = True,
    stream: IO[str] | None = None,
) -> Path:
    """Download ``remote`` into ``dest_dir`` and return the file's path.

    The bytes go to ``<file>.part`` and are hashed on the way; the file only takes its real
    name (atomically) when the size and the SHA-256 are right. Raises :class:`DownloadError`
    (or a subclass) with a plain message; a failed download leaves nothing behind.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / remote.filename
    part = final.with_name(final.name + ".part")
    url = source_url(remote)
    digest = hashlib.sha256()
    received = 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "homl-tui"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else remote.size_bytes
            bar = Progress(f"downloading {remote.filename}", expected, stream) if progress else None
            with open(part, "wb") as out:
                while True:
                    block = response.read(CHUNK)
                    if not block:
                        break
                    out.write(block)
                    digest.update(block)
                    received += len(block)
                    if bar is not None:
                        bar.update(len(block))
                out.flush()
                os.fsync(out.fileno())
            if bar is not None:
                bar.close()
        if length and length.isdigit() and received < int(length):
            raise IncompleteDownload(
                f"the download of {remote.filename} stopped after {_human(received)} of "
                f"{_human(int(length))} (connection cut off)"
            )
        got = digest.hexdigest()
        if got != remote.sha256:
            raise ChecksumMismatch(
                f"{remote.filename} from {url} has SHA-256 {got[:12]}..., expected "
                f"{remote.sha256[:12]}...: the file is damaged or not the one we know"
            )
        os.replace(part, final)
        return final
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    except http.client.IncompleteRead as exc:
        part.unlink(missing_ok=True)
        raise IncompleteDownload(
            f"the download of {remote.filename} stopped after {_human(received)} "
            "(connection cut off)"
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(f"could not download {remote.filename} from {url}: {reason}") from exc


def fetch(remote: RemoteFile, *, progress: bool = True, timeout: float = 30.0) -> tuple[Path, str]:
    """The cached file if it is there and intact, else a fresh download.

    Returns ``(path, "cache" | "download")``. A cached file with the wrong checksum is deleted
    and downloaded again. Raises :class:`DownloadError` when offline or when the download fails.
    """
    target = cache_dir() / remote.filename
    if target.exists():
        if sha256_of(target) == remote.sha256:
            return target, "cache"
        _say(f"the cached {remote.filename} is damaged (checksum mismatch); downloading it again")
        target.unlink(missing_ok=True)
    if offline():
        raise DownloadError(f"{ENV_OFFLINE} is set, so {remote.filename} is not downloaded")
    return download(remote, target.parent, timeout=timeout, progress=progress), "download"


# --------------------------------------------------------------------------- loaders


def load_districts() -> Any:
    """The generated California-like ``districts`` table (a pandas DataFrame, 20,640 rows).

    Columns follow the book's housing data: longitude, latitude, housing_median_age,
    total_rooms, total_bedrooms (207 missing), population, households, median_income (tens of
    thousands of dollars), median_house_value (capped at 500,001) and ocean_proximity.
    """
    import pandas as pd

    path = project_data_dir() / "districts" / "districts.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: rebuild it with `python data/districts/generate.py`"
        )
    df = pd.read_csv(path)
    df.attrs["source"] = "offline"
    df.attrs["name"] = "districts (generated stand-in for California housing)"
    return df


def _parse_cal_housing(path: Path) -> Any:
    import pandas as pd

    with tarfile.open(path, "r:gz") as archive:
        member = next(
            (m for m in archive.getmembers() if m.name.endswith("cal_housing.data")), None
        )
        if member is None:
            raise DownloadError(f"{path.name} has no cal_housing.data inside")
        raw = archive.extractfile(member)
        assert raw is not None
        df = pd.read_csv(io.BytesIO(raw.read()), header=None, names=HOUSING_COLUMNS)
    return df


def load_housing(*, remote: RemoteFile | None = None, progress: bool = True) -> Any:
    """California housing as a DataFrame: cache, then download, then the offline districts.

    ``df.attrs["source"]`` is ``"cache"``, ``"download"`` or ``"offline"``, and a line on
    stderr says which data you got. The real file has no ``ocean_proximity`` column and no
    missing values; the offline districts have both (like the book's version).
    """
    remote = remote or REGISTRY["california_housing"]
    try:
        path, how = fetch(remote, progress=progress)
        df = _parse_cal_housing(path)
    except (DownloadError, OSError, tarfile.TarError, ValueError) as exc:
        _say(f"{exc}; using the offline districts data instead")
        return load_districts()
    df.attrs["source"] = how
    df.attrs["name"] = "California housing (StatLib)"
    _say(f"California housing from the {'cache' if how == 'cache' else 'download'} ({path})")
    return df


@dataclass(frozen=True)
class Images:
    """Images and labels, already split: what :func:`load_mnist` returns."""

    X_train: Any
    y_train: Any
    X_test: Any
    y_test: Any
    source: str
    name: str

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.X_train.shape[1:])


def load_digits_split(test_size: float = 0.25, seed: int = 42) -> Images:
    """scikit-learn's 8x8 digits, stratified into train and test (the offline MNIST)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.images, digits.target, test_size=test_size, random_state=seed,
        stratify=digits.target,
    )
    return Images(X_train, y_train, X_test, y_test, "offline", "digits (8x8, scikit-learn)")


def load_mnist(*, remote: RemoteFile | None = None, progress: bool = True) -> Images:
    """MNIST (28x28, 60k/10k): cache, then download, then scikit-learn's digits (8x8)."""
    import numpy as np

    remote = remote or REGISTRY["mnist"]
    try:
        path, how = fetch(remote, progress=progress)
        with np.load(path, allow_pickle=False) as data:
            images = Images(
                data["x_train"], data["y_train"], data["x_test"], data["y_test"], how, "MNIST"
            )
    except (DownloadError, OSError, KeyError, ValueError) as exc:
        _say(f"{exc}; using scikit-learn's 8x8 digits instead of MNIST")
        return load_digits_split()
    _say(f"MNIST from the {'cache' if how == 'cache' else 'download'} ({path})")
    return images


def with_url(remote: RemoteFile, url: str, sha256: str | None = None) -> RemoteFile:
    """A copy of ``remote`` fetched from ``url`` (and, for tests, another checksum)."""
    return replace(remote, url=url, sha256=sha256 or remote.sha256)
