"""Keys under which the hidden checks keep state in pytest's ``config.stash``.

In a module of their own (not the conftest) so that the checks, the conftest and the
runner all import the very same key objects.
"""

import pytest

from autograder.in_process_code import InProcessCode

CODE = pytest.StashKey[InProcessCode]()  # the classes under test, set by the runner
RESULTS = pytest.StashKey[dict]()  # nodeid -> outcome and message, read by the runner
FAILED_PARTS = pytest.StashKey[set]()  # parts with a failed check, read by the MNIST check
FAILED_CHECKS = pytest.StashKey[set]()  # (part, check) with a failed case: the rest skip
