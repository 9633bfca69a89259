"""MNIST handwritten digits for the backprop course, with the book's ``load_mnist`` interface.

Data: the MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
licensed under Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0).
The four original IDX gzip files are never committed to the repository.

Public API (the interface of "Deep Learning from Scratch", ch. 3 and 5, plus data location)::

    load_mnist(normalize=True, flatten=True, one_hot_label=False, *, dtype=np.float64,
               data_dir=None, download=True) -> ((x_train, t_train), (x_test, t_test))
    find_mnist(data_dir=None, download=True) -> pathlib.Path
    MnistError

``x_train``/``x_test`` hold 60000/10000 grey 28x28 images, ``t_train``/``t_test`` their
digit labels 0..9; see ``load_mnist`` for shapes and dtypes.

Where the four files are looked for (the first directory holding all four wins):

1. the ``data_dir`` argument; when it is given, no other directory is searched;
2. the directory named by the environment variable ``BACKPROP_MNIST_DIR``;
3. the ``course_data/`` package directory (instructors drop the .gz files here; git-ignored);
4. the per-user download directory ``${XDG_CACHE_HOME:-~/.cache}/backprop-mnist``;
5. if ``download=True``: the missing files are downloaded from ``MIRRORS`` into
   ``course_data/`` (or into ``data_dir`` if given, or into the per-user directory when
   ``course_data/`` is not writable). Downloads are checked against their sha256 before
   they are kept and are written atomically (temporary file + ``os.replace``).

Every file used is checked against its sha256 in ``MNIST_FILES``; hashes are cached per
(path, size, mtime) within the process. Parsed pixel/label arrays are cached in the process
(keyed by the verified checksums) and, when the data directory is writable, on disk as an
uncompressed ``mnist-cache-<short hash>.npz`` beside the data (``course_data/*.npz`` is
git-ignored). Nothing is printed; problems raise ``MnistError`` with a message that says
what to do.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import logging
import os
import stat
import struct
import urllib.request
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .files import atomic_write

__all__ = ["MIRRORS", "MNIST_FILES", "MnistError", "find_mnist", "load_mnist"]

ENV_VAR = "BACKPROP_MNIST_DIR"
COURSE_DATA_DIR = Path(__file__).resolve().parent

#: Public mirrors of the original files, tried in order (file name is appended).
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

#: role -> (file name, sha256 of the original .gz file); one entry per file.
MNIST_FILES = {
    "train_img": (
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    ),
    "train_label": (
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    ),
    "test_img": (
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    ),
    "test_label": (
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ),
}

IMAGE_MAGIC = 2051  # IDX: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049  # IDX: unsigned bytes, 1 dimension
IMG_ROWS = IMG_COLS = 28
IMG_SIZE = IMG_ROWS * IMG_COLS
NUM_CLASSES = 10
DOWNLOAD_TIMEOUT = 60  # seconds per request
_DISK_CACHE_VERSION = "1"
_ARRAY_KEYS = ("x_train", "t_train", "x_test", "t_test")

_HASH_CACHE: dict[tuple[str, int, int], str] = {}
_ARRAY_CACHE: dict[tuple[str, ...], dict[str, np.ndarray]] = {}
_LOG = logging.getLogger(__name__)


class MnistError(RuntimeError):
    """MNIST files are missing, corrupt or fail their checksum; the message says what to do."""


class _DownloadError(Exception):
    """A download failed; the message lists each URL tried and why it failed."""


# --------------------------------------------------------------------------- public API


def load_mnist(normalize=True, flatten=True, one_hot_label=False, *, dtype=np.float64,
               data_dir=None, download=True):
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))`` (60000 train, 10000 test).

    Args:
        normalize: True -> pixels as ``dtype`` in [0.0, 1.0] (value / 255). False -> the
            raw uint8 pixels 0..255 (0 = background, 255 = ink).
        flatten: True -> images of shape (N, 784), row-major 28x28. False -> (N, 1, 28, 28)
            (one channel, for convolution layers).
        one_hot_label: False -> int64 labels of shape (N,) with the digit 0..9.
            True -> float64 array (N, 10), 1.0 in the column of the digit, 0.0 elsewhere.
        dtype: the normalized pixels' float type. float64 by default: the kit's gradient
            checks need double precision. np.float32 for training: half the memory, and
            for every pixel value the float64 value rounded to float32.
        data_dir: directory holding the four .gz files; see ``find_mnist``.
        download: allow downloading missing files; see ``find_mnist``.

    Returns:
        ``((x_train, t_train), (x_test, t_test))``; N is 60000 for train and 10000 for test.
        The arrays are fresh copies: the caller may modify them freely.

    Raises:
        MnistError: files missing (and not downloadable), failing their sha256, or corrupt.
        ValueError: ``dtype`` is not a floating-point type.
    """
    if np.dtype(dtype).kind != "f":
        raise ValueError(f"load_mnist: dtype must be a floating-point type such as np.float32 "
                         f"or np.float64, not {np.dtype(dtype)} (pixels / 255 are fractions)")
    raw = _load_raw(find_mnist(data_dir, download=download))
    return (
        (_convert_images(raw["x_train"], normalize, flatten, dtype),
         _convert_labels(raw["t_train"], one_hot_label)),
        (_convert_images(raw["x_test"], normalize, flatten, dtype),
         _convert_labels(raw["t_test"], one_hot_label)),
    )


def find_mnist(data_dir=None, download=True) -> Path:
    """Return the directory holding the four MNIST .gz files, all verified by sha256.

    Search order: ``data_dir`` (if given, the only place searched; missing files are
    downloaded into it when ``download`` is true); ``$BACKPROP_MNIST_DIR``; the
    ``course_data/`` package directory; the per-user download directory; finally, if
    ``download`` is true, a download from ``MIRRORS`` into ``course_data/`` (or the per-user
    directory when ``course_data/`` is not writable).

    Raises:
        MnistError: nothing found and no download (the message lists the missing files per
            directory searched and how to fix it), or a file fails its sha256 check.
    """
    explicit = data_dir is not None
    candidates = _explicit_candidates(data_dir) if explicit else _default_candidates()
    for directory, _ in candidates:
        if not _missing_files(directory):
            _verify_dir(directory, download)
            return directory
    if not download:
        raise MnistError(_not_found_message(candidates, explicit, None))
    target = candidates[0][0] if explicit else _download_target()
    try:
        _download_missing(target, download)
    except _DownloadError as exc:
        raise MnistError(_not_found_message(candidates, explicit, str(exc))) from None
    _verify_dir(target, download)
    return target


# ------------------------------------------------------------------------ array helpers


def _convert_images(x, normalize, flatten, dtype):
    """Fresh (N, 784) ``dtype`` in [0, 1] or uint8 copy of ``x``; (N, 1, 28, 28) if not flat."""
    if normalize:
        out = x.astype(dtype)
        out /= 255.0
    else:
        out = x.copy()
    return out if flatten else out.reshape(-1, 1, IMG_ROWS, IMG_COLS)


def _convert_labels(t, one_hot):
    """Fresh int64 (N,) labels, or float64 (N, 10) one-hot rows."""
    if not one_hot:
        return t.astype(np.int64)
    out = np.zeros((t.size, NUM_CLASSES), dtype=np.float64)
    out[np.arange(t.size), t] = 1.0
    return out


def _load_raw(directory):
    """Read-only uint8 arrays {x_train (N, 784), t_train (N,), x_test, t_test}, cached."""
    key = tuple(sha for _, sha in MNIST_FILES.values())
    if key not in _ARRAY_CACHE:
        cache_file = directory / _disk_cache_name(key)
        arrays = _read_disk_cache(cache_file)
        if arrays is None:
            arrays = _parse_all(directory)
            _write_disk_cache(cache_file, arrays)
        for array in arrays.values():
            array.flags.writeable = False
        _ARRAY_CACHE[key] = arrays
    return _ARRAY_CACHE[key]


def _parse_all(directory):
    """Parse the four IDX files in ``directory`` into uint8 arrays."""
    arrays = {}
    for split in ("train", "test"):
        image_path = directory / MNIST_FILES[f"{split}_img"][0]
        label_path = directory / MNIST_FILES[f"{split}_label"][0]
        images, labels = _read_images(image_path), _read_labels(label_path)
        if len(images) != len(labels):
            raise MnistError(
                f"MNIST {split} set is inconsistent: {image_path.name} has {len(images)} "
                f"images but {label_path.name} has {len(labels)} labels (in {directory}). "
                "Replace both files with the original MNIST files."
            )
        arrays[f"x_{split}"], arrays[f"t_{split}"] = images, labels
    return arrays


# ---------------------------------------------------------------------------- IDX parsing


def _corrupt(path, problem):
    """MnistError for a corrupt IDX file."""
    return MnistError(
        f"MNIST file {path} is corrupt: {problem}. "
        f"Delete it and replace it with the original file (from {MIRRORS[0]}{path.name})."
    )


def _gunzip(path):
    """The decompressed bytes of ``path``."""
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise _corrupt(path, f"not a valid gzip file ({exc})") from None


def _read_header(path, raw, magic, ndim):
    """Check the IDX magic number; return the ``ndim`` big-endian dimension sizes."""
    size = 4 * (1 + ndim)
    if len(raw) < size:
        raise _corrupt(path, f"truncated IDX header ({len(raw)} bytes, need {size})")
    fields = struct.unpack(f">{1 + ndim}I", raw[:size])
    if fields[0] != magic:
        raise _corrupt(path, f"magic number {fields[0]}, expected {magic}")
    return fields[1:]


def _check_payload(path, raw, offset, expected):
    """Raise unless exactly ``expected`` data bytes follow the header."""
    actual = len(raw) - offset
    if actual != expected:
        kind = "truncated" if actual < expected else "trailing garbage"
        raise _corrupt(path, f"{kind}: header promises {expected} data bytes, found {actual}")


def _read_images(path):
    """IDX image file -> read-only uint8 array (N, 784)."""
    raw = _gunzip(path)
    count, rows, cols = _read_header(path, raw, IMAGE_MAGIC, 3)
    if (rows, cols) != (IMG_ROWS, IMG_COLS):
        raise _corrupt(path, f"images are {rows}x{cols}, expected {IMG_ROWS}x{IMG_COLS}")
    _check_payload(path, raw, 16, count * IMG_SIZE)
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, IMG_SIZE)


def _read_labels(path):
    """IDX label file -> read-only uint8 array (N,) of digits 0..9."""
    raw = _gunzip(path)
    (count,) = _read_header(path, raw, LABEL_MAGIC, 1)
    _check_payload(path, raw, 8, count)
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8)
    if count and labels.max() >= NUM_CLASSES:
        raise _corrupt(path, f"label {labels.max()} outside 0..{NUM_CLASSES - 1}")
    return labels


# ----------------------------------------------------------------------- on-disk cache


def _disk_cache_name(hashes):
    """``mnist-cache-<12 hex>.npz``, derived from the source checksums and cache format."""
    digest = hashlib.sha256("|".join((_DISK_CACHE_VERSION, *hashes)).encode()).hexdigest()
    return f"mnist-cache-{digest[:12]}.npz"


def _valid_arrays(arrays):
    """True if ``arrays`` has the structure ``_parse_all`` produces."""
    for split in ("train", "test"):
        x, t = arrays[f"x_{split}"], arrays[f"t_{split}"]
        if x.dtype != np.uint8 or x.ndim != 2 or x.shape[1] != IMG_SIZE:
            return False
        if t.dtype != np.uint8 or t.shape != (len(x),):
            return False
        if t.size and t.max() >= NUM_CLASSES:
            return False
    return True


def _read_disk_cache(path):
    """Arrays from a previous run's .npz cache, or None if absent or unusable."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in _ARRAY_KEYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return arrays if _valid_arrays(arrays) else None


def _write_disk_cache(path, arrays):
    """Save ``arrays`` as an uncompressed .npz; silently skipped if that is not possible."""
    if not _is_writable(path.parent):
        return
    with contextlib.suppress(OSError):
        atomic_write(path, lambda f: np.savez(f, **arrays))


# ----------------------------------------------------------------- files and checksums


def _is_writable(directory):
    """True if ``directory`` is a writable directory; read-only mode bits count even for root."""
    try:
        mode = directory.stat().st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) and bool(mode & 0o222) and os.access(directory, os.W_OK | os.X_OK)


def _sha256(path):
    """Hex sha256 of ``path``, cached per (path, size, mtime) within the process."""
    info = path.stat()
    key = (str(path.resolve()), info.st_size, info.st_mtime_ns)
    if key not in _HASH_CACHE:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        _HASH_CACHE[key] = digest.hexdigest()
    return _HASH_CACHE[key]


def _verify_file(path, expected, download):
    """Raise MnistError (naming file, expected and actual hash, and the fix) on a mismatch."""
    actual = _sha256(path)
    if actual == expected:
        return
    fix = "delete it and run again to download it again, or replace" if download else "replace"
    raise MnistError(
        f"MNIST file {path} failed its checksum:\n"
        f"  expected sha256 {expected}\n"
        f"  actual sha256   {actual}\n"
        f"It is corrupt, truncated or not the original MNIST file: {fix} it with the "
        f"original file (from {MIRRORS[0]}{path.name})."
    )


def _verify_dir(directory, download):
    """Verify all four files in ``directory`` against ``MNIST_FILES``."""
    for name, sha in MNIST_FILES.values():
        _verify_file(directory / name, sha, download)


def _missing_files(directory):
    """Names of the four MNIST files that are not present in ``directory``."""
    return [name for name, _ in MNIST_FILES.values() if not (directory / name).is_file()]


# ------------------------------------------------------------------------------ search


def _user_cache_dir():
    """Per-user download directory: ``${XDG_CACHE_HOME:-~/.cache}/backprop-mnist``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser().resolve() / "backprop-mnist"


def _explicit_candidates(data_dir):
    """The single (directory, description) searched when ``data_dir`` is given."""
    return [(Path(data_dir).expanduser().resolve(), "data_dir argument")]


def _default_candidates():
    """(directory, description) pairs searched when no ``data_dir`` is given, in order."""
    candidates = []
    env = os.environ.get(ENV_VAR)
    if env:
        candidates.append((Path(env).expanduser().resolve(), f"${ENV_VAR}"))
    candidates.append((COURSE_DATA_DIR, "course_data package directory"))
    candidates.append((_user_cache_dir(), "per-user download directory"))
    unique = {}
    for directory, description in candidates:
        unique.setdefault(directory, description)
    return list(unique.items())


def _describe(directory):
    """What is missing in ``directory``, for error messages."""
    if not directory.is_dir():
        return "directory does not exist"
    missing = _missing_files(directory)
    if len(missing) == len(MNIST_FILES):
        return "missing all four files"
    return "missing " + ", ".join(missing)


def _not_found_message(candidates, explicit, download_error):
    """The full, actionable 'MNIST not found' message."""
    names = [name for name, _ in MNIST_FILES.values()]
    lines = ["MNIST data not found. Directories searched:"]
    lines += [f"  {d} ({why}): {_describe(d)}" for d, why in candidates]
    if explicit:
        lines.append(
            f"Fix: put the four files in {candidates[0][0]} (data_dir was given, so no other "
            f"directory is searched), or leave out data_dir to use {COURSE_DATA_DIR} or "
            f"{ENV_VAR}."
        )
    else:
        lines.append(
            f"Fix: put the four files in {COURSE_DATA_DIR} or set {ENV_VAR}=/path/to/dir"
        )
    lines.append(f"The four files: {', '.join(names)}")
    lines.append(f"(MNIST by LeCun, Cortes and Burges, CC BY-SA 3.0; e.g. from {MIRRORS[0]})")
    if download_error is None:
        lines.append("Download: not attempted (download=False).")
    else:
        lines.append(f"Download failed: {download_error}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- download


def _download_target():
    """``course_data/`` if writable, else the per-user download directory."""
    if _is_writable(COURSE_DATA_DIR):
        return COURSE_DATA_DIR
    return _user_cache_dir()


def _fetch(url):
    """The bytes at ``url`` (raises OSError subclasses such as URLError on failure)."""
    request = urllib.request.Request(url, headers={"User-Agent": "backprop-course-mnist"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
        return response.read()


def _download_file(name, expected, dest):
    """Download ``name`` from the first mirror serving the right bytes into ``dest``."""
    errors = []
    for mirror in MIRRORS:
        url = mirror + name
        try:
            data = _fetch(url)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            errors.append(f"{url}: {exc}")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            errors.append(f"{url}: sha256 {actual}, expected {expected}; discarded")
            continue
        _LOG.info("downloaded %s to %s", url, dest)
        atomic_write(dest, lambda f, data=data: f.write(data))
        return
    raise _DownloadError(f"could not download {name}:\n    " + "\n    ".join(errors))


def _download_missing(target, download):
    """Download the files missing in ``target`` (present ones are verified first)."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _DownloadError(f"cannot create {target}: {exc}") from None
    for name, sha in MNIST_FILES.values():
        path = target / name
        if path.is_file():
            _verify_file(path, sha, download)
            continue
        try:
            _download_file(name, sha, path)
        except OSError as exc:
            raise _DownloadError(f"cannot write {path}: {exc}") from None
