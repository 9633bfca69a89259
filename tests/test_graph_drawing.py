"""The computational-graph pictures of :mod:`selfcheck.graph_drawing`, rendered headless.

Each picture is drawn from real layers (the reference ones from :mod:`solutions`, or stubs
whose ``backward`` is not written, as in an untouched notebook), saved as a PNG, and checked
for the numbers it must show: forward values above the edges in black, gradients below in
red, '?' in grey where a gradient is unknown. One PNG of each goes to ``artifacts/graphs/``
(git-ignored) for a human to look at.
"""

import ast
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text

from selfcheck import graph_drawing
from selfcheck.graph_drawing import (
    BACKWARD_COLOR,
    FORWARD_COLOR,
    UNKNOWN_COLOR,
    ComputationalGraph,
    draw_apple_graph,
    draw_apple_orange_graph,
    draw_sigmoid_graph,
    format_number,
)
from solutions import AddLayer, AddLayerForward, MulLayer, MulLayerForward, Sigmoid

plt.switch_backend("Agg")  # headless, whatever MPLBACKEND says

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts" / "graphs"


class MulLayerStub(MulLayerForward):
    """MulLayer as in an untouched notebook: the backward nbgrader left as a stub."""

    def backward(self, dout):
        raise NotImplementedError()


class AddLayerStub(AddLayerForward):
    def backward(self, dout):
        raise NotImplementedError()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig):
    """Every text of the figure (edge labels, names, title, legend)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def text_named(fig, content):
    """The one text object showing ``content`` exactly."""
    found = [t for t in fig.findobj(Text) if t.get_text() == content]
    assert len(found) == 1, f"{content!r} appears {len(found)} times in {texts(fig)}"
    return found[0]


def data_y(text):
    return text.get_position()[1]


def same_color(a, b):
    return mcolors.to_rgba(a) == mcolors.to_rgba(b)


def save_png(fig, path):
    """Render to ``path`` and check it is a real picture, not an empty canvas."""
    fig.savefig(path, dpi=100)
    assert path.stat().st_size > 10_000, f"{path} is only {path.stat().st_size} bytes"
    return path


def apple_example(mul_class=MulLayer):
    """The book's apple example, forward only: 2 apples at 100, tax 1.1."""
    mul_apple_layer, mul_tax_layer = mul_class(), mul_class()
    apple_price = mul_apple_layer.forward(100, 2)
    mul_tax_layer.forward(apple_price, 1.1)
    return mul_apple_layer, mul_tax_layer


def apple_orange_example(mul_class=MulLayer, add_class=AddLayer):
    """The book's apples and oranges, forward only: + 3 oranges at 150."""
    mul_apple_layer, mul_orange_layer, mul_tax_layer = mul_class(), mul_class(), mul_class()
    add_apple_orange_layer = add_class()
    apple_price = mul_apple_layer.forward(100, 2)
    orange_price = mul_orange_layer.forward(150, 3)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    mul_tax_layer.forward(all_price, 1.1)
    return mul_apple_layer, mul_orange_layer, add_apple_orange_layer, mul_tax_layer


def test_apple_graph_shows_values_and_gradients(tmp_path):
    fig = draw_apple_graph(*apple_example())
    save_png(fig, tmp_path / "apple.png")
    shown = texts(fig)
    for expected in ["100", "2", "1.1", "200", "220", "2.2", "110", "1", "apple", "price"]:
        assert expected in shown, f"{expected!r} missing from {shown}"
    assert "?" not in shown


def test_forward_value_above_its_edge_in_black_gradient_below_in_red():
    fig = draw_apple_graph(*apple_example())
    value, grad = text_named(fig, "100"), text_named(fig, "2.2")  # apple and d price/d apple
    assert data_y(grad) < data_y(value)
    assert same_color(value.get_color(), FORWARD_COLOR)
    assert same_color(grad.get_color(), BACKWARD_COLOR)
    assert not same_color(FORWARD_COLOR, BACKWARD_COLOR)
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert "forward value" in legend and "backward gradient" in legend


def test_apple_orange_graph_shows_values_and_gradients(tmp_path):
    fig = draw_apple_orange_graph(*apple_orange_example())
    save_png(fig, tmp_path / "apple_orange.png")
    shown = texts(fig)
    for expected in ["715", "650", "450", "200", "165", "3.3", "110", "2.2", "all_price"]:
        assert expected in shown, f"{expected!r} missing from {shown}"
    assert "?" not in shown


def test_untouched_notebook_shows_grey_question_marks(tmp_path):
    """Stub backward everywhere: forward values still shown, each gradient a grey '?' except
    the final output's 1, and a caption saying why."""
    fig = draw_apple_orange_graph(*apple_orange_example(MulLayerStub, AddLayerStub))
    save_png(fig, tmp_path / "untouched.png")
    shown = texts(fig)
    for expected in ["715", "650", "450", "200", "1.1", "1"]:
        assert expected in shown
    marks = [t for t in fig.findobj(Text) if t.get_text() == "?"]
    assert len(marks) == 8  # every edge but the final output's
    assert all(same_color(t.get_color(), UNKNOWN_COLOR) for t in marks)
    assert any("NotImplementedError" in t for t in shown)


def test_gradients_stop_where_backward_is_missing():
    """Only AddLayer unwritten: the tax layer's gradients are known, the rest are not."""
    fig = draw_apple_orange_graph(*apple_orange_example(MulLayer, AddLayerStub))
    shown = texts(fig)
    assert "650" in shown and "1.1" in shown  # d price/d tax, d price/d all_price
    assert "3.3" not in shown and "165" not in shown
    assert any("AddLayerStub.backward raised NotImplementedError" in t for t in shown)


def test_gradients_given_by_the_notebook_are_drawn(tmp_path):
    grads = {"apple": 2.2, "apple_num": 110, "tax": 200}  # apple_price missing: '?'
    fig = draw_apple_graph(*apple_example(MulLayerStub), grads=grads)
    shown = texts(fig)
    assert {"2.2", "110", "200", "1", "?"} <= set(shown)
    assert shown.count("?") == 1


def test_draw_into_given_axes():
    fig, ax = plt.subplots()
    assert draw_apple_graph(*apple_example(), ax=ax) is fig


def test_sigmoid_graph_is_the_product_of_local_derivatives(tmp_path):
    fig = draw_sigmoid_graph(x=1.0)
    save_png(fig, tmp_path / "sigmoid.png")
    y = 1 / (1 + np.exp(-1.0))
    shown = texts(fig)
    for expected in ["1", "-1", "0.3679", "1.368", "0.7311", "-0.5344", "-0.1966", "0.1966"]:
        assert expected in shown, f"{expected!r} missing from {shown}"
    assert format_number(y * (1 - y)) == "0.1966"
    assert "y(1−y)" in fig.axes[0].get_title()
    assert any(t.startswith("local: −1/u²") for t in shown)


@pytest.mark.parametrize("x", [-2.0, 0.0, 0.5, 3.0])
def test_sigmoid_gradient_at_the_input_is_y_times_one_minus_y(x):
    y = 1 / (1 + np.exp(-x))
    fig = draw_sigmoid_graph(x=x, dout=2.0)
    red = [t for t in fig.axes[0].texts if same_color(t.get_color(), BACKWARD_COLOR)]
    x_grad = min(red, key=lambda t: t.get_position()[0])  # on the edge leaving x
    assert x_grad.get_text() == format_number(2.0 * y * (1 - y))


def test_sigmoid_graph_with_a_layer_shows_its_backward():
    fig = draw_sigmoid_graph(x=0.0, layer=Sigmoid())
    assert "your Sigmoid.backward gives 0.25" in fig.axes[0].get_title()

    class SigmoidStub(Sigmoid):
        def backward(self, dout):
            raise NotImplementedError()

    fig = draw_sigmoid_graph(x=0.0, layer=SigmoidStub())
    assert "your Sigmoid.backward gives ?" in fig.axes[0].get_title()


def test_graph_backward_sums_gradients_of_a_shared_variable():
    """z = x * x through one MulLayer: dz/dx = 2x arrives along two edges and is summed."""
    square = MulLayer()
    square.forward(3.0, 3.0)
    graph = ComputationalGraph()
    graph.add_layer(square, "×", ["x", "x"], "z")
    graph.backward(dout=1)
    assert graph.values == {"x": 3.0, "z": 9.0}
    assert graph.grads == {"x": 6.0, "z": 1}


def test_layer_that_keeps_nothing_needs_known_inputs():
    add = AddLayer()
    add.forward(1, 2)
    graph = ComputationalGraph()
    with pytest.raises(ValueError, match="keeps no input values"):
        graph.add_layer(add, "+", ["a", "b"], "c")
    graph.add_input("a", 1)
    graph.add_input("b", 2)
    graph.add_layer(add, "+", ["a", "b"], "c")
    assert graph.values["c"] == 3


def test_layer_before_forward_draws_question_marks():
    fig = draw_apple_graph(MulLayer(), MulLayer())
    assert texts(fig).count("?") >= 5  # values and gradients alike


@pytest.mark.parametrize(
    ("value", "label"),
    [(None, "?"), (220.00000000000003, "220"), (2.2000000000000002, "2.2"), (1, "1"),
     (np.float64(0.25), "0.25"), (np.array([650.0]), "650"), (-0.0, "0"),
     (np.zeros((2, 3)), "array (2, 3)")],
)
def test_format_number(value, label):
    assert format_number(value) == label


def test_module_imports_only_numpy_matplotlib_and_the_student_package():
    """It runs in the student's kernel: does it import only numpy, matplotlib and the
    student package's own modules (its words and fonts), never the reference or the grader?"""
    source = Path(graph_drawing.__file__).read_text(encoding="utf-8")
    roots, own = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            roots.add(node.module.split(".")[0])
            if node.module.startswith("selfcheck"):
                own.add(node.module)
    assert roots <= {"numpy", "matplotlib", "selfcheck"}
    assert own <= {"selfcheck.fonts", "selfcheck.messages"}
    namespace = {}
    exec(compile(source, "notebook cell", "exec"), namespace)
    assert callable(namespace["draw_apple_orange_graph"])


def test_save_pictures_for_a_human_to_look_at():
    """Is one PNG of each figure written to artifacts/graphs/ (git-ignored), each a picture
    of its figure's size with its gradients in red, and the untouched notebook's showing
    (almost) none: only the output's 1?"""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pictures = {
        "apple.png": draw_apple_graph(*apple_example()),
        "apple_orange.png": draw_apple_orange_graph(*apple_orange_example()),
        "apple_orange_untouched.png": draw_apple_orange_graph(
            *apple_orange_example(MulLayerStub, AddLayerStub)),
        "sigmoid.png": draw_sigmoid_graph(x=1.0, layer=Sigmoid()),
    }
    red = {}
    for name, fig in pictures.items():
        path = ARTIFACTS / name
        path.unlink(missing_ok=True)  # a picture left by an earlier run proves nothing
        save_png(fig, path)
        image = plt.imread(path)
        width, height = fig.get_size_inches() * 100  # save_png's dpi
        assert image.shape[:2] == (round(height), round(width)), name
        red[name] = _pixels_of(image, BACKWARD_COLOR)
        assert red[name] > 20, f"{name}: no gradient drawn in red"
    assert red["apple_orange_untouched.png"] < red["apple_orange.png"] / 4


def _pixels_of(image, color):
    """How many pixels of an RGB(A) image are ``color`` (antialiased black text on white
    gives greys, never a red)."""
    rgb = np.array(mcolors.to_rgb(color))
    return int(np.sum(np.all(np.abs(image[..., :3] - rgb) < 0.05, axis=-1)))
