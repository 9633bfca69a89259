"""Numerical gradients of the trusted reference, remembered across submissions.

The hidden inputs are fixed by the hidden seeds, and a numerical gradient here only ever
differentiates trusted code (the reference forward passes, the exact loss), so every
submission asks for the very same ones. A grading process computes each once: the key is
the function's code and everything it closes over (arrays by content), plus the inputs.
A function whose closure holds anything else (a student's object, say) is not cached.
"""

import hashlib
import types

import numpy as np

from selfcheck.numerics import numerical_gradient as _numerical_gradient

_CACHE = {}
_LIMIT = 4096  # entries; a full hidden suite asks for ~220


def cached_numerical_gradient(f, x, dout):
    """:func:`selfcheck.numerics.numerical_gradient`, cached (returns a fresh copy)."""
    key = _fingerprint((f, x, dout))
    if key is None:
        return _numerical_gradient(f, x, dout)
    if key not in _CACHE:
        if len(_CACHE) >= _LIMIT:
            _CACHE.clear()
        _CACHE[key] = _numerical_gradient(f, x.copy(), dout)
    return _CACHE[key].copy()


def _fingerprint(value, depth=0):
    """A hashable stand-in for ``value``'s content, or None if it has none we trust."""
    if depth > 8:
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return (type(value).__name__, value)
    if isinstance(value, np.ndarray):
        digest = hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16)
        return ("nd", value.dtype.str, value.shape, digest.digest())
    if isinstance(value, tuple | list):
        parts = [_fingerprint(v, depth + 1) for v in value]
        return None if None in parts else ("seq", *parts)
    if isinstance(value, dict):
        items = [(k, _fingerprint(v, depth + 1)) for k, v in sorted(value.items())]
        return None if any(p is None for _, p in items) else ("dict", *items)
    if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] == "solutions":
        return ("module", value.__name__)
    if isinstance(value, types.FunctionType):
        cells = [_fingerprint(c.cell_contents, depth + 1) for c in value.__closure__ or ()]
        defaults = _fingerprint(value.__defaults__ or (), depth + 1)
        keyword_defaults = _fingerprint(value.__kwdefaults__ or {}, depth + 1)
        if None in cells or defaults is None or keyword_defaults is None:
            return None
        return ("function", value.__code__, defaults, keyword_defaults, *cells)
    return None
