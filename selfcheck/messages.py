"""Everything the checks say to students, in each language of the assignment.

One entry per message, ``{language: template}``; templates are ``str.format`` strings.
English is complete; a language missing an entry falls back to English.
"""

import contextlib
import contextvars
import os

from selfcheck.assignment import DEFAULT_LANGUAGE, LANGUAGES

MESSAGES = {
    # --- shapes and types -----------------------------------------------------------
    "returned_none": {
        "en": "{what} returned None. Is a `return` missing?",
    },
    "gradient_none": {
        "en": "{what} is None. Was it read before backward set it? A dict of the layers' dW "
              "and db built before the backward walk keeps the None they held then: build it "
              "after the walk. Or is a `return` missing?",
    },
    "not_numbers": {
        "en": "{what} returned a {type}, which is not an array of real numbers.",
    },
    "low_precision": {
        "en": "{what} is {dtype}, though the checks pass float64 arrays: compute in the "
              "inputs' dtype, without casting to a lower precision (rounded to {dtype}, a "
              "gradient cannot be told from one found by numerical differentiation).",
    },
    "not_float": {
        "en": "{what} is an array of {dtype}, which cannot hold a gradient's values (they "
              "become whole numbers, or True and False). np.zeros_like(a) takes a's dtype: "
              "np.zeros_like(self.mask) makes booleans. Start from a float array, such as "
              "np.zeros_like(dout) or dout.copy().",
    },
    "wrong_shape": {
        "en": "{what} has shape {got}, expected {expected}.",
    },
    "not_pair": {
        "en": "{what} should return two gradients, (dx, dy); it returned a {type}.",
    },
    "not_finite": {
        "en": "{what} contains NaN or infinity.",
    },
    "shape_transposed": {
        "en": "It is transposed: the gradient of a parameter has the parameter's shape "
              "(for dW, x.T @ dout gives (D, M)).",
    },
    "shape_transposed_dx": {
        "en": "It is transposed: dx has the input's shape (N, D); build it from dout (N, M) "
              "and W (D, M).",
    },
    "shape_keepdims": {
        "en": "It kept the summed axis (keepdims=True): db has b's shape (M,), one value per "
              "output.",
    },
    "shape_summed_all": {
        "en": "It was summed over every axis: sum over the batch axis only (axis=0), which "
              "leaves one value per output, shape (M,).",
    },
    "shape_not_summed": {
        "en": "It was not summed over the batch: b was broadcast to all N samples in the "
              "forward pass, so its gradient adds up over axis 0.",
    },
    "shape_wrong_axis": {
        "en": "It was summed over the wrong axis: the batch is axis 0.",
    },
    "shape_not_reshaped": {
        "en": "dx must come back in the shape the input came in: "
              "reshape it with self.original_x_shape.",
    },
    "shape_swapped_params": {
        "en": "That is the shape of another parameter: are W and b (or layers 1 and 2) "
              "swapped?",
    },
    # --- values --------------------------------------------------------------------
    "mismatch": {
        "en": "{what} {reason} (relative error {error:.1e}, allowed {tol:.0e}).",
    },
    "reason_numerical": {
        "en": "does not match the numerical gradient",
    },
    "reason_expected": {
        "en": "does not match the expected values",
    },
    "scalar_difference": {
        "en": "Expected {expected:.6g}, got {got:.6g}.",
    },
    "first_difference": {
        "en": "First difference at index {index}: expected {expected:.6g}, got {got:.6g}.",
    },
    # --- generic relations ----------------------------------------------------------
    "factor_n": {
        "en": "It is exactly N = {n} (the batch size) times too large: a missing ÷ N?",
    },
    "factor_inverse_n": {
        "en": "It is exactly N = {n} (the batch size) times too small: divided by N, or "
              "averaged, where it should not be?",
    },
    "sign": {
        "en": "It has the wrong sign (exactly -1 times the right gradient).",
    },
    "transposed_values": {
        "en": "It is the transpose of the right gradient.",
    },
    "all_zero": {
        "en": "It is all zeros: is the gradient computed but not returned or stored?",
    },
    # --- named mistakes ---------------------------------------------------------------
    "mul_not_swapped": {
        "en": "The inputs were not swapped: the gradient for x is dout times the *other* "
              "input, y, and the gradient for y is dout times x.",
    },
    "mul_forgot_dout": {
        "en": "dout is missing: by the chain rule, each local gradient (the other input) is "
              "multiplied by the upstream gradient dout.",
    },
    "add_split_dout": {
        "en": "dout was split between the inputs: an addition node passes the whole of dout "
              "on to each input.",
    },
    "add_not_passed_on": {
        "en": "An addition node passes dout on unchanged to both inputs (dx = dy = dout).",
    },
    "relu_mask_inverted": {
        "en": "The ReLU mask is inverted: dout must pass where x > 0 and be zeroed where "
              "self.mask is True (x <= 0).",
    },
    "relu_mask_from_dout": {
        "en": "The mask was taken from dout: it must come from the forward input "
              "(self.mask), not from the upstream gradient.",
    },
    "relu_forgot_dout": {
        "en": "dx is the mask itself: multiply by dout (the chain rule), don't replace it.",
    },
    "relu_unmasked": {
        "en": "dx is dout unchanged: zero it where self.mask is True.",
    },
    "sigmoid_missing_one_minus_y": {
        "en": "The factor (1 - y) is missing: the sigmoid's local derivative is y (1 - y).",
    },
    "sigmoid_missing_y": {
        "en": "The factor y is missing: the sigmoid's local derivative is y (1 - y).",
    },
    "sigmoid_uses_x": {
        "en": "It uses the input x where the output y (self.out) belongs: the local "
              "derivative is y (1 - y), in terms of the output.",
    },
    "sigmoid_forgot_dout": {
        "en": "dout is missing: by the chain rule, the local derivative y (1 - y) is "
              "multiplied by the upstream gradient.",
    },
    "sigmoid_overflow": {
        "en": "NaN or infinity for large |x|: np.exp(-x) overflows there. The kept output "
              "y = self.out never overflows: write the derivative in terms of y.",
    },
    "sigmoid_forward_precedence": {
        "en": "The forward pass computes 1 / 1 + np.exp(-x), which is 1 + exp(-x): write "
              "1 / (1 + np.exp(-x)).",
    },
    "affine_db_mean": {
        "en": "db was averaged over the batch instead of summed: b is added to every "
              "sample, so its gradient adds up over the batch axis.",
    },
    "softmax_missing_n": {
        "en": "The ÷ N (batch size) is missing: the loss is a mean over the batch, so "
              "dx = (y - t) / N.",
    },
    "softmax_missing_labels": {
        "en": "The targets are missing: dx = (y - t) / N; with label targets, subtract 1 at "
              "each sample's true class.",
    },
    "softmax_one_hot_as_labels": {
        "en": "One-hot targets t (N, C) went where your code expects labels (N,): both kinds "
              "reach backward. Handle both, e.g. turn one-hot t into labels with "
              "t.argmax(axis=1) when t.ndim == 2.",
    },
    "softmax_overflow": {
        "en": "NaN or infinity for large scores: softmax overflows unless it subtracts each "
              "row's maximum before np.exp.",
    },
    "loss_negative": {
        "en": "The loss is negative, which a cross-entropy never is: is the minus sign "
              "missing (-sum(t * log y) / N)?",
    },
    # --- the hidden checks' titles (selfcheck.assignment names them) ---------------------
    "check_apple_example": {
        "en": "the buying-apples graph: price 220; 2.2, 110, 200",
    },
    "check_apple_orange_example": {
        "en": "the apples-and-oranges graph: 715; 110, 2.2, 3.3, 165, 650",
    },
    "check_returns_pair": {
        "en": "returns (dx, dy) shaped like x and y",
    },
    "check_pair_numerical": {
        "en": "dx, dy match numerical gradients",
    },
    "check_dx_shape": {
        "en": "dx has the shape of x",
    },
    "check_dx_numerical": {
        "en": "dx matches numerical gradients",
    },
    "check_relu_edge_inputs": {
        "en": "a batch of one, 1-d and 3-d inputs, all-negative",
    },
    "check_sigmoid_large_inputs": {
        "en": "large |x|: finite, correct saturated gradients",
    },
    "check_affine_shapes": {
        "en": "dx, self.dW and self.db have the right shapes",
    },
    "check_affine_numerical": {
        "en": "dx, dW, db match numerical gradients",
    },
    "check_affine_nd_input": {
        "en": "an (N, d1, d2) input: dx comes back in that shape",
    },
    "check_batch_of_one": {
        "en": "a batch of one sample",
    },
    "check_scores_shape": {
        "en": "dx has the shape of the scores",
    },
    "check_one_hot": {
        "en": "one-hot targets: dx matches numerical gradients",
    },
    "check_labels": {
        "en": "label targets: dx matches numerical gradients",
    },
    "check_large_logits": {
        "en": "large scores: finite and (y - t) / N",
    },
    "check_net_all_parameters": {
        "en": "a dict of W1, b1, W2, b2 gradients",
    },
    "check_net_numerical": {
        "en": "each parameter's gradient is right",
    },
    "check_net_fresh_forward": {
        "en": "runs its own forward pass on (x, t)",
    },
    "check_net_leaves_parameters": {
        "en": "leaves the parameters as they were",
    },
    "check_net_labels_and_one_hot": {
        "en": "labels and one-hot give the same",
    },
    "check_is_backprop": {
        "en": "computed by backprop, not by finite differences (exact, fast at full size)",
    },
    "check_mnist_accuracy": {
        "en": "your network learns MNIST",
    },
    # --- self-check ----------------------------------------------------------------
    "selfcheck_title": {
        "en": "Self-check (public inputs; the graded checks use others)",
    },
    "selfcheck_pass": {
        "en": "passes the self-check",
    },
    "selfcheck_not_applicable": {
        "en": "No self-check for '{part}': it is graded by training your network on MNIST.",
    },
    "net_layer_failed": {
        "en": "TwoLayerNet is built from your layers, and {method} fails its own self-check: "
              "fix that first.",
    },
    "missing_class": {
        "en": "`{name}` is not defined: run the cell that defines `class {name}` (and every "
              "cell above it), and keep the class name as given.",
    },
    "not_a_class": {
        "en": "`{name}` is a {type}, not a class. Keep the `class {name}(...)` definition "
              "as given.",
    },
    # --- reports and the MNIST check -------------------------------------------------
    "report_points": {
        "en": "{title}: {score} / {max_score} points",
    },
    "report_same_reason": {
        "en": "(same reason)",
    },
    "curve_title": {
        "en": "Your network on MNIST (the grader's run)",
    },
    "softmax_dout_misused": {
        "en": "SoftmaxWithLoss.backward(dout) with dout = {dout:g} gives neither "
              "dout * (y - t) / N (the chain rule) nor (y - t) / N (the book's, which ignores "
              "dout: it is 1 for the last layer): multiply by dout, or leave it out.",
    },
    "layer_state_carried": {
        "en": "{what} gives other numbers once the layer has made a pass before (a forward "
              "and a backward on other inputs): relative error {error:.1e} against a new "
              "layer on the same inputs. backward must use only what the latest forward "
              "stored, nothing kept from an earlier call (gradients added to the last ones, "
              "a value computed on the first call only): in training, every call but the "
              "first would be wrong.",
    },
    "needs_ordinary_inputs": {
        "en": "{what} is right on this special case, but it counts only once the check on "
              "ordinary inputs passes too ({title}): a special case earns its points only "
              "with a backward that is right in general.",
    },
    "check_could_not_run": {
        "en": "the check could not run on your code: {error_type}: {error}",
    },
    "mnist_reached": {
        "en": "test accuracy {accuracy:.4f} after {iterations} iterations",
    },
    "mnist_too_low": {
        "en": "Your network reached {reached}; it needs {threshold:.2f}.",
    },
    "mnist_passed": {
        "en": "reached {reached} (needs {threshold:.2f})",
    },
    "mnist_substituted": {
        "en": " (with the reference {layers}, as yours failed its checks)",
    },
    "mnist_diverged": {
        "en": "Training diverged: the parameters became NaN or infinite.",
    },
    "mnist_too_slow": {
        "en": "Training on MNIST did not finish {iterations} iterations within {seconds:g} s: "
              "backprop takes about a millisecond per batch of 100 images.",
    },
    "mnist_wrong_start": {
        "en": "Training on MNIST did not start from the parameters the grader set: "
              "TwoLayerNet must keep the arrays of self.params that it is given.",
    },
    "mnist_bad_run": {
        "en": "Training on MNIST did not report its run as the grader asked (the states it "
              "committed to and the ones it sent back differ, or are not parameters of the "
              "network's shapes).",
    },
    "mnist_gradient_differs": {
        "en": "At training step {step}, the change of {key} is not -lr times its backprop "
              "gradient on the same parameters and batch (relative error {error:.1e}, "
              "allowed {tol:.0e}).",
    },
    "mnist_not_run": {
        "en": "MNIST check not run: TwoLayerNet.gradient has not passed its checks yet.",
    },
    # --- the grader's sandbox ---------------------------------------------------------
    "timed_out": {
        "en": "{what} did not finish within {seconds:g} s, so the grader stopped it. Is "
              "there an endless loop, or code far slower than it needs to be?",
    },
    "process_ended": {
        "en": "{what} ended the process running your code ({how}). Do not call exit(), "
              "os._exit() or quit() in your code.",
    },
    "channel_broken": {
        "en": "{what} wrote into the grader's private channel or broke it ({how}).",
    },
    "reply_too_large": {
        "en": "{what} sent back {size:,} bytes where at most {limit:,} can be right for this "
              "question, so the grader stopped it. Does it return an array far larger than "
              "its input?",
    },
    "budget_exhausted": {
        "en": "The time budget for grading this notebook ({seconds:g} s) ran out before this "
              "check, so it was not run. Is some code far slower than it needs to be?",
    },
    "budget_note": {
        "en": "The time budget for grading this notebook ({seconds:g} s) ran out: the parts "
              "graded by then kept their points, the checks still to run got 0.",
    },
    "see_note": {
        "en": "Not graded: see the note above.",
    },
    "grading_stopped": {
        "en": "Grading this notebook stopped early ({reason}): the checks still to run "
              "got 0.",
    },
    "stand_in_refused": {
        "en": "the checks run your network on the book's layers, which compute only in the "
              "network the checks built, while the checks' own call of loss or gradient runs",
    },
    "stand_in_too_many": {
        "en": "the checks run your network on the book's layers, and its {kind}.{method} "
              "was asked for more than {limit} passes over the batch in one call: backprop "
              "runs each layer's forward and backward pass once (numerical differentiation "
              "of the loss is not backprop)",
    },
    "stand_in_no_forward": {
        "en": "the checks run your network on the book's layers, and its {kind}.backward ran "
              "before its forward pass: it has nothing stored to compute the gradient from",
    },
    "stand_in_bad_input": {
        "en": "the checks run your network on the book's layers, and its {kind}.{method} got "
              "inputs of other shapes or types than this network gives it",
    },
    "too_many_restarts": {
        "en": "Your code ended or broke the process running it {restarts} times, so the "
              "grader stopped running it: the checks still to run got 0.",
    },
    "stopped_earlier": {
        "en": "{what} was not run again: it already failed to finish once ({reason}).",
    },
    "cell_failed": {
        "en": "The cell '{cell}' raised {error_type}: {error}{where}, so what it defines is "
              "missing.",
    },
    "cell_raised": {
        "en": "The cell '{cell}' raised {error_type}: {error}{where}; what it defined "
              "before that was graded.",
    },
    "cell_missing": {
        "en": "Your notebook has no cell '{cell}' (it was deleted, or its metadata was "
              "changed), so `{name}` is not defined.",
    },
    "not_a_notebook": {
        "en": "This file could not be read as a Jupyter notebook: {error}. Submit the "
              ".ipynb file that JupyterLab saved.",
    },
    "not_a_regular_file": {
        "en": "This is not a regular file ({kind}): not graded. Submit the .ipynb file "
              "that JupyterLab saved.",
    },
    "grader_failed": {
        "en": "The grader failed on this submission: {reason}; ask your instructor to "
              "regrade it.",
    },
    "wrong_assignment": {
        "en": "This notebook is not the backprop assignment: it has none of the assignment's "
              "answer cells ({cells}). Did you submit another assignment's notebook?",
    },
    "extra_cells_ignored": {
        "en": "{count} code cell(s) you added are not part of the assignment; the grader runs "
              "only the assignment's cells (write your code inside the answer cells).",
    },
    "extra_cells_needed": {
        "en": "{names}, defined in a cell you added and used in your answers, is not defined "
              "when the grader runs them: move it into the answer cell that uses it.",
    },
    "duplicate_cells": {
        "en": "The answer cell(s) {cells} appear more than once; of each, the last copy you "
              "answered was graded (the one that running the notebook from the top leaves in "
              "effect).",
    },
    # --- calls ---------------------------------------------------------------------
    "not_written": {
        "en": "{what} is not written yet: it raised NotImplementedError. Replace the "
              "`raise NotImplementedError(...)` line with your code.",
    },
    "raised": {
        "en": "{what} raised {error_type}: {error}{where}",
    },
    "raised_where": {
        "en": " (in {function}, line {line}: `{code}`)",
    },
    "name_not_defined": {
        "en": "`{name}` is not defined where the checks run {what}: they run the given code "
              "and your answer cells, none of the notebook's other cells (a visible check's "
              "variables, say). Use only the method's arguments and what is stored on self; "
              "backward uses what forward stored (self.x, self.mask, self.out, ...).",
    },
    "net_shape_error": {
        "en": "A shape error inside backward usually means the layers were walked in "
              "forward order (backward must go from the last layer to the first), or that the "
              "gradient a layer's backward returned was not passed on to the layer before it.",
    },
    "net_missing_last_layer": {
        "en": "lastLayer.backward was never called: backpropagation starts at the loss, "
              "with self.lastLayer.backward(1), before the layers in self.layers.",
    },
    "net_layers_hold_copies": {
        "en": "The layers hold copies of the parameters, not the arrays in self.params: "
              "training updates self.params in place, so the layers never learn.",
    },
    "net_not_dict": {
        "en": "TwoLayerNet.gradient should return a dict, not a {type}.",
    },
    "net_missing_keys": {
        "en": "TwoLayerNet.gradient's dict lacks {missing}; it needs W1, b1, W2, b2.",
    },
    "net_replaced_params": {
        "en": "TwoLayerNet.gradient replaced self.params['{key}']; it should only compute "
              "gradients (the layers hold the original arrays).",
    },
    "net_changed_params": {
        "en": "TwoLayerNet.gradient changed self.params['{key}']; it should only compute "
              "gradients, not update the parameters.",
    },
    "net_given_code_changed": {
        "en": "TwoLayerNet no longer has the given params, layers and lastLayer ({error}); "
              "restore the given code.",
    },
    "probe_ordinary": {
        "en": "on ordinary inputs",
    },
    "probe_extreme": {
        "en": "for inputs from 1e-300 to 1e300",
    },
    "probe_saturated": {
        "en": "for saturated inputs (8 <= |x| <= 30)",
    },
    "probe_large_bias": {
        "en": "with a bias of 1e12",
    },
    "probe_offset_scores": {
        "en": "for scores offset by 1e6",
    },
    "probe_full_size": {
        "en": "at full size ({shape})",
    },
    "probe_wide": {
        "en": "on a wide input ({shape})",
    },
    "not_backprop_slow": {
        "en": "{what} took more than {seconds:g} s {where}, where backprop with numpy's "
              "array operations takes milliseconds. A gradient computed by numerical "
              "differentiation (finite differences of the forward pass) is that slow, and is "
              "not backprop: it earns none of this part's points. Python loops over every "
              "element are that slow too: compute with whole arrays (matrix products, sums "
              "over an axis).",
    },
    "not_backprop_failed": {
        "en": "{what} is right on ordinary inputs but fails {where} ({reason}). Backprop "
              "works on any input; a gradient computed by numerical differentiation (finite "
              "differences of the forward pass) does not, and earns none of this part's "
              "points.",
    },
    "not_backprop_inconsistent": {
        "en": "{what} passes the numerical check, yet gives another gradient on other "
              "ordinary inputs (relative error {error:.1e}): backprop gives the right "
              "gradient on any input. A gradient computed otherwise (by numerical "
              "differentiation, say) earns none of this part's points.",
    },
    "not_backprop_inexact": {
        "en": "{what} is close to the right gradient but not exact {where} (relative error "
              "{error:.1e}, where backprop stays below {tol:.0e}): that is what finite "
              "differences of the forward pass give. A gradient computed by numerical "
              "differentiation is not backprop and earns none of this part's points.",
    },
    "attribute_not_set": {
        "en": "{what} did not set self.{name}: store the gradient of the parameter in "
              "self.{name}.",
    },
    "affine_product_shapes": {
        "en": "A matrix product of shapes that do not fit. Write the shapes out: x is (N, D), "
              "W (D, M), dout (N, M); dx must be (N, D) and dW (D, M). Which product of "
              "these (transposed if need be) gives each?",
    },
    "affine_elementwise_product": {
        "en": "`*` multiplies element by element, and these shapes do not broadcast: the "
              "gradients of x @ W are matrix products, dW = x.T @ dout (D, M) and "
              "dx = dout @ W.T (N, D). Write them with np.dot or @.",
    },
    "net_missing_forward": {
        "en": "Does gradient run self.loss(x, t) first? Every backward needs what its "
              "forward pass stored.",
    },
    "affine_changed_params": {
        "en": "Affine.backward changed self.{name}: backward only computes the gradients "
              "(self.dW, self.db, dx); updating the parameters (W -= lr * dW) is the training "
              "loop's job, after every gradient is computed.",
    },
    "net_reads_own_attribute": {
        "en": "The checks run your gradient on the book's layers, which keep only the book's "
              "attributes ({kind}: {keeps}): read the gradients from each Affine's dW and db, "
              "not from an attribute your own layers add (here `{name}`).",
    },
    "net_stand_ins_subclassed": {
        "en": "The checks run your gradient on the book's layers, made instances of your "
              "classes, and your {layers} class does not let a layer have a forward and "
              "backward of its own (`__slots__` without `__dict__`, or a `property` of that "
              "name), so the checks' layers are of a subclass of it: pick layers with "
              "`isinstance(layer, {kind})`, not `type(layer) == {kind}`.",
    },
    # --- what a check looked at ({what} of the messages above; see of()) ---------------
    "what_of": {
        "en": "{owner}'s {name}",
    },
    "what_first_gradient": {
        "en": "first gradient",
    },
    "what_second_gradient": {
        "en": "second gradient",
    },
    "what_output": {
        "en": "output",
    },
    "what_loss": {
        "en": "loss",
    },
    "what_apple_example": {
        "en": "MulLayer.backward in the apple example: {name} (expected {want})",
    },
    "what_apple_orange_example": {
        "en": "Through AddLayer.backward, {name} (expected {want})",
    },
    "what_nd_input": {
        "en": "{what} for an N-d input",
    },
    "what_batch_of_one": {
        "en": "{what} for a batch of one",
    },
    "what_large_x": {
        "en": "{what} at large |x|",
    },
    "what_large_scores_labels": {
        "en": "{what} for large scores (labels)",
    },
    "what_large_scores_one_hot": {
        "en": "{what} for large scores (one_hot)",
    },
    "what_label_targets": {
        "en": "{what} with label targets",
    },
    "what_one_hot_targets": {
        "en": "{what} with one-hot targets",
    },
    "what_after_other_forward": {
        "en": "{what} (after a forward pass and a gradient on other data: does gradient "
              "run self.loss(x, t) first, on every call?)",
    },
    "what_forward_price": {
        "en": "The forward price",
    },
    "what_after": {
        "en": "{name} after {method}",
    },
    "reason_no_worker": {
        "en": "no worker",
    },
    "reason_cancelled": {
        "en": "cancelled",
    },
    "what_the_call": {
        "en": "the call",
    },
    "what_your_code": {
        "en": "your code",
    },
    "reason_given_forward": {
        "en": "differs from the given forward pass; restore the given code",
    },
    # --- the notebook's own cells: helpers, visible checks, training ---------------------
    "part_mnist_training": {
        "en": "training on MNIST",
    },
    "stub_not_written": {
        "en": "{task} is not written yet: replace this line with your code.",
    },
    "stub_your_code_here": {
        "en": "YOUR CODE HERE",
    },
    "hidden_checks_later": {
        "en": "The hidden checks of '{part}' run when your notebook is graded.",
    },
    "hidden_checks_not_here": {
        "en": "'{part}' is graded by the course's IsolatedAutograde (nbgrader_config.py), "
              "not in the notebook's kernel: 0 points here",
    },
    "visible_none": {
        "en": "{what}: got None. Is a `return` missing?",
    },
    "visible_shape": {
        "en": "{what}: shape {got}, expected {expected}.",
    },
    "visible_values": {
        "en": "{what}: got\n{got}\nexpected\n{expected}",
    },
    "visible_relu": {
        "en": "Relu.backward passes dout where x > 0 and blocks it elsewhere",
    },
    "visible_sigmoid_at_zero": {
        "en": "Sigmoid.backward at x = 0 is 0.25",
    },
    "visible_sigmoid_formula": {
        "en": "Sigmoid.backward is y * (1 - y) for dout = 1",
    },
    "visible_affine_dx": {
        "en": "Affine.backward's dx = dout W^T",
    },
    "visible_affine_dW": {
        "en": "Affine.dW = x^T dout",
    },
    "visible_affine_db": {
        "en": "Affine.db sums dout over the batch",
    },
    "visible_affine_nd_shape": {
        "en": "dx has the input's shape",
    },
    "visible_softmax_one_hot": {
        "en": "(y - t) / N with one-hot targets",
    },
    "visible_softmax_labels": {
        "en": "the same with label targets",
    },
    "visible_gradient_difference": {
        "en": "{key}: max |backprop - numerical| = {diff:.2e}   relative = {relative:.2e}",
    },
    "visible_gradient_wrong": {
        "en": "the backprop gradient of {key} is wrong",
    },
    "visible_gradient_agrees": {
        "en": "✓ backprop agrees with the numerical gradient",
    },
    "visible_mnist_shapes": {
        "en": "train: {x_train} {t_train}  test: {x_test} {t_test}",
    },
    "visible_training_skipped": {
        "en": "Skipped while grading: the hidden MNIST check trains your network itself.",
    },
    "visible_final_accuracy": {
        "en": "final train accuracy {train:.4f}, test accuracy {test:.4f}",
    },
    "progress_training": {
        "en": "training",
    },
    # --- pictures: the training curves and the computational graphs ---------------------
    "plot_title": {
        "en": "TwoLayerNet on MNIST",
    },
    "plot_batch_loss": {
        "en": "batch loss",
    },
    "plot_moving_average": {
        "en": "moving average",
    },
    "plot_iteration": {
        "en": "iteration",
    },
    "plot_loss": {
        "en": "loss",
    },
    "plot_accuracy": {
        "en": "accuracy",
    },
    "plot_train": {
        "en": "train",
    },
    "plot_test": {
        "en": "test",
    },
    "curve_with_accuracy": {
        "en": "{title}: test accuracy {accuracy:.4f}",
    },
    "summary_mnist_accuracy": {
        "en": "MNIST: test accuracy {accuracy:.4f}",
    },
    "summary_curve_alt": {
        "en": "training curve",
    },
    "graph_apple_title": {
        "en": "Buying apples: price = apple × apple_num × tax",
    },
    "graph_apple_orange_title": {
        "en": "Apples and oranges: price = (apple × apple_num + orange × orange_num) × tax",
    },
    "graph_sigmoid_title": {
        "en": "Sigmoid y = 1/(1 + exp(−x)) at x = {x}, dout = {dout}",
    },
    "graph_sigmoid_yours": {
        "en": "your Sigmoid.backward gives {dx}",
    },
    "graph_local": {
        "en": "local: {derivative}",
    },
    "graph_forward_legend": {
        "en": "above an edge: forward value",
    },
    "graph_backward_legend": {
        "en": "below: backward gradient ∂{of}/∂(that value)",
    },
    "graph_output": {
        "en": "output",
    },
    "graph_unknown": {
        "en": "?  gradient not known yet: {reason}",
    },
    "graph_not_computed": {
        "en": "not computed",
    },
    "graph_raised": {
        "en": "{method} raised {error_type}",
    },
    "graph_returned": {
        "en": "{method} returned {type}",
    },
}


def of(owner, name, lang=None, /):
    """What a check looked at, in ``lang``: "Relu.backward's dx", "Relu.backward의 dx"."""
    return say("what_of", lang, owner=owner, name=name)


def _add_translations():
    """Merge the translations kept in ``selfcheck/messages_<lang>.py`` (a dict ``MESSAGES``)."""
    import importlib

    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        try:
            module = importlib.import_module(f"selfcheck.messages_{lang}")
        except ModuleNotFoundError:
            continue
        for key, text in module.MESSAGES.items():
            MESSAGES[key][lang] = text


_add_translations()


# The language a grader speaks while it grades one submission (None: the kernel's own).
_speaking = contextvars.ContextVar("speaking", default=None)


@contextlib.contextmanager
def speaking(lang):
    """Messages in ``lang`` inside the block, in this thread and in work it hands on with
    its context (``contextvars.copy_context``): a grader grades each submission in that
    submission's language without touching the process's environment."""
    token = _speaking.set(lang)
    try:
        yield
    finally:
        _speaking.reset(token)


def language():
    """The language of messages: the grader's (:func:`speaking`), else $BACKPROP_LANG (the
    notebook's setup cell sets it) if it names one we have, else English."""
    chosen = _speaking.get() or os.environ.get("BACKPROP_LANG", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def say(message, lang=None, /, **fields):
    """The message ``message`` (a key) in ``lang`` (default: :func:`language`), filled in."""
    entry = MESSAGES[message]
    template = entry.get(lang or language(), entry[DEFAULT_LANGUAGE])
    return template.format(**fields)
