"""Datasets: the committed districts data, and the download path against a local HTTP server."""

from __future__ import annotations

import hashlib
import io
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from homl_tui import datasets
from homl_tui.datasets import ChecksumMismatch, DownloadError, IncompleteDownload, RemoteFile

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- districts


def test_districts_has_the_book_schema_and_quirks():
    df = datasets.load_districts()
    assert list(df.columns) == datasets.HOUSING_COLUMNS + ["ocean_proximity"]
    assert len(df) == 20_640
    assert df.attrs["source"] == "offline"
    assert df["total_bedrooms"].isna().sum() == 207
    assert df.drop(columns="total_bedrooms").notna().all().all()
    assert df["median_house_value"].max() == 500_001
    assert 0.02 < (df["median_house_value"] == 500_001).mean() < 0.1
    assert df["housing_median_age"].max() == 52
    assert set(df["ocean_proximity"]) == {"<1H OCEAN", "INLAND", "NEAR OCEAN", "NEAR BAY", "ISLAND"}
    assert df["median_income"].between(0.4999, 15.0001).all()
    corr = df["median_income"].corr(df["median_house_value"])
    assert 0.6 < corr < 0.8


def test_districts_generator_rebuilds_the_committed_csv_byte_for_byte(tmp_path):
    import runpy

    module = runpy.run_path(str(ROOT / "data" / "districts" / "generate.py"))
    out = tmp_path / "districts.csv"
    digest = module["write"](out)
    committed = ROOT / "data" / "districts" / "districts.csv"
    assert digest == hashlib.sha256(committed.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- local server


class _Server:
    """Serves ``files`` on 127.0.0.1; ``/cut/NAME`` promises the whole file but sends half."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                server.hits.append(self.path)
                cut = self.path.startswith("/cut/")
                name = self.path.removeprefix("/cut/").lstrip("/")
                body = server.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if cut else body)
                self.wfile.flush()
                if cut:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _remote(name: str, body: bytes, url: str, **kw) -> RemoteFile:
    return RemoteFile(
        name=name, url=url, sha256=kw.get("sha256") or hashlib.sha256(body).hexdigest(),
        filename=name, license="test", description="test file",
    )


def _cal_housing_tgz(rows: int = 5) -> bytes:
    rng = np.random.default_rng(0)
    lines = "\n".join(
        ",".join(f"{v:.2f}" for v in rng.uniform(1, 100, size=9)) for _ in range(rows)
    ).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as archive:
        info = tarfile.TarInfo("CaliforniaHousing/cal_housing.data")
        info.size = len(lines)
        archive.addfile(info, io.BytesIO(lines))
    return buf.getvalue()


def _mnist_npz() -> bytes:
    buf = io.BytesIO()
    rng = np.random.default_rng(1)
    np.savez(
        buf,
        x_train=rng.integers(0, 255, (6, 28, 28), dtype=np.uint8),
        y_train=np.arange(6, dtype=np.uint8),
        x_test=rng.integers(0, 255, (2, 28, 28), dtype=np.uint8),
        y_test=np.arange(2, dtype=np.uint8),
    )
    return buf.getvalue()


@pytest.fixture
def server():
    payload = {"blob.bin": bytes(range(256)) * 2000, "cal_housing.tgz": _cal_housing_tgz(),
               "mnist.npz": _mnist_npz()}
    srv = _Server(payload)
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.ENV_CACHE, str(tmp_path / "cache"))
    monkeypatch.delenv(datasets.ENV_OFFLINE, raising=False)
    monkeypatch.delenv(datasets.ENV_MIRROR, raising=False)


# --------------------------------------------------------------------------- download


def test_download_verifies_checksum_and_reports_progress(server, tmp_path):
    body = server.files["blob.bin"]
    remote = _remote("blob.bin", body, f"{server.url}/blob.bin")
    log = io.StringIO()
    path = datasets.download(remote, tmp_path / "dl", stream=log)
    assert path.read_bytes() == body
    lines = log.getvalue().splitlines()
    assert lines and "100%" in lines[-1] and "blob.bin" in lines[-1]
    assert not list((tmp_path / "dl").glob("*.part"))


def test_wrong_checksum_is_refused_and_leaves_nothing(server, tmp_path):
    body = server.files["blob.bin"]
    remote = _remote("blob.bin", body, f"{server.url}/blob.bin", sha256="0" * 64)
    with pytest.raises(ChecksumMismatch, match="SHA-256"):
        datasets.download(remote, tmp_path / "dl", progress=False)
    assert list((tmp_path / "dl").iterdir()) == []


def test_cut_off_download_is_refused_and_leaves_nothing(server, tmp_path):
    body = server.files["blob.bin"]
    remote = _remote("blob.bin", body, f"{server.url}/cut/blob.bin")
    with pytest.raises(IncompleteDownload, match="cut off"):
        datasets.download(remote, tmp_path / "dl", progress=False)
    assert list((tmp_path / "dl").iterdir()) == []


def test_unreachable_server_is_a_plain_download_error(tmp_path):
    remote = _remote("x.bin", b"x", "http://127.0.0.1:9/x.bin")
    with pytest.raises(DownloadError, match="could not download x.bin"):
        datasets.download(remote, tmp_path / "dl", progress=False, timeout=5)


def test_fetch_downloads_once_then_uses_the_cache(server):
    body = server.files["blob.bin"]
    remote = _remote("blob.bin", body, f"{server.url}/blob.bin")
    path, how = datasets.fetch(remote, progress=False)
    assert how == "download" and path.read_bytes() == body
    path, how = datasets.fetch(remote, progress=False)
    assert how == "cache"
    assert server.hits == ["/blob.bin"]


def test_a_damaged_cache_file_is_downloaded_again(server, capsys):
    body = server.files["blob.bin"]
    remote = _remote("blob.bin", body, f"{server.url}/blob.bin")
    path, _ = datasets.fetch(remote, progress=False)
    path.write_bytes(b"garbage")
    path, how = datasets.fetch(remote, progress=False)
    assert how == "download" and path.read_bytes() == body
    assert "damaged" in capsys.readouterr().err


def test_offline_mode_never_touches_the_network(server, monkeypatch):
    monkeypatch.setenv(datasets.ENV_OFFLINE, "1")
    remote = _remote("blob.bin", server.files["blob.bin"], f"{server.url}/blob.bin")
    with pytest.raises(DownloadError, match=datasets.ENV_OFFLINE):
        datasets.fetch(remote, progress=False)
    assert server.hits == []


def test_mirror_replaces_the_host(server, monkeypatch):
    monkeypatch.setenv(datasets.ENV_MIRROR, server.url + "/")
    remote = _remote("blob.bin", server.files["blob.bin"], "https://example.invalid/blob.bin")
    path, how = datasets.fetch(remote, progress=False)
    assert how == "download" and server.hits == ["/blob.bin"]


# --------------------------------------------------------------------------- loaders


def test_load_housing_parses_the_real_archive_format(server, capsys):
    body = server.files["cal_housing.tgz"]
    remote = datasets.with_url(
        datasets.REGISTRY["california_housing"], f"{server.url}/cal_housing.tgz",
        sha256=hashlib.sha256(body).hexdigest(),
    )
    df = datasets.load_housing(remote=remote, progress=False)
    assert df.attrs["source"] == "download"
    assert list(df.columns) == datasets.HOUSING_COLUMNS and len(df) == 5
    assert "from the download" in capsys.readouterr().err
    assert datasets.load_housing(remote=remote, progress=False).attrs["source"] == "cache"


def test_load_housing_falls_back_to_districts_and_says_so(server, capsys):
    remote = datasets.with_url(
        datasets.REGISTRY["california_housing"], f"{server.url}/cal_housing.tgz"
    )  # the real checksum: our test archive does not match it
    df = datasets.load_housing(remote=remote, progress=False)
    assert df.attrs["source"] == "offline" and len(df) == 20_640
    err = capsys.readouterr().err
    assert "SHA-256" in err and "offline districts" in err


def test_load_mnist_downloads_or_falls_back_to_digits(server, capsys):
    body = server.files["mnist.npz"]
    good = datasets.with_url(
        datasets.REGISTRY["mnist"], f"{server.url}/mnist.npz",
        sha256=hashlib.sha256(body).hexdigest(),
    )
    images = datasets.load_mnist(remote=good, progress=False)
    assert images.source == "download" and images.shape == (28, 28)
    assert images.X_train.shape == (6, 28, 28)

    cut = datasets.with_url(datasets.REGISTRY["mnist"], f"{server.url}/cut/mnist.npz")
    (Path(datasets.cache_dir()) / "mnist.npz").unlink()
    fallback = datasets.load_mnist(remote=cut, progress=False)
    assert fallback.source == "offline" and fallback.shape == (8, 8)
    assert len(fallback.X_train) + len(fallback.X_test) == 1797
    assert "cut off" in capsys.readouterr().err


def test_registry_entries_are_complete():
    for remote in datasets.REGISTRY.values():
        assert remote.url.startswith("https://")
        assert len(remote.sha256) == 64 and int(remote.sha256, 16) >= 0
        assert remote.license and remote.description and remote.filename


# --------------------------------------------------------------------------- CLI


def _cli(*args: str, env_extra: dict[str, str]):
    import subprocess
    import sys

    from conftest import subprocess_env

    return subprocess.run([sys.executable, "-m", "homl_tui", "data", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, env=subprocess_env(**env_extra))


def test_cli_data_lists_the_registry_and_what_is_cached(tmp_path):
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(b"x")
    proc = _cli(env_extra={"HOML_TUI_CACHE": str(cache)})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith("cached") and "mnist" in line for line in lines)
    assert any(line.startswith("not yet") and "california_housing" in line for line in lines)
    assert any("districts" in line for line in lines)


def test_cli_data_fetch_fails_plainly_offline_and_rejects_unknown_names(tmp_path):
    env = {"HOML_TUI_CACHE": str(tmp_path / "c"), "HOML_TUI_OFFLINE": "1"}
    proc = _cli("fetch", "mnist", env_extra=env)
    assert proc.returncode == 1
    assert "offline data instead" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("fetch", "imagenet", env_extra=env)
    assert proc.returncode == 2 and "unknown dataset imagenet" in proc.stderr


def test_cli_data_fetch_downloads_through_a_mirror(server, tmp_path, monkeypatch):
    # The mirror serves a file that is not the real MNIST: the checksum refuses it.
    env = {"HOML_TUI_CACHE": str(tmp_path / "c"), datasets.ENV_MIRROR: server.url}
    proc = _cli("fetch", "mnist", env_extra=env)
    assert proc.returncode == 1 and "SHA-256" in proc.stderr
    assert server.hits == ["/mnist.npz"]
    assert not (tmp_path / "c" / "mnist.npz").exists()
