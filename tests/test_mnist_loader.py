"""Tests for course_data.mnist: synthetic IDX files in tmp_path, plus one real-data check."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import struct
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from course_data import MnistError, find_mnist, load_mnist, mnist

NAMES = {role: name for role, (name, _) in mnist.MNIST_FILES.items()}
REAL_FILES = dict(mnist.MNIST_FILES)
REAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "mnist"
N_TRAIN, N_TEST = 7, 4
REAL_FETCH = mnist._fetch  # before the autouse fixture replaces it


# ----------------------------------------------------------------------------- helpers


def idx_images(images, magic=mnist.IMAGE_MAGIC, count=None):
    """Uncompressed IDX image file for uint8 ``images`` of shape (n, rows, cols)."""
    n, rows, cols = images.shape
    header = struct.pack(">IIII", magic, n if count is None else count, rows, cols)
    return header + images.astype(np.uint8).tobytes()


def idx_labels(labels, magic=mnist.LABEL_MAGIC, count=None):
    """Uncompressed IDX label file for ``labels``."""
    header = struct.pack(">II", magic, len(labels) if count is None else count)
    return header + np.asarray(labels, dtype=np.uint8).tobytes()


def synthetic(seed=0):
    """Small random MNIST-like data: {role: uint8 array}."""
    rng = np.random.default_rng(seed)
    return {
        "train_img": rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8),
        "train_label": np.arange(N_TRAIN, dtype=np.uint8) % 10,
        "test_img": rng.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8),
        "test_label": np.array([9, 0, 3, 3], dtype=np.uint8),
    }


def encode(arrays):
    """{role: gzip-compressed IDX bytes} for ``synthetic()``-style arrays."""
    return {
        role: gzip.compress(idx_images(a) if role.endswith("img") else idx_labels(a), mtime=0)
        for role, a in arrays.items()
    }


def sha(data):
    return hashlib.sha256(data).hexdigest()


def install(monkeypatch, directory, raw=None, blobs=None):
    """Write gzip files into ``directory`` and make them the expected checksums.

    ``raw`` overrides uncompressed IDX bytes per role; ``blobs`` overrides .gz bytes.
    Returns the {role: gz bytes} written.
    """
    gz = encode(synthetic())
    gz.update({role: gzip.compress(data, mtime=0) for role, data in (raw or {}).items()})
    gz.update(blobs or {})
    directory.mkdir(parents=True, exist_ok=True)
    for role, data in gz.items():
        (directory / NAMES[role]).write_bytes(data)
    monkeypatch.setattr(mnist, "MNIST_FILES", {r: (NAMES[r], sha(d)) for r, d in gz.items()})
    return gz


def serve(blobs, bad=(), fail_mirrors=()):
    """Fake ``mnist._fetch`` serving ``blobs``; ``bad`` roles get wrong bytes."""
    by_name = {NAMES[role]: data for role, data in blobs.items()}
    calls = []

    def fetch(url):
        calls.append(url)
        if any(url.startswith(m) for m in fail_mirrors):
            raise urllib.error.URLError("mirror down")
        name = url.rsplit("/", 1)[1]
        if name in {NAMES[r] for r in bad}:
            return b"not mnist"
        return by_name[name]

    fetch.calls = calls
    return fetch


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Fresh caches, empty course_data/user dirs in tmp_path, no env var, no network."""
    course = tmp_path / "course_data"
    course.mkdir()
    monkeypatch.setattr(mnist, "COURSE_DATA_DIR", course)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(mnist.ENV_VAR, raising=False)
    monkeypatch.setattr(mnist, "_HASH_CACHE", {})
    monkeypatch.setattr(mnist, "_ARRAY_CACHE", {})

    def no_network(url):
        raise AssertionError(f"test tried to use the network: {url}")

    monkeypatch.setattr(mnist, "_fetch", no_network)
    return course


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    install(monkeypatch, directory)
    return directory


# ------------------------------------------------------------------ shapes and dtypes


def test_default_is_flat_normalized_float64_with_int_labels(data_dir):
    arrays = synthetic()
    (x, t), (xt, tt) = load_mnist(data_dir=data_dir)
    assert x.shape == (N_TRAIN, 784) and xt.shape == (N_TEST, 784)
    assert x.dtype == np.float64 and xt.dtype == np.float64
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(x, arrays["train_img"].reshape(N_TRAIN, 784) / 255.0)
    assert t.dtype == np.int64 and t.shape == (N_TRAIN,)
    np.testing.assert_array_equal(t, arrays["train_label"])
    np.testing.assert_array_equal(tt, [9, 0, 3, 3])


def test_float32_pixels_are_the_float64_ones_rounded(data_dir):
    """Training loads float32 directly: the same values as float64's, converted after."""
    (x, _), (xt, _) = load_mnist(dtype=np.float32, data_dir=data_dir)
    (x64, _), (xt64, _) = load_mnist(data_dir=data_dir)
    assert x.dtype == np.float32 and xt.dtype == np.float32
    np.testing.assert_array_equal(x, x64.astype(np.float32))
    np.testing.assert_array_equal(xt, xt64.astype(np.float32))


def test_every_pixel_value_rounds_the_same_in_float32():
    every = np.arange(256, dtype=np.uint8)
    np.testing.assert_array_equal(mnist._convert_images(every, True, True, np.float32),
                                  (every / 255.0).astype(np.float32))


def test_an_integer_dtype_is_refused_with_the_fix(data_dir):
    with pytest.raises(ValueError, match="np.float32"):
        load_mnist(dtype=np.int32, data_dir=data_dir)


def test_raw_unflattened_one_hot(data_dir):
    arrays = synthetic()
    (x, t), (xt, tt) = load_mnist(normalize=False, flatten=False, one_hot_label=True,
                                  data_dir=data_dir)
    assert x.shape == (N_TRAIN, 1, 28, 28) and x.dtype == np.uint8
    assert xt.shape == (N_TEST, 1, 28, 28)
    np.testing.assert_array_equal(x[:, 0], arrays["train_img"])
    assert t.shape == (N_TRAIN, 10) and t.dtype == np.float64
    np.testing.assert_array_equal(t.sum(axis=1), 1.0)
    np.testing.assert_array_equal(t.argmax(axis=1), arrays["train_label"])
    np.testing.assert_array_equal(tt.argmax(axis=1), [9, 0, 3, 3])


def test_returned_arrays_are_safe_to_modify(data_dir):
    for kwargs in ({}, {"normalize": False, "flatten": False}):
        (x, t), _ = load_mnist(data_dir=data_dir, **kwargs)
        x[...] = 0
        t[...] = 0
    (x, t), _ = load_mnist(normalize=False, data_dir=data_dir)
    np.testing.assert_array_equal(x, synthetic()["train_img"].reshape(N_TRAIN, 784))
    np.testing.assert_array_equal(t, synthetic()["train_label"])


def test_happy_path_prints_nothing(data_dir, capsys):
    load_mnist(data_dir=data_dir)
    load_mnist(data_dir=data_dir)
    assert capsys.readouterr() == ("", "")


# ------------------------------------------------------------------------ IDX errors


def _load_error(tmp_path, monkeypatch, **override):
    install(monkeypatch, tmp_path / "bad", **override)
    with pytest.raises(MnistError) as info:
        load_mnist(data_dir=tmp_path / "bad")
    return str(info.value)


def test_bad_image_magic(tmp_path, monkeypatch):
    raw = {"train_img": idx_images(synthetic()["train_img"], magic=2049)}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["train_img"] in msg and "magic number 2049" in msg and "2051" in msg


def test_bad_label_magic(tmp_path, monkeypatch):
    raw = {"test_label": idx_labels(synthetic()["test_label"], magic=2051)}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["test_label"] in msg and "magic number 2051" in msg


def test_truncated_images(tmp_path, monkeypatch):
    raw = {"train_img": idx_images(synthetic()["train_img"])[:-100]}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["train_img"] in msg and "truncated" in msg


def test_truncated_header(tmp_path, monkeypatch):
    msg = _load_error(tmp_path, monkeypatch, raw={"train_label": b"\x00\x00\x08"})
    assert NAMES["train_label"] in msg and "truncated IDX header" in msg


def test_count_larger_than_data(tmp_path, monkeypatch):
    raw = {"test_label": idx_labels(synthetic()["test_label"], count=99)}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["test_label"] in msg and "truncated" in msg


def test_wrong_image_size(tmp_path, monkeypatch):
    raw = {"test_img": idx_images(np.zeros((N_TEST, 27, 28), dtype=np.uint8))}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["test_img"] in msg and "27x28" in msg


def test_image_and_label_counts_must_agree(tmp_path, monkeypatch):
    raw = {"train_label": idx_labels(np.zeros(N_TRAIN - 1))}
    msg = _load_error(tmp_path, monkeypatch, raw=raw)
    assert NAMES["train_img"] in msg and NAMES["train_label"] in msg
    assert f"{N_TRAIN} images" in msg and f"{N_TRAIN - 1} labels" in msg


def test_label_out_of_range(tmp_path, monkeypatch):
    msg = _load_error(tmp_path, monkeypatch, raw={"train_label": idx_labels([1, 2, 10, 0])})
    assert NAMES["train_label"] in msg and "label 10" in msg


def test_truncated_gzip(tmp_path, monkeypatch):
    blob = encode(synthetic())["train_img"][:-20]
    msg = _load_error(tmp_path, monkeypatch, blobs={"train_img": blob})
    assert NAMES["train_img"] in msg and "gzip" in msg


# ------------------------------------------------------------------------- checksums


def test_checksum_mismatch_names_file_hashes_and_fix(data_dir, monkeypatch):
    path = data_dir / NAMES["test_img"]
    good = mnist.MNIST_FILES["test_img"][1]
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(MnistError) as info:
        find_mnist(data_dir)
    msg = str(info.value)
    assert str(path) in msg and good in msg and sha(path.read_bytes()) in msg
    assert "delete it" in msg and mnist.MIRRORS[0] in msg


def test_hashes_cached_per_path_size_mtime(data_dir, monkeypatch):
    find_mnist(data_dir)
    assert len(mnist._HASH_CACHE) == 4
    calls = []
    real_sha256 = hashlib.sha256
    monkeypatch.setattr(mnist.hashlib, "sha256", lambda *a: calls.append(1) or real_sha256(*a))
    find_mnist(data_dir)
    assert calls == []
    path = data_dir / NAMES["train_label"]
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    find_mnist(data_dir)
    assert len(calls) == 1


def test_real_checksum_table_matches_sha256sums():
    lines = [f"{digest}  {name}" for name, digest in REAL_FILES.values()]
    assert len(REAL_FILES) == 4 and all(len(d) == 64 for _, d in REAL_FILES.values())
    sums = REAL_DIR / "SHA256SUMS"
    if sums.is_file():
        assert sorted(sums.read_text().splitlines()) == sorted(lines)


# ------------------------------------------------------------------------------ search


def test_missing_files_message(isolated, tmp_path, monkeypatch):
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    install(monkeypatch, tmp_path / "env")
    (tmp_path / "env" / NAMES["train_img"]).unlink()
    (tmp_path / "env" / NAMES["test_label"]).unlink()
    with pytest.raises(MnistError) as info:
        find_mnist(download=False)
    msg = str(info.value)
    assert f"{tmp_path / 'env'} (${mnist.ENV_VAR}): missing " in msg
    assert f"{NAMES['train_img']}, {NAMES['test_label']}" in msg
    assert f"{isolated} (course_data package directory): missing all four files" in msg
    assert f"{tmp_path / 'xdg' / 'backprop-mnist'} (per-user download directory)" in msg
    assert f"put the four files in {isolated} or set {mnist.ENV_VAR}=/path/to/dir" in msg
    assert "download=False" in msg


def test_course_data_dir_is_found(isolated, monkeypatch):
    install(monkeypatch, isolated)
    assert find_mnist(download=False) == isolated


def test_env_var_lookup(isolated, tmp_path, monkeypatch):
    install(monkeypatch, isolated)
    install(monkeypatch, tmp_path / "env")
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path / "env"))
    assert find_mnist(download=False) == tmp_path / "env"
    (x, _), _ = load_mnist(download=False)
    assert x.shape == (N_TRAIN, 784)


def test_explicit_data_dir_does_not_fall_back(isolated, tmp_path, monkeypatch):
    install(monkeypatch, isolated)
    monkeypatch.setenv(mnist.ENV_VAR, str(isolated))
    empty = tmp_path / "empty"
    with pytest.raises(MnistError) as info:
        load_mnist(data_dir=empty, download=False)
    msg = str(info.value)
    assert f"{empty} (data_dir argument): directory does not exist" in msg
    assert f"put the four files in {empty}" in msg
    assert "course_data package directory" not in msg


def test_explicit_data_dir_expands_user(data_dir, monkeypatch):
    monkeypatch.setenv("HOME", str(data_dir.parent))
    assert find_mnist("~/data", download=False) == data_dir


# ---------------------------------------------------------------------------- download


def _prepare_download(tmp_path, monkeypatch):
    """Expected checksums and served bytes for a download; nothing on disk yet."""
    blobs = install(monkeypatch, tmp_path / "origin")
    for path in (tmp_path / "origin").iterdir():
        path.unlink()
    return blobs


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_download_into_course_data(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    fetch = serve(blobs)
    monkeypatch.setattr(mnist, "_fetch", fetch)
    assert find_mnist() == isolated
    for role, data in blobs.items():
        assert (isolated / NAMES[role]).read_bytes() == data
    assert all(url.startswith(mnist.MIRRORS[0]) for url in fetch.calls) and len(fetch.calls) == 4
    assert _leftovers(isolated) == []
    (x, _), _ = load_mnist()
    assert x.shape == (N_TRAIN, 784)
    assert len(fetch.calls) == 4  # second call finds the files, no network


def test_downloaded_files_get_the_mode_open_gives(isolated, tmp_path, monkeypatch):
    """Under umask 002 (a course group that shares the data), does each download and the
    disk cache get 0664, as a file open() creates does, not a fixed mode of their own?"""
    monkeypatch.setattr(mnist, "_fetch", serve(_prepare_download(tmp_path, monkeypatch)))
    before = os.umask(0o002)
    try:
        load_mnist()
    finally:
        os.umask(before)
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in isolated.iterdir()} == \
        dict.fromkeys([*NAMES.values(), *(p.name for p in isolated.glob("*.npz"))], 0o664)


def test_download_only_missing_files_and_next_mirror(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    (isolated / NAMES["train_img"]).write_bytes(blobs["train_img"])
    fetch = serve(blobs, fail_mirrors=[mnist.MIRRORS[0]])
    monkeypatch.setattr(mnist, "_fetch", fetch)
    assert find_mnist() == isolated
    assert len(fetch.calls) == 6 and not any(NAMES["train_img"] in u for u in fetch.calls)


def test_download_checksum_mismatch_not_kept(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "_fetch", serve(blobs, bad=["train_label"]))
    with pytest.raises(MnistError) as info:
        find_mnist()
    msg = str(info.value)
    assert f"could not download {NAMES['train_label']}" in msg
    assert sha(b"not mnist") in msg and "discarded" in msg
    assert all(mirror + NAMES["train_label"] in msg for mirror in mnist.MIRRORS)
    assert not (isolated / NAMES["train_label"]).exists()
    assert _leftovers(isolated) == []


def test_network_error_gives_clear_error(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "_fetch", serve(blobs, fail_mirrors=mnist.MIRRORS))
    with pytest.raises(MnistError) as info:
        load_mnist()
    msg = str(info.value)
    assert "missing all four files" in msg and "Download failed" in msg
    assert "mirror down" in msg and f"put the four files in {isolated}" in msg


def test_download_disabled_never_fetches(isolated, tmp_path, monkeypatch):
    _prepare_download(tmp_path, monkeypatch)
    with pytest.raises(MnistError, match="download=False"):
        find_mnist(download=False)  # the autouse fixture's _fetch would raise AssertionError


def test_download_into_explicit_data_dir(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "_fetch", serve(blobs))
    target = tmp_path / "mine"
    assert find_mnist(target) == target
    assert sorted(p.name for p in target.iterdir()) == sorted(NAMES.values())
    assert list(isolated.iterdir()) == []


def test_download_falls_back_to_user_dir(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "_fetch", serve(blobs))
    real_is_writable = mnist._is_writable
    monkeypatch.setattr(mnist, "_is_writable", lambda d: d != isolated and real_is_writable(d))
    user_dir = tmp_path / "xdg" / "backprop-mnist"
    assert find_mnist() == user_dir
    monkeypatch.setattr(mnist, "_fetch", serve({}))
    assert find_mnist() == user_dir  # found again without downloading


def test_real_fetch_with_patched_urlopen(isolated, tmp_path, monkeypatch):
    blobs = _prepare_download(tmp_path, monkeypatch)
    monkeypatch.setattr(mnist, "_fetch", REAL_FETCH)
    by_name = {NAMES[role]: data for role, data in blobs.items()}

    def urlopen(request, timeout):
        assert timeout == mnist.DOWNLOAD_TIMEOUT
        url = request.full_url
        if url.startswith(mnist.MIRRORS[0]):
            raise urllib.error.HTTPError(url, 403, "Forbidden", {}, None)
        return io.BytesIO(by_name[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(mnist.urllib.request, "urlopen", urlopen)
    assert find_mnist() == isolated



# ------------------------------------------------------------------------ disk cache


def test_disk_cache_written_and_used(data_dir, monkeypatch):
    load_mnist(data_dir=data_dir)
    caches = list(data_dir.glob("mnist-cache-*.npz"))
    assert len(caches) == 1 and len(caches[0].name) == len("mnist-cache-") + 12 + 4
    monkeypatch.setattr(mnist, "_ARRAY_CACHE", {})

    def no_parse(path):
        raise AssertionError("parsed although the .npz cache exists")

    monkeypatch.setattr(mnist, "_read_images", no_parse)
    (x, t), _ = load_mnist(normalize=False, data_dir=data_dir)
    np.testing.assert_array_equal(x, synthetic()["train_img"].reshape(N_TRAIN, 784))
    np.testing.assert_array_equal(t, synthetic()["train_label"])


def test_corrupt_disk_cache_is_ignored_and_rewritten(data_dir, monkeypatch):
    load_mnist(data_dir=data_dir)
    (cache,) = data_dir.glob("mnist-cache-*.npz")
    cache.write_bytes(b"garbage")
    monkeypatch.setattr(mnist, "_ARRAY_CACHE", {})
    (x, _), _ = load_mnist(normalize=False, data_dir=data_dir)
    np.testing.assert_array_equal(x, synthetic()["train_img"].reshape(N_TRAIN, 784))
    assert cache.stat().st_size > 1000


def test_unwritable_disk_cache_is_skipped_silently(data_dir, monkeypatch, capsys):
    def refuse(dest, write):
        raise PermissionError("read-only")

    monkeypatch.setattr(mnist, "atomic_write", refuse)
    (x, _), _ = load_mnist(data_dir=data_dir)
    assert x.shape == (N_TRAIN, 784)
    assert list(data_dir.glob("mnist-cache-*")) == []
    assert capsys.readouterr() == ("", "")


# -------------------------------------------------------------------------- real data


@pytest.mark.slow  # decompresses and parses the real 70,000 images (~2 s)
@pytest.mark.skipif(not REAL_DIR.is_dir(), reason=f"real MNIST files not found at {REAL_DIR}")
def test_real_mnist(monkeypatch):
    monkeypatch.setattr(mnist, "MNIST_FILES", REAL_FILES)
    monkeypatch.setattr(mnist, "_write_disk_cache", lambda path, arrays: None)  # read-only
    (x, t), (xt, tt) = load_mnist(normalize=False, data_dir=REAL_DIR, download=False)
    assert x.shape == (60000, 784) and xt.shape == (10000, 784) and x.dtype == np.uint8
    assert np.bincount(t).tolist() == [5923, 6742, 5958, 6131, 5842,
                                       5421, 5918, 6265, 5851, 5949]
    assert np.bincount(tt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert x.mean() == pytest.approx(33.3184, abs=1e-4)
    (x, t), _ = load_mnist(data_dir=REAL_DIR, download=False)
    assert x.dtype == np.float64 and x.min() == 0.0 and x.max() == 1.0
    assert t.dtype == np.int64
